/** The Office's dashboard (R-22, R-25): per agency and year on time, late, overdue, open, late opinions, returns; sortable, CSV, a chart. */
import { h, clear } from '../dom.ts';
import { get, qs, type AgencyReport } from '../api.ts';
import { t, code } from '../i18n.ts';
import type { PageContext } from '../router.ts';
import { errorBox } from '../util.ts';
import { vietnamYear } from '../../../domain/calendar.ts';

type Report = AgencyReport;
type Figures = Report['agencies'][number];
type Col = { key: keyof Figures | 'returns'; label: string; num: boolean; value: (f: Figures) => number | string | null };

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(0)}%`);

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  // R-25: the Office's year, in Vietnam, whatever the browser's clock zone.
  const thisYear = vietnamYear(new Date());
  let year = Number(ctx.query.get('year')) || thisYear;
  const yearSel = h('select', { id: 'r-year' }, [thisYear + 1, thisYear, thisYear - 1, thisYear - 2].map((y) => h('option', { value: y, selected: y === year }, y)));
  const activeOnly = h('input', { type: 'checkbox', id: 'r-active', checked: true });
  const csv = h('a', { id: 'r-csv', href: `/api/reports/agencies${qs({ year, format: 'csv' })}`, download: `bao-cao-${year}.csv` }, t('reports.csv'));
  const chart = h('div', { className: 'bars card' });
  const tableBox = h('div', {});
  const headsBox = h('div', {});
  const tasksBox = h('div', {});
  const definitionsBox = h('ul', { id: 'report-figure-definitions' });
  root.append(
    h('h1', {}, t('reports.title')),
    h('p', { className: 'hint', id: 'report-definitions' }, t('reports.definitions')),
    h('div', { className: 'toolbar' },
      h('div', { className: 'field' }, h('label', { for: 'r-year' }, t('reports.year')), yearSel),
      h('label', { className: 'check', for: 'r-active' }, activeOnly, t('reports.onlyActive')),
      csv),
    h('h2', {}, t('reports.chart')), chart,
    tableBox,
    h('h2', {}, t('reports.tasks')), tasksBox,
    h('h2', {}, t('reports.heads')), headsBox,
    h('h2', {}, t('reports.definitionsTitle')), definitionsBox,
  );

  const cols: Col[] = [
    { key: 'agencyCode', label: t('reports.col.agency'), num: false, value: (f) => `${f.agencyCode} · ${f.agencyName}` },
    { key: 'assigned', label: t('reports.col.assigned'), num: true, value: (f) => f.assigned },
    { key: 'doneOnTime', label: t('reports.col.onTime'), num: true, value: (f) => f.doneOnTime },
    { key: 'doneLate', label: t('reports.col.late'), num: true, value: (f) => f.doneLate },
    { key: 'overdueOpen', label: t('reports.col.overdue'), num: true, value: (f) => f.overdueOpen },
    { key: 'open', label: t('reports.col.open'), num: true, value: (f) => f.open },
    { key: 'onTimeRate', label: t('reports.col.rate'), num: true, value: (f) => f.onTimeRate },
    { key: 'lateOpinions', label: t('reports.col.lateOpinions'), num: true, value: (f) => f.lateOpinions },
    { key: 'opinionsWaived', label: t('reports.col.opinionsWaived'), num: true, value: (f) => f.opinionsWaived },
    { key: 'returns', label: t('reports.col.returns'), num: true, value: (f) => Object.values(f.returnsByReason).reduce((a, b) => a + b, 0) },
  ];
  let sortKey: Col['key'] = 'agencyCode';
  let asc = true;
  let report: Report | null = null;

  function drawTable() {
    if (!report) return;
    const rows = report.agencies.filter((a) => !activeOnly.checked || a.assigned > 0);
    const col = cols.find((c) => c.key === sortKey)!;
    rows.sort((a, b) => {
      const x = col.value(a) ?? -1;
      const y = col.value(b) ?? -1;
      return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
    });
    clear(tableBox);
    tableBox.append(h('table', { id: 'report-table', tabindex: '0' },
      h('caption', { className: 'sr-only' }, t('reports.title')),
      h('thead', {}, h('tr', {}, cols.map((c) =>
        h('th', { scope: 'col', className: c.num ? 'num' : '', 'aria-sort': c.key === sortKey ? (asc ? 'ascending' : 'descending') : 'none' },
          h('button', { type: 'button', className: 'sort', onclick: () => { asc = sortKey === c.key ? !asc : !c.num; sortKey = c.key; drawTable(); } }, c.label, c.key === sortKey ? (asc ? ' ▲' : ' ▼') : ''))))),
      h('tbody', {}, rows.map((f) => h('tr', { 'data-agency': f.agencyCode },
        h('th', { scope: 'row' }, `${f.agencyCode} · ${f.agencyName}`),
        h('td', { className: 'num' }, f.assigned),
        h('td', { className: 'num', 'data-col': 'onTime' }, f.doneOnTime),
        h('td', { className: 'num' }, f.doneLate),
        h('td', { className: 'num' }, f.overdueOpen ? h('span', { className: 'badge overdue' }, `⚠ ${f.overdueOpen}`) : '0'),
        h('td', { className: 'num' }, f.open),
        h('td', { className: 'num', 'data-col': 'rate' }, pct(f.onTimeRate)),
        h('td', { className: 'num' }, f.lateOpinions),
        h('td', { className: 'num', 'data-col': 'opinionsWaived' }, f.opinionsWaived),
        h('td', {}, Object.entries(f.returnsByReason).map(([r, n]) => h('div', {}, `${code('returnReason', r)}: ${n}`))),
      ))),
    ));
  }

  function drawChart() {
    if (!report) return;
    clear(chart);
    const rows = report.agencies.filter((a) => a.onTimeRate !== null);
    if (!rows.length) {
      chart.append(h('p', { className: 'muted' }, t('reports.chartNone')));
      return;
    }
    const ns = 'http://www.w3.org/2000/svg';
    const rowH = 26;
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 640 ${rows.length * rowH + 10}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${t('reports.chart')}: ${rows.map((r) => `${r.agencyCode} ${pct(r.onTimeRate)}`).join(', ')}`);
    rows.forEach((r, i) => {
      const y = i * rowH + 5;
      const label = document.createElementNS(ns, 'text');
      label.setAttribute('x', '0');
      label.setAttribute('y', String(y + 16));
      label.textContent = r.agencyCode;
      const bar = document.createElementNS(ns, 'rect');
      bar.setAttribute('x', '140');
      bar.setAttribute('y', String(y));
      bar.setAttribute('height', '20');
      bar.setAttribute('width', String(Math.max(1, (r.onTimeRate ?? 0) * 420)));
      bar.setAttribute('fill', '#0b4f8a');
      const value = document.createElementNS(ns, 'text');
      value.setAttribute('x', String(146 + (r.onTimeRate ?? 0) * 420));
      value.setAttribute('y', String(y + 16));
      value.textContent = pct(r.onTimeRate);
      svg.append(label, bar, value);
    });
    chart.append(svg);
  }

  function drawHeads() {
    if (!report) return;
    clear(headsBox);
    headsBox.append(h('table', { tabindex: '0' },
      h('thead', {}, h('tr', {}, [
        t('reports.col.head'), t('reports.col.agency'), t('reports.col.assigned'), t('reports.col.late'), t('reports.col.overdue'), t('reports.col.returnsN'),
        t('reports.col.tasksAssigned'), t('reports.col.tasksLate'), t('reports.col.tasksOverdue'), t('reports.col.vagueReturned'), t('reports.col.vagueFlagged'), t('reports.col.outOfAuthority'),
      ].map((x) => h('th', { scope: 'col' }, x)))),
      // R-26: what the head answers for, pushing matters up (R-02) and vague proposals (R-03) included.
      h('tbody', {}, report.heads.map((x) => h('tr', { 'data-head': x.accountableUserId }, h('td', {}, `${x.fullName} (${x.accountableUserId})`), h('td', {}, x.agencyCode),
        ...[x.assigned, x.doneLate, x.overdueOpen, x.returns, x.tasksAssigned, x.tasksDoneLate, x.tasksOverdueOpen, x.vagueProposals, x.vagueProposalsFlagged, x.outOfAuthority].map((n) => h('td', { className: 'num' }, n))))),
    ));
  }

  /** R-22/R-25: tasks UBND assigned, counted apart from dossiers; and what each figure counts. */
  function drawTasks() {
    if (!report) return;
    clear(tasksBox);
    const rows = report.agencies.filter((a) => a.tasks.assigned > 0);
    tasksBox.append(rows.length
      ? h('table', { id: 'report-tasks', tabindex: '0' },
        h('thead', {}, h('tr', {}, [t('reports.col.agency'), t('reports.col.tasksAssigned'), t('reports.col.onTime'), t('reports.col.late'), t('reports.col.overdue'), t('reports.col.open'), t('reports.col.rate')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows.map((f) => h('tr', { 'data-agency': f.agencyCode },
          h('th', { scope: 'row' }, `${f.agencyCode} · ${f.agencyName}`),
          h('td', { className: 'num' }, f.tasks.assigned),
          h('td', { className: 'num' }, f.tasks.doneOnTime),
          h('td', { className: 'num' }, f.tasks.doneLate),
          h('td', { className: 'num' }, f.tasks.overdueOpen ? h('span', { className: 'badge overdue' }, `⚠ ${f.tasks.overdueOpen}`) : '0'),
          h('td', { className: 'num' }, f.tasks.open),
          h('td', { className: 'num' }, pct(f.tasks.onTimeRate))))))
      : h('p', { className: 'muted' }, t('reports.tasksNone')));
    clear(definitionsBox);
    for (const text of Object.values(report.definitions)) definitionsBox.append(h('li', {}, text));
  }

  async function load() {
    try {
      report = await get<Report>(`/api/reports/agencies${qs({ year })}`);
      csv.setAttribute('href', `/api/reports/agencies${qs({ year, format: 'csv' })}`);
      drawChart();
      drawTable();
      drawHeads();
      drawTasks();
    } catch (e) {
      clear(tableBox);
      tableBox.append(errorBox(e));
    }
  }
  yearSel.addEventListener('change', () => {
    year = Number(yearSel.value);
    history.replaceState(null, '', `/reports?year=${year}`);
    void load();
  });
  activeOnly.addEventListener('change', drawTable);
  await load();
}

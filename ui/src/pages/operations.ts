/** Operations: open incidents with their error and a retry; the heatmap of a process version. */
import { h, clear, announce } from '../dom.ts';
import { get, post, type DefinitionList, type IncidentList } from '../api.ts';
import { t, code, fmtDate, fmtDuration } from '../i18n.ts';
import { can, me } from '../session.ts';
import type { PageContext } from '../router.ts';
import { errorBox, table } from '../util.ts';
import type { ActivityStat, Mode } from '../bpmn/heatmap.ts';

const namesOf = new Map<string, Promise<Map<string, string>>>();
/** The names of a version's activities, read from its diagram (the engine's incidents carry only ids). */
function activityNames(definitionId: string | null): Promise<Map<string, string>> {
  if (!definitionId) return Promise.resolve(new Map());
  let p = namesOf.get(definitionId);
  if (!p) {
    p = get<{ xml: string }>(`/api/process-definitions/${encodeURIComponent(definitionId)}/xml`)
      .then(({ xml }) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        return new Map([...doc.getElementsByTagName('*')].filter((e) => e.getAttribute('id') && e.getAttribute('name')).map((e) => [e.getAttribute('id')!, e.getAttribute('name')!]));
      })
      .catch(() => new Map<string, string>());
    namesOf.set(definitionId, p);
  }
  return p;
}

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const user = me();
  root.append(h('h1', {}, t('ops.title')));
  if (can.operate(user)) {
    const box = h('div', { id: 'incidents' });
    root.append(h('h2', {}, t('ops.incidents')), box);
    const load = async () => {
      try {
        const { items } = await get<IncidentList>('/api/incidents');
        const names = await Promise.all(items.map((i) => activityNames(i.processDefinitionId).then((m) => m.get(i.activityId))));
        clear(box);
        box.append(items.length
          ? table([t('col.when'), t('tasks.col.dossier'), t('col.activity'), t('col.type'), t('col.message'), t('col.actions')], items.map((i, n) =>
            h('tr', { 'data-incident': i.id }, h('td', { className: 'nowrap' }, fmtDate(i.at)),
              h('td', {}, i.dossierId ? h('a', { href: `/dossiers/${i.dossierId}` }, i.dossierId) : h('span', { className: 'muted' }, `${t('ops.instance')} ${i.processInstanceId.slice(0, 8)}`)),
              h('td', {}, names[n] ?? i.activityId, names[n] ? h('span', { className: 'muted' }, ` (${i.activityId})`) : null),
              h('td', {}, h('span', { className: 'badge overdue' }, '⚠ ', code('incidentType', i.type))),
              h('td', {}, i.message ?? '—'),
              h('td', {}, h('button', { type: 'button', 'aria-label': `${t('ops.retry')}: ${names[n] ?? i.activityId}`, onclick: () => void post(`/api/incidents/${i.id}/retry`).then(() => (announce(t('ops.retried'), 'success'), load()), (e: Error) => announce(e.message, 'error')) }, t('ops.retry'))))), t('ops.incidents'))
          : h('p', {}, t('ops.noIncidents')));
      } catch (e) {
        clear(box);
        box.append(errorBox(e));
      }
    };
    await load();
  }
  if (!can.statistics(user)) return;
  const { definitions } = await get<DefinitionList>('/api/process-definitions');
  const defSel = h('select', { id: 'ops-def' }, definitions.map((d) => h('option', { value: d.id }, `${d.name ?? d.key} — ${t('designer.version', { v: d.version })}`)));
  const modeSel = h('select', { id: 'ops-mode' }, h('option', { value: 'count' }, t('ops.byCount')), h('option', { value: 'duration' }, t('ops.byDuration')), h('option', { value: 'overdue' }, t('ops.byOverdue')));
  const canvas = h('div', { className: 'diagram', id: 'heatmap', role: 'region', 'aria-label': t('ops.heatmap') });
  const statsTable = h('div', {});
  root.append(h('h2', {}, t('ops.heatmap')),
    h('div', { className: 'toolbar' }, h('div', { className: 'field' }, h('label', { for: 'ops-def' }, t('ops.definition')), defSel), h('div', { className: 'field' }, h('label', { for: 'ops-mode' }, t('ops.by')), modeSel)),
    canvas, statsTable);
  const { Heatmap } = await import('../bpmn/heatmap.ts');
  const map = new Heatmap(canvas);
  ctx.onCleanup(() => map.destroy());
  let stats: ActivityStat[] = [];
  const label = (s: ActivityStat) => [s.instances ? t('ops.waiting', { n: s.instances }) : '', s.avgDurationMs !== null ? t('ops.avg', { d: fmtDuration(s.avgDurationMs) }) : '', s.overdue ? `⚠ ${t('ops.overdueN', { n: s.overdue })}` : ''].filter(Boolean).join(' · ');
  const draw = () => map.show(stats, modeSel.value as Mode, label);
  const load = async () => {
    const id = defSel.value;
    if (!id) return;
    const [{ xml }, r] = await Promise.all([get<{ xml: string }>(`/api/process-definitions/${encodeURIComponent(id)}/xml`), get<{ activities: ActivityStat[] }>(`/api/process-definitions/${encodeURIComponent(id)}/statistics`)]);
    stats = r.activities;
    const names = await activityNames(id);
    await map.open(xml);
    draw();
    clear(statsTable);
    statsTable.append(table([t('col.activity'), t('ops.byCount'), t('ops.byDuration'), t('ops.byOverdue'), t('detail.incidents')], stats.map((s) =>
      h('tr', {}, h('td', {}, names.get(s.activityId.replace(/#multiInstanceBody$/, '')) ?? s.activityId), h('td', { className: 'num' }, s.instances), h('td', { className: 'num' }, fmtDuration(s.avgDurationMs)), h('td', { className: 'num' }, s.overdue), h('td', { className: 'num' }, s.incidents)))));
  };
  defSel.addEventListener('change', () => void load());
  modeSel.addEventListener('change', draw);
  await load().catch((e: unknown) => statsTable.append(errorBox(e)));
}

/** Dossiers the user may see: filters (agency, status, step, overdue, text), counts, paging. */
import { h, append, clear } from '../dom.ts';
import { get, qs, type DossierPage, type DossierSteps } from '../api.ts';
import { t, code, codeValues } from '../i18n.ts';
import { can, me } from '../session.ts';
import { onLive, debounce } from '../live.ts';
import type { PageContext } from '../router.ts';
import { dueCell, errorBox, table } from '../util.ts';
import { agencies } from '../agencies.ts';

type Steps = DossierSteps;

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const user = me();
  const q = ctx.query;
  const state = { agency: q.get('agency') ?? '', status: q.get('status') ?? '', step: q.get('step') ?? '', overdue: q.get('overdue') === 'true', q: q.get('q') ?? '', page: Number(q.get('page') ?? 1) || 1 };
  const pageSize = 50;
  const [agencyList, steps] = await Promise.all([agencies(), get<Steps>('/api/dossier-steps').catch(() => ({ steps: [] }) as Steps)]);

  const agencySel = h('select', { id: 'f-agency', name: 'agency' }, h('option', { value: '' }, t('dossiers.f.any')), agencyList.map((a) => h('option', { value: a.code, selected: a.code === state.agency }, `${a.code} · ${a.name}`)));
  const statusSel = h('select', { id: 'f-status', name: 'status' }, h('option', { value: '' }, t('dossiers.f.any')), codeValues('status').map((s) => h('option', { value: s, selected: s === state.status }, code('status', s))));
  const stepSel = h('select', { id: 'f-step', name: 'step' }, h('option', { value: '' }, t('dossiers.f.any')), steps.steps.map((s) => h('option', { value: s.activityId, selected: s.activityId === state.step }, `${s.name ?? s.activityId} (${s.dossierIds.length})`)));
  const overdueBox = h('input', { id: 'f-overdue', type: 'checkbox', name: 'overdue', checked: state.overdue });
  const text = h('input', { id: 'f-q', type: 'search', name: 'q', value: state.q });
  const form = h('form', { className: 'toolbar card', role: 'search' },
    h('div', { className: 'field' }, h('label', { for: 'f-q' }, t('dossiers.f.text')), text),
    h('div', { className: 'field' }, h('label', { for: 'f-agency' }, t('dossiers.f.agency')), agencySel),
    h('div', { className: 'field' }, h('label', { for: 'f-status' }, t('dossiers.f.status')), statusSel),
    h('div', { className: 'field' }, h('label', { for: 'f-step' }, t('dossiers.f.step')), stepSel),
    h('div', { className: 'field' }, h('label', { className: 'check', for: 'f-overdue' }, overdueBox, t('dossiers.f.overdue'))),
    h('button', { type: 'submit', className: 'primary' }, t('dossiers.filter')),
    h('button', { type: 'button', onclick: () => { agencySel.value = ''; statusSel.value = ''; stepSel.value = ''; overdueBox.checked = false; text.value = ''; apply(1); } }, t('dossiers.reset')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply(1);
  });
  const counts = h('p', { className: 'muted', 'aria-live': 'polite' });
  const list = h('div', { 'aria-busy': 'true' });
  append(root, [
    h('h1', {}, t('dossiers.title')),
    can.createDossier(user) ? h('p', {}, h('a', { href: '/dossiers/new', className: 'button' }, `+ ${t('dossiers.new')}`)) : null,
    form,
    counts,
    list,
  ]);

  function apply(page: number) {
    Object.assign(state, { agency: agencySel.value, status: statusSel.value, step: stepSel.value, overdue: overdueBox.checked, q: text.value.trim(), page });
    history.replaceState(null, '', `/dossiers${qs({ agency: state.agency, status: state.status, step: state.step, overdue: state.overdue ? 'true' : '', q: state.q, page: page > 1 ? page : '' })}`);
    void load();
  }

  async function load() {
    list.setAttribute('aria-busy', 'true');
    try {
      const base = { agency: state.agency, status: state.status, q: state.q };
      const stepIds = state.step ? new Set(steps.steps.find((s) => s.activityId === state.step)?.dossierIds ?? []) : null;
      // With a step chosen, the step's dossiers are filtered here (the list API has no step parameter).
      const [r, overdue] = await Promise.all([
        get<DossierPage>(`/api/dossiers${qs({ ...base, overdue: state.overdue ? 'true' : '', page: stepIds ? 1 : state.page, pageSize: stepIds ? 200 : pageSize })}`),
        get<DossierPage>(`/api/dossiers${qs({ ...base, overdue: 'true', pageSize: 1 })}`),
      ]);
      const items = stepIds ? r.items.filter((d) => stepIds.has(d.id)) : r.items;
      const total = stepIds ? items.length : r.total;
      clear(list);
      // Past the server's cap a list says "more than n" rather than counting every row.
      const capped = !stepIds && !!r.totalCapped;
      counts.textContent = `${t(capped ? 'dossiers.countMore' : 'dossiers.count', { n: total })} · ${t(overdue.totalCapped ? 'dossiers.overdueCountMore' : 'dossiers.overdueCount', { n: overdue.total })}`;
      if (!items.length) {
        list.append(h('p', {}, t('dossiers.empty')));
        return;
      }
      list.append(
        table(
          [t('dossiers.col.id'), t('dossiers.col.subject'), t('dossiers.col.agency'), t('dossiers.col.status'), t('dossiers.col.due'), t('dossiers.col.round')],
          items.map((d) =>
            h('tr', { 'data-dossier': d.id },
              h('td', { className: 'nowrap' }, h('a', { href: `/dossiers/${d.id}` }, d.id)),
              h('td', {}, d.subject),
              h('td', {}, d.leadAgencyCode),
              h('td', {}, code('status', d.status)),
              h('td', {}, dueCell(d.dueAt, d.overdue)),
              h('td', { className: 'num' }, d.round),
            ),
          ),
          t('dossiers.title'),
        ),
      );
      const known = Math.max(1, Math.ceil(total / pageSize));
      const pages = capped ? Math.max(known, state.page + (items.length === pageSize ? 1 : 0)) : known;
      if (!stepIds && pages > 1) {
        const n = capped ? `${pages}+` : pages;
        list.append(h('nav', { className: 'toolbar', 'aria-label': t('dossiers.page', { p: state.page, n }) },
          h('button', { type: 'button', disabled: state.page <= 1, onclick: () => apply(state.page - 1) }, t('dossiers.prev')),
          h('span', {}, t('dossiers.page', { p: state.page, n })),
          h('button', { type: 'button', disabled: state.page >= pages, onclick: () => apply(state.page + 1) }, t('dossiers.next')),
        ));
      }
    } catch (e) {
      clear(list);
      list.append(errorBox(e));
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }
  ctx.onCleanup(onLive(debounce(() => void load(), 500)));
  await load();
}

/** My tasks and my groups' tasks, with saved filters, due dates first, claim and unclaim. */
import { h, clear, announce } from '../dom.ts';
import { get, post, qs } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';
import { me } from '../session.ts';
import { onLive, debounce } from '../live.ts';
import type { PageContext } from '../router.ts';
import { navigate } from '../router.ts';
import { dueCell, endOfWeek, errorBox, table } from '../util.ts';

export type TaskItem = { id: string; name: string | null; taskDefinitionKey: string; dossierId: string | null; due: string | null; assignee: string | null; overdue: boolean; created: string };
type TaskList = { total: number; totalCapped?: boolean; items: TaskItem[] };

const FILTERS = ['all', 'mine', 'group', 'overdue', 'week'] as const;
type Filter = (typeof FILTERS)[number];

function query(f: Filter): Record<string, string> {
  switch (f) {
    case 'mine':
      return { scope: 'mine' };
    case 'group':
      return { scope: 'group' };
    case 'overdue':
      return { scope: 'all', overdue: 'true' };
    case 'week':
      return { scope: 'all', dueBefore: endOfWeek().toISOString() };
    default:
      return { scope: 'all' };
  }
}

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const user = me();
  let filter: Filter = (FILTERS as readonly string[]).includes(ctx.query.get('f') ?? '') ? (ctx.query.get('f') as Filter) : 'all';
  const counts = new Map<Filter, HTMLElement>();
  const tabs = h(
    'div',
    { className: 'tabs', role: 'group', 'aria-label': t('tasks.filters') },
    FILTERS.map((f) => {
      const c = h('span', { className: 'count' }, '');
      counts.set(f, c);
      return h(
        'button',
        { type: 'button', 'data-filter': f, 'aria-pressed': String(f === filter), onclick: () => select(f) },
        t(`tasks.f.${f}` as 'tasks.f.all'),
        c,
      );
    }),
  );
  const listBox = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' });
  const summary = h('p', { className: 'muted' });
  root.append(h('h1', {}, t('tasks.title')), tabs, summary, listBox);

  function select(f: Filter) {
    filter = f;
    for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.filter === f));
    history.replaceState(null, '', f === 'all' ? '/tasks' : `/tasks?f=${f}`);
    void load();
  }

  async function act(task: TaskItem, action: 'claim' | 'unclaim') {
    try {
      await post(`/api/tasks/${task.id}/${action}`);
      announce(t(action === 'claim' ? 'tasks.claimed' : 'tasks.unclaimed'), 'success');
    } catch (e) {
      announce(e instanceof Error ? e.message : String(e), 'error');
    }
    await load();
    void loadCounts();
  }

  function row(task: TaskItem): HTMLElement {
    const mine = task.assignee === user.id;
    return h(
      'tr',
      { 'data-task': task.id, 'data-step': task.taskDefinitionKey, className: task.overdue ? 'overdue' : '' },
      h('td', {}, h('a', { href: `/tasks/${task.id}` }, task.name ?? task.taskDefinitionKey)),
      h('td', {}, task.dossierId ? h('a', { href: `/dossiers/${task.dossierId}` }, task.dossierId) : '—'),
      h('td', {}, dueCell(task.due, task.overdue)),
      h('td', {}, task.assignee ? (mine ? t('tasks.me') : task.assignee) : h('span', { className: 'muted' }, t('tasks.unassigned'))),
      h(
        'td',
        { className: 'nowrap' },
        !task.assignee ? h('button', { type: 'button', onclick: () => void act(task, 'claim'), 'aria-label': `${t('tasks.claim')}: ${task.name ?? ''} ${task.dossierId ?? ''}` }, t('tasks.claim')) : null,
        mine ? h('button', { type: 'button', onclick: () => void act(task, 'unclaim'), 'aria-label': `${t('tasks.unclaim')}: ${task.name ?? ''} ${task.dossierId ?? ''}` }, t('tasks.unclaim')) : null,
        ' ',
        h('button', { type: 'button', className: 'primary', onclick: () => navigate(`/tasks/${task.id}`), 'aria-label': `${t('tasks.open')}: ${task.name ?? ''} ${task.dossierId ?? ''}` }, t('tasks.open')),
      ),
    );
  }

  const countText = (l: TaskList) => (l.totalCapped ? `${l.total}+` : String(l.total));

  let seq = 0;
  async function load() {
    const mySeq = ++seq;
    listBox.setAttribute('aria-busy', 'true');
    try {
      const list = await get<TaskList>(`/api/tasks${qs({ ...query(filter), pageSize: 100 })}`);
      if (mySeq !== seq) return;
      clear(listBox);
      // Past the server's cap the count says "more than" rather than counting every open task.
      summary.textContent = t(list.totalCapped ? 'tasks.countMore' : 'tasks.count', { n: list.total });
      counts.get(filter)!.textContent = countText(list);
      listBox.append(
        list.items.length
          ? table([t('tasks.col.task'), t('tasks.col.dossier'), t('tasks.col.due'), t('tasks.col.assignee'), t('tasks.col.actions')], list.items.map(row), t('tasks.title'))
          : h('p', {}, t('tasks.empty')),
      );
      listBox.dataset.loadedAt = fmtDate(new Date().toISOString());
    } catch (e) {
      clear(listBox);
      listBox.append(errorBox(e));
    } finally {
      if (mySeq === seq) listBox.setAttribute('aria-busy', 'false');
    }
  }

  async function loadCounts() {
    await Promise.all(
      FILTERS.filter((f) => f !== filter).map(async (f) => {
        const r = await get<TaskList>(`/api/tasks${qs({ ...query(f), pageSize: 1 })}`).catch(() => null);
        if (r) counts.get(f)!.textContent = countText(r);
      }),
    );
  }

  const refresh = debounce(() => {
    void load();
    void loadCounts();
  }, 300);
  ctx.onCleanup(onLive((e) => (e.type === 'task' || e.action === 'MOVED' ? refresh() : undefined)));
  // The page shows as soon as the list is there; counts follow.
  await load();
  void loadCounts();
}

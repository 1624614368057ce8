/** My tasks and my groups' tasks, with saved filters, told apart by their dossier, sortable (due dates first), claim and unclaim. */
import { h, clear, announce } from '../dom.ts';
import { get, post, qs, type TaskListItem, type TaskPage } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';
import { me } from '../session.ts';
import { onLive, debounce } from '../live.ts';
import type { PageContext } from '../router.ts';
import { navigate } from '../router.ts';
import { dueCell, endOfWeek, errorBox } from '../util.ts';

/** A task as listed; its subject as the server's presenter shows it to this user (a neutral text on a secret dossier they may not read). */
export type TaskItem = TaskListItem;
type TaskList = TaskPage;

const FILTERS = ['all', 'mine', 'group', 'overdue', 'week'] as const;
type Filter = (typeof FILTERS)[number];

/** The sortable columns and the value each sorts by (no value last). */
const SORTS = {
  task: (x: TaskItem) => x.name ?? x.taskDefinitionKey,
  subject: (x: TaskItem) => x.subject,
  lead: (x: TaskItem) => x.leadAgencyName,
  requestedBy: (x: TaskItem) => x.requestedBy,
  due: (x: TaskItem) => x.due,
} as const;
type SortKey = keyof typeof SORTS;
const collator = new Intl.Collator('vi');

function sorted(items: TaskItem[], key: SortKey, dir: 1 | -1): TaskItem[] {
  const value = SORTS[key];
  return [...items].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return dir * (key === 'due' ? Date.parse(x) - Date.parse(y) : collator.compare(x, y));
  });
}

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
  let items: TaskItem[] = [];
  let sortKey: SortKey = 'due';
  let sortDir: 1 | -1 = 1;
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
      h('td', { 'data-col': 'subject' }, task.subject ?? '—'),
      h('td', { 'data-col': 'lead' }, task.leadAgencyName ?? '—'),
      h('td', { 'data-col': 'requestedBy' }, task.requestedBy ?? '—'),
      h('td', { 'data-col': 'due' }, dueCell(task.due, task.overdue)),
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

  /** A column header; the sortable ones are buttons that sort the list and say how it is sorted. */
  function header(label: string, key?: SortKey): HTMLElement {
    if (!key) return h('th', { scope: 'col' }, label);
    const active = key === sortKey;
    return h(
      'th',
      { scope: 'col', 'aria-sort': active ? (sortDir === 1 ? 'ascending' : 'descending') : 'none' },
      h(
        'button',
        {
          type: 'button',
          className: 'link sort',
          'data-sort': key,
          title: t('tasks.sortBy', { col: label }),
          onclick: () => {
            sortDir = active ? (sortDir === 1 ? -1 : 1) : 1;
            sortKey = key;
            show();
          },
        },
        label,
        active ? (sortDir === 1 ? ' ▲' : ' ▼') : '',
      ),
    );
  }

  function show(): void {
    clear(listBox);
    if (items.length === 0) {
      listBox.append(
        h(
          'div',
          { className: 'empty card', 'data-empty': 'true' },
          h('p', {}, h('strong', {}, t('tasks.empty'))),
          h('p', {}, t('tasks.emptyNext')),
          h(
            'p',
            { className: 'toolbar' },
            filter !== 'group' ? h('button', { type: 'button', onclick: () => select('group') }, t('tasks.toGroup')) : null,
            h('a', { href: '/dossiers' }, t('tasks.toDossiers')),
          ),
        ),
      );
      return;
    }
    const tbl = h(
      'table',
      { className: 'tasks' },
      h('caption', { className: 'sr-only' }, t('tasks.title')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          header(t('tasks.col.task'), 'task'),
          header(t('tasks.col.dossier')),
          header(t('tasks.col.subject'), 'subject'),
          header(t('tasks.col.lead'), 'lead'),
          header(t('tasks.col.requestedBy'), 'requestedBy'),
          header(t('tasks.col.due'), 'due'),
          header(t('tasks.col.assignee')),
          header(t('tasks.col.actions')),
        ),
      ),
      h('tbody', {}, sorted(items, sortKey, sortDir).map(row)),
    );
    listBox.append(h('div', { className: 'table-scroll' }, tbl));
  }

  let seq = 0;
  async function load() {
    const mySeq = ++seq;
    listBox.setAttribute('aria-busy', 'true');
    try {
      const list = await get<TaskList>(`/api/tasks${qs({ ...query(filter), pageSize: 100 })}`);
      if (mySeq !== seq) return;
      // Past the server's cap the count says "more than" rather than counting every open task.
      summary.textContent = t(list.totalCapped ? 'tasks.countMore' : 'tasks.count', { n: list.total });
      counts.get(filter)!.textContent = countText(list);
      items = list.items;
      show();
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

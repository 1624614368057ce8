/** Small shared pieces of the pages. */
import { h } from './dom.ts';
import { t, fmtDate } from './i18n.ts';
import { ApiError } from './api.ts';

/** A due date with overdue marked by word and icon, not by colour alone. */
export function dueCell(due: string | null | undefined, overdue: boolean): HTMLElement {
  if (!due) return h('span', { className: 'muted' }, t('tasks.noDue'));
  return h('span', { className: 'nowrap' }, fmtDate(due), ' ', overdue ? h('span', { className: 'badge overdue' }, '⚠ ', t('status.overdue')) : null);
}

/** A rule id or code as a small reference beside the human message, never as the message. */
export function ruleRef(ref: string | null | undefined): HTMLElement | null {
  return ref ? h('small', { className: 'ref' }, `(${ref})`) : null;
}

export function errorBox(e: unknown): HTMLElement {
  const msg = e instanceof ApiError ? (e.status === 0 ? t('app.network') : e.message) : e instanceof Error ? e.message : String(e);
  return h('p', { className: 'error', role: 'alert' }, `${t('app.error')}: ${msg}`);
}

/** End of the current week (Sunday 24:00, Vietnam time), for the "due this week" filter. */
export function endOfWeek(now = new Date()): Date {
  const vn = new Date(now.getTime() + 7 * 3600_000);
  const day = vn.getUTCDay();
  const daysLeft = (7 - day) % 7;
  const end = Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate() + daysLeft + 1) - 7 * 3600_000;
  return new Date(end);
}

/** A table; focusable, since on a phone it scrolls inside itself and keyboard users must reach what is out of view. */
export function table(headers: (string | HTMLElement)[], rows: HTMLElement[], caption?: string): HTMLTableElement {
  return h(
    'table',
    { tabindex: '0' },
    caption ? h('caption', { className: 'sr-only' }, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows),
  );
}

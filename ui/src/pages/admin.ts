/** Administration: agencies, users, roles and delegations, from /api/admin/* (a clear notice while the server lacks them). */
import { h, clear } from '../dom.ts';
import { ApiError, get } from '../api.ts';
import { t, code, codeValues } from '../i18n.ts';
import type { PageContext } from '../router.ts';
import { errorBox, table } from '../util.ts';

type Row = Record<string, unknown>;
const GROUP_OF: Record<string, string> = { HEAD: '<CQ>_lanhdao', ACTING_HEAD: '<CQ>_lanhdao', DEPUTY: '<CQ>_lanhdao', SPECIALIST: '<CQ>_chuyenvien', APPRAISER: '<CQ>_chuyenvien', CLERK: '<CQ>_vanthu', OFFICE_REVIEWER: 'VPUBND_chuyenvien', OFFICE_MONITOR: 'VPUBND_theodoi', UBND_LEADER: 'UBNDTINH_lanhdao', ADMIN: '—', DESIGNER: '—' };

async function section(title: string, path: string): Promise<HTMLElement> {
  const box = h('section', {}, h('h2', {}, title));
  try {
    const r = await get<{ items?: Row[] } & Record<string, unknown>>(path);
    const items = (r.items ?? Object.values(r).find(Array.isArray) ?? []) as Row[];
    const keys = [...new Set(items.slice(0, 50).flatMap((x) => Object.keys(x)))].filter((k) => !/password|hash/i.test(k)).slice(0, 8);
    box.append(items.length ? table(keys, items.map((x) => h('tr', {}, keys.map((k) => h('td', {}, typeof x[k] === 'object' ? JSON.stringify(x[k]) : String(x[k] ?? '')))))) : h('p', {}, t('app.none')));
  } catch (e) {
    box.append(e instanceof ApiError && e.status === 404 ? h('p', { className: 'badge warn', role: 'status' }, t('admin.unavailable')) : errorBox(e));
  }
  return box;
}

export async function render(root: HTMLElement, _ctx: PageContext): Promise<void> {
  const roles = h('section', {}, h('h2', {}, t('admin.roles')),
    table([t('col.code'), t('col.name'), t('admin.group')], codeValues('role').filter((r) => r !== 'SYSTEM').map((r) => h('tr', {}, h('td', {}, r), h('td', {}, code('role', r)), h('td', {}, GROUP_OF[r] ?? '—')))));
  const parts = await Promise.all([section(t('admin.agencies'), '/api/admin/agencies'), section(t('admin.users'), '/api/admin/users'), section(t('admin.delegations'), '/api/admin/delegations')]);
  clear(root);
  root.append(h('h1', {}, t('admin.title')), ...parts.slice(0, 2), roles, parts[2]!);
}

/** Administration: agencies and users (create, edit, reset password), the roles, every delegation, the reference data. */
import { h, clear, announce } from '../dom.ts';
import { api, get, post, qs, type Agency, type UserRecord } from '../api.ts';
import { t, code, codeValues } from '../i18n.ts';
import type { PageContext } from '../router.ts';
import { errorBox, table } from '../util.ts';
import { field, showErrors, clearErrors } from '../fields.ts';
import { resetAgencies } from '../agencies.ts';
import { delegationTable, type Delegation } from './delegations.ts';
import { calendarSection } from './admin-calendar.ts';
import { referenceDataSection } from './admin-reference-data.ts';

export type AgencyRow = Agency;
export type UserRow = UserRecord;

const GROUP_OF: Record<string, string> = { HEAD: '<CQ>_lanhdao', ACTING_HEAD: '<CQ>_lanhdao', DEPUTY: '<CQ>_lanhdao', SPECIALIST: '<CQ>_chuyenvien', APPRAISER: '<CQ>_chuyenvien', CLERK: '<CQ>_vanthu', OFFICE_REVIEWER: 'VPUBND_chuyenvien', OFFICE_MONITOR: 'VPUBND_theodoi', UBND_LEADER: 'UBNDTINH_lanhdao', ADMIN: '—', DESIGNER: '—' };
const ROLES = codeValues('role').filter((r) => r !== 'SYSTEM');
const splitList = (s: string) => s.split(/[,;\n]/).map((x) => x.trim()).filter(Boolean);
const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);

/** Errors next to the fields, the rest in the form's alert. */
function fail(form: HTMLFormElement, alert: HTMLElement, e: unknown): void {
  const rest = showErrors(form, e);
  alert.textContent = rest.join(' ');
  alert.hidden = rest.length === 0;
}

function agenciesSection(list: AgencyRow[], onChange: () => void): HTMLElement {
  let editing: AgencyRow | null = null;
  const codeIn = h('input', { name: 'code', required: true, autocomplete: 'off', maxlength: 32 });
  const abbr = h('input', { name: 'symbolAbbr', required: true, maxlength: 20 });
  const name = h('input', { name: 'name', required: true, maxlength: 200 });
  const type = h('select', { name: 'type' }, codeValues('agencyType').map((v) => h('option', { value: v }, code('agencyType', v))));
  const fields = h('input', { name: 'fields', maxlength: 4000 });
  const parent = h('select', { name: 'parentCode' }, h('option', { value: '' }, t('app.none')), list.map((a) => h('option', { value: a.code }, `${a.code} · ${a.name}`)));
  const ubnd = h('input', { type: 'checkbox', name: 'headIsUbndMember' });
  const legend = h('legend', {});
  const alert = h('p', { className: 'error', role: 'alert', hidden: true });
  const cancel = h('button', { type: 'button', hidden: true }, t('app.cancel'));
  const form = h('form', { id: 'agency-form', novalidate: true },
    h('fieldset', {}, legend, alert,
      h('div', { className: 'grid2' },
        field(t('col.code'), codeIn, t('admin.codeHint')),
        field(t('admin.symbolAbbr'), abbr, t('admin.symbolHint')),
        field(t('col.name'), name),
        field(t('col.type'), type),
        field(t('admin.fields'), fields, t('admin.fieldsHint')),
        field(t('admin.parent'), parent),
      ),
      field(t('admin.headIsUbndMember'), ubnd),
      h('div', { className: 'toolbar' }, h('button', { type: 'submit', className: 'primary' }, t('app.save')), cancel)));

  function edit(a: AgencyRow | null) {
    editing = a;
    clearErrors(form);
    alert.hidden = true;
    legend.textContent = a ? t('admin.editAgency', { code: a.code }) : t('admin.newAgency');
    codeIn.value = a?.code ?? '';
    codeIn.disabled = !!a;
    abbr.value = a?.symbolAbbr ?? '';
    name.value = a?.name ?? '';
    type.value = a?.type ?? 'SO_NGANH';
    fields.value = a?.fields.join(', ') ?? '';
    parent.value = a?.parentCode ?? '';
    for (const o of parent.options) o.disabled = !!a && o.value === a.code;
    ubnd.checked = a?.headIsUbndMember ?? false;
    cancel.hidden = !a;
    if (a) name.focus();
  }
  cancel.addEventListener('click', () => edit(null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const body = { symbolAbbr: abbr.value.trim(), name: name.value.trim(), type: type.value, fields: splitList(fields.value), parentCode: parent.value || null, headIsUbndMember: ubnd.checked };
      try {
        if (editing) await patch(`/api/admin/agencies/${encodeURIComponent(editing.code)}`, body);
        else await post('/api/admin/agencies', { code: codeIn.value.trim(), ...body });
        announce(t('admin.saved'), 'success');
        resetAgencies();
        onChange();
      } catch (err) {
        fail(form, alert, err);
      }
    })();
  });
  edit(null);

  const rows = list.map((a) => h('tr', { 'data-agency': a.code },
    h('td', {}, a.code), h('td', {}, a.symbolAbbr), h('td', {}, a.name), h('td', {}, code('agencyType', a.type)),
    h('td', {}, a.fields.join(', ') || '—'), h('td', {}, a.parentCode ?? '—'), h('td', {}, a.headUserId ?? '—'),
    h('td', {}, a.headIsUbndMember ? t('app.yes') : t('app.no')),
    h('td', {}, h('button', { type: 'button', 'aria-label': `${t('admin.edit')}: ${a.code}`, onclick: () => edit(a) }, t('admin.edit')))));
  return h('section', { 'aria-labelledby': 'h-agencies' }, h('h2', { id: 'h-agencies' }, t('admin.agencies')), form,
    h('div', { className: 'scroll' }, table([t('col.code'), t('admin.symbolAbbr'), t('col.name'), t('col.type'), t('admin.fields'), t('admin.parent'), t('admin.head'), t('admin.ubndMemberShort'), t('col.actions')], rows, t('admin.agencies'))));
}

function usersSection(agencyList: AgencyRow[]): HTMLElement {
  let editing: UserRow | null = null;
  const agencyOptions = () => agencyList.map((a) => h('option', { value: a.code }, `${a.code} · ${a.name}`));
  const username = h('input', { name: 'username', required: true, autocomplete: 'off', maxlength: 64 });
  const fullName = h('input', { name: 'fullName', required: true, maxlength: 200 });
  const agency = h('select', { name: 'agencyCode' }, agencyOptions());
  const position = h('input', { name: 'position', required: true, maxlength: 100 });
  const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r }, code('role', r))));
  const clearance = h('select', { name: 'clearance' }, codeValues('secrecy').map((s) => h('option', { value: s }, code('secrecy', s))));
  const active = h('input', { type: 'checkbox', name: 'active', checked: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', maxlength: 200 });
  const legend = h('legend', {});
  const alert = h('p', { className: 'error', role: 'alert', hidden: true });
  const cancel = h('button', { type: 'button', hidden: true }, t('app.cancel'));
  const activeField = field(t('admin.active'), active);
  const passwordField = field(t('auth.password'), password, t('admin.passwordHint'));
  const usernameField = field(t('auth.username'), username, t('admin.usernameHint'));
  const form = h('form', { id: 'user-form', novalidate: true },
    h('fieldset', {}, legend, alert,
      h('div', { className: 'grid2' }, usernameField, field(t('admin.fullName'), fullName), field(t('col.agency'), agency), field(t('admin.position'), position),
        field(t('col.role'), role), field(t('admin.clearance'), clearance), passwordField),
      activeField,
      h('div', { className: 'toolbar' }, h('button', { type: 'submit', className: 'primary' }, t('app.save')), cancel)));

  // Resetting a password: its own small form, shown while a user is being edited.
  const newPass = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', maxlength: 200 });
  const resetAlert = h('p', { className: 'error', role: 'alert', hidden: true });
  const resetLegend = h('legend', {});
  const resetForm = h('form', { id: 'password-form', novalidate: true, hidden: true },
    h('fieldset', {}, resetLegend, resetAlert, field(t('admin.newPassword'), newPass, t('admin.passwordHint')),
      h('button', { type: 'submit' }, t('admin.resetPassword'))));

  function edit(u: UserRow | null) {
    editing = u;
    clearErrors(form);
    clearErrors(resetForm);
    alert.hidden = true;
    resetAlert.hidden = true;
    legend.textContent = u ? t('admin.editUser', { id: u.id }) : t('admin.newUser');
    username.value = u?.username ?? '';
    usernameField.hidden = !!u;
    fullName.value = u?.fullName ?? '';
    agency.value = u?.agencyCode ?? agencyList[0]?.code ?? '';
    position.value = u?.position ?? '';
    role.value = u?.role ?? 'SPECIALIST';
    clearance.value = u?.clearance ?? 'NONE';
    active.checked = u?.active ?? true;
    activeField.hidden = !u;
    password.value = '';
    passwordField.hidden = !!u;
    cancel.hidden = !u;
    resetForm.hidden = !u;
    resetLegend.textContent = u ? t('admin.resetFor', { id: u.id }) : '';
    newPass.value = '';
    (u ? fullName : username).focus();
  }
  cancel.addEventListener('click', () => edit(null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const common = { fullName: fullName.value.trim(), agencyCode: agency.value, position: position.value.trim(), role: role.value, clearance: clearance.value };
      try {
        if (editing) await patch(`/api/admin/users/${encodeURIComponent(editing.id)}`, { ...common, active: active.checked });
        else await post('/api/admin/users', { username: username.value.trim(), ...common, password: password.value });
        announce(t('admin.saved'), 'success');
        const id = editing?.id ?? username.value.trim();
        edit(null);
        search.value = id;
        await load();
      } catch (err) {
        fail(form, alert, err);
      }
    })();
  });
  resetForm.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!editing) return;
    const who = editing.id;
    void (async () => {
      try {
        await post(`/api/admin/users/${encodeURIComponent(who)}/password`, { password: newPass.value });
        clearErrors(resetForm);
        resetAlert.hidden = true;
        newPass.value = '';
        announce(t('admin.passwordReset', { id: who }), 'success');
      } catch (err) {
        fail(resetForm, resetAlert, err);
      }
    })();
  });

  const filterAgency = h('select', { id: 'users-agency' }, h('option', { value: '' }, t('dossiers.f.any')), agencyOptions());
  const search = h('input', { id: 'users-q', type: 'search' });
  const filter = h('form', { className: 'toolbar', role: 'search', 'aria-label': t('admin.users') },
    h('div', { className: 'field' }, h('label', { for: 'users-q' }, t('admin.searchUsers')), search),
    h('div', { className: 'field' }, h('label', { for: 'users-agency' }, t('col.agency')), filterAgency),
    h('button', { type: 'submit' }, t('dossiers.filter')));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  const listBox = h('div', { id: 'users', 'aria-busy': 'true' });
  async function load() {
    listBox.setAttribute('aria-busy', 'true');
    try {
      const r = await get<{ total: number; items: UserRow[] }>(`/api/admin/users${qs({ agency: filterAgency.value, q: search.value.trim(), pageSize: 200 })}`);
      clear(listBox);
      listBox.append(h('p', { className: 'muted' }, t('admin.userCount', { n: r.total })),
        h('div', { className: 'scroll' }, table([t('auth.username'), t('admin.fullName'), t('col.agency'), t('admin.position'), t('col.role'), t('admin.clearance'), t('col.status'), t('col.actions')], r.items.map((u) =>
          h('tr', { 'data-user': u.id },
            h('td', {}, u.username), h('td', {}, u.fullName), h('td', {}, u.agencyCode), h('td', {}, u.position), h('td', {}, code('role', u.role)), h('td', {}, code('secrecy', u.clearance)),
            h('td', {}, u.active ? h('span', { className: 'badge ok' }, `✓ ${t('admin.activeYes')}`) : h('span', { className: 'badge muted' }, `✗ ${t('admin.activeNo')}`)),
            h('td', {}, h('button', { type: 'button', 'aria-label': `${t('admin.edit')}: ${u.username}`, onclick: () => edit(u) }, t('admin.edit'))))), t('admin.users'))));
    } catch (e) {
      clear(listBox);
      listBox.append(errorBox(e));
    } finally {
      listBox.setAttribute('aria-busy', 'false');
    }
  }
  edit(null);
  void load();
  return h('section', { 'aria-labelledby': 'h-users' }, h('h2', { id: 'h-users' }, t('admin.users')), form, resetForm, filter, listBox);
}

export async function render(root: HTMLElement, _ctx: PageContext): Promise<void> {
  const agencyBox = h('div', { id: 'agencies' });
  const usersBox = h('div', {});
  const delegationsBox = h('section', { 'aria-labelledby': 'h-delegations' }, h('h2', { id: 'h-delegations' }, t('admin.delegations')));
  const roles = h('section', { 'aria-labelledby': 'h-roles' }, h('h2', { id: 'h-roles' }, t('admin.roles')),
    h('div', { className: 'scroll' }, table([t('col.code'), t('col.name'), t('admin.group')], ROLES.map((r) => h('tr', {}, h('td', {}, r), h('td', {}, code('role', r)), h('td', {}, GROUP_OF[r] ?? '—'))), t('admin.roles'))));
  root.append(h('h1', {}, t('admin.title')),
    h('nav', { className: 'toc', 'aria-label': t('admin.sections') }, h('ul', {},
      [['h-agencies', t('admin.agencies')], ['h-users', t('admin.users')], ['h-roles', t('admin.roles')], ['h-delegations', t('admin.delegations')], ['h-reference', t('admin.referenceData')], ['h-calendar', t('admin.calendar')]].map(([id, label]) => h('li', {}, h('a', { href: `#${id}`, onclick: (e: Event) => (e.preventDefault(), document.getElementById(id!)?.scrollIntoView()) }, label))))),
    agencyBox, usersBox, roles, delegationsBox, referenceDataSection(), calendarSection());

  let firstLoad = true;
  const loadAgencies = async () => {
    try {
      const { items } = await get<{ items: AgencyRow[] }>('/api/admin/agencies');
      clear(agencyBox);
      agencyBox.append(agenciesSection(items, () => void loadAgencies()));
      if (firstLoad) usersBox.append(usersSection(items));
      firstLoad = false;
    } catch (e) {
      clear(agencyBox);
      agencyBox.append(errorBox(e));
    }
  };
  await loadAgencies();
  try {
    const { items } = await get<{ items: Delegation[] }>('/api/admin/delegations');
    delegationsBox.append(items.length ? delegationTable(items) : h('p', { className: 'muted' }, t('app.none')));
  } catch (e) {
    delegationsBox.append(errorBox(e));
  }
}

/** a head grants a deputy of their own agency the signing (scope, validity, reason), and revokes it. */
import { h, clear, announce } from '../dom.ts';
import { get, post, qs, type Agency, type Delegation, type UserRecord } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';
import { can, me } from '../session.ts';
import type { PageContext } from '../router.ts';
import { errorBox, table } from '../util.ts';
import { nameOf, referenceData } from '../reference-data.ts';
import { checkGroup, checkedValues, clearErrors, dateInput, field, isoInstant, showErrors, vnDateTime } from '../fields.ts';

export type { Delegation };

/** Whether a delegation is in force now, revoked, expired or not yet valid: a word and an icon, not a colour. */
function state(d: Delegation, now = Date.now()): HTMLElement {
  if (d.revokedAt) return h('span', { className: 'badge muted' }, `✗ ${t('deleg.revoked')} ${fmtDate(d.revokedAt)}`);
  if (Date.parse(d.validTo) <= now) return h('span', { className: 'badge muted' }, `◷ ${t('deleg.expired')}`);
  if (Date.parse(d.validFrom) > now) return h('span', { className: 'badge warn' }, `… ${t('deleg.pending')}`);
  return h('span', { className: 'badge ok' }, `✓ ${t('deleg.active')}`);
}

/** The delegations as a table; with `onRevoke`, the ones in force get a revoke button. */
export function delegationTable(items: Delegation[], onRevoke?: (d: Delegation) => void): HTMLElement {
  const scope = (d: Delegation) => [
    d.matterCategories.length ? `${t('deleg.categories')}: ${d.matterCategories.join(', ')}` : '',
    d.dossierIds.length ? `${t('deleg.dossiers')}: ${d.dossierIds.join(', ')}` : '',
  ].filter(Boolean).join(' · ') || t('deleg.allMatters');
  return h('div', { className: 'scroll' }, table(
    [t('col.agency'), t('deleg.grantor'), t('deleg.grantee'), t('deleg.scope'), t('deleg.validity'), t('col.reason'), t('col.status'), ...(onRevoke ? [t('col.actions')] : [])],
    items.map((d) => h('tr', { 'data-delegation': d.id, 'data-grantee': d.granteeUserId },
      h('td', {}, d.agencyCode), h('td', {}, d.grantorUserId), h('td', {}, d.granteeUserId), h('td', {}, scope(d)),
      h('td', { className: 'nowrap' }, `${fmtDate(d.validFrom)} → ${fmtDate(d.validTo)}`), h('td', {}, d.reason), h('td', { className: 'state' }, state(d)),
      onRevoke ? h('td', {}, !d.revokedAt && Date.parse(d.validTo) > Date.now()
        ? h('button', { type: 'button', 'aria-label': `${t('deleg.revoke')}: ${d.granteeUserId}`, onclick: () => onRevoke(d) }, t('deleg.revoke')) : '—') : null)),
    t('admin.delegations')));
}


export async function render(root: HTMLElement, _ctx: PageContext): Promise<void> {
  const user = me();
  root.append(h('h1', {}, t('deleg.title')), h('p', { className: 'muted' }, t('deleg.intro')));
  const listBox = h('div', { id: 'delegations' });
  const load = async () => {
    try {
      const { items } = await get<{ items: Delegation[] }>('/api/admin/delegations');
      clear(listBox);
      listBox.append(items.length ? delegationTable(items, can.delegate(user) ? (d) => void revoke(d) : undefined) : h('p', { className: 'muted' }, t('app.none')));
    } catch (e) {
      clear(listBox);
      listBox.append(errorBox(e));
    }
  };
  const revoke = async (d: Delegation) => {
    if (!confirm(t('deleg.confirmRevoke', { who: d.granteeUserId }))) return;
    try {
      await post(`/api/admin/delegations/${encodeURIComponent(d.id)}/revoke`);
      announce(t('deleg.revokedMsg', { who: d.granteeUserId }), 'success');
      await load();
    } catch (e) {
      announce(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  if (can.delegate(user)) {
    const [{ items: people }, { items: agencyList }, reference] = await Promise.all([
      get<{ items: UserRecord[] }>(`/api/admin/users${qs({ agency: user.agencyCode, role: 'DEPUTY', active: 'true', pageSize: 200 })}`),
      get<{ items: Agency[] }>('/api/admin/agencies'),
      referenceData(),
    ]);
    const categoryName = new Map(reference.matterCategories.map((c) => [c.code, nameOf(c)]));
    const own = agencyList.find((a) => a.code === user.agencyCode);
    const grantee = h('select', { name: 'granteeUserId', required: true }, h('option', { value: '' }, t('form.select')), people.map((p) => h('option', { value: p.id }, `${p.fullName} (${p.id})`)));
    const categories = checkGroup(t('deleg.categories'), 'matterCategories', (own?.fields ?? []).map((f) => ({ value: f, label: categoryName.get(f) ?? f })), t('deleg.scopeHint'));
    const dossierIds = h('input', { name: 'dossierIds', placeholder: 'HS-2026-000001, …', autocomplete: 'off' });
    const now = new Date();
    const from = dateInput({ name: 'validFrom', required: true, value: vnDateTime(now) }, true);
    const to = dateInput({ name: 'validTo', required: true, value: vnDateTime(new Date(now.getTime() + 7 * 86_400_000)) }, true);
    const reason = h('textarea', { name: 'reason', required: true, maxlength: 1000 });
    const alert = h('p', { className: 'error', role: 'alert', hidden: true });
    const form = h('form', { id: 'delegation-form', novalidate: true },
      h('fieldset', {}, h('legend', {}, t('deleg.grant')), alert,
        field(t('deleg.grantee'), grantee, t('deleg.granteeHint')),
        categories,
        field(t('deleg.dossiers'), dossierIds, t('deleg.dossiersHint')),
        h('div', { className: 'grid2' }, field(t('deleg.from'), from, t('form.dateTimeHint')), field(t('deleg.to'), to, t('form.dateTimeHint'))),
        field(t('col.reason'), reason),
        h('button', { type: 'submit', className: 'primary' }, t('deleg.grantSubmit'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        try {
          await post('/api/admin/delegations', {
            granteeUserId: grantee.value,
            matterCategories: checkedValues(form, 'matterCategories'),
            dossierIds: dossierIds.value.split(/[\s,;]+/).map((x) => x.trim().toUpperCase()).filter(Boolean),
            validFrom: isoInstant(from.value),
            validTo: isoInstant(to.value, '23:59'),
            reason: reason.value.trim(),
          });
          clearErrors(form);
          alert.hidden = true;
          reason.value = '';
          announce(t('deleg.granted', { who: grantee.value }), 'success');
          await load();
        } catch (err) {
          const rest = showErrors(form, err);
          alert.textContent = rest.join(' ');
          alert.hidden = rest.length === 0;
        }
      })();
    });
    root.append(form);
  }
  root.append(h('h2', {}, t('deleg.list')), listBox);
  await load();
}

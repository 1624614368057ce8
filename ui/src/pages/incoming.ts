/**
 * Incoming documents sent to several agencies at once: the Office or an agency's clerk
 * registers one, naming who it is addressed to (kính gửi) and who gets a copy (nơi nhận); each
 * agency's handling, its deadline and whether it acted only after UBND's own instruction.
 */
import type { z } from 'zod';
import type { incomingList, incomingRegistered } from '../../../server/openapi/responses.ts';
import { h, clear, announce } from '../dom.ts';
import { get, post } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';
import { can, me } from '../session.ts';
import type { PageContext } from '../router.ts';
import { agencies } from '../agencies.ts';
import { errorBox, table } from '../util.ts';
import { checkGroup, checkedValues, clearErrors, dateInput, field, isoInstant, showErrors, vnDateTime } from '../fields.ts';

type IncomingList = z.infer<typeof incomingList>;
type Registered = z.infer<typeof incomingRegistered>;

export async function render(root: HTMLElement, _ctx: PageContext): Promise<void> {
  const user = me();
  const agencyList = await agencies();
  const nameOf = new Map(agencyList.map((a) => [a.code, a.name]));
  const listBox = h('div', { 'aria-busy': 'true' });
  root.append(h('h1', {}, t('incoming.title')), h('p', { className: 'muted' }, t('incoming.intro')));

  const load = async () => {
    listBox.setAttribute('aria-busy', 'true');
    try {
      const { items } = await get<IncomingList>('/api/incoming-documents');
      clear(listBox);
      listBox.append(items.length
        ? table([t('incoming.received'), t('incoming.issuer'), t('col.symbol'), t('col.subject'), t('col.agency'), t('col.due'), t('col.status')], items.map((i) =>
          h('tr', { 'data-incoming': i.id },
            h('td', { className: 'nowrap' }, fmtDate(i.received_at)), h('td', {}, i.issuer), h('td', {}, i.number_symbol), h('td', {}, i.subject),
            h('td', {}, i.agency_code ? nameOf.get(i.agency_code) ?? i.agency_code : '—'),
            h('td', { className: 'nowrap' }, fmtDate(i.due_at)),
            h('td', {}, i.status ? t(i.first_action_at ? 'incoming.acted' : 'incoming.waiting') : '—', i.reactiveOnly ? h('span', { className: 'badge overdue' }, ` ⚠ ${t('incoming.reactive')}`) : null))), t('incoming.title'))
        : h('p', { className: 'muted' }, t('incoming.none')));
    } catch (e) {
      clear(listBox);
      listBox.append(errorBox(e));
    } finally {
      listBox.removeAttribute('aria-busy');
    }
  };

  if (can.registerIncoming(user)) {
    // R-23 concerns what is sent to UBND tỉnh and the agencies together: UBND tỉnh is offered first, ticked.
    const options = (checked: boolean) => [{ value: 'UBNDTINH', label: t('incoming.ubnd'), checked }, ...agencyList.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))];
    const issuer = h('input', { name: 'issuer', required: true, maxlength: 300, autocomplete: 'off' });
    const numberSymbol = h('input', { name: 'numberSymbol', required: true, maxlength: 80, autocomplete: 'off', placeholder: '123/BCT-XTTM' });
    const subject = h('textarea', { name: 'subject', required: true, maxlength: 1000, rows: 2 });
    const receivedAt = dateInput({ name: 'receivedAt', value: vnDateTime(new Date()) }, true);
    const kinhGui = checkGroup(t('incoming.kinhGui'), 'kinhGui', options(true), t('incoming.kinhGuiHint'));
    const noiNhan = checkGroup(t('incoming.noiNhan'), 'noiNhan', options(false), t('incoming.noiNhanHint'));
    const requestsAction = h('input', { type: 'checkbox', name: 'requestsAction', checked: true });
    const alert = h('p', { className: 'error', role: 'alert', hidden: true });
    const form = h('form', { id: 'incoming-form', novalidate: true },
      h('fieldset', {}, h('legend', {}, t('incoming.register')), alert,
        h('div', { className: 'grid2' }, field(t('incoming.issuer'), issuer), field(t('col.symbol'), numberSymbol), field(t('incoming.received'), receivedAt, t('form.dateTimeHint'))),
        field(t('col.subject'), subject),
        kinhGui, noiNhan,
        field(t('incoming.requestsAction'), requestsAction),
        h('button', { type: 'submit', className: 'primary' }, t('incoming.submit'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        try {
          const r = await post<Registered>('/api/incoming-documents', {
            issuer: issuer.value.trim(),
            numberSymbol: numberSymbol.value.trim(),
            subject: subject.value.trim(),
            ...(receivedAt.value.trim() ? { receivedAt: isoInstant(receivedAt.value) } : {}),
            kinhGui: checkedValues(form, 'kinhGui'),
            noiNhan: checkedValues(form, 'noiNhan'),
            requestsAction: requestsAction.checked,
          });
          clearErrors(form);
          alert.hidden = true;
          form.reset();
          for (const box of form.querySelectorAll<HTMLInputElement>('input[name="kinhGui"][value="UBNDTINH"]')) box.checked = true;
          receivedAt.value = vnDateTime(new Date());
          announce(t('incoming.registered', { agencies: r.agencies.map((c) => nameOf.get(c) ?? c).join(', ') || t('app.none'), due: fmtDate(r.dueAt) }), 'success');
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
  root.append(h('h2', {}, t('incoming.list')), listBox);
  await load();
}

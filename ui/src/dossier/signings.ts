/**
 * Who signed the tờ trình and in what capacity: for each signing, the block printed above the
 * signature as the server built it (domain/signature-block.ts: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / name"),
 * with its round, time and whether the check accepted it. The dossier page and every task page show it.
 */
import { h } from '../dom.ts';
import type { DossierDetail } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';

type Signing = DossierDetail['signatures'][number];

function verdict(sg: Signing): HTMLElement {
  const ok = sg.verification ? sg.verification['ok'] === true : null;
  if (ok === null) return h('span', { className: 'badge muted' }, t('signings.pending'));
  return h('span', { className: `badge ${ok ? 'ok' : 'overdue'}` }, ok ? t('detail.sigOk') : t('detail.sigBad'));
}

export function signingsSection(d: DossierDetail): HTMLElement | null {
  if (!d.signatures.length) return null;
  return h('section', { 'aria-labelledby': 'h-signings', className: 'content-section' },
    h('h2', { id: 'h-signings' }, t('signings.title')),
    h('ul', { className: 'opinions', id: 'signing-list' }, d.signatures.map((sg) =>
      h('li', { className: 'card', 'data-round': String(sg.round), 'data-form': sg.signing_form },
        h('pre', { className: 'signature-block' }, sg.signature_block ?? sg.signer_name),
        h('p', { className: 'muted' }, `${t('col.round')} ${sg.round} · ${fmtDate(String(sg.signed_at))} · `, verdict(sg))))));
}

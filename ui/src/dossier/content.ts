/**
 * What a dossier says, for reading before judging: the proposal, its bases and options, the
 * opinions with their positions and texts, the appraisal, the leader's direction, notes and
 * returns, the rules' warnings, and its documents readable in the page. The dossier page and
 * every task page show it; the server has already blanked what this viewer may not read.
 */
import { h } from '../dom.ts';
import type { DossierDetail } from '../api.ts';
import { t, code, fmtDate, errorText, errorRule } from '../i18n.ts';
import { ruleRef, table } from '../util.ts';
import { canPreview, previewToggle } from './preview.ts';

type Detail = DossierDetail;
type Doc = Detail['documents'][number];
/** A warning of the intake rules (R-03 vague proposal, R-04 outside the agency's field), when the answer carries them. */
type Warning = { code?: string; rule?: string | null; message?: string; messageEn?: string };

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const none = () => h('p', { className: 'muted' }, t('app.none'));
const section = (key: string, title: string, ...content: (HTMLElement | null)[]) =>
  h('section', { 'aria-labelledby': `h-${key}`, className: 'content-section' }, h('h2', { id: `h-${key}` }, title), ...content);
/** Text people wrote, with its line breaks. */
const prose = (text: string, id?: string) => h('p', { className: 'prose', ...(id ? { id } : {}) }, text);

function optionTitle(d: Detail, id: string | null | undefined): string {
  if (!id) return '';
  const o = d.dossier.options.find((x) => x.id === id);
  return o ? `${o.id}: ${o.title}` : id;
}

/** The leader's direction, written with the decision (kept in the decision's audit entry). */
export function leaderDirection(d: Detail): { at: string; decision: string; note: string } | null {
  const e = [...d.audit].reverse().find((a) => a.action === 'LEADER_DECIDED');
  if (!e) return null;
  const note = typeof e.details.note === 'string' ? e.details.note : '';
  const decision = d.submissions.find((x) => x.leader_decision)?.leader_decision ?? (e.to_status === 'DECIDED_APPROVED' ? 'APPROVED' : e.to_status === 'DECIDED_NOT_APPROVED' ? 'NOT_APPROVED' : '');
  return { at: s(e.at), decision, note };
}

function warningsOf(d: Detail): Warning[] {
  const w = (d as { warnings?: unknown }).warnings;
  return Array.isArray(w) ? (w as Warning[]) : [];
}

/** Subject, proposal, bases, options and the choice made among them. */
export function contentSection(d: Detail): HTMLElement {
  const x = d.dossier;
  if (x.confidentialHidden) return section('content', t('content.title'), h('p', { className: 'badge warn' }, t('detail.confidential')));
  const warnings = warningsOf(d);
  return section(
    'content',
    t('content.title'),
    warnings.length
      ? h('div', { className: 'warnings', role: 'note', id: 'dossier-warnings' }, h('strong', {}, `⚠ ${t('content.warnings')}`),
        h('ul', {}, warnings.map((w) => h('li', { 'data-code': s(w.code) }, w.code ? errorText(w.code) : s(w.message), ' ', ruleRef(w.rule ?? errorRule(w.code))))))
      : null,
    h('dl', { className: 'content card', id: 'dossier-content' },
      h('dt', {}, t('create.subject')), h('dd', { id: 'content-subject' }, x.subject),
      h('dt', {}, t('create.matterCategory')), h('dd', {}, x.matterCategory),
      h('dt', {}, t('create.proposal')), h('dd', {}, prose(x.proposal, 'content-proposal')),
      h('dt', {}, t('content.legalBases')), h('dd', {}, x.legalBasis.length
        ? h('ol', { id: 'content-legal' }, x.legalBasis.map((b) => h('li', {}, `${code('legalType', b.type)} ${b.numberSymbol}`, b.issuedAt ? ` ${t('content.issuedOn', { date: fmtDate(b.issuedAt, false) })}` : '', b.issuer ? ` ${t('content.issuedBy', { who: b.issuer })}` : '', b.title ? ` — ${b.title}` : '')))
        : none()),
      h('dt', {}, t('create.practicalBasis')), h('dd', {}, x.practicalBasis ? prose(x.practicalBasis, 'content-practical') : none()),
      h('dt', {}, t('content.options')), h('dd', {}, x.options.length
        ? h('ul', { id: 'content-options' }, x.options.map((o) => h('li', { 'data-option': o.id }, h('strong', {}, `${o.id}: `), o.title, o.description ? h('span', { className: 'muted' }, ` — ${o.description}`) : null,
          x.chosenOptionId === o.id ? h('span', { className: 'badge ok' }, ` ✓ ${t('content.chosen')}`) : null)))
        : none()),
      x.choiceRationale ? [h('dt', {}, t('content.rationale')), h('dd', {}, prose(x.choiceRationale))] : null,
      x.urgentReason ? [h('dt', {}, t('content.urgentReason')), h('dd', {}, prose(x.urgentReason))] : null,
      x.opinionSummary.length ? [h('dt', {}, t('content.opinionSummary')), h('dd', {}, h('ul', {}, x.opinionSummary.map((o) => h('li', {}, h('strong', {}, `${o.agencyCode}: `), code('position', o.position), o.summary ? ` — ${o.summary}` : ''))))] : null,
    ),
  );
}

/** The documents, each readable in the page (PDF drawn by pdf.js) or downloadable. */
export function documentsSection(d: Detail, opts: { only?: (doc: Doc) => boolean } = {}): HTMLElement {
  const docs = d.documents.filter((doc) => doc.current !== false && (!opts.only || opts.only(doc)));
  if (!docs.length) return section('documents', t('detail.documents'), none());
  const rows: HTMLElement[] = [];
  for (const doc of docs) {
    const box = h('div', { className: 'preview', hidden: true, 'data-preview-box': doc.id });
    rows.push(h('tr', { 'data-doc': doc.id },
      h('td', {}, code('docRole', s(doc.role))),
      h('td', {}, code('docType', s(doc.doc_type))),
      h('td', {}, s(doc.symbol) || '—', doc.locked ? h('span', { className: 'badge muted' }, ` ${t('detail.locked')}`) : null, doc.version > 1 ? h('span', { className: 'muted' }, ` (${t('content.version', { v: doc.version })})`) : null),
      h('td', {}, s(doc.subject), recipientsOf(doc)),
      h('td', {}, doc.signatures.length
        ? h('ul', {}, doc.signatures.map((sg) => h('li', {}, `${code('sigKind', sg.kind)}${sg.subjectId ? ` (${sg.subjectId})` : ''}: `, h('span', { className: `badge ${sg.ok ? 'ok' : 'overdue'}` }, sg.ok ? t('detail.sigOk') : t('detail.sigBad')), sg.reason ? ` ${sg.reason}` : '')))
        : h('span', { className: 'muted' }, t('detail.noSig'))),
      h('td', { className: 'actions' }, doc.file_name && canPreview(doc) ? previewToggle(doc, box) : null, ' ',
        doc.file_name ? h('a', { href: `/api/documents/${doc.id}/content`, download: s(doc.file_name), 'aria-label': `${t('detail.download')}: ${s(doc.subject) || s(doc.file_name)}` }, t('detail.download')) : h('span', { className: 'muted' }, code('medium', doc.medium))),
    ), h('tr', { className: 'preview-row' }, h('td', { colspan: 6 }, box)));
  }
  return section('documents', t('detail.documents'),
    table([t('col.role'), t('col.type'), t('col.symbol'), t('col.subject'), t('detail.signatures'), t('col.actions')], rows, t('detail.documents')));
}

/** Whom a document is addressed to ("Kính gửi") and its recipients ("Nơi nhận"), as printed on it; null when it names none. */
export function recipientsOf(doc: Doc): HTMLElement | null {
  const kinhGui = doc.kinh_gui ?? [];
  const noiNhan = doc.noi_nhan ?? [];
  if (!kinhGui.length && !noiNhan.length) return null;
  return h('dl', { className: 'meta recipients', 'data-recipients': doc.id },
    kinhGui.length ? [h('dt', {}, t('create.kinhGui')), h('dd', { 'data-role': 'kinh-gui' }, kinhGui.join('; '))] : null,
    noiNhan.length ? [h('dt', {}, t('adddoc.noiNhan')), h('dd', { 'data-role': 'noi-nhan' }, noiNhan.join('; '))] : null);
}

/** Requests and opinions: each agency's position, the option it prefers, its text, and whether its head signed it off yet (R-14). */
export function opinionsSection(d: Detail, opts: { waiver?: (agency: string) => HTMLElement | null } = {}): HTMLElement {
  return section('opinions', t('detail.opinions'),
    d.opinionRequests.length ? table([t('col.agency'), t('col.round'), t('col.status'), t('col.due')], d.opinionRequests.map((r) =>
      h('tr', { 'data-request': s(r.agency_code) }, h('td', {}, s(r.agency_code)), h('td', { className: 'num' }, s(r.round)),
        h('td', {}, code('requestStatus', s(r.status)), r.waiver_reason ? h('p', { className: 'muted' }, `${t('content.waiverReason')}: ${r.waiver_reason}`) : null,
          opts.waiver && r.round === d.dossier.round && (r.status === 'OVERDUE' || (r.status === 'PENDING' && Date.parse(s(r.due_at)) < Date.now())) ? opts.waiver(r.agency_code) : null),
        h('td', {}, fmtDate(s(r.due_at))))), t('detail.requested')) : null,
    d.opinions.length
      ? h('ul', { className: 'opinions', id: 'opinion-list' }, d.opinions.map((o) =>
        h('li', { className: 'card', 'data-agency': o.agency_code, 'data-status': s(o.status) },
          h('p', {}, h('strong', {}, o.agency_code), ' · ', h('span', { className: 'badge' }, code('position', o.position)),
            ' · ', h('span', { className: o.status === 'SIGNED_OFF' ? 'badge' : 'badge overdue', 'data-role': 'sign-off' }, code('opinionStatus', s(o.status))),
            o.status === 'SIGNED_OFF' && o.sign_off_capacity ? h('span', { className: 'muted' }, ` (${code('signOffCapacity', s(o.sign_off_capacity))})`) : null,
            o.preferred_option_id ? ` · ${t('content.prefers', { option: optionTitle(d, o.preferred_option_id) })}` : '',
            ' · ', h('span', { className: 'muted' }, fmtDate(s(o.received_at))), o.late ? h('span', { className: 'badge overdue' }, ` ${t('detail.late')}`) : null),
          o.content ? prose(o.content) : null,
          o.change_reason ? h('p', {}, h('em', {}, `${t('content.changeReason')}: `), o.change_reason) : null,
          o.sent_back_reason ? h('p', {}, h('em', {}, `${t('content.sentBackReason')}: `), s(o.sent_back_reason)) : null)))
      : none());
}

export function appraisalSection(d: Detail): HTMLElement {
  return section('appraisal', t('detail.appraisal'), d.appraisals.length
    ? h('ul', { className: 'opinions', id: 'appraisal-list' }, d.appraisals.map((a) =>
      h('li', { className: 'card' },
        h('p', {}, h('strong', {}, a.appraiser_agency_code), ` · ${t('col.round')} ${a.round} · `, h('span', { className: 'badge' }, code('conclusion', s(a.conclusion))),
          a.lawful === null ? '' : ` · ${a.lawful ? t('content.lawful') : t('content.notLawful')}`),
        a.reasons ? prose(a.reasons) : null)))
    : none());
}

/** Submissions to UBND, the Office's notes, returns with their reasons, and the leader's direction. */
export function submissionsSection(d: Detail): HTMLElement {
  const direction = leaderDirection(d);
  return section('submissions', t('detail.submissions'),
    direction ? h('div', { className: 'card direction', id: 'leader-direction' }, h('h3', {}, t('content.direction')),
      h('p', {}, h('span', { className: 'badge' }, code('decision', direction.decision)), ' ', h('span', { className: 'muted' }, fmtDate(direction.at))),
      direction.note ? prose(direction.note) : null) : null,
    d.submissions.length
      ? table([t('col.round'), t('col.when'), t('col.channel'), t('col.intake'), t('col.reason'), t('content.note'), t('col.decision')], d.submissions.map((x) =>
        h('tr', {}, h('td', { className: 'num' }, s(x.round)), h('td', {}, fmtDate(s(x.submitted_at))), h('td', {}, code('channel', s(x.channel))), h('td', { 'data-col': 'intake' }, code('intake', s(x.intake_status))),
          h('td', {}, x.return_reason ? code('returnReason', s(x.return_reason)) : '—'), h('td', {}, s(x.note) || '—'), h('td', {}, code('decision', s(x.leader_decision))))), t('detail.submissions'))
      : none(),
    d.returns.length ? h('div', {}, h('h3', { id: 'h-returns' }, t('detail.returns')), table([t('col.round'), t('col.when'), t('col.reason'), t('content.note')], d.returns.map((r) =>
      h('tr', { 'data-return': s(r.reason) }, h('td', { className: 'num' }, s(r.round)), h('td', {}, fmtDate(s(r.at))), h('td', {}, code('returnReason', s(r.reason)), ' ', h('span', { className: 'muted' }, `(${code('returnSource', s(r.source))})`)), h('td', {}, s(r.note) || '—'))), t('detail.returns'))) : null);
}

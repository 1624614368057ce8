/**
 * Adding a document to a dossier from its page, for the lead agency: a new version of the tờ trình
 * (after a return), the opinion-request letter whose recipients R-10 checks, or another component.
 * A confidential dossier takes no file body: its documents are described, on paper.
 */
import { h, announce } from '../dom.ts';
import { post, type DossierDetail } from '../api.ts';
import { t, code } from '../i18n.ts';
import { clearErrors, field, showErrors } from '../fields.ts';
import { readFile } from '../forms/files.ts';

const ROLES = ['SUBMISSION_DOC', 'OPINION_REQUEST', 'RECEIPT_EXPLANATION', 'OTHER'] as const;
const TYPE_OF_ROLE: Record<string, string> = { SUBMISSION_DOC: 'TO_TRINH', OPINION_REQUEST: 'CONG_VAN', RECEIPT_EXPLANATION: 'BAO_CAO', OTHER: 'KHAC' };
const lines = (s: string) => s.split(/[\n;]/).map((x) => x.trim()).filter(Boolean);

export function addDocumentForm(detail: DossierDetail, onAdded: () => void): HTMLElement {
  const d = detail.dossier;
  const onPaper = d.secrecyLevel !== 'NONE';
  const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r }, r === 'SUBMISSION_DOC' ? t('adddoc.newVersion') : code('docRole', r))));
  const docType = h('select', { name: 'docType' }, ['TO_TRINH', 'CONG_VAN', 'BAO_CAO', 'KE_HOACH', 'KHAC'].map((v) => h('option', { value: v }, code('docType', v))));
  docType.value = 'TO_TRINH';
  const symbol = h('input', { name: 'symbol', maxlength: 60, autocomplete: 'off', value: `/TTr-${d.leadAgencyCode}` });
  const subject = h('input', { name: 'subject', maxlength: 500 });
  const kinhGui = h('textarea', { name: 'kinhGui', rows: 2 });
  const noiNhan = h('textarea', { name: 'noiNhan', rows: 2 });
  const file = h('input', { type: 'file', name: 'contentBase64', accept: '.pdf,.docx,.odt,.xlsx,.png,.jpg,.jpeg' });
  const alert = h('p', { className: 'error', role: 'alert', hidden: true });
  role.addEventListener('change', () => {
    docType.value = TYPE_OF_ROLE[role.value] ?? 'KHAC';
    symbol.value = role.value === 'SUBMISSION_DOC' ? `/TTr-${d.leadAgencyCode}` : role.value === 'OPINION_REQUEST' ? `/${d.leadAgencyCode}-VP` : '';
  });
  const form = h('form', { id: 'add-document', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('adddoc.title')), alert,
      h('div', { className: 'grid2' },
        field(t('adddoc.role'), role, t('adddoc.roleHint')),
        field(t('create.docType'), docType),
        field(t('create.symbol'), symbol),
        field(t('create.docSubject'), subject)),
      h('div', { className: 'grid2' },
        field(t('create.kinhGui'), kinhGui, t('adddoc.recipientsHint')),
        field(t('adddoc.noiNhan'), noiNhan, t('adddoc.noiNhanHint'))),
      onPaper ? h('p', { className: 'warnings', role: 'note' }, t('create.paperNote')) : field(t('create.file'), file),
      h('button', { type: 'submit', className: 'primary' }, t('adddoc.submit'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      try {
        const chosen = file.files?.[0];
        await post(`/api/dossiers/${encodeURIComponent(d.id)}/documents`, {
          role: role.value,
          docType: docType.value,
          ...(symbol.value.trim() ? { symbol: symbol.value.trim() } : {}),
          subject: subject.value.trim(),
          kinhGui: lines(kinhGui.value),
          noiNhan: lines(noiNhan.value),
          ...(onPaper ? { medium: 'PAPER' } : { medium: 'ELECTRONIC', ...(chosen ? await readFile(chosen) : {}) }),
        });
        clearErrors(form);
        alert.hidden = true;
        form.reset();
        announce(t('adddoc.added'), 'success');
        onAdded();
      } catch (err) {
        const rest = showErrors(form, err);
        alert.textContent = rest.join(' ');
        alert.hidden = rest.length === 0;
      }
    })();
  });
  return h('details', { className: 'add-document', id: 'add-document-box' }, h('summary', {}, h('strong', {}, `+ ${t('adddoc.title')}`)), form);
}

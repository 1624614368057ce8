/**
 * Built-in forms per formKey, in the form-js schema format, used until the server answers
 * GET /api/tasks/:id/form; and how a form's values become the body the server expects.
 */
import { getLang, code, codeValues } from '../i18n.ts';
import type { FormComponent, FormSchema, FileValue } from './renderer.ts';

const L = (vi: string, en: string) => (getLang() === 'vi' ? vi : en);
const options = (kind: string, only?: string[]) => (only ?? codeValues(kind)).map((v) => ({ value: v, label: code(kind, v) }));
const note = (required = false): FormComponent => ({ type: 'textarea', key: 'note', label: L('Ghi chú', 'Note'), validate: { required } });
const docFields = (key: string, label: string): FormComponent[] => [
  { type: 'textfield', key: `${key}.symbol`, label: L('Số, ký hiệu văn bản', 'Document number/symbol') },
  { type: 'filepicker', key: `${key}.file`, label, description: L('PDF, DOC, DOCX, ODT; tối đa 10 MB', 'PDF, DOC, DOCX, ODT; at most 10 MB') },
];

export function builtinForm(formKey: string): FormSchema {
  const c = (components: FormComponent[]): FormSchema => ({ type: 'default', id: formKey, components });
  switch (formKey) {
    case 'revise':
      return c([
        { type: 'radio', key: 'outcome', label: L('Xử lý', 'Outcome'), validate: { required: true }, defaultValue: 'RESUBMIT', values: [
          { value: 'RESUBMIT', label: L('Đã hoàn thiện, gửi lại', 'Fixed, resubmit') },
          { value: 'WITHDRAW', label: L('Rút hồ sơ', 'Withdraw the dossier') },
        ] },
        note(),
      ]);
    case 'give-opinion':
      return c([
        { type: 'radio', key: 'position', label: L('Ý kiến của cơ quan', 'The agency’s position'), validate: { required: true }, values: options('position', ['AGREE', 'AGREE_WITH_COMMENTS', 'DISAGREE', 'PROPOSE_OTHER_OPTION']) },
        { type: 'textarea', key: 'content', label: L('Nội dung ý kiến', 'Opinion'), validate: { required: true } },
        { type: 'textfield', key: 'preferredOptionId', label: L('Phương án lựa chọn (mã)', 'Preferred option (id)') },
        { type: 'textarea', key: 'changeReason', label: L('Lý do thay đổi ý kiến (nếu khác lần trước, R-14)', 'Reason for a changed position (R-14)') },
        ...docFields('document', L('Văn bản góp ý đã ký', 'Signed opinion document')),
      ]);
    case 'choose-option':
      return c([
        { type: 'textfield', key: 'chosenOptionId', label: L('Phương án được chọn (mã)', 'Chosen option (id)'), validate: { required: true } },
        { type: 'textarea', key: 'rationale', label: L('Lý do lựa chọn (R-12)', 'Rationale (R-12)'), validate: { required: true } },
      ]);
    case 'appraise':
      return c([
        { type: 'radio', key: 'conclusion', label: L('Kết luận thẩm định (R-21)', 'Conclusion (R-21)'), validate: { required: true }, values: options('conclusion') },
        { type: 'checkbox', key: 'lawful', label: L('Nội dung phù hợp pháp luật', 'Lawful'), defaultValue: true },
        { type: 'textarea', key: 'reasons', label: L('Ý kiến thẩm định', 'Reasons') },
        ...docFields('report', L('Báo cáo thẩm định', 'Appraisal report')),
      ]);
    case 'respond-appraisal':
      return c([{ type: 'textarea', key: 'note', label: L('Tiếp thu, giải trình', 'Response'), validate: { required: true } }, ...docFields('document', L('Báo cáo tiếp thu, giải trình', 'Response document'))]);
    case 'draft-submission':
      return c([{ type: 'text', text: L('Kiểm tra tờ trình và dự thảo trước khi trình ký.', 'Check the submission and the draft before signing.') }, note()]);
    case 'sign':
      return c([
        { type: 'text', text: L('Ký số tờ trình bằng chữ ký của người có thẩm quyền (R-05).', 'Sign the tờ trình with the competent person’s signature (R-05).') },
        { type: 'checkbox', key: 'stamped', label: L('Đóng dấu (ký số của tổ chức)', 'Stamp (organisation signature)'), defaultValue: true },
        { type: 'textarea', key: 'urgentReason', label: L('Lý do khẩn (khi cấp phó ký thay, R-06)', 'Urgent reason (deputy signing, R-06)') },
      ]);
    case 'send-paper':
      return c([{ type: 'textfield', key: 'officeRegistrationNo', label: L('Số đăng ký tại Văn phòng', 'Office registration number'), validate: { required: true } }, note()]);
    case 'office-check':
      return c([
        { type: 'radio', key: 'outcome', label: L('Kết quả kiểm tra', 'Outcome'), validate: { required: true }, values: [
          { value: 'ACCEPT', label: L('Tiếp nhận', 'Accept') },
          { value: 'RETURN', label: L('Trả lại hồ sơ', 'Return the dossier') },
        ] },
        { type: 'select', key: 'returnReason', label: L('Lý do trả lại (R-30)', 'Return reason (R-30)'), values: options('returnReason') },
        note(),
      ]);
    case 'leader-decision':
      return c([
        { type: 'radio', key: 'decision', label: L('Quyết định', 'Decision'), validate: { required: true }, values: [
          { value: 'APPROVED', label: L('Phê duyệt', 'Approve') },
          { value: 'NOT_APPROVED', label: L('Không phê duyệt', 'Do not approve') },
        ] },
        note(),
      ]);
    case 'follow-up-delay':
      return c([note(true)]);
    case 'proactive-handling':
      return c([{ type: 'textarea', key: 'action', label: L('Việc đã làm', 'Action taken'), validate: { required: true } }]);
    default:
      return c([note()]);
  }
}

const DOC_DEFAULTS: Record<string, Record<string, { role: string; docType: string; subject: [string, string] }>> = {
  'give-opinion': { document: { role: 'OPINION_DOC', docType: 'CONG_VAN', subject: ['Ý kiến góp ý dự thảo', 'Opinion on the draft'] } },
  appraise: { report: { role: 'APPRAISAL_REPORT', docType: 'BAO_CAO', subject: ['Báo cáo thẩm định', 'Appraisal report'] } },
  'respond-appraisal': { document: { role: 'RECEIPT_EXPLANATION', docType: 'BAO_CAO', subject: ['Báo cáo tiếp thu, giải trình', 'Response to appraisal'] } },
};

/** The body the server expects, from the form's values: attached files become document inputs. */
export function shapeBody(formKey: string, values: Record<string, unknown>, agencyCode: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const [key, def] of Object.entries(DOC_DEFAULTS[formKey] ?? {})) {
    // The built-in forms give { symbol, file }; the server's form-js schemas give the file itself.
    const raw = out[key] as ({ symbol?: string; file?: FileValue } & Partial<FileValue>) | undefined;
    if (!raw) continue;
    const file = raw.contentBase64 ? (raw as FileValue) : raw.file;
    if (!file) {
      delete out[key];
      continue;
    }
    out[key] = { role: def.role, docType: def.docType, symbol: raw.symbol || `/${agencyCode}`, subject: def.subject[0], fileName: file.fileName, contentType: file.contentType, contentBase64: file.contentBase64 };
  }
  if (Array.isArray(out.documents)) {
    out.documents = (out.documents as FileValue[]).map((f) => ({ role: 'OTHER', docType: 'KHAC', subject: f.fileName, fileName: f.fileName, contentType: f.contentType, contentBase64: f.contentBase64 }));
  }
  if (out.changes && typeof out.changes === 'object' && Object.keys(out.changes).length === 0) delete out.changes;
  if (formKey === 'office-check' && out.outcome !== 'RETURN') delete out.returnReason;
  return out;
}

/**
 * Every error and warning code of the domain rules, in one place.
 * Workers send `code` as the BPMN error code and `message` (Vietnamese) as the error message;
 * the server answers 422 `{ code, rule, message }`.
 */
import type { ReturnReason } from './model.ts';

export type Severity = 'error' | 'warning';

export interface ErrorDefinition {
  /** Rule id as cited in docs/RULES.md, e.g. 'R-15' or 'R-01/02'. */
  readonly rule: string;
  readonly severity: Severity;
  /** Vietnamese message; may contain {agencies} and {list}. */
  readonly vi: string;
  readonly en: string;
  /** What the Office records when it returns a dossier for this reason; null when none fits. */
  readonly returnReason: ReturnReason | null;
}

export const ERRORS = {
  ERR_OUT_OF_AUTHORITY: {
    rule: 'R-01/02',
    severity: 'error',
    vi: 'Nội dung không thuộc thẩm quyền giải quyết của UBND tỉnh, Chủ tịch UBND tỉnh; đề nghị cơ quan xử lý theo thẩm quyền.',
    en: 'The matter is not within the authority of the Provincial People’s Committee or its Chairman; the agency must handle it within its own authority.',
    returnReason: 'OUT_OF_AUTHORITY',
  },
  ERR_MATTER_CATEGORY_REQUIRED: {
    rule: 'R-01',
    severity: 'error',
    vi: 'Hồ sơ trình phải xác định lĩnh vực của nội dung trình.',
    en: 'The dossier must state the matter category.',
    returnReason: 'OUT_OF_AUTHORITY',
  },
  WARN_DECISION_AUTHORITY_MISMATCH: {
    rule: 'R-01',
    severity: 'warning',
    vi: 'Thẩm quyền quyết định ghi trong hồ sơ khác với thẩm quyền theo danh mục lĩnh vực ({list}).',
    en: 'The decision authority stated in the dossier differs from the authority matrix ({list}).',
    returnReason: 'OUT_OF_AUTHORITY',
  },
  WARN_VAGUE_PROPOSAL: {
    rule: 'R-03',
    severity: 'warning',
    vi: 'Đề xuất còn chung chung (xin chủ trương, xin ý kiến); cần nêu kiến nghị cụ thể kèm dự thảo.',
    en: 'The proposal is vague (asking for policy or guidance); state a concrete request and attach a draft.',
    returnReason: 'VAGUE_PROPOSAL',
  },
  WARN_OUTSIDE_AGENCY_FIELD: {
    rule: 'R-04',
    severity: 'warning',
    vi: 'Lĩnh vực của nội dung trình không thuộc lĩnh vực, nhiệm vụ của cơ quan chủ trì.',
    en: 'The matter category is outside the lead agency’s fields of responsibility.',
    returnReason: 'OUT_OF_AUTHORITY',
  },
  ERR_OUTSIDE_AGENCY_FIELD: {
    rule: 'R-04',
    severity: 'error',
    vi: 'Lĩnh vực của nội dung trình không thuộc lĩnh vực, nhiệm vụ của cơ quan chủ trì; đề nghị cơ quan có chức năng chủ trì trình.',
    en: 'The matter category is outside the lead agency’s fields of responsibility; the competent agency must lead the submission.',
    returnReason: 'OUT_OF_AUTHORITY',
  },
  ERR_SIGNATURE_INVALID: {
    rule: 'R-05',
    severity: 'error',
    vi: 'Văn bản trình phải được Thủ trưởng cơ quan chủ trì ký và đóng dấu.',
    en: 'The submission document must be signed and stamped by the head of the lead agency.',
    returnReason: 'INVALID_SIGNATURE',
  },
  ERR_STAMP_MISSING: {
    rule: 'R-05',
    severity: 'error',
    vi: 'Văn bản trình phải được Thủ trưởng cơ quan chủ trì ký và đóng dấu.',
    en: 'The submission document must be signed and stamped (or carry the organisation’s digital signature) by the head of the lead agency.',
    returnReason: 'INVALID_SIGNATURE',
  },
  ERR_DEPUTY_NOT_AUTHORIZED: {
    rule: 'R-06',
    severity: 'error',
    vi: 'Cấp phó chỉ được ký khi có phát sinh đột xuất và có văn bản ủy quyền còn hiệu lực của Thủ trưởng.',
    en: 'A deputy may sign only in an urgent, unforeseen case and with a valid authorization from the head.',
    returnReason: 'INVALID_SIGNATURE',
  },
  ERR_HEAD_SIGNATURE_REQUIRED: {
    rule: 'R-07',
    severity: 'error',
    vi: 'Nội dung được giao cho Ủy viên UBND tỉnh là Thủ trưởng cơ quan chuyên môn: người đứng đầu phải trực tiếp ký, không ủy quyền cho cấp phó.',
    en: 'The matter was assigned to a head who is a member of the Provincial People’s Committee: the head must sign in person, without delegating to a deputy.',
    returnReason: 'INVALID_SIGNATURE',
  },
  ERR_DRAFT_NO_ORG_DIGITAL_SIGNATURE: {
    rule: 'R-09',
    severity: 'error',
    vi: 'Dự thảo văn bản điện tử phải có chữ ký số của tổ chức.',
    en: 'An electronic draft must carry the organisation’s digital signature.',
    returnReason: 'INVALID_SIGNATURE',
  },
  ERR_DRAFT_NOT_INITIALED: {
    rule: 'R-09',
    severity: 'error',
    vi: 'Dự thảo phải có chữ ký tắt hoặc đóng dấu treo.',
    en: 'A paper draft must carry the submitting agency’s initials or hanging stamp.',
    returnReason: 'INVALID_SIGNATURE',
  },
  ERR_OPINIONS_PENDING: {
    rule: 'R-10',
    severity: 'error',
    vi: 'Không trình UBND tỉnh khi còn nội dung chưa có ý kiến hoặc đang lấy ý kiến: {agencies}.',
    en: 'Do not submit to the Provincial People’s Committee while opinions are missing or still being gathered: {agencies}.',
    returnReason: 'OPINIONS_PENDING',
  },
  ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING: {
    rule: 'R-10',
    severity: 'error',
    vi: 'Không gửi UBND tỉnh (kể cả ở nơi nhận) văn bản đang lấy ý kiến.',
    en: 'Do not send a document that is still out for opinions to the Provincial People’s Committee, not even in the recipient list.',
    returnReason: 'OPINIONS_PENDING',
  },
  ERR_OPINION_SUMMARY_INCOMPLETE: {
    rule: 'R-11',
    severity: 'error',
    vi: 'Văn bản trình phải nêu rõ ý kiến của: {agencies}.',
    en: 'The submission document must state the opinion of: {agencies}.',
    returnReason: 'MISSING_COMPONENT',
  },
  ERR_OPINION_SUMMARY_MISMATCH: {
    rule: 'R-11',
    severity: 'error',
    vi: 'Bản tổng hợp ý kiến không đúng với ý kiến của cơ quan được lấy ý kiến: {list}.',
    en: 'The opinion summary misstates the consulted agencies’ opinions: {list}.',
    returnReason: 'MISSING_COMPONENT',
  },
  ERR_CONSULTED_AGENCY_REPLIED: {
    rule: 'R-11',
    severity: 'error',
    vi: 'Không bỏ cơ quan đã gửi ý kiến khỏi danh sách lấy ý kiến: {agencies}.',
    en: 'An agency that has already given its opinion cannot be removed from the consulted agencies: {agencies}.',
    returnReason: null,
  },
  ERR_NO_CHOSEN_OPTION: {
    rule: 'R-12',
    severity: 'error',
    vi: 'Có nhiều ý kiến, phương án khác nhau: cơ quan chủ trì phải đề xuất một phương án lựa chọn cụ thể và nêu lý do.',
    en: 'Opinions or options differ: the lead agency must propose one specific chosen option and give its rationale.',
    returnReason: 'NO_CHOSEN_OPTION',
  },
  ERR_OPINION_WAIVER_NOT_ALLOWED: {
    rule: 'R-13',
    severity: 'error',
    vi: 'Chỉ Thủ trưởng cơ quan chủ trì được quyết định không chờ ý kiến, và chỉ khi yêu cầu tham gia ý kiến đã quá hạn.',
    en: 'Only the head of the lead agency may proceed without an opinion, and only once the opinion request is overdue.',
    returnReason: null,
  },
  WARN_OPINION_LATE: {
    rule: 'R-13',
    severity: 'warning',
    vi: 'Ý kiến được gửi sau thời hạn tham gia ý kiến: {agencies}.',
    en: 'Opinions received after the deadline: {agencies}.',
    returnReason: null,
  },
  ERR_OPINION_INCOMPLETE: {
    rule: 'R-14',
    severity: 'error',
    vi: 'Văn bản tham gia ý kiến phải nêu rõ quan điểm và nội dung ý kiến: {list}.',
    en: 'An opinion must state a position and its content: {list}.',
    returnReason: null,
  },
  WARN_OPINION_INCONSISTENT: {
    rule: 'R-14',
    severity: 'warning',
    vi: 'Ý kiến khác với ý kiến trước đây của cơ quan; cần nêu lý do thay đổi.',
    en: 'This opinion differs from the agency’s earlier opinion; give the reason for the change.',
    returnReason: null,
  },
  ERR_OPINION_SIGN_OFF_NOT_ALLOWED: {
    rule: 'R-14',
    severity: 'error',
    vi: 'Chỉ Thủ trưởng cơ quan được lấy ý kiến, hoặc cấp phó được Thủ trưởng ủy quyền, mới được duyệt ý kiến của cơ quan.',
    en: 'Only the head of the consulted agency, or a deputy the head authorised, may sign off the agency’s opinion.',
    returnReason: null,
  },
  ERR_OPINION_OWN_SIGN_OFF: {
    rule: 'R-14',
    severity: 'error',
    vi: 'Người soạn ý kiến không được tự duyệt ý kiến của mình.',
    en: 'Whoever drafted an opinion may not sign it off.',
    returnReason: null,
  },
  ERR_OPINION_SEND_BACK_REASON: {
    rule: 'R-14',
    severity: 'error',
    vi: 'Trả lại ý kiến cho chuyên viên phải nêu lý do.',
    en: 'Sending an opinion back to the specialist needs a reason.',
    returnReason: null,
  },
  ERR_SUBMISSION_DOC_TYPE: {
    rule: 'R-15',
    severity: 'error',
    vi: 'Văn bản trình phải là tờ trình hoặc công văn đề trình, không dùng thể thức báo cáo.',
    en: 'The submission document must be a tờ trình or a công văn đề trình, never a báo cáo.',
    returnReason: 'WRONG_DOC_TYPE',
  },
  ERR_MISSING_LEGAL_BASIS: {
    rule: 'R-16',
    severity: 'error',
    vi: 'Văn bản trình phải nêu rõ cơ sở pháp lý.',
    en: 'The submission document must state its legal basis.',
    returnReason: 'MISSING_LEGAL_BASIS',
  },
  ERR_MISSING_PRACTICAL_BASIS: {
    rule: 'R-16',
    severity: 'error',
    vi: 'Văn bản trình phải nêu rõ cơ sở thực tiễn.',
    en: 'The submission document must state its practical basis.',
    returnReason: 'MISSING_PRACTICAL_BASIS',
  },
  ERR_MISSING_PROPOSAL: {
    rule: 'R-16',
    severity: 'error',
    vi: 'Văn bản trình phải nêu rõ ý kiến tham mưu, đề xuất.',
    en: 'The submission document must state the submitting agency’s advice and proposal.',
    returnReason: 'VAGUE_PROPOSAL',
  },
  ERR_DOSSIER_INCOMPLETE: {
    rule: 'R-17',
    severity: 'error',
    vi: 'Hồ sơ trình thiếu thành phần: {list}.',
    en: 'The dossier is missing components: {list}.',
    returnReason: 'MISSING_COMPONENT',
  },
  ERR_DOCUMENT_FORMAT: {
    rule: 'R-18',
    severity: 'error',
    vi: 'Văn bản chưa đúng thể thức theo Nghị định 30/2020/NĐ-CP: {list}.',
    en: 'Document format does not follow Decree 30/2020/ND-CP: {list}.',
    returnReason: 'FORMAT',
  },
  ERR_CONFIDENTIAL_ELECTRONIC: {
    rule: 'R-19',
    severity: 'error',
    vi: 'Hồ sơ trình có nội dung mật chỉ được gửi bằng văn bản giấy.',
    en: 'A dossier with confidential content may be sent on paper only.',
    returnReason: 'CONFIDENTIAL_CHANNEL',
  },
  ERR_APPRAISAL_MISSING: {
    rule: 'R-20',
    severity: 'error',
    vi: 'Hồ sơ có nội dung quy phạm pháp luật phải có báo cáo thẩm định.',
    en: 'A dossier with legal-normative content must have a completed appraisal report.',
    returnReason: 'APPRAISAL_MISSING',
  },
  ERR_APPRAISAL_NOT_ELIGIBLE: {
    rule: 'R-20',
    severity: 'error',
    vi: 'Cơ quan thẩm định kết luận hồ sơ chưa đủ điều kiện trình; không trình UBND tỉnh.',
    en: 'The appraising agency concluded that the dossier is not eligible for submission.',
    returnReason: 'APPRAISAL_NOT_ELIGIBLE',
  },
  ERR_APPRAISAL_VAGUE: {
    rule: 'R-21',
    severity: 'error',
    vi: 'Kết luận thẩm định phải thể hiện rõ chính kiến (ban hành là đúng và phù hợp quy định pháp luật hay không), không được có ý kiến chung chung.',
    en: 'The appraisal conclusion must state a clear position (whether issuing the document is correct and lawful); no vague opinions.',
    returnReason: 'APPRAISAL_VAGUE',
  },
  ERR_APPRAISAL_INCOMPLETE: {
    rule: 'R-21',
    severity: 'error',
    vi: 'Báo cáo thẩm định phải nêu rõ lý do của kết luận thẩm định.',
    en: 'The appraisal report must give the reasons for its conclusion.',
    returnReason: 'APPRAISAL_VAGUE',
  },
  ERR_APPRAISAL_RESPONSE_INCOMPLETE: {
    rule: 'R-21',
    severity: 'error',
    vi: 'Báo cáo tiếp thu, giải trình phải nêu cơ quan chủ trì đã tiếp thu ý kiến thẩm định thế nào.',
    en: 'The response to the appraisal must say how the lead agency took the appraisal into account.',
    returnReason: null,
  },
  ERR_APPRAISAL_CONTRADICTORY: {
    rule: 'R-21',
    severity: 'error',
    vi: 'Kết luận thẩm định mâu thuẫn: không thể vừa kết luận đủ điều kiện trình vừa xác định việc ban hành là không đúng quy định pháp luật.',
    en: 'The appraisal conclusion is contradictory: it cannot be eligible for submission while issuing the document is not lawful.',
    returnReason: 'APPRAISAL_VAGUE',
  },
  WARN_DOSSIER_OVERDUE: {
    rule: 'R-22',
    severity: 'warning',
    vi: 'Hồ sơ, nhiệm vụ đã quá hạn xử lý.',
    en: 'The dossier or assigned task is past its deadline.',
    returnReason: 'LATE',
  },
  WARN_REACTIVE_ONLY: {
    rule: 'R-23',
    severity: 'warning',
    vi: 'Cơ quan chưa chủ động xử lý văn bản đồng gửi, chỉ thực hiện sau khi có văn bản của UBND tỉnh: {agencies}.',
    en: 'Co-addressed agencies acted only after the Provincial People’s Committee instructed them: {agencies}.',
    returnReason: null,
  },
  ERR_HEAD_ATTENDANCE_REQUIRED: {
    rule: 'R-27',
    severity: 'error',
    vi: 'Cuộc họp yêu cầu cấp Trưởng tham dự: Thủ trưởng phải trực tiếp dự, không cử cấp phó đi thay trừ khi được đồng chí chủ trì hội nghị đồng ý.',
    en: 'The meeting requires the head in person; a deputy may attend only with the chair’s consent.',
    returnReason: null,
  },
  ERR_OFFICE_OUTCOME_INVALID: {
    rule: 'R-30',
    severity: 'error',
    vi: 'Kết quả kiểm tra hồ sơ phải là tiếp nhận hoặc trả lại.',
    en: 'The intake outcome must be ACCEPT or RETURN.',
    returnReason: null,
  },
  ERR_RETURN_REASON_REQUIRED: {
    rule: 'R-30',
    severity: 'error',
    vi: 'Trả lại hồ sơ phải chọn lý do trong danh mục lý do trả lại.',
    en: 'Returning a dossier requires a reason from the fixed list of return reasons.',
    returnReason: null,
  },
  ERR_RECONSULT_NOT_CONTENT: {
    rule: 'R-30',
    severity: 'error',
    vi: 'Trả lại vì thể thức, chữ ký không lấy lại ý kiến: chỉ trả lại vì nội dung mới được chọn cơ quan cần lấy lại ý kiến.',
    en: 'A return for format or signature re-consults nobody: only a content return names agencies to consult again.',
    returnReason: null,
  },
  ERR_RECONSULT_NOT_CONSULTED: {
    rule: 'R-30',
    severity: 'error',
    vi: 'Chỉ được lấy lại ý kiến của cơ quan đã được lấy ý kiến trong hồ sơ; không thuộc danh sách: {agencies}.',
    en: 'Only agencies the dossier consulted can be consulted again; not among them: {agencies}.',
    returnReason: null,
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

/** The codes as named constants: `ERROR_CODES.ERR_SUBMISSION_DOC_TYPE === 'ERR_SUBMISSION_DOC_TYPE'`. */
export const ERROR_CODES = Object.freeze(
  Object.fromEntries(Object.keys(ERRORS).map((code) => [code, code])) as { readonly [K in ErrorCode]: K },
);

export type RuleViolation = {
  rule: string;
  code: ErrorCode;
  /** Vietnamese, shown to users. */
  message: string;
  messageEn: string;
  severity: Severity;
  details?: Record<string, unknown>;
};

/** Whether a string is one of our codes (for BPMN error codes and API payloads coming back in). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value);
}

function fill(template: string, details: Record<string, unknown> | undefined, joiner: string): string {
  return template.replace(/\{(agencies|list)\}/g, (_m, key: string) => {
    const value = details?.[key];
    if (Array.isArray(value)) return value.length > 0 ? value.map(String).join(key === 'list' ? '; ' : joiner) : '—';
    if (value === undefined || value === null || value === '') return '—';
    return String(value);
  });
}

/** Builds the violation for a code, filling {agencies} and {list} from details (arrays are joined). */
export function violation(code: ErrorCode, details?: Record<string, unknown>): RuleViolation {
  const def: ErrorDefinition = ERRORS[code];
  const v: RuleViolation = {
    rule: def.rule,
    code,
    message: fill(def.vi, details, ', '),
    messageEn: fill(def.en, details, ', '),
    severity: def.severity,
  };
  if (details !== undefined) v.details = details;
  return v;
}

/** the return reason the Office records for a code, or null. */
export function returnReasonOf(code: ErrorCode): ReturnReason | null {
  const def: ErrorDefinition = ERRORS[code];
  return def.returnReason;
}

/** Only the blocking violations. */
export function errorsOnly(violations: readonly RuleViolation[]): RuleViolation[] {
  return violations.filter((v) => v.severity === 'error');
}

/** The warnings, as they are kept with a dossier or an opinion and shown: rule, code and message. */
export function warningsOnly(violations: readonly RuleViolation[]): { rule: string; code: string; message: string }[] {
  return violations.filter((v) => v.severity === 'warning').map(({ rule, code, message }) => ({ rule, code, message }));
}

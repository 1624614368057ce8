// Written by server/forms/form-data-types.ts from processes/forms/*.form (npm run forms:types): do not edit.
import type { DocumentInput, UpdateDossierInput } from '../schemas.ts';

/** What each task form gives its handler once valid: one entry per form, one property per field. */
export type TaskFormData = {
  'revise': { outcome: 'RESUBMIT' | 'WITHDRAW'; note?: string };
  'give-opinion': { position: 'AGREE' | 'AGREE_WITH_COMMENTS' | 'DISAGREE' | 'PROPOSE_OTHER_OPTION'; content?: string; preferredOptionId?: string; changeReason?: string; document?: DocumentInput };
  'approve-opinion': { decision: 'APPROVE' | 'SEND_BACK'; reason?: string };
  'choose-option': { chosenOptionId: string; rationale?: string };
  'appraise': { conclusion: 'ELIGIBLE' | 'ELIGIBLE_AFTER_REVISION' | 'NOT_ELIGIBLE'; lawful: boolean; reasons?: string; report?: DocumentInput };
  'respond-appraisal': { note?: string; document?: DocumentInput };
  'draft-submission': { note?: string; documents: DocumentInput[]; chosenOptionId?: string; rationale?: string; changes?: UpdateDossierInput };
  'sign': { stamped: boolean; urgentReason?: string };
  'send-paper': { officeRegistrationNo: string; paperReference: string; signatureChecked: boolean; stamped: boolean; note?: string };
  'office-check': { outcome: 'ACCEPT' | 'RETURN'; returnReason?: 'OUT_OF_AUTHORITY' | 'OPINIONS_PENDING' | 'WRONG_DOC_TYPE' | 'MISSING_COMPONENT' | 'MISSING_LEGAL_BASIS' | 'MISSING_PRACTICAL_BASIS' | 'INVALID_SIGNATURE' | 'CONFIDENTIAL_CHANNEL' | 'APPRAISAL_MISSING' | 'APPRAISAL_VAGUE' | 'NO_CHOSEN_OPTION' | 'VAGUE_PROPOSAL' | 'FORMAT' | 'LATE'; reconsultAgencies?: string[]; note?: string };
  'leader-decision': { decision: 'APPROVED' | 'NOT_APPROVED'; note?: string };
  'follow-up-delay': { note: string };
  'proactive-handling': { action: string };
  'follow-up-assigned-task': { note: string };
};

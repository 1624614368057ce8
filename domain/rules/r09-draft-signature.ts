import { violation, type RuleViolation } from '../errors.ts';
import type { DocumentFacts } from '../facts.ts';

/** an electronic draft carries the organisation's digital signature; a paper draft is initialled or hanging-stamped. */
export function checkDraftSignature(doc: DocumentFacts): RuleViolation | null {
  if (doc.role !== 'DRAFT_DECISION') return null;
  const details = { documentId: doc.id, symbol: doc.symbol, medium: doc.medium };
  if (doc.medium === 'ELECTRONIC') {
    return doc.orgSignatureValid === true ? null : violation('ERR_DRAFT_NO_ORG_DIGITAL_SIGNATURE', details);
  }
  return doc.initialed || doc.hangingStamp ? null : violation('ERR_DRAFT_NOT_INITIALED', details);
}

/** checks every DRAFT_DECISION document. */
export function checkDraftSignatures(documents: readonly DocumentFacts[]): RuleViolation[] {
  return documents.map(checkDraftSignature).filter((v): v is RuleViolation => v !== null);
}

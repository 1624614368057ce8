import { violation, type RuleViolation } from '../errors.ts';
import type { DocumentFacts, DossierFacts } from '../facts.ts';
import type { OpinionRequestStatus } from '../model.ts';
import type { RulesConfig } from './config.ts';
import { findVaguePhrases, normaliseText } from './vague-text.ts';

/** whether a kính gửi / nơi nhận entry (agency code or free text) names UBND tỉnh, its Chairman or its Office. */
export function isUbndRecipient(entry: string, config: RulesConfig): boolean {
  const code = entry.trim().toUpperCase();
  if (config.ubndRecipients.codes.some((c) => c.toUpperCase() === code)) return true;
  const text = normaliseText(entry).replace(/ủy ban nhân dân/g, 'ubnd').replace(/văn phòng/g, 'vp');
  return findVaguePhrases(text, config.ubndRecipients.phrases).length > 0;
}

/** an opinion-request document must not be sent to UBND tỉnh, not even in nơi nhận. */
export function checkOpinionRequestRecipients(documents: readonly DocumentFacts[], config: RulesConfig): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const doc of documents) {
    if (doc.role !== 'OPINION_REQUEST') continue;
    const recipients = [...doc.kinhGui, ...doc.noiNhan].filter((r) => isUbndRecipient(r, config));
    if (recipients.length > 0) {
      out.push(violation('ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING', { documentId: doc.id, symbol: doc.symbol, recipients }));
    }
  }
  return out;
}

/** whether a request still blocks forwarding (OVERDUE blocks unless silence means consent). */
export function isRequestOpen(status: OpinionRequestStatus, config: Pick<RulesConfig, 'silenceMeansConsent'>): boolean {
  return status === 'PENDING' || (status === 'OVERDUE' && !config.silenceMeansConsent);
}

/** agencies whose opinion is still awaited: an open request, or consulted and never asked nor answered. */
export function pendingOpinionAgencies(
  d: Pick<DossierFacts, 'consultedAgencyCodes' | 'opinionRequests' | 'opinions'>,
  config: Pick<RulesConfig, 'silenceMeansConsent'>,
): string[] {
  const pending = new Set<string>();
  for (const r of d.opinionRequests) if (isRequestOpen(r.status, config)) pending.add(r.agencyCode);
  for (const code of d.consultedAgencyCodes) {
    const asked = d.opinionRequests.some((r) => r.agencyCode === code);
    const answered = d.opinions.some((o) => o.agencyCode === code);
    if (!asked && !answered) pending.add(code);
  }
  return [...pending].sort();
}

/** R-10 (forward gate): nothing goes to UBND tỉnh while an opinion is missing or still being gathered. */
export function checkOpinionsGate(
  d: Pick<DossierFacts, 'consultedAgencyCodes' | 'opinionRequests' | 'opinions'>,
  config: Pick<RulesConfig, 'silenceMeansConsent'>,
): RuleViolation | null {
  const agencies = pendingOpinionAgencies(d, config);
  return agencies.length === 0 ? null : violation('ERR_OPINIONS_PENDING', { agencies });
}

import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts, OpinionSummaryEntry, SummaryPosition } from '../facts.ts';
import type { OpinionPosition } from '../model.ts';
import type { RulesConfig } from './config.ts';
import { latestOpinions } from './r12-chosen-option.ts';
import { isOpinionLate } from './r13-opinion-deadline.ts';
import { isBlank } from './vague-text.ts';

export const POSITION_LABELS: Readonly<Record<SummaryPosition, string>> = {
  AGREE: 'Thống nhất',
  AGREE_WITH_COMMENTS: 'Thống nhất, có ý kiến góp ý',
  DISAGREE: 'Không thống nhất',
  PROPOSE_OTHER_OPTION: 'Đề xuất phương án khác',
  NO_OPINION: 'Chưa có ý kiến',
};

/** R-11: the submission states the opinion of every consulted agency (the proposal itself is R-16's check). */
export function checkOpinionSummary(d: Pick<DossierFacts, 'consultedAgencyCodes' | 'opinionSummary'>): RuleViolation | null {
  const stated = new Set(d.opinionSummary.filter((e) => !isBlank(e.summary)).map((e) => e.agencyCode));
  const agencies = [...new Set(d.consultedAgencyCodes)].filter((code) => !stated.has(code));
  return agencies.length === 0 ? null : violation('ERR_OPINION_SUMMARY_INCOMPLETE', { agencies });
}

export type SummarisedOpinion = OpinionSummaryEntry & { late: boolean };

/**
 * a pre-filled opinion summary, one entry per consulted agency, from each agency's latest
 * opinion; a waived or unanswered request reads "Chưa có ý kiến", or agreement when silence means consent.
 */
export function summariseOpinions(
  d: Pick<DossierFacts, 'consultedAgencyCodes' | 'opinionRequests' | 'opinions'>,
  config: Pick<RulesConfig, 'silenceMeansConsent'>,
): SummarisedOpinion[] {
  const latest = new Map(latestOpinions(d.opinions).map((o) => [o.agencyCode, o]));
  return [...new Set(d.consultedAgencyCodes)].map((agencyCode): SummarisedOpinion => {
    const o = latest.get(agencyCode);
    if (o !== undefined) {
      const late = isOpinionLate(o, d.opinionRequests);
      const text = isBlank(o.content) ? POSITION_LABELS[o.position] : `${POSITION_LABELS[o.position]}: ${o.content?.trim()}`;
      return { agencyCode, position: o.position, summary: late ? `${text} (gửi sau thời hạn)` : text, late };
    }
    const overdue = d.opinionRequests.some((r) => r.agencyCode === agencyCode && r.status === 'OVERDUE');
    if (overdue && config.silenceMeansConsent) {
      const position: OpinionPosition = 'AGREE';
      return { agencyCode, position, summary: 'Không có ý kiến sau thời hạn; coi như thống nhất', late: false };
    }
    const waived = d.opinionRequests.some((r) => r.agencyCode === agencyCode && r.status === 'WAIVED');
    const summary = waived ? 'Chưa có ý kiến (đã quá hạn, Thủ trưởng cơ quan chủ trì quyết định không chờ)' : 'Chưa có ý kiến';
    return { agencyCode, position: 'NO_OPINION', summary, late: false };
  });
}

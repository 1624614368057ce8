import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts, OpinionSummaryEntry, SummaryPosition } from '../facts.ts';
import type { OpinionPosition } from '../model.ts';
import type { RulesConfig } from './config.ts';
import { latestOpinions } from './r12-chosen-option.ts';
import { isOpinionLate } from './r13-opinion-deadline.ts';
import { isBlank, normaliseText } from './vague-text.ts';

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

/** the stance a position stands for; "Thống nhất" and "Thống nhất, có ý kiến góp ý" are one stance. */
function stanceOf(position: SummaryPosition): string {
  return position === 'AGREE_WITH_COMMENTS' ? 'AGREE' : position;
}

/** the position a summary line opens with ("Không thống nhất: …"), or undefined when it opens with none. */
export function positionStated(text: string): SummaryPosition | undefined {
  const t = normaliseText(text);
  const labels = (Object.entries(POSITION_LABELS) as [SummaryPosition, string][]).sort((a, b) => b[1].length - a[1].length);
  return labels.find(([, label]) => {
    const l = normaliseText(label);
    return t === l || (t.startsWith(l) && !/[\p{L}\p{N}]/u.test(t.charAt(l.length)));
  })?.[0];
}

/**
 * each summary line states the position the agency actually took in its latest opinion (its
 * position field and the words it opens with), and no line claims an opinion an agency never gave
 * (unless silence is taken as consent). Returns the agencies misrepresented, with what each said.
 */
export function checkSummaryMatchesOpinions(
  d: Pick<DossierFacts, 'opinionSummary' | 'opinions'>,
  config: Pick<RulesConfig, 'silenceMeansConsent'>,
): RuleViolation | null {
  const latest = new Map(latestOpinions(d.opinions).map((o) => [o.agencyCode, o]));
  const wrong: { agencyCode: string; stated: SummaryPosition; given: SummaryPosition }[] = [];
  for (const e of d.opinionSummary) {
    const given: SummaryPosition = latest.get(e.agencyCode)?.position ?? 'NO_OPINION';
    if (given === 'NO_OPINION' && config.silenceMeansConsent) continue;
    const inWords = isBlank(e.summary) ? undefined : positionStated(e.summary);
    const stated = inWords !== undefined && stanceOf(inWords) !== stanceOf(given) ? inWords : e.position;
    if (stanceOf(stated) !== stanceOf(given)) wrong.push({ agencyCode: e.agencyCode, stated, given });
  }
  if (wrong.length === 0) return null;
  return violation('ERR_OPINION_SUMMARY_MISMATCH', {
    agencies: wrong.map((w) => w.agencyCode),
    list: wrong.map((w) => `${w.agencyCode} đã cho ý kiến "${POSITION_LABELS[w.given]}", bản tổng hợp ghi "${POSITION_LABELS[w.stated]}"`),
    mismatches: wrong,
  });
}

/** a consulted agency that has already replied stays consulted: its opinion cannot be dropped from the dossier. */
export function checkConsultedRemoval(before: readonly string[], after: readonly string[], replied: readonly string[]): RuleViolation | null {
  const kept = new Set(after);
  const agencies = [...new Set(before)].filter((code) => !kept.has(code) && replied.includes(code)).sort();
  return agencies.length === 0 ? null : violation('ERR_CONSULTED_AGENCY_REPLIED', { agencies });
}

/**
 * the summary after a new round's consolidation: every consulted agency's line is rebuilt from
 * this round's opinions, except a line the drafter wrote for an agency that gave no new opinion in
 * this round and whose position it still states.
 */
export function refreshOpinionSummary(
  current: readonly OpinionSummaryEntry[],
  computed: readonly OpinionSummaryEntry[],
  repliedThisRound: readonly string[],
): OpinionSummaryEntry[] {
  const mine = new Map(current.map((e) => [e.agencyCode, e]));
  return computed.map((fresh) => {
    const kept = mine.get(fresh.agencyCode);
    const keep = kept !== undefined && !isBlank(kept.summary) && !repliedThisRound.includes(fresh.agencyCode) && stanceOf(kept.position) === stanceOf(fresh.position);
    return keep ? kept : fresh;
  });
}

export type SummarisedOpinion = OpinionSummaryEntry & { late: boolean };

const LATE_SUFFIX = ' (gửi sau thời hạn)';
const SILENCE_AS_CONSENT = 'Không có ý kiến sau thời hạn; coi như thống nhất';
const NOT_WAITED = 'Chưa có ý kiến (đã quá hạn, Thủ trưởng cơ quan chủ trì quyết định không chờ)';

/**
 * a summary line that says no more than the consolidation writes from the positions alone
 * ("Không thống nhất", "Thống nhất (gửi sau thời hạn)", "Chưa có ý kiến"…): the only summary a secret dossier holds.
 */
export function isMetadataSummary(text: string): boolean {
  const t = normaliseText(text);
  const fixed = [...Object.values(POSITION_LABELS).flatMap((l) => [l, `${l}${LATE_SUFFIX}`]), SILENCE_AS_CONSENT, NOT_WAITED];
  return fixed.some((f) => normaliseText(f) === t);
}

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
      return { agencyCode, position: o.position, summary: late ? `${text}${LATE_SUFFIX}` : text, late };
    }
    const overdue = d.opinionRequests.some((r) => r.agencyCode === agencyCode && r.status === 'OVERDUE');
    if (overdue && config.silenceMeansConsent) {
      const position: OpinionPosition = 'AGREE';
      return { agencyCode, position, summary: SILENCE_AS_CONSENT, late: false };
    }
    const waived = d.opinionRequests.some((r) => r.agencyCode === agencyCode && r.status === 'WAIVED');
    const summary = waived ? NOT_WAITED : 'Chưa có ý kiến';
    return { agencyCode, position: 'NO_OPINION', summary, late: false };
  });
}

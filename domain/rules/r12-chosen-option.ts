import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts, OpinionFacts, OptionFacts } from '../facts.ts';
import { isBlank } from './vague-text.ts';

/** the latest opinion of each agency (highest round, then latest receivedAt). */
export function latestOpinions<T extends Pick<OpinionFacts, 'agencyCode' | 'round' | 'receivedAt'>>(opinions: readonly T[]): T[] {
  const byAgency = new Map<string, T>();
  for (const o of opinions) {
    const cur = byAgency.get(o.agencyCode);
    if (cur === undefined || o.round > cur.round || (o.round === cur.round && o.receivedAt.getTime() >= cur.receivedAt.getTime())) {
      byAgency.set(o.agencyCode, o);
    }
  }
  return [...byAgency.values()];
}

/**
 * whether opinions differ, so the lead agency must choose one option ("Tổng hợp, chọn
 * phương án"): an agency disagrees or proposes another option, or agencies prefer different options.
 * Several options alone are not differing opinions. Only each agency's latest opinion counts.
 */
export function decideOpinionsDiffer(opinions: readonly Pick<OpinionFacts, 'agencyCode' | 'round' | 'receivedAt' | 'position' | 'preferredOptionId'>[]): boolean {
  const latest = latestOpinions(opinions);
  if (latest.some((o) => o.position === 'DISAGREE' || o.position === 'PROPOSE_OTHER_OPTION')) return true;
  const preferred = new Set(latest.map((o) => o.preferredOptionId).filter((id): id is string => !isBlank(id)));
  return preferred.size > 1;
}

/**
 * the option every consulted agency agreed on, when opinions do not differ and those that
 * named an option named this one of the dossier's options; undefined when none was named.
 */
export function agreedOption(
  opinions: readonly Pick<OpinionFacts, 'agencyCode' | 'round' | 'receivedAt' | 'position' | 'preferredOptionId'>[],
  options: readonly Pick<OptionFacts, 'id'>[],
): string | undefined {
  if (decideOpinionsDiffer(opinions)) return undefined;
  const preferred = latestOpinions(opinions).map((o) => o.preferredOptionId).find((id): id is string => !isBlank(id));
  return preferred !== undefined && options.some((o) => o.id === preferred) ? preferred : undefined;
}

/** the rationale recorded with an option the consulted agencies agreed on. */
export function agreedOptionRationale(optionId: string, agencies: readonly string[]): string {
  return `Các cơ quan được lấy ý kiến (${[...agencies].sort().join(', ')}) thống nhất phương án ${optionId}.`;
}

/**
 * R-12 (pre-sign): a choice is needed when opinions differ or the dossier offers several options
 * (the submission proposes one); then exactly one known option and a rationale.
 */
export function checkChosenOption(d: Pick<DossierFacts, 'opinions' | 'options' | 'chosenOptionId' | 'choiceRationale'>, opts: { secret?: boolean } = {}): RuleViolation | null {
  if (!decideOpinionsDiffer(d.opinions) && d.options.length <= 1) return null;
  return checkChoice(d, opts);
}

/** the lead agency's choice itself: one known option and a rationale (the "choose option" task). */
export function checkChoice(d: Pick<DossierFacts, 'options' | 'chosenOptionId' | 'choiceRationale'>, opts: { secret?: boolean } = {}): RuleViolation | null {
  const problems: string[] = [];
  if (isBlank(d.chosenOptionId)) problems.push('NO_CHOSEN_OPTION');
  else if (d.options.length > 0 && !d.options.some((o) => o.id === d.chosenOptionId)) problems.push('UNKNOWN_OPTION');
  // a secret dossier's rationale is argued on paper; which option was chosen is its metadata.
  if (isBlank(d.choiceRationale) && !opts.secret) problems.push('NO_RATIONALE');
  return problems.length === 0 ? null : violation('ERR_NO_CHOSEN_OPTION', { problems, chosenOptionId: d.chosenOptionId });
}

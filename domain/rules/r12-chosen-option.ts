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
 * whether the lead agency must choose one option: an agency disagrees or proposes another option,
 * agencies prefer different options, or the dossier itself offers more than one option.
 * Only each agency's latest opinion counts.
 */
export function decideOpinionsDiffer(
  opinions: readonly Pick<OpinionFacts, 'agencyCode' | 'round' | 'receivedAt' | 'position' | 'preferredOptionId'>[],
  options: readonly Pick<OptionFacts, 'id'>[] = [],
): boolean {
  if (options.length > 1) return true;
  const latest = latestOpinions(opinions);
  if (latest.some((o) => o.position === 'DISAGREE' || o.position === 'PROPOSE_OTHER_OPTION')) return true;
  const preferred = new Set(latest.map((o) => o.preferredOptionId).filter((id): id is string => !isBlank(id)));
  return preferred.size > 1;
}

/** when opinions or options differ, exactly one known option is chosen and a rationale is given. */
export function checkChosenOption(d: Pick<DossierFacts, 'opinions' | 'options' | 'chosenOptionId' | 'choiceRationale'>): RuleViolation | null {
  if (!decideOpinionsDiffer(d.opinions, d.options)) return null;
  return checkChoice(d);
}

/** the lead agency's choice itself: one known option and a rationale (the "choose option" task). */
export function checkChoice(d: Pick<DossierFacts, 'options' | 'chosenOptionId' | 'choiceRationale'>): RuleViolation | null {
  const problems: string[] = [];
  if (isBlank(d.chosenOptionId)) problems.push('NO_CHOSEN_OPTION');
  else if (d.options.length > 0 && !d.options.some((o) => o.id === d.chosenOptionId)) problems.push('UNKNOWN_OPTION');
  if (isBlank(d.choiceRationale)) problems.push('NO_RATIONALE');
  return problems.length === 0 ? null : violation('ERR_NO_CHOSEN_OPTION', { problems, chosenOptionId: d.chosenOptionId });
}

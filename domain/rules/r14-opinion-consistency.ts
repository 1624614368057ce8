import { violation, type RuleViolation } from '../errors.ts';
import { OPINION_POSITIONS, type OpinionPosition } from '../model.ts';
import { isBlank } from './vague-text.ts';

export interface OpinionInput {
  position?: string;
  content?: string;
  preferredOptionId?: string;
  changeReason?: string;
}

export type EarlierOpinion = OpinionPosition | { position: OpinionPosition; preferredOptionId?: string | null };

function isPosition(value: string | undefined): value is OpinionPosition {
  return value !== undefined && (OPINION_POSITIONS as readonly string[]).includes(value);
}

/**
 * an opinion states a valid position and its content (not on a secret dossier: R-19); when it departs from the same agency's
 * latest earlier opinion (position or preferred option) without a changeReason, it is flagged.
 * `earlier` is in chronological order.
 */
export function checkOpinionInput(input: OpinionInput, earlier: readonly EarlierOpinion[] = [], opts: { secret?: boolean } = {}): RuleViolation[] {
  const missing: string[] = [];
  if (!isPosition(input.position)) missing.push('quan điểm (position)');
  // a secret dossier's opinion text is on the agency's paper reply; the position is its metadata.
  if (isBlank(input.content) && !opts.secret) missing.push('nội dung ý kiến (content)');
  if (missing.length > 0) return [violation('ERR_OPINION_INCOMPLETE', { list: missing })];

  const last = earlier.at(-1);
  if (last === undefined || !isBlank(input.changeReason)) return [];
  const prev = typeof last === 'string' ? { position: last, preferredOptionId: undefined } : last;
  const positionChanged = prev.position !== input.position;
  const optionChanged =
    !isBlank(prev.preferredOptionId) && !isBlank(input.preferredOptionId) && prev.preferredOptionId !== input.preferredOptionId;
  if (!positionChanged && !optionChanged) return [];
  return [
    violation('WARN_OPINION_INCONSISTENT', {
      previousPosition: prev.position,
      position: input.position,
      previousPreferredOptionId: prev.preferredOptionId ?? null,
      preferredOptionId: input.preferredOptionId ?? null,
    }),
  ];
}

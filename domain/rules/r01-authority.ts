import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts } from '../facts.ts';
import { DECISION_AUTHORITIES } from '../model.ts';
import { lookupCategory } from './categories.ts';
import type { RulesConfig } from './config.ts';
import { isBlank } from './vague-text.ts';

type AuthorityFacts = Pick<DossierFacts, 'matterCategory' | 'decisionAuthority'>;

/** R-01/02: the matter must be for UBND tỉnh or its Chairman to decide, never the agency's own work pushed up. */
export function checkAuthority(d: AuthorityFacts, config: RulesConfig): RuleViolation[] {
  if (isBlank(d.matterCategory)) return [violation('ERR_MATTER_CATEGORY_REQUIRED')];
  if (!(DECISION_AUTHORITIES as readonly string[]).includes(d.decisionAuthority)) {
    return [violation('ERR_OUT_OF_AUTHORITY', { decisionAuthority: d.decisionAuthority })];
  }
  const entry = lookupCategory(config.authorityMatrix, d.matterCategory);
  if (entry === null) return [];
  const competent = entry.value;
  if (competent === 'SO_NGANH' || competent === 'UBND_HUYEN') {
    return [violation('ERR_OUT_OF_AUTHORITY', { matterCategory: d.matterCategory, competentAuthority: competent })];
  }
  if (competent !== d.decisionAuthority) {
    return [
      violation('WARN_DECISION_AUTHORITY_MISMATCH', {
        list: [`${d.decisionAuthority} ≠ ${competent}`],
        matterCategory: d.matterCategory,
        competentAuthority: competent,
        decisionAuthority: d.decisionAuthority,
      }),
    ];
  }
  return [];
}

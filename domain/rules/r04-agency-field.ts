import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts } from '../facts.ts';
import { categoryCovers } from './categories.ts';
import type { RulesConfig } from './config.ts';

type FieldFacts = Pick<DossierFacts, 'matterCategory'> & { leadAgency: Pick<DossierFacts['leadAgency'], 'code' | 'fields'> };

/** the matter must lie within the lead agency's own fields (warning, or error when configured strict). */
export function checkAgencyField(d: FieldFacts, config: RulesConfig): RuleViolation | null {
  if (d.leadAgency.fields.some((field) => categoryCovers(field, d.matterCategory))) return null;
  return violation(config.strictAgencyField ? 'ERR_OUTSIDE_AGENCY_FIELD' : 'WARN_OUTSIDE_AGENCY_FIELD', {
    matterCategory: d.matterCategory,
    agencyCode: d.leadAgency.code,
    agencyFields: d.leadAgency.fields,
  });
}

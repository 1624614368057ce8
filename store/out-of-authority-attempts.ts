/** submissions refused as outside UBND tỉnh's authority, kept so they count against the accountable head. */
import type { DataSource } from 'typeorm';
/** a refused out-of-authority submission, recorded even though the dossier itself is never stored. */
export async function recordOutOfAuthorityAttempt(
  ds: DataSource,
  a: { agencyCode: string; accountableUserId: string | null; actorUserId: string; matterCategory: string; decisionAuthority: string; codes: string[]; at: Date },
): Promise<void> {
  await ds.query(
    `INSERT INTO out_of_authority_attempt (agency_code, accountable_user_id, actor_user_id, matter_category, decision_authority, codes, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [a.agencyCode, a.accountableUserId, a.actorUserId, a.matterCategory.slice(0, 200), a.decisionAuthority.slice(0, 100), a.codes, a.at],
  );
}

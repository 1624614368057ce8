/** Agencies, users and delegations: the one owner of `agency`, `app_user` and `delegation`. */
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthorizationFacts } from '../domain/facts.ts';

/** Every agency's code. */
export async function agencyCodes(on: DataSource | EntityManager): Promise<string[]> {
  return ((await on.query('SELECT code FROM agency')) as { code: string }[]).map((a) => a.code);
}

/** A delegation of signing authority, as the signature rules read it, or null. */
export async function delegationById(on: DataSource | EntityManager, id: string): Promise<AuthorizationFacts | null> {
  const rows = (await on.query(
    `SELECT grantor_user_id AS "grantorUserId", grantee_user_id AS "granteeUserId", agency_code AS "agencyCode", matter_categories AS "matterCategories",
       dossier_ids AS "dossierIds", valid_from AS "validFrom", valid_to AS "validTo", revoked_at AS "revokedAt"
     FROM delegation WHERE id = $1`,
    [id],
  )) as AuthorizationFacts[];
  return rows[0] ?? null;
}

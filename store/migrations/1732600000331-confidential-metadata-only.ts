import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * a secret dossier holds metadata only (domain/rules/r19-confidential-paper.ts
 * confidentialContentFields). Practical bases, proposals and option descriptions that secret
 * dossiers stored before this are blanked; each dossier's audit trail records which fields were
 * removed, never what they said. Not reversible: the content is gone.
 */
export class ConfidentialMetadataOnly1732600000331 implements MigrationInterface {
  name = 'ConfidentialMetadataOnly1732600000331';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      WITH holding AS (
        SELECT d.id,
          array_remove(ARRAY[
            CASE WHEN btrim(d.practical_basis) <> '' THEN 'practicalBasis' END,
            CASE WHEN btrim(d.proposal) <> '' THEN 'proposal' END
          ], NULL)
          || COALESCE((SELECT array_agg('options.' || (o.i - 1) || '.description' ORDER BY o.i)
                       FROM jsonb_array_elements(d.options) WITH ORDINALITY AS o(v, i)
                       WHERE btrim(COALESCE(o.v->>'description', '')) <> ''), '{}') AS fields
        FROM dossier d WHERE d.secrecy_level <> 'NONE'
      )
      INSERT INTO audit_event (dossier_id, action, rule_id, details, idempotency_key)
      SELECT id, 'CONFIDENTIAL_CONTENT_REMOVED', 'R-19', jsonb_build_object('fields', to_jsonb(fields), 'by', 'migration 1732600000331'), 'confidential-content-removed:' || id
      FROM holding WHERE cardinality(fields) > 0
      ON CONFLICT (idempotency_key) DO NOTHING;

      UPDATE dossier d SET practical_basis = '', proposal = '',
        options = COALESCE((SELECT jsonb_agg(o.v - 'description' ORDER BY o.i) FROM jsonb_array_elements(d.options) WITH ORDINALITY AS o(v, i)), '[]'::jsonb)
      WHERE d.secrecy_level <> 'NONE'
        AND (btrim(d.practical_basis) <> '' OR btrim(d.proposal) <> '' OR EXISTS (
          SELECT 1 FROM jsonb_array_elements(d.options) o WHERE btrim(COALESCE(o->>'description', '')) <> ''));
    `);
  }

  async down(): Promise<void> {
    // The removed content is not kept anywhere: there is nothing to restore.
  }
}

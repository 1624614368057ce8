import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R-19: a secret dossier's steps hold metadata only too (domain/rules/r19-confidential-paper.ts
 * CONFIDENTIAL_FORM_TEXT): what such dossiers stored before this of the opinions' text, the reason
 * an opinion changed or was sent back, the appraisal's reasons (and the appraisal return that
 * repeats them), the choice's rationale, the Office's return notes and a summary in words is blanked;
 * a summary line in words becomes the position it stated ("Không thống nhất"), one the consolidation
 * wrote from positions alone (a late reply's mark included) stays. Each dossier's audit trail
 * records which fields were removed, never what they said. Not reversible: the content is gone.
 * The audit trail itself is append-only and keeps the notes earlier steps put in it.
 */
export class ConfidentialStepsMetadataOnly1732600000451 implements MigrationInterface {
  name = 'ConfidentialStepsMetadataOnly1732600000451';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TEMPORARY TABLE r19_position_label (position text PRIMARY KEY, label text NOT NULL) ON COMMIT DROP;
      INSERT INTO r19_position_label VALUES
        ('AGREE', 'Thống nhất'), ('AGREE_WITH_COMMENTS', 'Thống nhất, có ý kiến góp ý'), ('DISAGREE', 'Không thống nhất'),
        ('PROPOSE_OTHER_OPTION', 'Đề xuất phương án khác'), ('NO_OPINION', 'Chưa có ý kiến');
      -- The lines the consolidation writes from positions alone (isMetadataSummary): a late reply's mark and the
      -- unanswered requests' sentences are metadata too, and stay.
      CREATE TEMPORARY TABLE r19_metadata_summary ON COMMIT DROP AS
        SELECT lower(label) AS line FROM r19_position_label
        UNION SELECT lower(label || ' (gửi sau thời hạn)') FROM r19_position_label
        UNION VALUES (lower('Không có ý kiến sau thời hạn; coi như thống nhất')),
                     (lower('Chưa có ý kiến (đã quá hạn, Thủ trưởng cơ quan chủ trì quyết định không chờ)'));

      WITH secret AS (SELECT id FROM dossier WHERE secrecy_level <> 'NONE'),
      holding AS (
        SELECT s.id, array_remove(ARRAY[
          CASE WHEN EXISTS (SELECT 1 FROM opinion o WHERE o.dossier_id = s.id AND btrim(o.content) <> '') THEN 'opinions.content' END,
          CASE WHEN EXISTS (SELECT 1 FROM opinion o WHERE o.dossier_id = s.id AND btrim(COALESCE(o.change_reason, '')) <> '') THEN 'opinions.changeReason' END,
          CASE WHEN EXISTS (SELECT 1 FROM opinion o WHERE o.dossier_id = s.id AND btrim(COALESCE(o.sent_back_reason, '')) <> '') THEN 'opinions.sentBackReason' END,
          CASE WHEN EXISTS (SELECT 1 FROM appraisal a WHERE a.dossier_id = s.id AND btrim(COALESCE(a.reasons, '')) <> '') THEN 'appraisals.reasons' END,
          CASE WHEN EXISTS (SELECT 1 FROM dossier d WHERE d.id = s.id AND btrim(COALESCE(d.choice_rationale, '')) <> '') THEN 'choiceRationale' END,
          CASE WHEN EXISTS (SELECT 1 FROM dossier d, jsonb_array_elements(d.opinion_summary) e
                            WHERE d.id = s.id AND btrim(COALESCE(e->>'summary', '')) <> ''
                              AND lower(regexp_replace(btrim(e->>'summary'), '[[:space:]]+', ' ', 'g')) NOT IN (SELECT line FROM r19_metadata_summary)) THEN 'opinionSummary' END,
          CASE WHEN EXISTS (SELECT 1 FROM dossier_return r WHERE r.dossier_id = s.id AND r.source IN ('OFFICE', 'APPRAISAL') AND btrim(COALESCE(r.note, '')) <> '') THEN 'returns.note' END
        ], NULL) AS fields
        FROM secret s
      )
      INSERT INTO audit_event (dossier_id, action, rule_id, details, idempotency_key)
      SELECT id, 'CONFIDENTIAL_CONTENT_REMOVED', 'R-19', jsonb_build_object('fields', to_jsonb(fields), 'by', 'migration 1732600000451'), 'confidential-steps-removed:' || id
      FROM holding WHERE cardinality(fields) > 0
      ON CONFLICT (idempotency_key) DO NOTHING;

      UPDATE opinion o SET content = '', change_reason = NULL, sent_back_reason = NULL
      FROM dossier d WHERE d.id = o.dossier_id AND d.secrecy_level <> 'NONE'
        AND (btrim(o.content) <> '' OR o.change_reason IS NOT NULL OR o.sent_back_reason IS NOT NULL);
      UPDATE appraisal a SET reasons = NULL FROM dossier d WHERE d.id = a.dossier_id AND d.secrecy_level <> 'NONE' AND a.reasons IS NOT NULL;
      UPDATE dossier_return r SET note = NULL FROM dossier d
      WHERE d.id = r.dossier_id AND d.secrecy_level <> 'NONE' AND r.source IN ('OFFICE', 'APPRAISAL') AND r.note IS NOT NULL;
      UPDATE dossier d SET choice_rationale = NULL,
        opinion_summary = COALESCE((
          SELECT jsonb_agg(CASE WHEN btrim(COALESCE(e->>'summary', '')) = ''
                                  OR lower(regexp_replace(btrim(e->>'summary'), '[[:space:]]+', ' ', 'g')) IN (SELECT line FROM r19_metadata_summary) THEN e
                                ELSE jsonb_set(e, '{summary}', to_jsonb(COALESCE(l.label, 'Chưa có ý kiến'))) END ORDER BY i)
          FROM jsonb_array_elements(d.opinion_summary) WITH ORDINALITY AS x(e, i) LEFT JOIN r19_position_label l ON l.position = e->>'position'), '[]'::jsonb)
      WHERE d.secrecy_level <> 'NONE' AND (d.choice_rationale IS NOT NULL OR jsonb_array_length(d.opinion_summary) > 0);
    `);
  }

  async down(): Promise<void> {
    // The removed content is not kept anywhere: there is nothing to restore.
  }
}

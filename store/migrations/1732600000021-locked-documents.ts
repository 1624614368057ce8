import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A signed version is locked: its bytes and what identifies them can no longer change, whoever
 * writes to the database (a changed document would otherwise only be caught at verification).
 */
export class LockedDocuments1732600000021 implements MigrationInterface {
  name = 'LockedDocuments1732600000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION document_body_locked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM document WHERE id = OLD.document_id AND locked) THEN
          RAISE EXCEPTION 'document % is signed and locked', OLD.document_id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$;
      CREATE TRIGGER document_body_no_change BEFORE UPDATE OR DELETE ON document_body
        FOR EACH ROW EXECUTE FUNCTION document_body_locked();

      CREATE FUNCTION document_locked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.locked AND (NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.size_bytes IS DISTINCT FROM OLD.size_bytes
            OR NEW.file_name IS DISTINCT FROM OLD.file_name OR NEW.doc_type IS DISTINCT FROM OLD.doc_type
            OR NEW.number IS DISTINCT FROM OLD.number OR NEW.symbol IS DISTINCT FROM OLD.symbol OR NOT NEW.locked) THEN
          RAISE EXCEPTION 'document % is signed and locked', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER document_no_change_when_locked BEFORE UPDATE ON document
        FOR EACH ROW EXECUTE FUNCTION document_locked();
      CREATE TRIGGER document_no_delete_when_locked BEFORE DELETE ON document
        FOR EACH ROW WHEN (OLD.locked) EXECUTE FUNCTION audit_event_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER IF EXISTS document_no_delete_when_locked ON document;
      DROP TRIGGER IF EXISTS document_no_change_when_locked ON document;
      DROP TRIGGER IF EXISTS document_body_no_change ON document_body;
      DROP FUNCTION IF EXISTS document_locked();
      DROP FUNCTION IF EXISTS document_body_locked();
    `);
  }
}

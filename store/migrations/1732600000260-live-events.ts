import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live events across server processes: every statement that adds audit events announces the
 * dossiers it moved on the channel `hosotrinh_events` (PostgreSQL NOTIFY, delivered at commit to
 * every server listening, store/live-events.ts), whoever wrote them (a server or a worker).
 * A payload carries ids and an action only; a statement that moves more than 50 dossiers (a bulk
 * load) sends one event without an id, which tells the listeners to read their lists again.
 */
export class LiveEvents1732600000260 implements MigrationInterface {
  name = 'LiveEvents1732600000260';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION announce_audit_events() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        moved text[];
        d text;
      BEGIN
        SELECT array_agg(DISTINCT dossier_id::text) INTO moved FROM inserted WHERE dossier_id IS NOT NULL;
        IF moved IS NULL THEN
          RETURN NULL;
        END IF;
        IF array_length(moved, 1) > 50 THEN
          PERFORM pg_notify('hosotrinh_events', json_build_object('type', 'dossier', 'action', 'MOVED')::text);
          RETURN NULL;
        END IF;
        FOREACH d IN ARRAY moved LOOP
          PERFORM pg_notify('hosotrinh_events', json_build_object('type', 'dossier', 'dossierId', d, 'action', 'MOVED')::text);
        END LOOP;
        RETURN NULL;
      END $$;
      CREATE TRIGGER audit_event_announce AFTER INSERT ON audit_event
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION announce_audit_events();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS audit_event_announce ON audit_event; DROP FUNCTION IF EXISTS announce_audit_events()');
  }
}

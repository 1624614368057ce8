import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-in sessions, kept in the database so any server instance can serve any user. */
export class Sessions1732600000001 implements MigrationInterface {
  name = 'Sessions1732600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_session (
        id_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES app_user(id),
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX user_session_user ON user_session(user_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS user_session');
  }
}

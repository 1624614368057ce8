import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed sign-ins, shared by every server instance so the rate limit holds when N servers run. */
export class LoginFailures1732600000003 implements MigrationInterface {
  name = 'LoginFailures1732600000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_failure (
        id bigserial PRIMARY KEY,
        address text NOT NULL,
        username text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX login_failure_user ON login_failure(username, address, at);
      CREATE INDEX login_failure_address ON login_failure(address, at);
      CREATE INDEX user_session_expiry ON user_session(expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS user_session_expiry; DROP TABLE IF EXISTS login_failure');
  }
}

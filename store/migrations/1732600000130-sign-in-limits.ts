import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in limits per account as well as per address: failures are counted by user name across
 * addresses, and the addresses a user signed in from before stay open to that user when an
 * address is blocked for guessing under other names (one office behind one address).
 */
export class SignInLimits1732600000130 implements MigrationInterface {
  name = 'SignInLimits1732600000130';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX login_failure_account ON login_failure(username, at);
      CREATE TABLE login_known_address (
        username text NOT NULL,
        address text NOT NULL,
        last_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (username, address)
      );
      CREATE INDEX login_known_address_age ON login_known_address(last_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS login_known_address; DROP INDEX IF EXISTS login_failure_account');
  }
}

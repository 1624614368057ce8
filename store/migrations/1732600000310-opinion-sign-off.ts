import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * an opinion counts once the consulted agency's head, or a deputy the head authorised, signed
 * it off. Opinions given before this step existed counted at once: they are signed off by their giver.
 */
export class OpinionSignOff1732600000310 implements MigrationInterface {
  name = 'OpinionSignOff1732600000310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE opinion ADD COLUMN status text NOT NULL DEFAULT 'AWAITING_SIGN_OFF';
      ALTER TABLE opinion ADD COLUMN signed_off_by_user_id text REFERENCES app_user(id);
      ALTER TABLE opinion ADD COLUMN signed_off_at timestamptz;
      ALTER TABLE opinion ADD COLUMN sign_off_capacity text;
      ALTER TABLE opinion ADD COLUMN sign_off_delegation_id uuid REFERENCES delegation(id);
      ALTER TABLE opinion ADD COLUMN sent_back_reason text;
      UPDATE opinion SET status = 'SIGNED_OFF', signed_off_by_user_id = signed_by_user_id, signed_off_at = received_at;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE opinion DROP COLUMN sent_back_reason;
      ALTER TABLE opinion DROP COLUMN sign_off_delegation_id;
      ALTER TABLE opinion DROP COLUMN sign_off_capacity;
      ALTER TABLE opinion DROP COLUMN signed_off_at;
      ALTER TABLE opinion DROP COLUMN signed_off_by_user_id;
      ALTER TABLE opinion DROP COLUMN status;
    `);
  }
}

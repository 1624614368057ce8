import type { MigrationInterface, QueryRunner } from 'typeorm';

/** when UBND tỉnh's own instruction on an incoming document arrived, to tell proactive from reactive handling. */
export class UbndInstruction1732600000020 implements MigrationInterface {
  name = 'UbndInstruction1732600000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incoming_document ADD COLUMN ubnd_instruction_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incoming_document DROP COLUMN ubnd_instruction_at`);
  }
}

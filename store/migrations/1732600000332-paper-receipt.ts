import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * on paper: the signer's checkbox is a declaration; the lead agency's clerk, who holds
 * the paper original, records in "Gửi hồ sơ giấy (mật)" that it carries the handwritten signature
 * and that they stamped it, with the paper's own reference (số, ký hiệu), who and when.
 */
export class PaperReceipt1732600000332 implements MigrationInterface {
  name = 'PaperReceipt1732600000332';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE submission
        ADD COLUMN paper_reference text,
        ADD COLUMN paper_received_by text REFERENCES app_user(id),
        ADD COLUMN paper_received_at timestamptz,
        ADD COLUMN paper_stamped_by text REFERENCES app_user(id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE submission DROP COLUMN paper_reference, DROP COLUMN paper_received_by, DROP COLUMN paper_received_at, DROP COLUMN paper_stamped_by');
  }
}

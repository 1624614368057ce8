import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Managed reference data: the authority matrix becomes the list of matter categories an
 * administrator keeps (names in both languages, which authority is competent, retired ones kept
 * for the dossiers filed under them), and the legal-basis types are a table of their own, ranked
 * as the Law on legal documents orders them. The types are the law's, not demo data: they are
 * written here so a province that loads no demo has them.
 */
export class ReferenceData1732600000300 implements MigrationInterface {
  name = 'ReferenceData1732600000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE authority_matrix
        ADD COLUMN name_vi text NOT NULL DEFAULT '',
        ADD COLUMN name_en text NOT NULL DEFAULT '',
        ADD COLUMN active boolean NOT NULL DEFAULT true;

      CREATE TABLE legal_basis_type (
        code text PRIMARY KEY,
        name_vi text NOT NULL,
        name_en text NOT NULL DEFAULT '',
        rank integer NOT NULL,
        active boolean NOT NULL DEFAULT true
      );
      INSERT INTO legal_basis_type (code, name_vi, name_en, rank) VALUES
        ('HIEN_PHAP', 'Hiến pháp', 'Constitution', 10),
        ('LUAT', 'Luật', 'Law', 20),
        ('NGHI_QUYET', 'Nghị quyết', 'Resolution', 30),
        ('PHAP_LENH', 'Pháp lệnh', 'Ordinance', 40),
        ('NGHI_DINH', 'Nghị định', 'Decree', 50),
        ('QUYET_DINH', 'Quyết định', 'Decision', 60),
        ('THONG_TU', 'Thông tư', 'Circular', 70),
        ('CHI_THI', 'Chỉ thị', 'Directive', 80),
        ('KE_HOACH', 'Kế hoạch', 'Plan', 90),
        ('CONG_VAN', 'Công văn', 'Official letter', 100);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE legal_basis_type;
      ALTER TABLE authority_matrix DROP COLUMN active, DROP COLUMN name_en, DROP COLUMN name_vi;
    `);
  }
}

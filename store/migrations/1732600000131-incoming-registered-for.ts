import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agency clerk's registration of an incoming document is that agency's own record: it no longer
 * holds the issuer and number for everyone, so the Office's registration of the same document
 * (which starts handling for every co-addressed agency) is never refused as a duplicate.
 */
export class IncomingRegisteredFor1732600000131 implements MigrationInterface {
  name = 'IncomingRegisteredFor1732600000131';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE incoming_document ADD COLUMN registered_for_agency text REFERENCES agency(code);
      ALTER TABLE incoming_document DROP CONSTRAINT incoming_document_issuer_number_symbol_key;
      CREATE UNIQUE INDEX incoming_document_registration ON incoming_document (issuer, number_symbol, coalesce(registered_for_agency, ''));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX incoming_document_registration;
      DELETE FROM proactive_handling WHERE incoming_document_id IN (SELECT id FROM incoming_document WHERE registered_for_agency IS NOT NULL);
      DELETE FROM incoming_document WHERE registered_for_agency IS NOT NULL;
      ALTER TABLE incoming_document DROP COLUMN registered_for_agency;
      ALTER TABLE incoming_document ADD CONSTRAINT incoming_document_issuer_number_symbol_key UNIQUE (issuer, number_symbol);
    `);
  }
}

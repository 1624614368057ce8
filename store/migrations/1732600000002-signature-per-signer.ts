import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A document may carry the personal signatures of several people over the same bytes (a deputy's
 * refused signature, then the head's; ): one signature per certificate, not per kind.
 */
export class SignaturePerSigner1732600000002 implements MigrationInterface {
  name = 'SignaturePerSigner1732600000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE document_signature DROP CONSTRAINT document_signature_document_id_kind_sha256_key;
      ALTER TABLE document_signature ADD CONSTRAINT document_signature_per_signer UNIQUE (document_id, kind, cert_serial, sha256);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE document_signature DROP CONSTRAINT document_signature_per_signer;
      ALTER TABLE document_signature ADD CONSTRAINT document_signature_document_id_kind_sha256_key UNIQUE (document_id, kind, sha256);
    `);
  }
}

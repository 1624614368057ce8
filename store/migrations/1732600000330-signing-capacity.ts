import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The capacity a signature was given in, as it is printed (domain/signature-block.ts): the signer's
 * own position at signing time (a later promotion must not change a signed document), the title of
 * the head signed for (KT., Q., TL., TUQ.) and the collective signed for (TM.). Signatures recorded
 * before this take their signer's current position, the best record there is; a deputy's KT. its
 * agency head's.
 */
export class SigningCapacity1732600000330 implements MigrationInterface {
  name = 'SigningCapacity1732600000330';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE signature ADD COLUMN signer_position text, ADD COLUMN signed_for_title text, ADD COLUMN collective_name text;
      UPDATE signature s SET signer_position = u.position FROM app_user u WHERE u.id = s.signer_user_id;
      UPDATE signature s SET signed_for_title = regexp_replace(h.position, '^\\s*Q\\.\\s*', '')
        FROM app_user u JOIN agency a ON a.code = u.agency_code JOIN app_user h ON h.id = a.head_user_id
        WHERE u.id = s.signer_user_id AND s.signing_form = 'KT';
      ALTER TABLE signature ALTER COLUMN signer_position SET NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE signature DROP COLUMN signer_position, DROP COLUMN signed_for_title, DROP COLUMN collective_name');
  }
}

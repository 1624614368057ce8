/**
 * store/round-trips.ts: every parameterised statement is prepared on its connection, and a read
 * batch returns each statement's rows, inside the caller's transaction when given one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { changedRows, readBatch, sqlLiteral, statementName } from '../../store/round-trips.ts';
import { loadDossier, loadDossiers } from '../../store/dossiers.ts';
import { DossierEntity } from '../../store/entities/dossier.ts';
import { validDossierInput } from '../support/dossiers.ts';

describe('round trips to PostgreSQL', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should prepare a statement given with parameters under a name of its text, and give the same rows', async () => {
    // given a statement with parameters
    const sql = 'SELECT $1::int + 1 AS next, $2::text AS word';

    // when typeorm runs it twice on one connection
    const prepared = await env.ds.transaction(async (m) => {
      const first = (await m.query(sql, [41, 'một'])) as { next: number; word: string }[];
      const second = (await m.query(sql, [1, 'hai'])) as { next: number; word: string }[];
      const names = (await m.query('SELECT name, statement FROM pg_prepared_statements')) as { name: string; statement: string }[];
      return { first, second, names };
    });

    // then the rows are the statement's and the connection holds it prepared under its name
    expect(prepared.first).toEqual([{ next: 42, word: 'một' }]);
    expect(prepared.second).toEqual([{ next: 2, word: 'hai' }]);
    expect(prepared.names).toContainEqual({ name: statementName(sql), statement: sql });
    expect(statementName(sql)).not.toEqual(statementName(`${sql} `));
  });

  it('should read several statements in one batch, inside the caller’s transaction when given one', async () => {
    // given a notification written in an open transaction, not yet committed
    const marker = `batch-${Date.now()}`;
    const seen = await env.ds.transaction(async (m) => {
      await m.query(`INSERT INTO notification (kind, recipient_group, message, idempotency_key) VALUES ('TEST', 'nobody', $1, $1)`, [marker]);

      // when a batch reads it on the transaction, and another on the pool
      const inside = await readBatch(m, [`SELECT message FROM notification WHERE idempotency_key = ${sqlLiteral(marker)}`, `SELECT ${sqlLiteral("O'Brien \\ cố")} AS text, 2 AS n`]);
      const outside = await readBatch(env.ds, [`SELECT message FROM notification WHERE idempotency_key = ${sqlLiteral(marker)}`]);
      return { inside, outside };
    });

    // then the transaction's batch sees the row and gives each statement's rows (literals intact), the pool's does not
    expect(seen.inside).toEqual([[{ message: marker }], [{ text: "O'Brien \\ cố", n: 2 }]]);
    expect(seen.outside).toEqual([[]]);
    await expect(readBatch(env.ds, ['SELECT 1; DROP TABLE notification'])).rejects.toThrow(/one statement per entry/);
  });

  it('should give the rows an UPDATE … RETURNING changed, none when it matched nothing, and refuse any other statement', async () => {
    // given an agency, and one that does not exist
    const [agency] = (await env.ds.query('SELECT code, name FROM agency ORDER BY code LIMIT 1')) as { code: string; name: string }[];

    // when each is updated
    const hit = await changedRows<{ code: string }>(env.ds, 'UPDATE agency SET name = name WHERE code = $1 RETURNING code', [agency!.code]);
    const miss = await env.ds.transaction((m) => changedRows(m, 'UPDATE agency SET name = name WHERE code = $1 RETURNING code', ['KHONG_CO']));

    // then the rows are the changed ones (typeorm's raw answer is [rows, count], never empty)
    expect(hit).toEqual([{ code: agency!.code }]);
    expect(miss).toEqual([]);
    await expect(changedRows(env.ds, 'SELECT code FROM agency WHERE code = $1', [agency!.code])).rejects.toThrow(/UPDATE or DELETE with RETURNING/);
  });

  it("should read a dossier, and a page of them, with plain SQL exactly as typeorm's repository does, every column and type", async () => {
    // given a dossier with arrays, jsonb, dates, booleans and nulls
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput());

    // when it is read both ways, and locked inside a transaction
    const plain = await loadDossier(env.ds, dossier.id);
    const typeorm = await env.ds.getRepository(DossierEntity).findOneBy({ id: dossier.id });
    const locked = await env.ds.transaction((m) => loadDossier(m, dossier.id, { forUpdate: true }));

    // then the two are equal, key for key, and an unknown id gives null
    expect(plain).toEqual(typeorm);
    expect(Object.keys(plain!).sort()).toEqual(Object.keys(typeorm!).sort());
    expect(plain!.consultedAgencyCodes.length).toBeGreaterThan(0);
    expect(plain!.createdAt).toBeInstanceOf(Date);
    expect(locked).toEqual(typeorm);
    expect(await loadDossier(env.ds, 'khong-co')).toBeNull();
    // and a page of them: those that exist, each as typeorm gives it
    expect(await loadDossiers(env.ds, [dossier.id, 'khong-co'])).toEqual([typeorm]);
    expect(await loadDossiers(env.ds, [])).toEqual([]);
  });
});

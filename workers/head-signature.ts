/**
 * Topic head-signature: the signature on the submission document is the lead head's, or a
 * deputy's only when urgent and delegated, never when R-07 applies (R-05/06/07), with the stamp
 * and both digital signatures valid over the exact bytes; then the document is locked and
 * registered with its number (Decree 30/2020), once.
 */
import type { EntityManager } from 'typeorm';
import { checkSignature } from '../domain/rules/index.ts';
import { errorsOnly, violation, type RuleViolation } from '../domain/errors.ts';
import type { AuthorizationFacts } from '../domain/facts.ts';
import type { UserRole } from '../domain/model.ts';
import { formatNumberSymbol, parseSymbol } from '../domain/document-number.ts';
import { vietnamYear } from '../domain/calendar.ts';
import { verifyDocument } from '../store/signatures.ts';
import { transition } from '../store/audit.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { violationsError } from './runtime/vars.ts';
import { DOSSIER_STEP_VARIABLES, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'head-signature';

type SignatureRow = {
  id: string;
  document_id: string;
  signer_user_id: string;
  signer_role: string;
  authorization_id: string | null;
  stamped: boolean;
  signed_at: Date;
  user_role: UserRole;
  user_agency: string;
};

export const headSignature: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: DOSSIER_STEP_VARIABLES,
  async handle(ctx) {
    const { policy, now } = ctx;
    return withDossierFacts(ctx, async ({ m, facts, dossierId, round, key }) => {
      const sigRows = (await m.query(
        `SELECT s.*, u.role AS user_role, u.agency_code AS user_agency FROM signature s JOIN app_user u ON u.id = s.signer_user_id
         WHERE s.dossier_id = $1 AND s.round = $2 ORDER BY s.signed_at DESC LIMIT 1`,
        [dossierId, round],
      )) as SignatureRow[];
      const sig = sigRows[0];
      const fail = async (violations: RuleViolation[]) => {
        if (sig) await m.query('UPDATE signature SET verification = $2 WHERE id = $1', [sig.id, JSON.stringify({ ok: false, errorCodes: violations.map((v) => v.code) })]);
        await transition(m, dossierId, 'AWAITING_SIGNATURE', {
          action: 'SIGNATURE_REJECTED',
          actorRole: 'SYSTEM',
          ruleId: violations[0]!.rule,
          errorCode: violations[0]!.code,
          details: { errors: violations.map((v) => v.code) },
          idempotencyKey: key,
        });
        return violationsError(violations);
      };
      if (!sig) return fail([violation('ERR_SIGNATURE_INVALID', { reason: 'no signature recorded' })]);

      const doc = facts.documents.find((d) => d.id === sig.document_id);
      if (!doc) throw new WorkerFault(`signed document ${sig.document_id} is not part of dossier ${dossierId}`);
      let personalOk: boolean;
      let orgOk: boolean;
      if (doc.medium === 'PAPER') {
        // A paper original carries a wet signature and the seal; the clerk attests both.
        personalOk = true;
        orgOk = sig.stamped;
      } else {
        const checks = await verifyDocument(m, sig.document_id, now);
        const person = checks.filter((c) => c.kind === 'PERSON' && c.subjectId === sig.signer_user_id);
        const org = checks.filter((c) => c.kind === 'ORGANISATION' && c.subjectId === facts.leadAgency.code);
        personalOk = person.length > 0 && person.every((c) => c.ok);
        orgOk = org.length > 0 && org.every((c) => c.ok);
      }
      let authorization: AuthorizationFacts | undefined;
      if (sig.authorization_id) {
        const rows = (await m.query('SELECT * FROM delegation WHERE id = $1', [sig.authorization_id])) as Record<string, unknown>[];
        const a = rows[0];
        if (a) {
          authorization = {
            grantorUserId: a.grantor_user_id as string,
            granteeUserId: a.grantee_user_id as string,
            agencyCode: a.agency_code as string,
            matterCategories: a.matter_categories as string[],
            dossierIds: a.dossier_ids as string[],
            validFrom: a.valid_from as Date,
            validTo: a.valid_to as Date,
            revokedAt: (a.revoked_at as Date | null) ?? null,
          };
        }
      }
      const errors = errorsOnly(
        checkSignature(
          {
            dossier: facts,
            signer: { userId: sig.signer_user_id, role: sig.user_role, agencyCode: sig.user_agency },
            authorization,
            stamped: sig.stamped,
            personalSignatureValid: personalOk,
            orgSignatureValid: orgOk,
            signedAt: sig.signed_at,
          },
          policy.rules,
        ),
      );
      await m.query('UPDATE signature SET personal_sig_ok = $2, org_sig_ok = $3 WHERE id = $1', [sig.id, personalOk, orgOk]);
      if (errors.length > 0) return fail(errors);

      await m.query('UPDATE signature SET verification = $2 WHERE id = $1', [sig.id, JSON.stringify({ ok: true, errorCodes: [] })]);
      await registerNumber(m, sig.document_id, facts.leadAgency.code, now);
      await transition(m, dossierId, 'SIGNED', {
        action: 'SIGNED',
        actorUserId: sig.signer_user_id,
        actorRole: sig.signer_role,
        ruleId: sig.signer_role === 'DEPUTY' ? 'R-06' : 'R-05',
        details: { documentId: sig.document_id, authorizationId: sig.authorization_id },
        idempotencyKey: key,
      });
      return complete();
    });
  },
};

/** Locks the signed version and gives it the next number of its issuer, year and type, once. */
async function registerNumber(m: EntityManager, documentId: string, agencyCode: string, now: Date): Promise<void> {
  const rows = (await m.query(
    `SELECT d.number, d.doc_type, d.symbol, a.symbol_abbr FROM document d JOIN agency a ON a.code = $2 WHERE d.id = $1 FOR UPDATE OF d`,
    [documentId, agencyCode],
  )) as { number: number | null; doc_type: string; symbol: string | null; symbol_abbr: string }[];
  const doc = rows[0];
  if (!doc) throw new WorkerFault(`document ${documentId} vanished`);
  if (doc.number !== null) {
    await m.query('UPDATE document SET locked = true WHERE id = $1', [documentId]);
    return;
  }
  const year = vietnamYear(now);
  // One register per issuer, year and type: serialise the few writers of the same register.
  await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`number:${agencyCode}:${year}:${doc.doc_type}`]);
  const next = (await m.query(
    'SELECT COALESCE(MAX(number), 0) + 1 AS n FROM document WHERE issuer_agency_code = $1 AND year = $2 AND doc_type = $3 AND number IS NOT NULL',
    [agencyCode, year, doc.doc_type],
  )) as { n: number }[];
  const number = Number(next[0]!.n);
  // A công văn keeps the drafting unit its drafter wrote (`/SCT-KT` → `15/SCT-KT`).
  const drafted = doc.symbol ? parseSymbol(doc.symbol) : null;
  const symbol = formatNumberSymbol({
    number,
    docType: doc.doc_type as Parameters<typeof formatNumberSymbol>[0]['docType'],
    issuerAbbr: doc.symbol_abbr,
    unitAbbr: drafted?.unit ?? (doc.doc_type === 'CONG_VAN' ? 'VP' : undefined),
  });
  await m.query('UPDATE document SET number = $2, year = $3, symbol = $4, issuer_agency_code = $5, issued_at = $6, locked = true WHERE id = $1', [
    documentId,
    number,
    year,
    symbol,
    agencyCode,
    now,
  ]);
}

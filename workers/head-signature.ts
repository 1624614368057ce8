/**
 * Topic head-signature: the signature on the submission document is the lead head's, or a
 * deputy's only when urgent and delegated, never when R-07 applies (R-05/06/07), with the stamp
 * and both digital signatures valid over the exact bytes; then the document is locked and
 * registered with its number (Decree 30/2020), once.
 */
import { checkSignature } from '../domain/rules/index.ts';
import { errorsOnly, violation, type RuleViolation } from '../domain/errors.ts';
import type { AuthorizationFacts, DossierFacts } from '../domain/facts.ts';
import type { RulesConfig } from '../domain/rules/config.ts';
import { latestSignature, recordSignatureVerification, verifyDocument, type SignatureCheck, type StoredSignature } from '../store/signatures.ts';
import { delegationById } from '../store/organisation.ts';
import { registerDocumentNumber } from '../store/documents.ts';
import { transition } from '../store/audit.ts';
import { complete, WorkerFault } from './runtime/outcome.ts';
import { DOSSIER_STEP_VARIABLES, rejectStep, withDossierFacts } from './runtime/dossier-step.ts';
import type { WorkerDefinition } from './runtime/run-worker.ts';

export const topic = 'head-signature';

/**
 * What the signed document's signatures prove: `PAPER` for a paper original, else the checks of its
 * digital signatures over the stored bytes. On paper nothing can be verified here: the wet signature
 * is taken as given and the stamp as the signer declared it; the clerk attests both later, in
 * "Gửi hồ sơ giấy (mật)" (server/tasks/forms/send-paper.ts), before the paper goes to the Office.
 */
export type SignatureEvidence = 'PAPER' | readonly SignatureCheck[];

export type SignatureDecision = { personalOk: boolean; orgOk: boolean; errors: RuleViolation[] };

/** The pure decision on a recorded signature: whether each signature holds, and which rules it breaks (R-05/06/07, R-09). */
export function decide(
  facts: DossierFacts,
  sig: StoredSignature,
  evidence: SignatureEvidence,
  authorization: AuthorizationFacts | undefined,
  rules: RulesConfig,
): SignatureDecision {
  let personalOk: boolean;
  let orgOk: boolean;
  if (evidence === 'PAPER') {
    personalOk = true;
    orgOk = sig.stamped;
  } else {
    const person = evidence.filter((c) => c.kind === 'PERSON' && c.subjectId === sig.signerUserId);
    const org = evidence.filter((c) => c.kind === 'ORGANISATION' && c.subjectId === facts.leadAgency.code);
    personalOk = person.length > 0 && person.every((c) => c.ok);
    orgOk = org.length > 0 && org.every((c) => c.ok);
  }
  const errors = errorsOnly(
    checkSignature(
      {
        dossier: facts,
        signer: { userId: sig.signerUserId, role: sig.signerUserRole, agencyCode: sig.signerAgencyCode },
        authorization,
        stamped: sig.stamped,
        personalSignatureValid: personalOk,
        orgSignatureValid: orgOk,
        signedAt: sig.signedAt,
      },
      rules,
    ),
  );
  return { personalOk, orgOk, errors };
}

export const headSignature: WorkerDefinition = {
  topic,
  refreshesDeadlines: true,
  variables: DOSSIER_STEP_VARIABLES,
  async handle(ctx) {
    const { policy, now } = ctx;
    return withDossierFacts(ctx, async (step) => {
      const { m, facts, dossierId, round, key } = step;
      const reject = (violations: RuleViolation[]) => rejectStep(step, violations, { round, to: 'AWAITING_SIGNATURE', action: 'SIGNATURE_REJECTED' });
      const sig = await latestSignature(m, dossierId, round);
      if (!sig) return reject([violation('ERR_SIGNATURE_INVALID', { reason: 'no signature recorded' })]);

      const doc = facts.documents.find((d) => d.id === sig.documentId);
      if (!doc) throw new WorkerFault(`signed document ${sig.documentId} is not part of dossier ${dossierId}`);
      const evidence: SignatureEvidence = doc.medium === 'PAPER' ? 'PAPER' : await verifyDocument(m, sig.documentId, now);
      const authorization = sig.authorizationId ? ((await delegationById(m, sig.authorizationId)) ?? undefined) : undefined;
      const { personalOk, orgOk, errors } = decide(facts, sig, evidence, authorization, policy.rules);

      await recordSignatureVerification(m, sig.id, { personalOk, orgOk, ok: errors.length === 0, errorCodes: errors.map((e) => e.code) });
      if (errors.length > 0) return reject(errors);
      await registerDocumentNumber(m, sig.documentId, facts.leadAgency.code, now);
      await transition(m, dossierId, 'SIGNED', {
        action: 'SIGNED',
        actorUserId: sig.signerUserId,
        actorRole: sig.signerRole,
        ruleId: sig.signerRole === 'DEPUTY' ? 'R-06' : 'R-05',
        details: { documentId: sig.documentId, authorizationId: sig.authorizationId },
        idempotencyKey: key,
      });
      return complete();
    });
  },
};

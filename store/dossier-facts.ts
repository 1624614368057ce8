/** Builds the DossierFacts the domain rules read, from our tables, for the dossier's current round. */
import type { EntityManager } from 'typeorm';
import type { DocumentFacts, DossierFacts } from '../domain/facts.ts';
import type { Dossier } from './entities/dossier.ts';
import { checkSignatures, dossierSignaturesSql, type SignatureCheck, type SignatureRow } from './signatures.ts';
import { readBatch, sqlLiteral } from './round-trips.ts';
import { loadDossier } from './dossiers.ts';
import { opinionFactsFromRow, opinionFactsSql, opinionRequestFactsFromRow, opinionRequestFactsSql } from './opinions.ts';

/**
 * The stored dossier and the facts built from it, from the same read. `signatures: false` skips
 * verifying signatures (reading every signed file) where no rule looks at them.
 */
export async function loadDossierWithFacts(
  m: EntityManager,
  id: string,
  now: Date = new Date(),
  opts: { signatures?: boolean } = {},
): Promise<{ dossier: Dossier; facts: DossierFacts } | null> {
  const d = await loadDossier(m, id);
  if (!d) return null;
  // Six reads in one round trip, inside the caller's transaction (store/round-trips.ts): a worker
  // step loads these facts every time, and each round trip cost more than its read.
  const [lit, round] = [sqlLiteral(id), Number(d.round)];
  const withSignatures = opts.signatures !== false;
  const [agencyRows = [], docRows = [], requestRows = [], opinionRows = [], appraisalRows = [], signatureRows = [], documentSignatureRows = []] = await readBatch(m, [
    `SELECT code, fields, head_user_id, head_is_ubnd_member, symbol_abbr FROM agency WHERE code = ${sqlLiteral(d.leadAgencyCode)}`,
    // Current versions only: a superseded submission document is history, not a second component.
    `SELECT d.*, EXISTS (SELECT 1 FROM document_body b WHERE b.document_id = d.id) AS has_body,
       EXISTS (SELECT 1 FROM document_signature s WHERE s.document_id = d.id) AS has_signatures
     FROM document d WHERE d.dossier_id = ${lit} AND d.superseded_at IS NULL ORDER BY d.created_at`,
    opinionRequestFactsSql(lit, round),
    opinionFactsSql(lit),
    // The latest appraisal up to this round: a format return redrafts and re-signs in a new round without appraising again.
    `SELECT status, conclusion, lawful, reasons FROM appraisal WHERE dossier_id = ${lit} AND round <= ${round} ORDER BY round DESC, created_at DESC LIMIT 1`,
    `SELECT s.*, u.agency_code AS signer_agency_code FROM signature s JOIN app_user u ON u.id = s.signer_user_id
     WHERE s.dossier_id = ${lit} AND s.round = ${round} ORDER BY s.signed_at DESC LIMIT 1`,
    ...(withSignatures ? [dossierSignaturesSql(lit, { currentOnly: true })] : []),
  ]);
  const agency = agencyRows[0];
  // Validity is computed from the bytes every time, never trusted from a stored flag.
  const checks: Map<string, SignatureCheck[]> = withSignatures
    ? await checkSignatures(m, docRows.filter((r) => r.has_signatures).map((r) => r.id as string), documentSignatureRows as SignatureRow[], now)
    : new Map();
  const validity = (id: string, kind: 'PERSON' | 'ORGANISATION'): boolean | null => {
    const of = (checks.get(id) ?? []).filter((c) => c.kind === kind);
    return of.length === 0 ? null : of.every((c) => c.ok);
  };
  const documents: DocumentFacts[] = docRows.map((r) => ({
    id: r.id as string,
    role: r.role as DocumentFacts['role'],
    docType: r.doc_type as DocumentFacts['docType'],
    symbol: (r.symbol as string | null) ?? '',
    number: (r.number as number | null) ?? null,
    medium: r.medium as DocumentFacts['medium'],
    subject: r.subject as string,
    kinhGui: r.kinh_gui as string[],
    noiNhan: r.noi_nhan as string[],
    stamped: r.stamped as boolean,
    initialed: r.initialed as boolean,
    hangingStamp: r.hanging_stamp as boolean,
    orgSignatureValid: validity(r.id as string, 'ORGANISATION'),
    personalSignatureValid: validity(r.id as string, 'PERSON'),
    hasBody: r.has_body as boolean,
    signerUserId: (r.signer_user_id as string | null) ?? undefined,
    signingForm: r.signing_form as DocumentFacts['signingForm'],
    issuerAgencyCode: (r.issuer_agency_code as string | null) ?? undefined,
  }));
  const appraisal = appraisalRows[0];
  const signature = signatureRows[0];
  const facts: DossierFacts = {
    id: d.id,
    subject: d.subject,
    matterCategory: d.matterCategory,
    decisionAuthority: d.decisionAuthority,
    leadAgency: {
      code: d.leadAgencyCode,
      fields: (agency?.fields as string[] | undefined) ?? [],
      headUserId: (agency?.head_user_id as string | null) ?? '',
      headIsUbndMember: (agency?.head_is_ubnd_member as boolean | undefined) ?? false,
      symbolAbbr: (agency?.symbol_abbr as string | undefined) ?? undefined,
    },
    isLegalNormative: d.isLegalNormative,
    requiresAppraisal: d.requiresAppraisal,
    appraiserAgencyCode: d.appraiserAgencyCode ?? undefined,
    urgency: d.urgency,
    urgentReason: d.urgentReason ?? undefined,
    secrecyLevel: d.secrecyLevel,
    channel: d.channel,
    legalBasis: d.legalBasis.map((l) => ({ ...l, issuedAt: l.issuedAt ? new Date(l.issuedAt) : undefined })),
    practicalBasis: d.practicalBasis,
    proposal: d.proposal,
    options: d.options,
    consultedAgencyCodes: d.consultedAgencyCodes,
    opinionSummary: d.opinionSummary,
    chosenOptionId: d.chosenOptionId ?? undefined,
    choiceRationale: d.choiceRationale ?? undefined,
    assignedToUbndMember: d.assignedToUbndMember,
    documents,
    opinionRequests: requestRows.map(opinionRequestFactsFromRow),
    opinions: opinionRows.map(opinionFactsFromRow),
    appraisal: appraisal
      ? {
          status: appraisal.status as NonNullable<DossierFacts['appraisal']>['status'],
          conclusion: (appraisal.conclusion as NonNullable<DossierFacts['appraisal']>['conclusion'] | null) ?? undefined,
          lawful: (appraisal.lawful as boolean | null) ?? undefined,
          reasons: (appraisal.reasons as string | null) ?? undefined,
        }
      : undefined,
    signature: signature
      ? {
          signerUserId: signature.signer_user_id as string,
          signerRole: signature.signer_role as NonNullable<DossierFacts['signature']>['signerRole'],
          signerAgencyCode: signature.signer_agency_code as string,
          authorizationId: (signature.authorization_id as string | null) ?? undefined,
          stamped: signature.stamped as boolean,
          personalSigOk: (signature.personal_sig_ok as boolean | null) ?? false,
          orgSigOk: (signature.org_sig_ok as boolean | null) ?? false,
          signedAt: signature.signed_at as Date,
          verification: (signature.verification as { ok: boolean; errorCodes: string[] } | null) ?? { ok: false, errorCodes: [] },
        }
      : undefined,
  };
  return { dossier: d, facts };
}

import { violation, type RuleViolation } from '../errors.ts';
import type { RulesConfig } from './config.ts';
import { isUbndRecipient } from './r10-opinions-gate.ts';

export interface IncomingDocumentFacts {
  kinhGui: string[];
  noiNhan: string[];
  requestsAction: boolean;
}

/**
 * the agencies that must act proactively on an incoming document: those co-addressed (kính gửi or
 * nơi nhận) with UBND tỉnh / its Chairman on a document that requests action. `knownAgencyCodes` tells
 * agency codes from free text ("Như trên", "Lưu: VT"); UBND tỉnh and its Office are never included.
 */
export function proactiveAgencies(doc: IncomingDocumentFacts, knownAgencyCodes: readonly string[], config: RulesConfig): string[] {
  if (!doc.requestsAction) return [];
  const all = [...doc.kinhGui, ...doc.noiNhan].map((r) => r.trim());
  if (!all.some((r) => isUbndRecipient(r, config))) return [];
  const known = new Set(knownAgencyCodes);
  return [...new Set(all.filter((r) => known.has(r) && !isUbndRecipient(r, config)))].sort();
}

export interface ProactiveHandlingFacts {
  agencyCode: string;
  firstActionAt?: Date | null;
  /** When UBND tỉnh's own instruction on the same matter reached the agency, if it did. */
  ubndInstructionAt?: Date | null;
}

/** an agency is reactive-only when UBND's instruction came and its first action did not precede it. */
export function isReactiveOnly(h: ProactiveHandlingFacts): boolean {
  if (h.ubndInstructionAt === undefined || h.ubndInstructionAt === null) return false;
  return h.firstActionAt === undefined || h.firstActionAt === null || h.firstActionAt.getTime() >= h.ubndInstructionAt.getTime();
}

/** a report warning listing the agencies that waited for UBND's instruction. */
export function checkProactiveHandling(rows: readonly ProactiveHandlingFacts[]): RuleViolation | null {
  const agencies = rows.filter(isReactiveOnly).map((r) => r.agencyCode).sort();
  return agencies.length === 0 ? null : violation('WARN_REACTIVE_ONLY', { agencies });
}

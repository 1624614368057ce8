import { violation, type RuleViolation } from '../errors.ts';
import type { DossierFacts } from '../facts.ts';
import type { RulesConfig } from './config.ts';
import { findVaguePhrases, isBlank, wordsOutside } from './vague-text.ts';

// Words of the request formula ("Kính đề nghị UBND tỉnh cho ý kiến về việc…") that carry no content.
const FORMULA_WORDS = new Set(
  'kính đề nghị trình ubnd ủy ban nhân dân tỉnh chủ tịch cho được về việc xin ý kiến của và để các những với này'.split(' '),
);

type ProposalFacts = Pick<DossierFacts, 'proposal' | 'documents'>;

/**
 * R-03: warns about a "xin chủ trương / xin ý kiến" proposal: one with a vague phrase and either no draft
 * attached or too little concrete content besides the phrase and the request formula. An empty proposal
 * is R-16's error.
 */
export function checkConcreteProposal(d: ProposalFacts, config: RulesConfig): RuleViolation | null {
  if (isBlank(d.proposal)) return null;
  const phrases = findVaguePhrases(d.proposal, config.vaguePhrases);
  if (phrases.length === 0) return null;
  const hasDraft = d.documents.some((doc) => doc.role === 'DRAFT_DECISION');
  const concreteWords = wordsOutside(d.proposal, config.vaguePhrases).filter((w) => !FORMULA_WORDS.has(w)).length;
  if (hasDraft && concreteWords >= config.vagueProposalMinConcreteWords) return null;
  return violation('WARN_VAGUE_PROPOSAL', { phrases, hasDraft, concreteWords });
}

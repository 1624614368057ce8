/** Configurable values of the domain rules; the process config module builds one and passes it in. */
import type { CompetentAuthority } from '../model.ts';

export interface RulesConfig {
  /** R-01/02: matter category → competent authority, as the database holds it (the server refuses a category not in it). */
  readonly authorityMatrix: Readonly<Record<string, CompetentAuthority>>;
  /** phrases that mark vague text (matched after NFC + lower case). */
  readonly vaguePhrases: readonly string[];
  /** a proposal with a vague phrase is still concrete when a draft is attached and this many words remain besides the phrase and the request formula ("kính đề nghị UBND tỉnh…"). */
  readonly vagueProposalMinConcreteWords: number;
  /** a matter outside the lead agency's fields is an error (true) or a warning (false). */
  readonly strictAgencyField: boolean;
  /** an OVERDUE opinion request counts as agreement. Off by default (docs/RULES.md decision 1). */
  readonly silenceMeansConsent: boolean;
  readonly confidential: {
    /** a secret dossier goes on paper only (2021 provincial instruction). File bodies are never stored either way. */
    readonly paperOnly: boolean;
  };
  /** how UBND tỉnh, its Chairman or its Office appear in kính gửi / nơi nhận. */
  readonly ubndRecipients: {
    /** Agency codes, compared case-insensitively. */
    readonly codes: readonly string[];
    /** Free-text phrases, matched after normalisation ("ủy ban nhân dân" is read as "ubnd"). */
    readonly phrases: readonly string[];
  };
}

export const DEFAULT_VAGUE_PHRASES: readonly string[] = Object.freeze([
  'đề nghị cơ quan soạn thảo cân nhắc',
  'cân nhắc',
  'nghiên cứu thêm',
  'xem xét thêm',
  'xin chủ trương',
  'xin ý kiến chỉ đạo',
]);

export const DEFAULT_RULES_CONFIG: RulesConfig = Object.freeze({
  // The matrix is data an administrator keeps (store/reference-data.ts); the server and the workers put it here.
  authorityMatrix: Object.freeze({}),
  vaguePhrases: DEFAULT_VAGUE_PHRASES,
  vagueProposalMinConcreteWords: 6,
  strictAgencyField: false,
  silenceMeansConsent: false,
  confidential: Object.freeze({ paperOnly: true }),
  ubndRecipients: Object.freeze({
    codes: Object.freeze(['UBNDTINH', 'UBND_TINH', 'CHU_TICH_UBND_TINH', 'VPUBND', 'VP_UBND']),
    phrases: Object.freeze(['ubnd tỉnh', 'vpubnd', 'vp ubnd']),
  }),
});

/** A config with some values changed (tests, per-environment overrides). */
export function rulesConfig(overrides: Partial<RulesConfig> = {}): RulesConfig {
  return Object.freeze({ ...DEFAULT_RULES_CONFIG, ...overrides });
}

/** Text normalisation and vague-phrase matching shared by. */

// Old-style and new-style tone placement on "oa", "oe", "uy" (hoà/hòa, uỷ/ủy) must compare equal.
const TONE_PLACEMENT: ReadonlyArray<readonly [RegExp, string]> = [
  [/oà/g, 'òa'], [/oá/g, 'óa'], [/oả/g, 'ỏa'], [/oã/g, 'õa'], [/oạ/g, 'ọa'],
  [/oè/g, 'òe'], [/oé/g, 'óe'], [/oẻ/g, 'ỏe'], [/oẽ/g, 'õe'], [/oẹ/g, 'ọe'],
  [/uỳ/g, 'ùy'], [/uý/g, 'úy'], [/uỷ/g, 'ủy'], [/uỹ/g, 'ũy'], [/uỵ/g, 'ụy'],
];

/** Unicode NFC, lower case, one tone placement, single spaces. */
export function normaliseText(text: string): string {
  let s = text.normalize('NFC').toLowerCase();
  for (const [pattern, replacement] of TONE_PLACEMENT) s = s.replace(pattern, replacement);
  return s.replace(/\s+/gu, ' ').trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function phrasePattern(phrase: string): RegExp {
  const body = normaliseText(phrase).split(' ').map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'gu');
}

/** the configured phrases found in a text (returned as configured), whole words only. */
export function findVaguePhrases(text: string | null | undefined, phrases: readonly string[]): string[] {
  if (!text) return [];
  const normalised = normaliseText(text);
  return phrases.filter((p) => normaliseText(p) !== '' && phrasePattern(p).test(normalised));
}

/** the words of a text once the given phrases are removed (to judge what concrete content is left). */
export function wordsOutside(text: string, phrases: readonly string[]): string[] {
  let s = normaliseText(text);
  const longestFirst = [...phrases].sort((a, b) => b.length - a.length);
  for (const p of longestFirst) if (normaliseText(p) !== '') s = s.replace(phrasePattern(p), ' ');
  return s.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** whether a required text is missing or only whitespace. */
export function isBlank(text: string | null | undefined): boolean {
  return text === undefined || text === null || text.trim() === '';
}

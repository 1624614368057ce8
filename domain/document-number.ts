/**
 * Numbers and symbols of administrative documents under Decree 30/2020/NĐ-CP (docs/RULES.md, facts from Vietnamese law):
 * typed `123/TTr-STP`, công văn `986/UBND-THKSTTHC` (no type part, never "CV"),
 * normative `17/2017/QĐ-UBND`. The number is blank before registration: `/UBND-THKSTTHC`.
 */
import type { DocType } from './model.ts';

/** Type abbreviation for each modelled document type; null where the symbol has no type part. */
export const TYPE_ABBREVIATIONS: Readonly<Record<DocType, string | null>> = Object.freeze({
  TO_TRINH: 'TTr',
  QUYET_DINH: 'QĐ',
  BAO_CAO: 'BC',
  KE_HOACH: 'KH',
  CHUONG_TRINH: 'CTr',
  CHI_THI: 'CT',
  THONG_BAO: 'TB',
  HUONG_DAN: 'HD',
  NGHI_QUYET: 'NQ',
  DE_AN: 'ĐA',
  PHUONG_AN: 'PA',
  BIEN_BAN: 'BB',
  GIAY_MOI: 'GM',
  CONG_VAN: null,
  KHAC: null,
});

/**
 * Every type abbreviation of Decree 30 Appendix III (secondary transcriptions), including types we
 * do not model, so that `12/QC-UBND` is read as a Quy chế and not as a công văn of issuer "QC".
 */
const ALL_TYPE_ABBREVIATIONS: readonly string[] = [
  'NQ', 'QĐ', 'CT', 'QC', 'QyĐ', 'TC', 'TB', 'HD', 'CTr', 'KH', 'PA', 'ĐA', 'DA', 'BC', 'BB',
  'TTr', 'HĐ', 'CĐ', 'GN', 'TTh', 'GUQ', 'GM', 'GGT', 'GNP', 'PG', 'PC', 'PB',
];

/** Types that take the year in their number when they are legal normative documents. */
const NORMATIVE_TYPES: readonly DocType[] = ['QUYET_DINH', 'NGHI_QUYET'];

// Upper-cased type abbreviation → canonical spelling; matching is case-insensitive ("TTR" is a tờ trình).
const TYPE_BY_UPPER = new Map(ALL_TYPE_ABBREVIATIONS.map((abbr) => [abbr.toUpperCase(), abbr]));
const DOC_TYPE_BY_ABBR = new Map(
  (Object.entries(TYPE_ABBREVIATIONS) as [DocType, string | null][])
    .filter((entry): entry is [DocType, string] => entry[1] !== null)
    .map(([docType, abbr]) => [abbr, docType]),
);

const SEGMENT = '[A-ZĐ0-9&]+';
const SEGMENT_RE = new RegExp(`^${SEGMENT}$`);
const UNIT_RE = new RegExp(`^${SEGMENT}(?:-${SEGMENT})*$`);
// number? / (year /)? first - second (- rest)?   where first is a type abbreviation or an issuer.
const SYMBOL_RE = /^(?:(\d+))?\/(?:(\d{4})\/)?([^/\s-]+)-([^/\s-]+)((?:-[^/\s-]+)*)$/u;
// "CV" is not an official symbol (docs/RULES.md): a công văn has no type part at all.
const FORBIDDEN_TYPE = 'CV';

export type ParsedSymbol = {
  number: number | null;
  year: number | null;
  typeAbbr: string | null;
  issuer: string;
  unit: string | null;
};

export type NumberSymbolInput = {
  /** Registered number, null before registration (cấp số). */
  number: number | null;
  docType: DocType;
  /** Issuing agency abbreviation, e.g. STP, SKHĐT, UBND. */
  issuerAbbr: string;
  /** Drafting unit abbreviation: required for a công văn (UBND-VP), optional otherwise. */
  unitAbbr?: string;
  /** Year of issue: used only for a normative document, where it is required. */
  year?: number;
  normative?: boolean;
};

/** NFC, trimmed, with the look-alike letters Ð/ð (U+00D0/U+00F0) and dashes folded to Đ/đ and "-". */
function normalise(value: string): string {
  return value
    .normalize('NFC')
    .trim()
    .replace(/\u00D0/g, '\u0110')
    .replace(/\u00F0/g, '\u0111')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
}

function normaliseAbbr(value: string, field: string, pattern: RegExp): string {
  const abbr = normalise(value).toUpperCase();
  if (!pattern.test(abbr)) {
    throw new Error(`${field} must be upper-case letters (A–Z, Đ), digits or &, got ${JSON.stringify(value)}`);
  }
  return abbr;
}

function formatNumber(number: number | null): string {
  if (number === null) return '';
  if (!Number.isInteger(number) || number < 1) throw new Error(`number must be a positive integer, got ${String(number)}`);
  // Decree 30 writes numbers below 10 with a leading zero (01, 08).
  return String(number).padStart(2, '0');
}

/**
 * Builds the "số, ký hiệu" of a document: `123/TTr-SCT`, `/TTr-SCT` before registration,
 * `15/UBND-VP` for a công văn, `17/2017/QĐ-UBND` for a normative decision.
 */
export function formatNumberSymbol(input: NumberSymbolInput): string {
  const { docType, normative = false } = input;
  const number = formatNumber(input.number);
  const issuer = normaliseAbbr(input.issuerAbbr, 'issuerAbbr', SEGMENT_RE);
  const unit = input.unitAbbr === undefined || input.unitAbbr.trim() === '' ? null : normaliseAbbr(input.unitAbbr, 'unitAbbr', UNIT_RE);

  if (docType === 'CONG_VAN') {
    if (normative) throw new Error('a công văn is never a normative document');
    if (unit === null) throw new Error('unitAbbr is required for a công văn (e.g. 15/UBND-VP)');
    return `${number}/${issuer}-${unit}`;
  }
  const typeAbbr = TYPE_ABBREVIATIONS[docType];
  if (typeAbbr === null) throw new Error(`${docType} has no Decree 30 symbol form; set the symbol explicitly`);
  const tail = unit === null ? '' : `-${unit}`;
  if (!normative) return `${number}/${typeAbbr}-${issuer}${tail}`;

  if (!NORMATIVE_TYPES.includes(docType)) throw new Error(`${docType} cannot be a normative document`);
  const { year } = input;
  if (year === undefined || !Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new Error('year (four digits) is required for a normative document');
  }
  return `${number}/${year}/${typeAbbr}-${issuer}${tail}`;
}

function parseCanonical(s: string): { parsed: ParsedSymbol; canonicalType: boolean } | null {
  const match = SYMBOL_RE.exec(normalise(s));
  if (!match) return null;
  const [, numberText, yearText, first = '', second = '', restText = ''] = match;
  const rest = restText === '' ? [] : restText.slice(1).split('-');
  const number = numberText === undefined ? null : Number(numberText);
  if (number === 0) return null;
  const year = yearText === undefined ? null : Number(yearText);

  const upperFirst = first.toUpperCase();
  if (upperFirst === FORBIDDEN_TYPE) return null;
  const typeAbbr = TYPE_BY_UPPER.get(upperFirst) ?? null;
  const segmentsOk = (segments: string[]) => segments.every((segment) => SEGMENT_RE.test(segment));

  if (typeAbbr !== null) {
    if (!segmentsOk([second, ...rest])) return null;
    return {
      parsed: { number, year, typeAbbr, issuer: second, unit: rest.length > 0 ? rest.join('-') : null },
      canonicalType: first === typeAbbr,
    };
  }
  // Công văn: issuer-unit, never with a year.
  if (year !== null || !segmentsOk([first, second, ...rest])) return null;
  return {
    parsed: { number, year: null, typeAbbr: null, issuer: first, unit: [second, ...rest].join('-') },
    canonicalType: true,
  };
}

/**
 * Reads a number and symbol (with or without the number). Returns null when it fits none of the
 * three Decree 30 patterns, or uses the unofficial "CV". A first part that is a known type
 * abbreviation makes it a typed document; otherwise it is a công văn (issuer-unit).
 */
export function parseSymbol(s: string): ParsedSymbol | null {
  return parseCanonical(s)?.parsed ?? null;
}

/**
 * The document type a symbol denotes: CONG_VAN when it has no type part, KHAC for a Decree 30
 * type we do not model (QC, HĐ…), null when it is not a valid symbol.
 */
export function docTypeOfSymbol(s: string): DocType | null {
  const parsed = parseSymbol(s);
  if (parsed === null) return null;
  if (parsed.typeAbbr === null) return 'CONG_VAN';
  return DOC_TYPE_BY_ABBR.get(parsed.typeAbbr) ?? 'KHAC';
}

/**
 * True when `s` is a well-formed symbol of `docType` with the type abbreviation spelt exactly
 * (TTr, not TTR); a year appears only on a decision or resolution (normative). R-15 uses it.
 */
export function isValidSymbolFor(docType: DocType, s: string): boolean {
  const result = parseCanonical(s);
  if (result === null || !result.canonicalType) return false;
  const { parsed } = result;
  if (parsed.year !== null && !NORMATIVE_TYPES.includes(docType)) return false;
  if (docType === 'KHAC') return parsed.typeAbbr !== null && !DOC_TYPE_BY_ABBR.has(parsed.typeAbbr);
  return docTypeOfSymbol(s) === docType;
}

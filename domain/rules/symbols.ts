import { parseSymbol, type ParsedSymbol } from '../document-number.ts';

/** reads a document symbol as stored: with number (`123/TTr-STP`), blank number (`/TTr-STP`) or bare (`TTr-STP`). */
export function readSymbol(symbol: string): ParsedSymbol | null {
  return parseSymbol(withSlash(symbol));
}

/** the symbol in the `<number>/<symbol>` form domain/document-number.ts expects. */
export function withSlash(symbol: string): string {
  const s = symbol.trim();
  return s.includes('/') ? s : `/${s}`;
}

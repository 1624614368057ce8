/** Matter categories form a tree written as paths: `cong-thuong/xuc-tien-thuong-mai`. */

/** whether `field` is the category itself or one of its ancestors (separator `/` or `.`). */
export function categoryCovers(field: string, category: string): boolean {
  const f = field.trim();
  const c = category.trim();
  if (f === '' || c === '') return false;
  return c === f || c.startsWith(`${f}/`) || c.startsWith(`${f}.`);
}

/** the value configured for the most specific entry covering a category, if any. */
export function lookupCategory<T>(table: Readonly<Record<string, T>>, category: string): { key: string; value: T } | null {
  let best: { key: string; value: T } | null = null;
  for (const [key, value] of Object.entries(table)) {
    if (categoryCovers(key, category) && (best === null || key.length > best.key.length)) best = { key, value };
  }
  return best;
}

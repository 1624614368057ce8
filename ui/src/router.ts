/** History-API routing: each page is its own chunk, loaded when first visited. */
export type PageContext = { params: Record<string, string>; query: URLSearchParams; onCleanup(fn: () => void): void };
export type Page = { render(root: HTMLElement, ctx: PageContext): Promise<void> | void };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the guard takes the app's user, which the router does not know
type Guard = (user: any) => boolean;
type Route = { pattern: RegExp; keys: string[]; load: () => Promise<Page>; allowed?: Guard };

const routes: Route[] = [];

/** A page at `path`; `allowed` says who may open it (others get the forbidden page, the page is never loaded). */
export function route(path: string, load: () => Promise<Page>, allowed?: Guard): void {
  const keys: string[] = [];
  const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)')) + '/?$');
  routes.push({ pattern, keys, load, ...(allowed ? { allowed } : {}) });
}

export function match(pathname: string): { route: Route; params: Record<string, string> } | null {
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (m) return { route: r, params: Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)])) };
  }
  return null;
}

let onNavigate: (() => void) | null = null;
export function setNavigateHandler(fn: () => void): void {
  onNavigate = fn;
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  onNavigate?.();
}

/** Internal links navigate without reloading. */
export function interceptLinks(): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const href = a.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('/api/')) return;
    e.preventDefault();
    navigate(href);
  });
  window.addEventListener('popstate', () => onNavigate?.());
}

/** Renders the current page again (after an action changed what it shows). */
export function reload(): void {
  onNavigate?.();
}

/** The web app: sign-in, the layout with its navigation, and the pages (each loaded on first visit). */
import './fonts.ts';
import './styles.css';
import { ApiError, get, post, setCsrf, unauthenticated, type SessionAnswer } from './api.ts';
import { h, clear, announce } from './dom.ts';
import { getLang, setLang, t, code } from './i18n.ts';
import { can, maybeMe, setMe, type User } from './session.ts';
import { interceptLinks, match, navigate, route, setNavigateHandler, type PageContext } from './router.ts';
import { liveState, startLive, stopLive } from './live.ts';

route('/', () => import('./pages/tasks.ts'));
route('/tasks', () => import('./pages/tasks.ts'));
route('/tasks/:id', () => import('./pages/task.ts'));
route('/dossiers', () => import('./pages/dossiers.ts'), can.dossiers);
route('/dossiers/new', () => import('./pages/dossier-new.ts'), can.createDossier);
route('/dossiers/:id', () => import('./pages/dossier.ts'), can.dossiers);
route('/designer', () => import('./pages/designer.ts'), can.designer);
route('/operations', () => import('./pages/operations.ts'), can.operations);
route('/reports', () => import('./pages/reports.ts'), can.reports);
route('/admin', () => import('./pages/admin.ts'), can.admin);
route('/delegations', () => import('./pages/delegations.ts'), can.seeDelegations);
route('/incoming', () => import('./pages/incoming.ts'), can.incoming);
route('/assigned-tasks', () => import('./pages/assigned-tasks.ts'), can.assignedTasks);
route('/password', () => import('./pages/password.ts'));

const app = document.getElementById('app')!;
let cleanups: (() => void)[] = [];
let renderSeq = 0;

function layout(user: User): HTMLElement {
  // Only what the role may open: the same rules the server applies (domain/access.ts through session.ts).
  const links: [string, string][] = (
    [
      ['/tasks', t('nav.tasks'), true],
      ['/dossiers', t('nav.dossiers'), can.dossiers(user)],
      ['/operations', t('nav.operations'), can.operations(user)],
      ['/designer', t('nav.designer'), can.designer(user)],
      ['/incoming', t('nav.incoming'), can.incoming(user)],
      ['/assigned-tasks', t('nav.assignedTasks'), can.assignedTasks(user)],
      ['/reports', t('nav.reports'), can.reports(user)],
      ['/delegations', t('nav.delegations'), can.seeDelegations(user)],
      ['/admin', t('nav.admin'), can.admin(user)],
    ] as [string, string, boolean][]
  )
    .filter(([, , shown]) => shown)
    .map(([href, label]) => [href, label]);
  const liveDot = h('span', { className: 'live', id: 'live-state', title: t('app.live') }, '● ', h('span', { className: 'sr-only' }, t('app.live')));
  return h(
    'div',
    { className: 'shell' },
    h(
      'header',
      { className: 'topbar' },
      h('a', { href: '/tasks', className: 'brand' }, t('app.title')),
      h('nav', { 'aria-label': t('nav.label') }, h('ul', {}, links.map(([href, label]) => h('li', {}, h('a', { href, 'data-nav': href }, label))))),
      h(
        'div',
        { className: 'userbox' },
        liveDot,
        h('span', { className: 'who' }, `${user.fullName} · ${code('role', user.role)}`),
        h('button', { type: 'button', className: 'link', lang: getLang() === 'vi' ? 'en' : 'vi', title: t('lang.switchLabel'), onclick: () => switchLang() }, t('lang.switch')),
        h('a', { href: '/password', className: 'link', 'data-nav': '/password' }, t('auth.changePassword')),
        h('button', { type: 'button', className: 'link', onclick: () => void logout() }, t('auth.logout')),
      ),
    ),
    h('main', { id: 'main', tabindex: '-1' }),
    h('div', { id: 'toast', className: 'toasts', 'aria-live': 'polite' }),
  );
}

/** A page the role may not open: said plainly, with where to go instead; nothing of the page is built. */
function forbiddenPage(user: User, why?: string): HTMLElement {
  return h('section', { className: 'forbidden card', 'aria-labelledby': 'h-forbidden' },
    h('h1', { id: 'h-forbidden' }, t('app.forbidden')),
    h('p', {}, why || t('app.forbiddenWhy', { role: code('role', user.role) })),
    h('p', {}, h('a', { href: '/tasks' }, t('app.toTasks'))));
}

function switchLang(): void {
  setLang(getLang() === 'vi' ? 'en' : 'vi');
  void render(true);
}

async function logout(): Promise<void> {
  await post('/api/auth/logout').catch(() => {});
  setMe(null);
  stopLive();
  navigate('/tasks');
}

function loginPage(): void {
  clear(app);
  const err = h('p', { className: 'error', role: 'alert', hidden: true });
  const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-pass', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    { className: 'login card' },
    h('h1', {}, t('auth.title')),
    err,
    h('label', { for: 'login-user' }, t('auth.username')),
    user,
    h('label', { for: 'login-pass' }, t('auth.password')),
    pass,
    h('button', { type: 'submit', className: 'primary' }, t('auth.submit')),
    h('button', { type: 'button', className: 'link', lang: getLang() === 'vi' ? 'en' : 'vi', onclick: () => (setLang(getLang() === 'vi' ? 'en' : 'vi'), loginPage()) }, t('lang.switch')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      try {
        const r = await post<SessionAnswer>('/api/auth/login', { username: user.value.trim(), password: pass.value });
        setCsrf(r.csrfToken);
        setMe(r.user);
        await render(true);
      } catch (e2) {
        err.hidden = false;
        err.textContent = `${t('auth.failed')}: ${e2 instanceof ApiError ? e2.message : String(e2)}`;
        pass.focus();
      }
    })();
  });
  document.title = `${t('auth.title')} · ${t('app.title')}`;
  app.append(h('main', { id: 'main', className: 'center' }, form));
  user.focus();
}

async function ensureUser(): Promise<User | null> {
  if (maybeMe()) return maybeMe();
  try {
    const r = await get<SessionAnswer>('/api/auth/me');
    setCsrf(r.csrfToken);
    setMe(r.user);
    return r.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

let shellLang = '';
async function render(rebuildShell = false): Promise<void> {
  const seq = ++renderSeq;
  for (const c of cleanups) c();
  cleanups = [];
  document.documentElement.lang = getLang();
  const user = await ensureUser().catch(() => null);
  if (seq !== renderSeq) return;
  if (!user) {
    shellLang = '';
    loginPage();
    return;
  }
  if (rebuildShell || !document.getElementById('main') || shellLang !== getLang() + user.id) {
    clear(app);
    app.append(layout(user));
    shellLang = getLang() + user.id;
    startLive();
  }
  const main = document.getElementById('main')!;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-nav]')) {
    const active = location.pathname === a.dataset.nav || location.pathname.startsWith(a.dataset.nav + '/') || (location.pathname === '/' && a.dataset.nav === '/tasks');
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const found = match(location.pathname);
  clear(main);
  main.setAttribute('aria-busy', 'true');
  main.append(h('p', { className: 'loading' }, t('app.loading')));
  if (!found) {
    clear(main);
    main.append(h('h1', {}, t('app.notFound')), h('p', {}, h('a', { href: '/tasks' }, t('app.toTasks'))));
    main.removeAttribute('aria-busy');
    document.title = `${t('app.notFound')} · ${t('app.title')}`;
    return;
  }
  if (found.route.allowed && !found.route.allowed(user)) {
    clear(main);
    main.append(forbiddenPage(user));
    main.removeAttribute('aria-busy');
    document.title = `${t('app.forbidden')} · ${t('app.title')}`;
    return;
  }
  const ctx: PageContext = { params: found.params, query: new URLSearchParams(location.search), onCleanup: (fn) => cleanups.push(fn) };
  try {
    const page = await found.route.load();
    if (seq !== renderSeq) return;
    // Attached before rendering: the diagrams need their container's size.
    const root = h('div', { className: 'page' });
    main.append(root);
    await page.render(root, ctx);
    if (seq !== renderSeq) return;
    main.querySelector(':scope > p.loading')?.remove();
  } catch (e) {
    if (seq !== renderSeq) return;
    clear(main);
    // The server refused: the page says so plainly instead of a failure to load.
    if (e instanceof ApiError && e.status === 403) main.append(forbiddenPage(user, e.message));
    else if (e instanceof ApiError && e.status === 404) main.append(h('h1', {}, t('app.notFound')), h('p', {}, e.message), h('p', {}, h('a', { href: '/tasks' }, t('app.toTasks'))));
    else main.append(h('h1', {}, t('app.error')), h('p', { className: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
  } finally {
    main.removeAttribute('aria-busy');
  }
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? ''} · ${t('app.title')}`;
  if (!rebuildShell) main.focus({ preventScroll: true });
}

liveState.addEventListener('open', () => document.getElementById('live-state')?.classList.remove('off'));
liveState.addEventListener('error', () => document.getElementById('live-state')?.classList.add('off'));
unauthenticated.addEventListener('401', () => {
  if (maybeMe()) {
    setMe(null);
    stopLive();
    announce(t('auth.title'), 'info');
    void render(true);
  }
});
setNavigateHandler(() => void render());
interceptLinks();
void render(true);

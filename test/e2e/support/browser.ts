/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser): a signed-in page per
 * person, accessibility checks with axe-core and screenshots into artifacts/e2e/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_PASSWORD } from '../../../store/seed.ts';
import { createTestEnv, type TestEnv } from '../../support/env.ts';

export const ARTIFACTS = path.resolve(import.meta.dirname, '..', '..', '..', 'artifacts', 'e2e');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launch(): Promise<{ browser: Browser; close(): Promise<void> }> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // launch() gives every run a fresh temporary profile of its own (the user-data-dir).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export type Person = { context: BrowserContext; page: Page };

/** A fresh browser context signed in through the login form. */
export async function signIn(browser: Browser, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<Person> {
  // axe is injected as an inline script: only the test context bypasses the page's CSP for it.
  const context = await browser.newContext({ baseURL: baseUrl, bypassCSP: true, viewport: { width: 1400, height: 1000 }, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (err) => console.error(`[${username}] page error: ${err.message}`));
  page.on('response', (r) => (r.status() >= 400 && r.status() !== 401 ? console.error(`[${username}] ${r.status()} ${r.url()}`) : undefined));
  await page.goto('/tasks');
  await page.fill('#login-user', username);
  await page.fill('#login-pass', password);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('nav[aria-label]');
  return { context, page };
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** axe-core on the current page: the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  // Runs in the page: a string, so this file needs no DOM types.
  const result = (await page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] })`)) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Page-load figures of the last navigation, as the browser measured them. */
export async function loadTiming(page: Page): Promise<{ domContentLoaded: number; load: number }> {
  return page.evaluate(`(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) };
  })()`) as Promise<{ domContentLoaded: number; load: number }>;
}

export function writeFigures(name: string, data: unknown): void {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, `${name}.json`), JSON.stringify(data, null, 2));
}

/** Photographs the page, then fails on any serious or critical axe-core violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name}`).toEqual([]);
}

/**
 * A test file's own environment (server and database, no workers unless asked) and one Chromium,
 * both started before its tests and closed after them; read `env` and `browser` inside the tests.
 */
export function browserSuite(opts: { workers?: boolean } = {}): { readonly env: TestEnv; readonly browser: Browser } {
  const suite = {} as { env: TestEnv; browser: Browser };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    suite.env = await createTestEnv({ workers: opts.workers ?? false });
    ({ browser: suite.browser, close } = await launch());
  });
  afterAll(async () => {
    await close?.();
    await suite.env?.close();
  });
  return suite;
}

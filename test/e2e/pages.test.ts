/**
 * Every page of the web app, opened as the person it is for, in both languages, at 1440 and at
 * 390 px: no serious or critical axe-core violation, and no sideways scroll on a phone
 * (document.documentElement.scrollWidth <= 390). Navigation shows only what the role may do, a
 * forbidden page says so, a document is drawn in the page by pdf.js, and the page-load figures
 * (navigation → usable) of the task list, a task form and the dossier page are measured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput, submissionDocument } from '../support/dossiers.ts';
import { waitForTask } from '../support/flow.ts';
import { launch, screenshot, seriousViolations, signIn, writeFigures, type Person } from './support/browser.ts';
import { realPdf } from './support/pdf.ts';

type Created = { dossier: { id: string } };
const READY = 'main:not([aria-busy]) .page';
const WIDTHS = [1440, 390] as const;
const LANGS = ['vi', 'en'] as const;

/** Opens a page and waits until its content (not the loading line) is there. */
async function open(page: Page, url: string, ready = READY): Promise<void> {
  await page.goto(url);
  await page.waitForSelector(ready);
  await page.waitForFunction(`!document.querySelector('main p.loading') && !document.querySelector('main [aria-busy="true"]')`, undefined, { timeout: 20_000 }).catch(() => undefined);
}

async function setLang(page: Page, lang: 'vi' | 'en'): Promise<void> {
  await page.evaluate(`localStorage.setItem('lang', '${lang}')`);
}

describe('every page, as its user, in both languages, at 1440 and 390 px', () => {
  let env: TestEnv;
  let browser: Browser;
  let close: () => Promise<void>;
  const people = new Map<string, Person>();
  let dossierId = '';
  let opinionTaskId = '';

  const as = async (username: string): Promise<Page> => {
    let p = people.get(username);
    if (!p) {
      p = await signIn(browser, env.baseUrl, username);
      people.set(username, p);
    }
    await setLang(p.page, 'vi');
    return p.page;
  };

  beforeAll(async () => {
    env = await createTestEnv();
    ({ browser, close } = await launch());
    const drafter = await env.as('sct.chuyenvien');
    const toTrinh = realPdf(['To trinh so 12/TTr-SCT', 'Ve viec phe duyet Ke hoach xuc tien thuong mai nam 2026']);
    const created = await drafter.post<Created>('/api/dossiers', validDossierInput({
      subject: 'Phê duyệt Kế hoạch xúc tiến thương mại năm 2026 (kiểm tra giao diện)',
      legalBasis: [
        { type: 'LUAT', numberSymbol: '77/2015/QH13', issuedAt: '2015-06-19', issuer: 'Quốc hội', title: 'Luật Tổ chức chính quyền địa phương' },
        { type: 'NGHI_DINH', numberSymbol: '30/2020/NĐ-CP', issuedAt: '2020-03-05', issuer: 'Chính phủ', title: 'Nghị định về công tác văn thư' },
      ],
      options: [{ id: 'PA1', title: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' }, { id: 'PA2', title: 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng' }],
      documents: [submissionDocument({ fileName: 'to-trinh.pdf', contentType: 'application/pdf', contentBase64: toTrinh.toString('base64') }), validDossierInput().documents![1]!],
    }));
    dossierId = created.dossier.id;
    opinionTaskId = (await waitForTask(await env.as('stc.chuyenvien'), dossierId, 'Task_GiveOpinion', 60_000)).id;
    // A task UBND assigned to Sở Công Thương, so the agency's assigned-tasks page has a row with its progress form.
    await (await env.as('vp.chuyenvien')).post('/api/assigned-tasks', {
      sourceRef: '15/TB-UBND',
      sourceDate: new Date().toISOString().slice(0, 10),
      assignedBy: 'CHU_TICH',
      assignedByName: 'Chủ tịch UBND tỉnh',
      assigneeAgencyCode: 'SCT',
      content: 'Tham mưu kế hoạch xúc tiến thương mại năm 2027 theo chỉ đạo của Chủ tịch UBND tỉnh',
      workingDays: 10,
    });
  });
  afterAll(async () => {
    for (const p of people.values()) await p.context.close().catch(() => undefined);
    await close?.();
    await env?.close();
  });

  /** [user, path, what says the page is ready]: every page, as the person it is for. */
  const pages = (): [string, string, string][] => [
    ['sct.chuyenvien', '/tasks', `${READY} [aria-busy="false"]`],
    ['sct.chuyenvien', '/dossiers', `${READY} table, ${READY} .empty`],
    ['sct.chuyenvien', '/dossiers/new', `${READY} form`],
    ['sct.chuyenvien', `/dossiers/${dossierId}`, '#dossier-content'],
    ['sct.chuyenvien', '/password', `${READY} form`],
    ['sct.chuyenvien', '/admin', '#h-forbidden'],
    ['stc.chuyenvien', `/tasks/${opinionTaskId}`, 'form[aria-labelledby="task-form-title"] .fjs-form'],
    ['sct.giamdoc', '/reports', `${READY} h1`],
    ['sct.giamdoc', '/delegations', `${READY} h1`],
    ['vp.theodoi', '/operations', `${READY} h1`],
    ['vp.chuyenvien', '/incoming', `${READY} #incoming-form`],
    ['vp.chuyenvien', '/assigned-tasks', `${READY} #assigned-task-form`],
    ['sct.chuyenvien', '/assigned-tasks', `${READY} tr[data-assigned-task]`],
    ['admin', '/admin', `${READY} #agency-form`],
    ['thietke', '/designer', `${READY} h1`],
  ];

  for (const lang of LANGS) {
    it(`no serious or critical axe violation and no sideways scroll at 390 px, on every page, in ${lang === 'vi' ? 'Vietnamese' : 'English'}`, async () => {
      const failures: string[] = [];
      for (const [user, path, ready] of pages()) {
        const page = await as(user);
        await setLang(page, lang);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: width === 390 ? 844 : 1000 });
          await open(page, path, ready);
          const name = `page-${user}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}-${lang}-${width}`.replace(/--+/g, '-');
          await screenshot(page, name);
          const found: string[] = [];
          const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
          if (width === 390 && scrollWidth > 390) found.push(`${name}: page is ${scrollWidth} px wide`);
          for (const v of await seriousViolations(page)) found.push(`${name}: axe ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
          // Said as found, so one run shows every page's problems.
          for (const f of found) console.error(f);
          failures.push(...found);
        }
        await setLang(page, 'vi');
      }
      expect(failures).toEqual([]);
    }, 600_000);
  }

  it('navigation shows only what the role may open, and a forbidden page says so plainly', async () => {
    const navOf = async (user: string) => {
      const page = await as(user);
      await page.setViewportSize({ width: 1440, height: 1000 });
      await open(page, '/tasks');
      return page.locator('nav[aria-label] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    };
    // The designer and the administrator read no agency report: the server refuses them, so no link.
    expect(await navOf('thietke')).not.toContain('/reports');
    expect(await navOf('admin')).not.toContain('/reports');
    expect(await navOf('admin')).toContain('/admin');
    const specialist = await navOf('sct.chuyenvien');
    expect(specialist).toEqual(expect.arrayContaining(['/tasks', '/dossiers']));
    for (const path of ['/operations', '/designer', '/reports', '/delegations', '/admin', '/incoming']) expect(specialist).not.toContain(path);
    expect(await navOf('sct.giamdoc')).toContain('/reports');
    // A specialist who types an admin URL sees the forbidden page, no working-looking form.
    const page = await as('sct.chuyenvien');
    for (const path of ['/admin', '/designer', '/operations', '/reports', '/delegations']) {
      await open(page, path, '#h-forbidden');
      expect(await page.locator('#h-forbidden').textContent()).toBe('Bạn không có quyền mở trang này');
      expect(await page.locator('main form, main input').count(), path).toBe(0);
    }
  });

  it('the dossier page shows what the dossier says and draws its tờ trình in the page with pdf.js', async () => {
    const page = await as('stc.chuyenvien');
    await page.setViewportSize({ width: 1440, height: 1000 });
    await open(page, `/dossiers/${dossierId}`, '#dossier-content');
    expect(await page.locator('#content-proposal').textContent()).toContain('Đề nghị UBND tỉnh ban hành Quyết định');
    expect(await page.locator('#content-legal li').allTextContents()).toEqual([
      'Luật 77/2015/QH13 ngày 19/06/2015 của Quốc hội — Luật Tổ chức chính quyền địa phương',
      'Nghị định 30/2020/NĐ-CP ngày 05/03/2020 của Chính phủ — Nghị định về công tác văn thư',
    ]);
    expect(await page.locator('#content-options li').count()).toBe(2);
    const row = page.locator('tr[data-doc]', { hasText: 'Văn bản trình' });
    await row.locator('button[data-preview]').click();
    await page.waitForSelector('[data-preview-box] canvas', { timeout: 30_000 });
    expect(await page.locator('[data-preview-box]:has(canvas)').getAttribute('data-pages')).toBe('1');
    await screenshot(page, 'dossier-preview-1440');
    // Dates are dd/mm/yyyy with the year whole, in the task list too.
    await open(page, '/tasks', `${READY} [aria-busy="false"]`);
    const due = await page.locator('td[data-col="due"]').first().textContent();
    expect(due).toMatch(/\d{2}\/\d{2}\/\d{4}/);
  });

  it('the live diagram opens with the current step in view, fits on "Vừa khung", says who holds the open task, and shows a step\'s history on a click', async () => {
    const page = await as('sct.chuyenvien');
    await page.setViewportSize({ width: 1440, height: 1000 });
    await open(page, `/dossiers/${dossierId}`, '#diagram[data-ready="true"]');
    const inView = async () => page.evaluate(`(() => {
      const box = document.getElementById('diagram').getBoundingClientRect();
      const active = [...document.querySelectorAll('#diagram .djs-element.hl-active')];
      return active.length > 0 && active.some((el) => {
        const r = el.getBoundingClientRect();
        return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
      });
    })()`);
    expect(await inView()).toBe(true);
    expect(await page.locator('#diagram .ov-holder').count()).toBeGreaterThan(0);
    expect(await page.locator('#diagram .ov-holder').first().textContent()).toMatch(/Chưa ai nhận|👤/);
    const transform = `document.querySelector('#diagram svg .viewport')?.getAttribute('transform')`;
    const before = await page.evaluate(transform);
    await page.click('#zoom-fit');
    const after = await page.evaluate(transform);
    expect(after).not.toBe(before);
    await page.locator('#diagram .djs-element.hl-active').first().click({ force: true });
    await page.waitForSelector('#step-history table');
    await screenshot(page, 'dossier-diagram-step-history-1440');
  });

  it('page-load figures (navigation → usable) of the task list, a task form and the dossier page', async () => {
    const page = await as('stc.chuyenvien');
    await page.setViewportSize({ width: 1440, height: 1000 });
    const measure = async (url: string, ready: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        await page.goto(url);
        const ms = await page.waitForFunction(`document.querySelector(${JSON.stringify(ready)}) ? performance.now() : false`, undefined, { polling: 'raf', timeout: 30_000 });
        runs.push(Math.round((await ms.jsonValue()) as number));
      }
      runs.sort((a, b) => a - b);
      return { medianMs: runs[2]!, minMs: runs[0]!, maxMs: runs[4]!, runs: 5 };
    };
    const figures = {
      taskList: await measure('/tasks', `${READY} [aria-busy="false"] tbody tr`),
      taskForm: await measure(`/tasks/${opinionTaskId}`, 'form[aria-labelledby="task-form-title"] .fjs-form'),
      dossierPage: await measure(`/dossiers/${dossierId}`, '#dossier-content'),
      dossierDiagram: await measure(`/dossiers/${dossierId}`, '#diagram[data-ready="true"]'),
    };
    console.log(`page-load figures (navigation → usable, Chromium, ms): ${JSON.stringify(figures)}`);
    writeFigures('page-load', figures);
    for (const f of Object.values(figures)) expect(f.medianMs).toBeLessThan(10_000);
  });
});

/**
 * The web app in real Chromium against the real server, engine, workers and PostgreSQL: a dossier
 * from creation (with the R-15 error first) through opinions, signature and the Office's intake;
 * its page with the path taken; the Office's dashboard; a designer's deployment. Every page is
 * checked with axe-core and photographed into artifacts/e2e/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { expectAccessible, launch, loadTiming, screenshot, signIn, writeFigures, type Person } from './support/browser.ts';
import { pdfUpload as pdf } from './support/pdf.ts';

const figures: Record<string, unknown> = {};

/** Opens the user's task at `step` of the dossier from the task list (reloading while the workers get there). */
async function openTask(page: Page, dossierId: string, step: string): Promise<void> {
  const row = page.locator(`tr[data-step="${step}"]`, { has: page.locator(`a[href="/dossiers/${dossierId}"]`) });
  const deadline = Date.now() + 45_000;
  const list = async () => {
    await page.goto('/tasks');
    await page.waitForSelector('main:not([aria-busy]) .page [aria-busy="false"]');
  };
  await list();
  while (!(await row.count())) {
    if (Date.now() > deadline) {
      await screenshot(page, `failed-${step}`);
      const d = (await (await page.request.get(`/api/dossiers/${dossierId}`)).json()) as { dossier: { status: string }; process: unknown; audit: unknown[] };
      throw new Error(`task ${step} of ${dossierId} never appeared: ${d.dossier.status} ${JSON.stringify(d.process).slice(0, 800)} ${JSON.stringify(d.audit.slice(-3))}`);
    }
    await page.waitForTimeout(750);
    await list();
  }
  const claim = row.locator('button', { hasText: 'Nhận xử lý' });
  if (await claim.count()) {
    await claim.click();
    await page.locator(`tr[data-step="${step}"]`, { has: page.locator(`a[href="/dossiers/${dossierId}"]`) }).locator('button', { hasText: 'Bỏ nhận' }).waitFor();
  }
  await row.locator('button', { hasText: 'Mở biểu mẫu' }).click();
  await page.waitForSelector('form[aria-labelledby="task-form-title"] button[type=submit]:not([disabled])');
}

async function complete(page: Page, dossierId: string): Promise<void> {
  await page.click('form[aria-labelledby="task-form-title"] button[type=submit]');
  try {
    await page.waitForURL(`**/dossiers/${dossierId}`);
  } catch (err) {
    // Say what the form showed instead of only that the page stayed.
    await screenshot(page, 'failed-complete');
    const said = await page.locator('form[aria-labelledby="task-form-title"] :is(.errors, .fjs-form-field-error)').allTextContents();
    throw new Error(`the form did not complete: ${said.join(' | ') || 'no message'}`, { cause: err });
  }
}

describe('the web app, in Chromium, on the real engine', () => {
  let env: TestEnv;
  let browser: Browser;
  let close: () => Promise<void>;
  let dossierId = '';

  beforeAll(async () => {
    env = await createTestEnv();
    ({ browser, close } = await launch());
  });
  afterAll(async () => {
    writeFigures('page-load', figures);
    await close?.();
    await env?.close();
  });

  it('should take a dossier from creation to the Office when each person works on the web app', async () => {
    // given a specialist of Sở Công Thương on the task list
    const drafter: Person = await signIn(browser, env.baseUrl, 'sct.chuyenvien');
    let page = drafter.page;
    const t0 = Date.now();
    await page.goto('/tasks');
    await page.waitForSelector('main:not([aria-busy]) .page [aria-busy="false"]');
    figures.tasks = { interactiveMs: Date.now() - t0, ...(await loadTiming(page)) };
    await expectAccessible(page, '01-tasks');

    // when they fill in the create form with a báo cáo as the submission document
    await page.goto('/dossiers/new');
    await page.waitForSelector('#create-title');
    await page.fill('[name="subject"]', 'Phê duyệt Kế hoạch xúc tiến thương mại năm 2026');
    await page.fill('[name="legal.numberSymbol"]', '77/2015/QH13');
    await page.fill('[name="legal.title"]', 'Luật Tổ chức chính quyền địa phương');
    await page.fill('[name="legal.issuer"]', 'Quốc hội');
    await page.fill('[name="legal.issuedAt"]', '19/06/2015');
    await page.fill('[name="practicalBasis"]', 'Năm 2025 tỉnh tổ chức 12 hội chợ; kim ngạch xuất khẩu tăng 8%, cần kế hoạch cho năm 2026.');
    await page.fill('[name="proposal"]', 'Đề nghị UBND tỉnh ban hành Quyết định phê duyệt Kế hoạch xúc tiến thương mại năm 2026 theo dự thảo kèm theo.');
    await page.fill('[name="option.title"]', 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng');
    await page.check('#consult-STC');
    await page.check('#consult-SKHDT');
    await page.selectOption('[name="sub.docType"]', 'BAO_CAO');
    await page.fill('[name="sub.subject"]', 'Về việc phê duyệt Kế hoạch xúc tiến thương mại năm 2026');
    await page.setInputFiles('[name="sub.file"]', pdf('to-trinh.pdf'));
    await page.setInputFiles('[name="draft.file"]', pdf('du-thao-qd.pdf'));
    await page.click('form button[type=submit]');

    // then the R-15 error shows next to the document type
    const docTypeError = page.locator('[name="sub.docType"] ~ .field-error');
    await docTypeError.waitFor({ state: 'visible' });
    await expect.poll(() => docTypeError.textContent()).toContain('R-15');
    expect(await page.getAttribute('[name="sub.docType"]', 'aria-invalid')).toBe('true');
    await expectAccessible(page, '02-create-r15-error');

    // when they make it a tờ trình, the dossier is created and its page opens
    await page.selectOption('[name="sub.docType"]', 'TO_TRINH');
    await page.click('form button[type=submit]');
    await page.waitForURL(/\/dossiers\/HS-\d{4}-\d{6}$/);
    dossierId = page.url().split('/').pop()!;
    await page.waitForSelector('#diagram[data-ready="true"]');
    await expectAccessible(page, '03-dossier-created');

    // and the two consulted agencies give their opinions through the task form
    for (const [user, agency] of [['stc.chuyenvien', 'STC'], ['skhdt.chuyenvien', 'SKHDT']] as const) {
      const p = await signIn(browser, env.baseUrl, user);
      await openTask(p.page, dossierId, 'Task_GiveOpinion');
      if (agency === 'STC') await expectAccessible(p.page, '04-task-give-opinion');
      await p.page.getByLabel('Thống nhất', { exact: true }).check();
      await p.page.getByLabel('Nội dung ý kiến').fill(`${agency} thống nhất với dự thảo.`);
      await p.page.getByLabel('Văn bản tham gia ý kiến (đã ký)').setInputFiles(pdf(`y-kien-${agency}.pdf`));
      await complete(p.page, dossierId);
      await p.context.close();

      // and its head sees the opinion awaiting sign-off and approves it by clicking: only then does it count
      const agencyHead = await signIn(browser, env.baseUrl, `${agency.toLowerCase()}.giamdoc`);
      await openTask(agencyHead.page, dossierId, 'Task_ApproveOpinion');
      const signOff = agencyHead.page.locator(`#opinion-list li[data-agency="${agency}"] [data-role="sign-off"]`);
      expect(await signOff.textContent()).toBe('Chờ lãnh đạo duyệt');
      if (agency === 'STC') await expectAccessible(agencyHead.page, '04b-task-approve-opinion');
      await agencyHead.page.getByLabel('Đồng ý, ký duyệt ý kiến').check();
      await complete(agencyHead.page, dossierId);
      await expect.poll(() => agencyHead.page.locator(`#opinion-list li[data-agency="${agency}"]`).textContent(), { timeout: 15_000 }).toContain('✓ Lãnh đạo đã duyệt (Thủ trưởng duyệt)');
      await agencyHead.context.close();
    }

    // and the drafter finalises, the head signs, the Office accepts
    await openTask(page, dossierId, 'Task_DraftSubmission');
    await complete(page, dossierId);
    const head = await signIn(browser, env.baseUrl, 'sct.giamdoc');
    await openTask(head.page, dossierId, 'Task_Sign');
    await head.page.getByLabel('Đóng dấu cơ quan (R-05)').check();
    await expectAccessible(head.page, '05-task-sign');
    await complete(head.page, dossierId);
    await head.context.close();
    const office = await signIn(browser, env.baseUrl, 'vp.chuyenvien');
    await openTask(office.page, dossierId, 'Task_OfficeCheck');
    await office.page.getByLabel('Tiếp nhận, trình lãnh đạo').check();
    await complete(office.page, dossierId);

    // then the dossier page shows the completed path, the active step and the timeline
    page = office.page;
    await page.waitForSelector('#diagram[data-ready="true"]');
    await expect.poll(async () => page.getAttribute('#diagram', 'data-active'), { timeout: 30_000 }).toContain('Task_LeaderDecision');
    for (const step of ['StartEvent_Created', 'Task_Validate', 'Task_GiveOpinion', 'Task_DraftSubmission', 'Task_Sign', 'Task_Forward', 'Task_OfficeCheck']) {
      expect(await page.locator(`[data-element-id="${step}"].hl-done`).count(), step).toBe(1);
    }
    expect(await page.locator('[data-element-id="Task_LeaderDecision"].hl-active').count()).toBe(1);
    expect(await page.locator('.djs-connection.hl-flow').count()).toBeGreaterThan(8);
    expect(await page.locator('#dossier-status').textContent()).toBe('VP đã tiếp nhận');
    const timeline = page.locator('section[aria-labelledby="h-timeline"] tbody tr');
    expect(await timeline.count()).toBeGreaterThan(8);
    const timelineText = (await page.locator('section[aria-labelledby="h-timeline"]').textContent()) ?? '';
    expect(timelineText).toContain('sct.giamdoc');
    expect(timelineText).toContain('Chuyển hồ sơ đến Văn phòng UBND tỉnh');
    // every audit action and status in words, none as a raw code
    expect(timelineText.match(/\b[A-Z]{2,}_[A-Z_]+\b/g) ?? []).toEqual([]);
    expect(await page.locator('section[aria-labelledby="h-submissions"] td[data-col="intake"]').first().textContent()).toBe('✓ Đã tiếp nhận');
    expect(await page.locator('section[aria-labelledby="h-documents"]').textContent()).toContain('✓ hợp lệ');
    await expectAccessible(page, '06-dossier-path');

    // and the dossier list finds it with its counts
    const t1 = Date.now();
    await page.goto(`/dossiers?q=${dossierId}`);
    await page.waitForSelector(`tr[data-dossier="${dossierId}"]`);
    figures.dossiers = { interactiveMs: Date.now() - t1, ...(await loadTiming(page)) };
    await expectAccessible(page, '07-dossiers');
    await office.context.close();
    await drafter.context.close();
  });

  it('should show the dossier as on time on the Office dashboard', async () => {
    const office = await signIn(browser, env.baseUrl, 'vp.chuyenvien');
    const page = office.page;
    await page.goto('/reports');
    const sct = page.locator('#report-table tr[data-agency="SCT"]');
    await sct.waitFor();
    expect(await sct.locator('[data-col="onTime"]').textContent()).toBe('1');
    expect(await sct.locator('[data-col="rate"]').textContent()).toBe('100%');
    await expectAccessible(page, '08-reports');
    await office.context.close();
  });

  it('should deploy a new version when a designer proposes a changed due date and the Office’s head approves it', async () => {
    const designer = await signIn(browser, env.baseUrl, 'thietke');
    const page = designer.page;
    const t0 = Date.now();
    await page.goto('/designer');
    await page.waitForSelector('#canvas[data-definition] [data-element-id="Task_Sign"]');
    figures.designer = { interactiveMs: Date.now() - t0, ...(await loadTiming(page)) };
    const before = await page.locator('#versions li').count();
    await page.click('[data-element-id="Task_Sign"]');
    await page.click('.bio-properties-panel-group-header:has-text("Phân công người xử lý")');
    const due = page.locator('#bio-properties-panel-dueDate');
    expect(await due.inputValue()).toBe('${signDueAt}');
    await due.fill('${dossierDueAt}');
    await due.press('Tab');
    await expect.poll(() => page.getAttribute('#lint-status', 'data-errors')).toBe('0');
    await expectAccessible(page, '09-designer');
    // then Propose first shows what changed: the due date of Task_Sign, listed and marked on the canvas
    await page.click('#deploy');
    const changed = page.locator('#diff li[data-change="changed"][data-element="Task_Sign"]');
    await changed.waitFor();
    expect(await changed.textContent()).toContain('dueDate: ${signDueAt} → ${dossierDueAt}');
    expect(await page.locator('#diff > ul > li').count()).toBe(1);
    expect(await page.locator('[data-element-id="Task_Sign"].diff-changed').count()).toBe(1);
    await expectAccessible(page, '09b-designer-diff');
    await page.click('#deploy-confirm');
    // when sent, it is only a proposal: nothing is deployed until a second person approves it
    await expect.poll(() => page.textContent('#designer-status'), { timeout: 20_000 }).toMatch(/Đã gửi đề xuất triển khai ho-so-trinh/);
    const proposal = page.locator('#proposals li[data-status="PROPOSED"]').first();
    await proposal.waitFor();
    expect(await proposal.locator('button.approve').count()).toBe(0);
    expect(await page.locator('#versions li').count()).toBe(before);

    // when the Office's head reads the proposal's changes and approves it
    const head = await signIn(browser, env.baseUrl, 'vp.chanhvanphong');
    await head.page.goto('/designer');
    const open = head.page.locator('#proposals li[data-status="PROPOSED"]').first();
    await open.locator('button.show-proposal').click();
    expect(await open.locator('pre.proposal-diff').textContent()).toContain('+');
    await expectAccessible(head.page, '09c-designer-proposal');
    await open.locator('button.approve').click();

    // then the new version is deployed
    await expect.poll(() => head.page.textContent('#designer-status'), { timeout: 20_000 }).toMatch(/Đã phê duyệt; đã triển khai ho-so-trinh phiên bản \d+/);
    await expect.poll(() => head.page.locator('#versions li').count()).toBe(before + 1);
    const latest = await env.engine.listProcessDefinitions({ key: 'ho-so-trinh', latestVersion: true });
    expect(await env.engine.getProcessDefinitionXml(latest[0]!.id)).toContain('camunda:dueDate="${dossierDueAt}"');
    await screenshot(head.page, '10-designer-deployed');
    await head.context.close();

    // and the operations page shows incidents and the heatmap of the new version
    await page.goto('/operations');
    await page.waitForSelector('#heatmap .djs-container svg');
    await page.waitForSelector('#incidents');
    await expectAccessible(page, '11-operations');
    await designer.context.close();
  });
});

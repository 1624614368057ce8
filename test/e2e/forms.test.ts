/**
 * Task forms as people meet them, in Chromium under the server's own CSP (no bypass): rendered by
 * form-js from processes/forms, with typed values, conditional fields and the lead agency's options;
 * the server's 422 shown next to its field; the task list's columns and "Bỏ nhận". Dossiers are
 * brought to each step through the API (setup only); every step under test is clicked in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { validDossierInput, opinionForm, pdf } from '../support/dossiers.ts';
import { detail, doTask, giveOpinion, waitForTask } from '../support/flow.ts';
import { launch, screenshot, type AxeViolation, type Person } from './support/browser.ts';
import { DEMO_PASSWORD } from '../../store/seed.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

type Created = { dossier: { id: string } };
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const FORM = 'form[aria-labelledby="task-form-title"]';

/** A person signed in through the login form, in a context that keeps the page's CSP; CSP reports are collected. */
async function signInStrict(browser: Browser, baseUrl: string, username: string, cspViolations: string[]): Promise<Person> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 1000 }, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (m) => (/Content Security Policy|unsafe-eval/i.test(m.text()) ? cspViolations.push(`[${username}] ${m.text()}`) : undefined));
  page.on('pageerror', (err) => cspViolations.push(`[${username}] page error: ${err.message}`));
  await page.goto('/tasks');
  await page.fill('#login-user', username);
  await page.fill('#login-pass', DEMO_PASSWORD);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('nav[aria-label]');
  return { context, page };
}

/** Opens the task of the dossier at `step` from the list, claiming it first when nobody holds it. */
async function openTask(page: Page, dossierId: string, step: string): Promise<void> {
  const row = () => page.locator(`tr[data-step="${step}"]`, { has: page.locator(`a[href="/dossiers/${dossierId}"]`) });
  const deadline = Date.now() + 45_000;
  for (;;) {
    await page.goto('/tasks');
    await page.waitForSelector('main:not([aria-busy]) .page [aria-busy="false"]');
    if (await row().count()) break;
    if (Date.now() > deadline) {
      await screenshot(page, `forms-failed-${step}`);
      throw new Error(`task ${step} of ${dossierId} never appeared in the list`);
    }
    await page.waitForTimeout(750);
  }
  const claim = row().getByRole('button', { name: /^Nhận xử lý/ });
  if (await claim.count()) {
    await claim.click();
    await row().getByRole('button', { name: /^Bỏ nhận/ }).waitFor();
  }
  await row().getByRole('button', { name: /^Mở biểu mẫu/ }).click();
  await page.waitForSelector(`${FORM} button[type=submit]:not([disabled])`);
  await page.waitForSelector(`${FORM} .fjs-form`);
}

async function complete(page: Page, dossierId: string): Promise<void> {
  await page.click(`${FORM} button[type=submit]`);
  try {
    await page.waitForURL(`**/dossiers/${dossierId}`);
  } catch (err) {
    // Say what the page says instead of only that it stayed.
    await screenshot(page, `forms-failed-complete-${dossierId}`);
    const said = await page.locator(`${FORM} .errors, ${FORM} .fjs-form-field-error`).allTextContents();
    throw new Error(`the form did not complete: ${said.join(' | ') || 'no message'}`, { cause: err });
  }
}

/** The form-js field (its whole block) whose label is `label`. */
const field = (page: Page, label: string) => page.locator('.fjs-form-field').filter({ has: page.locator('.fjs-form-field-label', { hasText: label }) }).first();

/** Picks an option of a form-js select (a combobox, not a native <select>) by its label. */
async function pick(page: Page, label: string, option: string): Promise<void> {
  await field(page, label).locator('.fjs-input-group').click();
  await page.locator('.fjs-dropdownlist-item', { hasText: option }).click();
}

describe('task forms in Chromium, rendered by form-js under the server CSP', () => {
  let env: TestEnv;
  let browser: Browser;
  let close: () => Promise<void>;
  let drafter: ApiClient;
  const csp: string[] = [];
  const people: Person[] = [];
  const as = async (user: string) => {
    const p = await signInStrict(browser, env.baseUrl, user, csp);
    people.push(p);
    return p.page;
  };

  /** A legal-normative dossier of Sở Công Thương, consulting nobody: it goes straight to Sở Tư pháp's appraisal. */
  const legalNormative = async (subject: string) =>
    (await drafter.post<Created>('/api/dossiers', validDossierInput({ subject, isLegalNormative: true, matterCategory: 'van-ban-qppl', consultedAgencyCodes: [] }))).dossier.id;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ browser, close } = await launch());
    drafter = await env.as('sct.chuyenvien');
  });
  afterAll(async () => {
    for (const p of people) await p.context.close().catch(() => undefined);
    await close?.();
    await env?.close();
  });

  const ids: Record<'eligible' | 'afterRevision' | 'notEligible', string> = { eligible: '', afterRevision: '', notEligible: '' };

  it('should complete the appraisal with each conclusion as a typed yes/no, and show a contradictory answer next to its field', async () => {
    // given three legal-normative dossiers waiting for Sở Tư pháp
    ids.eligible = await legalNormative('Quy định quản lý chợ trên địa bàn tỉnh');
    ids.afterRevision = await legalNormative('Quy định phân cấp quản lý cụm công nghiệp');
    ids.notEligible = await legalNormative('Quy định hỗ trợ xúc tiến thương mại');
    const page = await as('stp.chuyenvien');
    const cases = [
      [ids.eligible, 'Đủ điều kiện trình', 'Đúng, phù hợp quy định pháp luật'],
      [ids.afterRevision, 'Đủ điều kiện trình sau khi tiếp thu, chỉnh lý', 'Đúng, phù hợp quy định pháp luật'],
      [ids.notEligible, 'Chưa đủ điều kiện trình', 'Không đúng, chưa phù hợp quy định pháp luật'],
    ] as const;
    for (const [id, conclusion, lawful] of cases) {
      // when the appraiser opens the form: the step's title once, no template text
      await openTask(page, id, 'Task_Appraise');
      expect(await page.locator('main').textContent()).not.toMatch(/\{\{|\}\}/);
      expect(await page.locator('main').getByText('Thẩm định', { exact: true }).count()).toBe(1);
      if (id === ids.eligible) {
        // and first answers "eligible" with "not lawful": R-21 refuses it, next to the lawfulness question
        await page.getByLabel('Đủ điều kiện trình', { exact: true }).check();
        await page.getByLabel('Không đúng, chưa phù hợp quy định pháp luật').check();
        await page.getByLabel('Lý do, căn cứ của kết luận').fill('Dự thảo đúng thẩm quyền.');
        await page.click(`${FORM} button[type=submit]`);
        const error = field(page, 'UBND tỉnh ban hành văn bản').locator('.fjs-form-field-error');
        await expect.poll(() => error.textContent()).toContain('mâu thuẫn');
        expect(await field(page, 'UBND tỉnh ban hành văn bản').locator('input[aria-invalid="true"]').count()).toBe(2);
        await screenshot(page, 'forms-01-appraise-error-next-to-field');
      }
      await page.getByLabel(conclusion, { exact: true }).check();
      await page.getByLabel(lawful, { exact: true }).check();
      await page.getByLabel('Lý do, căn cứ của kết luận').fill(`Kết luận: ${conclusion}. Căn cứ Luật Ban hành văn bản quy phạm pháp luật.`);
      // the report is a component of the dossier: attached through form-js's file picker
      await page.getByLabel('Báo cáo thẩm định', { exact: true }).setInputFiles({ name: 'bao-cao-tham-dinh.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% bao cao\n') });
      await complete(page, id);
    }

    // then each conclusion took its branch, with the lawfulness stored as a boolean
    await waitForTask(drafter, ids.eligible, 'Task_DraftSubmission');
    await waitForTask(drafter, ids.afterRevision, 'Task_RespondAppraisal');
    await waitForTask(drafter, ids.notEligible, 'Task_Revise');
    const appraisals = await Promise.all(Object.values(ids).map(async (id) => (await drafter.get<{ appraisals: { conclusion: string; lawful: boolean }[] }>(`/api/dossiers/${id}`)).appraisals[0]));
    expect((await detail(drafter, ids.eligible)).documents.filter((d) => d.role === 'APPRAISAL_REPORT')).toHaveLength(1);
    expect(appraisals.map((a) => [a?.conclusion, a?.lawful])).toEqual([
      ['ELIGIBLE', true],
      ['ELIGIBLE_AFTER_REVISION', true],
      ['NOT_ELIGIBLE', false],
    ]);
  });

  it('should show the drafter why the dossier came back, as text, once', async () => {
    // given the dossier Sở Tư pháp found not eligible
    const page = await as('sct.chuyenvien');
    await openTask(page, ids.notEligible, 'Task_Revise');

    // then the form says why, in words, and no template marks
    const text = (await page.locator(FORM).textContent()) ?? '';
    expect(text).toContain('Lý do công việc quay lại:');
    expect(text).not.toMatch(/\{\{|#if|\/if/);
    await expectAccessibleForms(page, 'forms-02-revise-reason');
  });

  it('should offer the lead agency\'s options in "Tổng hợp, chọn phương án" and record the one chosen', async () => {
    // given a dossier with two options on which the consulted agencies differ
    const { dossier } = await drafter.post<Created>(
      '/api/dossiers',
      validDossierInput({
        subject: 'Phê duyệt phương án tổ chức hội chợ năm 2026',
        options: [
          { id: 'PA1', title: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' },
          { id: 'PA2', title: 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng' },
        ],
      }),
    );
    // Sở Tài chính gives its opinion in the page: the option picker offers the lead agency's options, the signed letter is attached
    const stc = await as('stc.chuyenvien');
    await openTask(stc, dossier.id, 'Task_GiveOpinion');
    await stc.getByLabel('Thống nhất', { exact: true }).check();
    await stc.getByLabel('Nội dung ý kiến').fill('Sở Tài chính thống nhất, đề nghị phương án 1.');
    await pick(stc, 'Phương án đề xuất chọn', 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng');
    await stc.getByLabel('Văn bản tham gia ý kiến (đã ký)').setInputFiles({ name: 'y-kien-STC.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% STC\n') });
    await complete(stc, dossier.id);
    expect((await detail(drafter, dossier.id)).opinions).toEqual([expect.objectContaining({ agency_code: 'STC', position: 'AGREE', status: 'AWAITING_SIGN_OFF' })]);
    // and its head signs it off in the page
    const stcHead = await as('stc.giamdoc');
    await openTask(stcHead, dossier.id, 'Task_ApproveOpinion');
    await stcHead.getByLabel('Đồng ý, ký duyệt ý kiến').check();
    await complete(stcHead, dossier.id);
    await giveOpinion(env, dossier.id, 'SKHDT', opinionForm('SKHDT', 'PROPOSE_OTHER_OPTION', { preferredOptionId: 'PA2', content: 'Đề nghị chọn phương án 2 để tiết kiệm kinh phí.' }));

    // when the drafter opens the choice and picks the second option
    const page = await as('sct.chuyenvien');
    await openTask(page, dossier.id, 'Task_ChooseOption');
    await field(page, 'Phương án lựa chọn').locator('.fjs-input-group').click();
    expect(await page.locator('.fjs-dropdownlist-item').allTextContents()).toEqual(['Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng', 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng']);
    await page.locator('.fjs-dropdownlist-item', { hasText: 'Tổ chức 8 hội chợ' }).click();
    await page.getByLabel('Lý do lựa chọn').fill('Tiết kiệm kinh phí, vẫn bảo đảm mục tiêu xúc tiến thương mại.');
    await expectAccessibleForms(page, 'forms-03-choose-option');
    await complete(page, dossier.id);

    // then the option is recorded by its id
    await expect.poll(async () => (await drafter.get<{ dossier: { chosenOptionId: string | null } }>(`/api/dossiers/${dossier.id}`)).dossier.chosenOptionId).toBe('PA2');
  });

  it('should ask the Office for a return reason only when it returns the dossier, and the head for no urgent reason', async () => {
    // given the two appraised dossiers brought to signing through the API
    await doTask(drafter, ids.afterRevision, 'Task_RespondAppraisal', {
      note: 'Đã tiếp thu, chỉnh lý Điều 3.',
      document: { role: 'RECEIPT_EXPLANATION', docType: 'BAO_CAO', symbol: '/BC-SCT', subject: 'Báo cáo tiếp thu, giải trình', ...pdf('tiep-thu.pdf', 'SCT') },
    });
    for (const id of [ids.eligible, ids.afterRevision]) await doTask(drafter, id, 'Task_DraftSubmission', { note: 'Hoàn thiện.' });

    // when the head opens the signing form, there is no deputy's urgent reason; the stamp is a checkbox
    const head = await as('sct.giamdoc');
    for (const id of [ids.eligible, ids.afterRevision]) {
      await openTask(head, id, 'Task_Sign');
      expect(await head.getByText('Lý do phát sinh đột xuất').count()).toBe(0);
      await head.getByLabel('Đóng dấu cơ quan (R-05)').check();
      await complete(head, id);
    }

    // and the Office accepts the first: no return reason is asked (the note's hint for secret dossiers names it in lower case)
    const office = await as('vp.chuyenvien');
    await openTask(office, ids.eligible, 'Task_OfficeCheck');
    expect(await office.getByText(/^Lý do trả lại/).count()).toBe(0);
    await office.getByLabel('Tiếp nhận, trình lãnh đạo').check();
    expect(await office.getByText(/^Lý do trả lại/).count()).toBe(0);
    await complete(office, ids.eligible);

    // and returns the second: the reason appears, required, and is refused empty next to itself
    await openTask(office, ids.afterRevision, 'Task_OfficeCheck');
    await office.getByLabel('Trả lại hồ sơ').check();
    const reason = field(office, 'Lý do trả lại');
    await reason.waitFor();
    expect(await reason.locator('.fjs-asterix').count()).toBe(1);
    await office.click(`${FORM} button[type=submit]`);
    await expect.poll(() => reason.locator('.fjs-form-field-error').textContent()).toContain('bắt buộc');
    await pick(office, 'Lý do trả lại', 'Thiếu thành phần hồ sơ (R-17)');
    await office.getByLabel('Ghi chú').fill('Thiếu báo cáo tiếp thu, giải trình ý kiến thẩm định.');
    await expectAccessibleForms(office, 'forms-04-office-return');
    await complete(office, ids.afterRevision);

    // then the first goes to the leaders, the second back to the drafter with the reason in words
    await waitForTask(await env.as('ubnd.chutich'), ids.eligible, 'Task_LeaderDecision');
    const revise = await waitForTask(drafter, ids.afterRevision, 'Task_Revise');
    const form = await drafter.get<{ data: { lastErrorMessage: string } }>(`/api/tasks/${revise.id}/form`);
    expect(form.data.lastErrorMessage).toBe('Thiếu thành phần hồ sơ (R-17): Thiếu báo cáo tiếp thu, giải trình ý kiến thẩm định.');
    expect((await detail(drafter, ids.afterRevision)).returns).toEqual([expect.objectContaining({ reason: 'MISSING_COMPONENT', source: 'OFFICE' })]);
  });

  it('should list tasks by subject, lead agency, requester and due date, sortable, with "Bỏ nhận" giving a task back', async () => {
    // given the drafter's list: the returned dossier's revision and the one found not eligible
    const page = await as('sct.chuyenvien');
    await page.goto('/tasks');
    await page.waitForSelector('main:not([aria-busy]) .page [aria-busy="false"]');
    const headers = await page.locator('table.tasks thead th').allTextContents();
    expect(headers.map((x) => x.replace(/[▲▼]/g, '').trim())).toEqual(['Công việc', 'Hồ sơ', 'Trích yếu', 'Cơ quan chủ trì', 'Người đề nghị', 'Hạn xử lý', 'Người xử lý', 'Thao tác']);
    const row = page.locator('tr[data-step="Task_Revise"]', { has: page.locator(`a[href="/dossiers/${ids.afterRevision}"]`) });
    expect(await row.locator('[data-col="subject"]').textContent()).toBe('Quy định phân cấp quản lý cụm công nghiệp');
    expect(await row.locator('[data-col="lead"]').textContent()).toBe('Sở Công Thương');
    expect(((await row.locator('[data-col="requestedBy"]').textContent()) ?? '').length).toBeGreaterThan(1);

    // when they sort by subject, then the other way
    await page.click('button[data-sort="subject"]');
    const subjects = async () => page.locator('tbody [data-col="subject"]').allTextContents();
    const asc = await subjects();
    expect(asc).toEqual([...asc].sort(new Intl.Collator('vi').compare));
    expect(await page.getAttribute('th:has(button[data-sort="subject"])', 'aria-sort')).toBe('ascending');
    await page.click('button[data-sort="subject"]');
    expect(await subjects()).toEqual([...asc].reverse());

    // and "Bỏ nhận" on a task they hold gives it back to the group
    await row.getByRole('button', { name: /^Nhận xử lý/ }).click();
    await row.getByRole('button', { name: /^Bỏ nhận/ }).waitFor();
    expect(await page.getByRole('button', { name: /^Trả lại/ }).count()).toBe(0);
    await row.getByRole('button', { name: /^Bỏ nhận/ }).click();
    await row.getByRole('button', { name: /^Nhận xử lý/ }).waitFor();
    expect(await row.textContent()).toContain('Chưa có người nhận');
    await expectAccessibleForms(page, 'forms-05-task-list');

    // and a person with nothing to do is told what to do next
    const idle = await as('snv.chuyenvien');
    await idle.goto('/tasks');
    const empty = idle.locator('[data-empty="true"]');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('Của nhóm tôi');
    expect(await empty.locator('a[href="/dossiers"]').count()).toBe(1);
  });

  it('R-30 should let the Office return a dossier for its format by clicking, and the drafter find "Hoàn thiện tờ trình" with the reason in words', async () => {
    // given a dossier consulting STC, its opinion signed off, drafted and signed through the API
    const { dossier } = await drafter.post<Created>('/api/dossiers', validDossierInput({ subject: 'Kế hoạch xúc tiến thương mại (trả lại vì thể thức)', consultedAgencyCodes: ['STC'] }));
    await giveOpinion(env, dossier.id, 'STC', opinionForm('STC'));
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    await doTask(await env.as('sct.giamdoc'), dossier.id, 'Task_Sign', { stamped: true });

    // when the Office returns it: a content reason offers the consulted agencies to consult again
    const office = await as('vp.chuyenvien');
    await openTask(office, dossier.id, 'Task_OfficeCheck');
    await office.getByLabel('Trả lại hồ sơ').check();
    await pick(office, 'Lý do trả lại', 'Thiếu cơ sở pháp lý (R-16)');
    const reconsult = field(office, 'Cơ quan cần lấy lại ý kiến');
    await reconsult.waitFor();
    expect(await reconsult.getByLabel('Sở Tài chính').count()).toBe(1);

    // and a format reason does not: nothing is asked of the agencies again
    await pick(office, 'Lý do trả lại', 'Sai thể thức, nội dung văn bản (R-18)');
    await expect.poll(() => office.getByText('Cơ quan cần lấy lại ý kiến').count()).toBe(0);
    await office.getByLabel('Ghi chú').fill('Trích yếu chưa đúng thể thức.');
    await complete(office, dossier.id);

    // then the drafter finds "Hoàn thiện tờ trình" in the list, the reason in words on the form
    const page = await as('sct.chuyenvien');
    await openTask(page, dossier.id, 'Task_DraftSubmission');
    expect(await page.locator(FORM).textContent()).toContain('Lý do công việc quay lại: Sai thể thức, nội dung văn bản (R-18): Trích yếu chưa đúng thể thức.');
    const d = await detail(drafter, dossier.id);
    expect(d.dossier).toMatchObject({ status: 'DRAFTING_SUBMISSION', round: 2 });
    expect(d.opinionRequests).toHaveLength(1);
  });

  it('should have run every page without a CSP violation (no eval for FEEL or templates)', () => {
    expect(csp).toEqual([]);
  });
});

/**
 * axe-core on a page that keeps its CSP: evaluated through the DevTools protocol, which the page's
 * script-src does not govern (an inline <script> would be refused, and that refusal is what we check).
 */
async function expectAccessibleForms(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  if (!(await page.evaluate('typeof window.axe'))?.toString().includes('object')) await page.evaluate(axeSource);
  const result = (await page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] })`)) as { violations: AxeViolation[] };
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name}`).toEqual([]);
}

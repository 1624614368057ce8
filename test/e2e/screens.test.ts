/**
 * Screens that used to exist only in the API, clicked through in Chromium by the person who uses
 * them: a confidential dossier created on paper (metadata only, R-19); the head's decision not to
 * wait for an opinion past its deadline; a co-addressed incoming document registered by the
 * Office; the opinion-request letter uploaded by the drafter, refused while it names UBND
 * tỉnh. The API and the clock only set the scene.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { validDossierInput } from '../support/dossiers.ts';
import { detail, waitForTask } from '../support/flow.ts';
import { fireTimer, instanceOf } from '../support/engine.ts';
import { expectAccessible, launch, screenshot, signIn, type Person } from './support/browser.ts';

type Detail = { dossier: { channel: string; secrecyLevel: string; subject: string }; documents: { role: string; medium: string; file_name: string | null }[] };

describe('missing screens, done in the browser', () => {
  let env: TestEnv;
  let browser: Browser;
  let close: () => Promise<void>;
  const people: Person[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    ({ browser, close } = await launch());
  });
  afterAll(async () => {
    for (const p of people) await p.context.close().catch(() => undefined);
    await close?.();
    await env?.close();
  });

  it('R-19: a specialist creates a confidential dossier on paper in the form, with two legal bases and two options: no file, practical basis or proposal is asked for or sent, the documents are on paper', async () => {
    const person = await signIn(browser, env.baseUrl, 'sct.chuyenvien');
    people.push(person);
    const { page } = person;
    await page.goto('/dossiers/new');
    await page.waitForSelector('#create-title');
    await page.selectOption('[name="secrecyLevel"]', 'MAT');
    // The file fields give way to the paper note, and so do the content fields: a secret dossier holds metadata only.
    await page.waitForSelector('#paper-note:not([hidden])');
    expect(await page.locator('[name="sub.file"]').isVisible()).toBe(false);
    expect(await page.locator('[name="draft.file"]').isVisible()).toBe(false);
    expect(await page.locator('[name="practicalBasis"]').isVisible()).toBe(false);
    expect(await page.locator('[name="proposal"]').isVisible()).toBe(false);
    await page.fill('[name="subject"]', 'Phương án bảo vệ mục tiêu trọng điểm năm 2026');
    // The legal basis's type is picked by its Vietnamese name, not typed as a code.
    await page.selectOption('[name="legal.type"]', { label: 'Luật' });
    await page.fill('[name="legal.numberSymbol"]', '77/2015/QH13');
    await page.fill('[name="legal.title"]', 'Luật Tổ chức chính quyền địa phương');
    await page.fill('[name="legal.issuer"]', 'Quốc hội');
    await page.fill('[name="legal.issuedAt"]', '19/06/2015');
    // a second legal basis and a second option, each added in the form
    await page.click('#add-legal');
    await page.selectOption('[name="legal.1.type"]', { label: 'Nghị định' });
    await page.fill('[name="legal.1.numberSymbol"]', '26/2020/NĐ-CP');
    await page.fill('[name="legal.1.title"]', 'Nghị định quy định chi tiết Luật Bảo vệ bí mật nhà nước');
    await page.fill('[name="legal.1.issuedAt"]', '28/02/2020');
    await page.fill('[name="option.title"]', 'Bảo vệ 14 mục tiêu, kinh phí 2 tỷ đồng');
    await page.click('#add-option');
    await page.fill('[name="option.1.title"]', 'Bảo vệ 10 mục tiêu, kinh phí 1,5 tỷ đồng');
    await page.check('#consult-STC');
    await page.fill('[name="sub.subject"]', 'Về việc phê duyệt Phương án bảo vệ mục tiêu trọng điểm năm 2026');
    await expectAccessible(page, 'screens-confidential-paper-form');
    await page.click('form button[type=submit]');
    try {
      await page.waitForURL(/\/dossiers\/HS-/);
    } catch (err) {
      await screenshot(page, 'screens-confidential-paper-failed');
      throw new Error(`not created: ${(await page.locator('.errors, .field-error').allTextContents()).join(' | ')}`, { cause: err });
    }
    const id = page.url().split('/').pop()!;
    // the drafter has no clearance: the page says the content is hidden from them
    await page.waitForSelector('#dossier-meta');
    await page.waitForSelector('#h-content');
    expect(await page.locator('section[aria-labelledby="h-content"]').textContent()).toContain('Hồ sơ mật');
    await screenshot(page, 'screens-confidential-paper-dossier');
    // read as the lead agency's head, who may read a secret dossier's content (docs/RULES.md decision 5)
    const d = await (await env.as('sct.giamdoc')).get<Detail>(`/api/dossiers/${id}`);
    expect(d.dossier.secrecyLevel).toBe('MAT');
    expect(d.dossier.channel).toBe('PAPER');
    const content = (d as unknown as { dossier: { legalBasis: { type: string; numberSymbol: string; issuedAt: string }[]; options: { id: string; title: string }[] } }).dossier;
    expect(content.legalBasis).toEqual([
      expect.objectContaining({ type: 'LUAT', numberSymbol: '77/2015/QH13', issuedAt: '2015-06-19' }),
      expect.objectContaining({ type: 'NGHI_DINH', numberSymbol: '26/2020/NĐ-CP', issuedAt: '2020-02-28' }),
    ]);
    expect(content.options.map((o) => o.id)).toEqual(['PA1', 'PA2']);
    expect((d.dossier as unknown as { practicalBasis: string; proposal: string })).toMatchObject({ practicalBasis: '', proposal: '' });
    expect(d.documents.map((x) => [x.role, x.medium, x.file_name])).toEqual(expect.arrayContaining([['SUBMISSION_DOC', 'PAPER', null], ['DRAFT_DECISION', 'PAPER', null]]));
  });

  it("R-13: the lead agency's head decides in the dossier page not to wait for an opinion past its deadline, with a reason", async () => {
    // given a dossier consulting STC and SKHDT, and STC's deadline passed (the engine's overdue timer fired)
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ subject: 'Phê duyệt Kế hoạch phát triển thương mại điện tử năm 2026' }));
    await waitForTask(await env.as('stc.chuyenvien'), dossier.id, 'Task_GiveOpinion');
    const instance = await instanceOf(env, dossier.id);
    await env.ds.query(`UPDATE opinion_request SET due_at = now() - interval '1 minute' WHERE dossier_id = $1 AND agency_code = 'STC'`, [dossier.id]);
    await fireTimer(env, instance, 'Boundary_OpinionOverdue', 'STC');
    await eventually(async () => (await detail(drafter, dossier.id)).opinionRequests.find((r) => r.agency_code === 'STC' && r.status === 'OVERDUE'), 'STC request OVERDUE');

    // when the head opens the dossier: only the overdue agency offers "Không chờ ý kiến…"
    const person = await signIn(browser, env.baseUrl, 'sct.giamdoc');
    people.push(person);
    const { page } = person;
    await page.goto(`/dossiers/${dossier.id}`);
    await page.waitForSelector('#dossier-content');
    expect(await page.locator('[data-waive-open="SKHDT"]').count()).toBe(0);
    await page.click('[data-waive-open="STC"]');
    // an empty reason is refused next to its field
    await page.click('form[data-waive="STC"] button[type=submit]');
    await page.waitForSelector('form[data-waive="STC"] .field-error');
    await page.fill('form[data-waive="STC"] textarea[name="reason"]', 'Đã đôn đốc hai lần, cần trình kịp kỳ họp tháng 12.');
    await expectAccessible(page, 'screens-waiver-form');
    await page.click('form[data-waive="STC"] button[type=submit]');

    // then STC's request is waived with the head's reason, shown in the page, and recorded
    await page.waitForSelector('tr[data-request="STC"] >> text=Miễn');
    expect(await page.locator('tr[data-request="STC"]').textContent()).toContain('Đã đôn đốc hai lần');
    await screenshot(page, 'screens-waiver-done');
    const d = await detail(drafter, dossier.id);
    expect(d.opinionRequests.map((r) => [r.agency_code, r.status]).sort()).toEqual([['SKHDT', 'PENDING'], ['STC', 'WAIVED']]);
    expect(d.audit.filter((a) => a.action === 'OPINION_WAIVED')).toEqual([expect.objectContaining({ rule_id: 'R-13' })]);
  });

  it('R-23: the Office registers an incoming document addressed to two agencies and copied to a third; each agency addressed is listed with its handling and deadline', async () => {
    const person = await signIn(browser, env.baseUrl, 'vp.chuyenvien');
    people.push(person);
    const { page } = person;
    await page.goto('/tasks');
    await page.click('nav a[href="/incoming"]');
    await page.waitForSelector('#incoming-form');
    await page.fill('#incoming-form [name="issuer"]', 'Bộ Công Thương');
    await page.fill('#incoming-form [name="numberSymbol"]', '4521/BCT-XTTM');
    await page.fill('#incoming-form [name="subject"]', 'Về việc tổ chức Tuần lễ hàng Việt Nam năm 2026');
    await page.fill('#incoming-form [name="receivedAt"]', '02/12/2026 09:30');
    const kinhGui = page.locator('fieldset[data-field="kinhGui"]');
    // sent to UBND tỉnh and the agencies together: UBND tỉnh is offered first, ticked
    expect(await kinhGui.getByLabel('UBND tỉnh (UBNDTINH)').isChecked()).toBe(true);
    await kinhGui.getByLabel('Sở Công Thương (SCT)').check();
    await kinhGui.getByLabel('Sở Tài chính (STC)').check();
    await page.locator('fieldset[data-field="noiNhan"]').getByLabel('Sở Kế hoạch và Đầu tư (SKHDT)').check();
    await expectAccessible(page, 'screens-incoming-form');
    await page.click('#incoming-form button[type=submit]');
    await page.waitForSelector('.toast-success');
    expect(await page.locator('.toast-success').first().textContent()).toMatch(/Sở Công Thương.*Sở Tài chính|Sở Tài chính.*Sở Công Thương/);
    const rows = page.locator('tr[data-incoming]', { hasText: '4521/BCT-XTTM' });
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const agencies = (await rows.locator('td:nth-child(5)').allTextContents()).sort();
    expect(agencies).toEqual(expect.arrayContaining(['Sở Công Thương', 'Sở Tài chính']));
    expect(await rows.first().locator('td:nth-child(1)').textContent()).toBe('02/12/2026 09:30');
    await screenshot(page, 'screens-incoming-registered');
  });

  it('R-10: the drafter adds the opinion-request letter in the dossier page; naming UBND tỉnh in nơi nhận is refused in words, the corrected letter is added', async () => {
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ subject: 'Phê duyệt Đề án chợ truyền thống năm 2026' }));
    await waitForTask(await env.as('stc.chuyenvien'), dossier.id, 'Task_GiveOpinion');
    const person = await signIn(browser, env.baseUrl, 'sct.chuyenvien');
    people.push(person);
    const { page } = person;
    await page.goto(`/dossiers/${dossier.id}`);
    await page.waitForSelector('#dossier-content');
    await page.click('#add-document-box > summary');
    const form = page.locator('#add-document');
    await form.locator('[name="role"]').selectOption('OPINION_REQUEST');
    expect(await form.locator('[name="docType"]').inputValue()).toBe('CONG_VAN');
    await form.locator('[name="subject"]').fill('Về việc lấy ý kiến dự thảo Đề án chợ truyền thống');
    await form.locator('[name="kinhGui"]').fill('Sở Tài chính\nSở Kế hoạch và Đầu tư');
    await form.locator('[name="noiNhan"]').fill('Như trên\nUBND tỉnh (báo cáo)\nLưu: VT');
    await form.locator('[name="contentBase64"]').setInputFiles({ name: 'lay-y-kien.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% lay y kien\n') });
    await page.click('#add-document button[type=submit]');
    // refused: said in words, next to its field or in the form's alert, never as a bare code
    await page.waitForSelector('#add-document :is(.field-error, p.error[role=alert]:not([hidden]))');
    const said = (await form.locator('.field-error, p.error[role=alert]').allTextContents()).join(' ');
    expect(said).toMatch(/UBND/);
    expect(said).not.toMatch(/^ERR_/);
    await expectAccessible(page, 'screens-opinion-request-refused');
    await form.locator('[name="noiNhan"]').fill('Như trên\nLưu: VT');
    await form.locator('[name="contentBase64"]').setInputFiles({ name: 'lay-y-kien.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% lay y kien\n') });
    await page.click('#add-document button[type=submit]');
    await page.waitForSelector('tr[data-doc]:has-text("Về việc lấy ý kiến dự thảo Đề án chợ truyền thống")');
    await screenshot(page, 'screens-opinion-request-added');
    const d = await detail(drafter, dossier.id);
    expect(d.documents.filter((x) => x.role === 'OPINION_REQUEST').length).toBeGreaterThanOrEqual(1);
  });
});

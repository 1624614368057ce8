/**
 * Reference data in real Chromium: the administrator adds a matter category by clicking in
 * the admin page, and a specialist then picks it by its Vietnamese name in the create form; the
 * dossier is stored under its code. Retiring it takes it out of the picker.
 */
import { describe, expect, it } from 'vitest';
import { expectAccessible, browserSuite, signIn } from './support/browser.ts';

import { fillNewDossier, submitNewDossier } from './support/new-dossier.ts';

describe('reference data, in Chromium', () => {
  const suite = browserSuite();
  const CODE = 'cong-thuong/quan-ly-cho-dau-moi';
  const NAME = 'Quản lý chợ đầu mối';

  it('R-01 should let a specialist pick by its Vietnamese name a category the administrator added in the admin page', async () => {
    // given the administrator on the admin page
    const admin = await signIn(suite.browser, suite.env.baseUrl, 'admin');
    await admin.page.goto('/admin');
    const form = admin.page.locator('#category-form');
    await form.waitFor();

    // when they add a category with a code the server refuses, the error is next to the code
    await form.locator('[name="code"]').fill('Chợ đầu mối');
    await form.locator('[name="nameVi"]').fill(NAME);
    await form.locator('[name="nameEn"]').fill('Wholesale markets');
    await form.locator('[name="competentAuthority"]').selectOption({ label: 'UBND tỉnh' });
    await form.locator('button[type=submit]').click();
    await form.locator('[data-field="code"] .field-error').waitFor();
    // then with a valid code it is listed with its competent authority
    await form.locator('[name="code"]').fill(CODE);
    await form.locator('button[type=submit]').click();
    const row = admin.page.locator(`tr[data-category="${CODE}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('UBND tỉnh');
    await expectAccessible(admin.page, 'reference-data-admin');

    // when a specialist creates a dossier and picks it by name
    const sct = await signIn(suite.browser, suite.env.baseUrl, 'sct.chuyenvien');
    const page = sct.page;
    await fillNewDossier(page, {
      subject: 'Phê duyệt Quy hoạch mạng lưới chợ đầu mối đến năm 2030',
      practicalBasis: 'Tỉnh có 3 chợ đầu mối nông sản, cần quy hoạch mạng lưới đến năm 2030.',
      proposal: 'Đề nghị UBND tỉnh ban hành Quyết định phê duyệt Quy hoạch mạng lưới chợ đầu mối theo dự thảo kèm theo.',
      submissionSubject: 'Về việc phê duyệt Quy hoạch mạng lưới chợ đầu mối',
      files: { submission: 'to-trinh.pdf', draft: 'du-thao-qd.pdf' },
    });
    await page.selectOption('[name="matterCategory"]', { label: NAME });
    await page.selectOption('[name="legal.type"]', { label: 'Luật' });
    const id = await submitNewDossier(page, 'reference-data-create-failed');

    // then the dossier is stored under the category's code
    const stored = (await suite.env.ds.query('SELECT matter_category FROM dossier WHERE id = $1', [id])) as { matter_category: string }[];
    expect(stored).toEqual([{ matter_category: CODE }]);

    // when the administrator retires it, it is no longer offered
    await row.locator('button', { hasText: 'Sửa' }).click();
    await form.locator('[name="active"]').uncheck();
    await form.locator('button[type=submit]').click();
    await expect.poll(() => admin.page.locator(`tr[data-category="${CODE}"]`).textContent()).toContain('Ngừng dùng');
    await page.goto('/dossiers/new');
    await page.waitForSelector('#create-title');
    expect(await page.locator('[name="matterCategory"] option').allTextContents()).not.toContain(NAME);
    await admin.context.close();
    await sct.context.close();
  });
});

/**
 * Administration in real Chromium: an administrator creates an agency and a user (the server's
 * errors next to the fields), resets the password, and the new person signs in; a head grants a
 * deputy a signing delegation and revokes it.
 */
import { describe, expect, it } from 'vitest';
import { expectAccessible, browserSuite, signIn } from './support/browser.ts';

describe('administration, in Chromium', () => {
  const suite = browserSuite();

  it('should let a user sign in when an administrator creates them and resets their password', async () => {
    // given the administrator on the admin page
    const admin = await signIn(suite.browser, suite.env.baseUrl, 'admin');
    const page = admin.page;
    await page.goto('/admin');
    await page.waitForSelector('#users[aria-busy="false"] tr[data-user="sct.chuyenvien"]');

    // when they create an agency with a code the server refuses, the error is next to the code
    await page.fill('#agency-form [name="code"]', 'svh dl');
    await page.fill('#agency-form [name="symbolAbbr"]', 'SVHTTDL');
    await page.fill('#agency-form [name="name"]', 'Sở Văn hóa, Thể thao và Du lịch');
    await page.fill('#agency-form [name="fields"]', 'van-hoa, du-lich');
    await page.click('#agency-form button[type=submit]');
    await page.locator('#agency-form [data-field="code"] .field-error').waitFor();
    expect(await page.getAttribute('#agency-form [name="code"]', 'aria-invalid')).toBe('true');
    // then with a valid code it is listed, and editing makes its head a UBND member
    await page.fill('#agency-form [name="code"]', 'SVHTTDL');
    await page.click('#agency-form button[type=submit]');
    const agencyRow = page.locator('tr[data-agency="SVHTTDL"]');
    await agencyRow.waitFor();
    expect(await agencyRow.textContent()).toContain('van-hoa, du-lich');
    await agencyRow.locator('button', { hasText: 'Sửa' }).click();
    await page.check('#agency-form [name="headIsUbndMember"]');
    await page.click('#agency-form button[type=submit]');
    await expect.poll(() => page.locator('tr[data-agency="SVHTTDL"] td').nth(7).textContent()).toBe('Có');

    // when they create a user with a short password, the rule shows next to the password
    await page.fill('#user-form [name="username"]', 'sct.chuyenvien3');
    await page.fill('#user-form [name="fullName"]', 'Nguyễn Thị Ba');
    await page.selectOption('#user-form [name="agencyCode"]', 'SCT');
    await page.fill('#user-form [name="position"]', 'Chuyên viên');
    await page.selectOption('#user-form [name="role"]', 'SPECIALIST');
    await page.fill('#user-form [name="password"]', 'ngan1');
    await page.click('#user-form button[type=submit]');
    const passwordError = page.locator('#user-form [data-field="password"] .field-error');
    await passwordError.waitFor();
    expect(await passwordError.textContent()).toContain('12 ký tự');
    await expectAccessible(page, '12-admin-user-error');

    // then with a valid password the user is listed
    await page.fill('#user-form [name="password"]', 'KhoiTao2026abc');
    await page.click('#user-form button[type=submit]');
    const userRow = page.locator('tr[data-user="sct.chuyenvien3"]');
    await userRow.waitFor();
    expect(await userRow.textContent()).toContain('Chuyên viên');

    // and editing them resets their password
    await userRow.locator('button', { hasText: 'Sửa' }).click();
    await page.waitForSelector('#password-form:not([hidden])');
    await page.fill('#password-form [name="password"]', 'MatKhauMoi2027');
    await page.click('#password-form button[type=submit]');
    await page.locator('.toast', { hasText: 'Đã đặt lại mật khẩu của sct.chuyenvien3' }).waitFor();
    await expectAccessible(page, '13-admin');
    await admin.context.close();

    // then the new person signs in with the new password and works for Sở Công Thương
    const newcomer = await signIn(suite.browser, suite.env.baseUrl, 'sct.chuyenvien3', 'MatKhauMoi2027');
    expect(await newcomer.page.locator('.who').textContent()).toContain('Nguyễn Thị Ba');
    const me = (await (await newcomer.page.request.get('/api/auth/me')).json()) as { user: { groups: string[] } };
    expect(me.user.groups).toContain('SCT_chuyenvien');
    await newcomer.context.close();
  });

  it('should grant and revoke a deputy’s signing delegation when the head uses the delegations page (R-06)', async () => {
    // given the head of Sở Công Thương on the delegations page
    const head = await signIn(suite.browser, suite.env.baseUrl, 'sct.giamdoc');
    const page = head.page;
    page.on('dialog', (d) => void d.accept());
    await page.click('nav a[href="/delegations"]');
    await page.waitForSelector('#delegation-form');

    // when they grant without a reason, the error is next to the reason
    await page.selectOption('#delegation-form [name="granteeUserId"]', 'sct.phogiamdoc');
    await page.check('#delegation-form input[name="matterCategories"][value="cong-thuong"]');
    await page.fill('#delegation-form [name="reason"]', 'đi');
    await page.click('#delegation-form button[type=submit]');
    await page.locator('#delegation-form [data-field="reason"] .field-error').waitFor();
    await expectAccessible(page, '14-delegation-error');

    // then with a reason the delegation is in force for the deputy
    await page.fill('#delegation-form [name="reason"]', 'Giám đốc đi công tác nước ngoài từ ngày 10 đến 17.');
    await page.click('#delegation-form button[type=submit]');
    const row = page.locator('#delegations tr[data-grantee="sct.phogiamdoc"]');
    await row.waitFor();
    expect(await row.locator('td.state').textContent()).toContain('Đang hiệu lực');
    expect(await row.textContent()).toContain('cong-thuong');
    const deputy = await suite.env.as('sct.phogiamdoc');
    const granted = await deputy.get<{ items: { revokedAt: string | null }[] }>('/api/admin/delegations?active=true');
    expect(granted.items).toHaveLength(1);
    await expectAccessible(page, '15-delegations');

    // when they revoke it, it is shown revoked and is no longer in force
    await row.locator('button', { hasText: 'Thu hồi' }).click();
    await expect.poll(() => row.locator('td.state').textContent()).toContain('Đã thu hồi');
    const after = await deputy.get<{ items: unknown[] }>('/api/admin/delegations?active=true');
    expect(after.items).toHaveLength(0);
    await head.context.close();
  });
});

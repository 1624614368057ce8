/**
 * One's own password change in real Chromium (issue 15, finding 8): reached from the user menu,
 * in Vietnamese, the server's refusals next to their fields, and the user's other sessions ended.
 */
import { describe, expect, it } from 'vitest';
import { expectAccessible, browserSuite, signIn } from './support/browser.ts';
import { expectRule, refusal } from '../support/engine.ts';

describe("changing one's own password, in Chromium", () => {
  const suite = browserSuite();

  it('should change the password from the user menu, show refusals next to their fields, and end the other sessions when the new one is strong', async () => {
    // given a specialist signed in in the browser, and elsewhere too
    const elsewhere = await suite.env.as('sxd.chuyenvien');
    const person = await signIn(suite.browser, suite.env.baseUrl, 'sxd.chuyenvien');
    const page = person.page;

    // when they open the page from the user menu
    await page.click('.userbox a[href="/password"]');
    await page.waitForSelector('#password-form');
    expect(await page.locator('h1').textContent()).toBe('Đổi mật khẩu');

    // then two different new passwords are refused in the page, next to the second one
    await page.fill('#password-form [name="currentPassword"]', 'Demo@2026');
    await page.fill('#password-form [name="newPassword"]', 'Cầu Bến Lức 2026!');
    await page.fill('#password-form [name="confirmPassword"]', 'Cầu Bến Lức 2027!');
    await page.click('#password-form button[type=submit]');
    await page.locator('#password-form [data-field="confirmPassword"] .field-error').waitFor();

    // and a monotonous one is refused by the server, its reason next to the new password
    await page.fill('#password-form [name="newPassword"]', 'aaaaaaaaaaa1');
    await page.fill('#password-form [name="confirmPassword"]', 'aaaaaaaaaaa1');
    await page.click('#password-form button[type=submit]');
    const weak = page.locator('#password-form [data-field="newPassword"] .field-error');
    await weak.waitFor();
    expect(await weak.textContent()).toContain('đơn điệu');
    await expectAccessible(page, '20-password-error');

    // when the new password is strong
    await page.fill('#password-form [name="newPassword"]', 'Cầu Bến Lức 2026!');
    await page.fill('#password-form [name="confirmPassword"]', 'Cầu Bến Lức 2026!');
    await page.click('#password-form button[type=submit]');

    // then the page says so, this session goes on, the other one is over
    await page.locator('p[role="status"]:not([hidden])', { hasText: 'Đã đổi mật khẩu' }).waitFor();
    expect((await page.request.get('/api/auth/me')).status()).toBe(200);
    expectRule(await refusal(elsewhere.get('/api/auth/me')), 401, 'UNAUTHENTICATED');
    await expectAccessible(page, '21-password-changed');
    await person.context.close();
  });
});

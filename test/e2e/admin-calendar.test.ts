/**
 * The working-day calendar in real Chromium (R-22 deadlines): the administrator adds a public
 * holiday by typing dd/mm/yyyy and clicking, sees the server's refusal of a date that does not
 * exist next to the field, and removes the day again; the server counts with each change at once.
 */
import { describe, expect, it } from 'vitest';
import { isWorkingDay } from '../../domain/calendar.ts';
import { expectAccessible, browserSuite, signIn } from './support/browser.ts';

describe('the working-day calendar, in Chromium', () => {
  const suite = browserSuite();

  it('R-22 should make a day a holiday for new deadlines when the administrator adds it on the admin page, and a working day again when they remove it', async () => {
    // given the administrator on the admin page, looking at 2031
    const admin = await signIn(suite.browser, suite.env.baseUrl, 'admin');
    const page = admin.page;
    page.on('dialog', (d) => void d.accept());
    await page.goto('/admin');
    await page.locator('#h-calendar').waitFor();
    await page.fill('[name="year"]', '2031');
    await page.click('section[aria-labelledby="h-calendar"] button:has-text("Xem")');
    await page.locator('section[aria-labelledby="h-calendar"] p.muted', { hasText: 'Năm 2031 chưa có' }).waitFor();
    const monday = new Date('2031-03-10T09:00:00+07:00');
    expect(isWorkingDay(monday, suite.env.deps.policy.calendar)).toBe(true);

    // when they type a date that does not exist, the server's refusal is next to the date
    await page.fill('#calendar-form [name="date"]', '31/02/2031');
    await page.click('#calendar-form button[type=submit]');
    await page.locator('#calendar-form [data-field="date"] .field-error').waitFor();
    expect(await page.getAttribute('#calendar-form [name="date"]', 'aria-invalid')).toBe('true');

    // when they add Monday 10/03/2031 as a holiday
    await page.fill('#calendar-form [name="date"]', '10/03/2031');
    await page.selectOption('#calendar-form [name="kind"]', 'HOLIDAY');
    await page.fill('#calendar-form [name="note"]', 'Nghỉ lễ bổ sung theo thông báo');
    await page.click('#calendar-form button[type=submit]');

    // then it is listed with its date as dd/mm/yyyy, its weekday and its author, and the server skips it
    const row = page.locator('tr[data-date="2031-03-10"]');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('10/03/2031');
    expect(text).toContain('Thứ Hai');
    expect(text).toContain('Ngày nghỉ');
    expect(text).toContain('admin');
    expect(isWorkingDay(monday, suite.env.deps.policy.calendar)).toBe(false);
    await expectAccessible(page, '16-admin-calendar');

    // when they remove it, it leaves the list and counts as a working day again
    await row.locator('button', { hasText: 'Xoá' }).click();
    await row.waitFor({ state: 'detached' });
    expect(isWorkingDay(monday, suite.env.deps.policy.calendar)).toBe(true);
    const rows = (await suite.env.ds.query("SELECT count(*)::int AS n FROM calendar_day WHERE day = '2031-03-10'")) as { n: number }[];
    expect(rows[0]!.n).toBe(0);
    await admin.context.close();
  });
});

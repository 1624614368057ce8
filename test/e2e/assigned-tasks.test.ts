/**
 * Tasks UBND assigns in real Chromium: the Office registers one by clicking, the
 * agency reports its progress in the page, the clock is moved (database and engine only) so the
 * reminder and the overdue escalation happen, the dossier form offers the task, and the dossier
 * the Office accepts completes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { draftDecision, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { doTask, waitForStatus } from '../support/flow.ts';
import { fireTimer } from '../support/engine.ts';
import { expectAccessible, launch, signIn } from './support/browser.ts';

describe('tasks UBND assigns, in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let close: () => Promise<void>;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ browser, close } = await launch());
  });
  afterAll(async () => {
    await close?.();
    await env?.close();
  });

  it('R-22 should take a task registered by the Office through progress, reminder, overdue escalation and completion by a dossier', async () => {
    // given the Office on the assigned-tasks page
    const office = await signIn(browser, env.baseUrl, 'vp.chuyenvien');
    const page = office.page;
    await page.goto('/assigned-tasks');
    await page.waitForSelector('#assigned-task-form');

    // when it registers a task without choosing the agency, the error is next to the field
    await page.fill('#assigned-task-form [name="sourceRef"]', '88/TB-UBND');
    await page.fill('#assigned-task-form [name="assignedByName"]', 'Nguyễn Văn A');
    await page.fill('#assigned-task-form [name="content"]', 'Xây dựng kế hoạch xúc tiến thương mại năm 2027');
    await page.click('#assigned-task-form button[type=submit]');
    await page.locator('#assigned-task-form [data-field="assigneeAgencyCode"] .field-error').waitFor();

    // then with the agency chosen it is registered and listed, open
    await page.selectOption('#assigned-task-form [name="assigneeAgencyCode"]', 'SCT');
    await page.click('#assigned-task-form button[type=submit]');
    await page.locator('.toast', { hasText: 'Đã đăng ký nhiệm vụ' }).waitFor();
    const rows = (await env.ds.query(`SELECT id, process_instance_id FROM assigned_task WHERE source_ref = '88/TB-UBND'`)) as { id: string; process_instance_id: string }[];
    const { id, process_instance_id: instance } = rows[0]!;
    await page.locator(`tr[data-assigned-task="${id}"] [data-status="OPEN"]`).waitFor();
    await expectAccessible(page, '40-assigned-tasks-office');

    // when the agency's specialist reports progress in the page
    const sct = await signIn(browser, env.baseUrl, 'sct.chuyenvien');
    await sct.page.goto('/assigned-tasks');
    const row = sct.page.locator(`tr[data-assigned-task="${id}"]`);
    await row.locator('summary').click();
    await row.locator('.progress-form [name="content"]').fill('Đã xây dựng dự thảo kế hoạch.');
    await row.locator('.progress-form [name="percent"]').fill('40');
    await row.locator('.progress-form button[type=submit]').click();
    await sct.page.locator('.toast', { hasText: 'Đã ghi nhận báo cáo tiến độ' }).waitFor();
    await expect.poll(() => sct.page.locator(`tr[data-assigned-task="${id}"]`).textContent()).toContain('40% · Đã xây dựng dự thảo kế hoạch.');

    // when the clock moves past the reminder and then the deadline (database and engine only)
    await env.ds.query(`UPDATE assigned_task SET reminder_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    await fireTimer(env, instance, 'Boundary_TaskReminder');
    await eventually(async () => ((await env.ds.query('SELECT reminded_at FROM assigned_task WHERE id = $1', [id])) as { reminded_at: Date | null }[])[0]?.reminded_at, 'reminded');
    await env.ds.query(`UPDATE assigned_task SET due_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    await fireTimer(env, instance, 'Boundary_TaskOverdue');
    await eventually(async () => ((await env.ds.query('SELECT overdue FROM assigned_task WHERE id = $1', [id])) as { overdue: boolean }[])[0]?.overdue, 'overdue');

    // then the Office sees it overdue and escalated, by word and icon
    await page.reload();
    const officeRow = page.locator(`tr[data-assigned-task="${id}"]`);
    await expect.poll(() => officeRow.textContent()).toContain('Đã báo Văn phòng (quá hạn)');
    expect(await officeRow.textContent()).toContain('⚠');

    // and the dossier form offers the task to link
    await sct.page.goto('/dossiers/new');
    await sct.page.waitForSelector(`select[name="assignedTaskId"] option[value="${id}"]`, { state: 'attached' });

    // when the agency's dossier carrying it out goes up and the Office accepts it
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>(
      '/api/dossiers',
      validDossierInput({ assignedTaskId: id, consultedAgencyCodes: [], documents: [submissionDocument({ symbol: '/TTr-SCT' }), draftDecision()] }),
    );
    await doTask(drafter, dossier.id, 'Task_DraftSubmission', { documents: [] });
    await doTask(await env.as('sct.giamdoc'), dossier.id, 'Task_Sign', { stamped: true });
    await doTask(await env.as('vp.chuyenvien'), dossier.id, 'Task_OfficeCheck', { outcome: 'ACCEPT' });
    await waitForStatus(drafter, dossier.id, 'ACCEPTED');

    // then the page shows the task done late, with its dossier
    await page.reload();
    await page.locator(`tr[data-assigned-task="${id}"] [data-status="DONE_LATE"]`).waitFor();
    expect(await page.locator(`tr[data-assigned-task="${id}"]`).textContent()).toContain(dossier.id);
    await office.context.close();
    await sct.context.close();
  });
});

/**
 * Live updates and operations in real Chromium: two specialists of one group see the same task and
 * it leaves the other's list when one claims it; a dossier's diagram moves when the workers do a
 * step; an incident of a failed external task is listed and retried from the operations page.
 * Nothing here reloads a page: a marker set in the page before must survive the update.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { signOffOpinion } from '../support/flow.ts';
import { opinionForm, validDossierInput } from '../support/dossiers.ts';
import { expectAccessible, launch, screenshot, signIn } from './support/browser.ts';

const markPage = (page: Page) => page.evaluate('window.__notReloaded = true');
const stillSamePage = async (page: Page) => (await page.evaluate('window.__notReloaded === true')) as boolean;

describe('live updates and operations, in Chromium', () => {
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

  it('should remove a claimed task from the other group member’s list and move the diagram when the workers do a step, without reload', async () => {
    // given a dossier waiting for the opinion of Sở Tài chính, whose two specialists share a group
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC'] }));
    const stc = await env.as('stc.chuyenvien');
    const taskId = await eventually(async () => {
      const r = await stc.get<{ items: { id: string; dossierId: string; taskDefinitionKey: string }[] }>(`/api/tasks?scope=group&dossier=${dossier.id}`);
      return r.items.find((x) => x.taskDefinitionKey === 'Task_GiveOpinion')?.id;
    }, 'the opinion task', 45_000);
    const a = await signIn(browser, env.baseUrl, 'stc.chuyenvien');
    const b = await signIn(browser, env.baseUrl, 'stc.chuyenvien2');
    for (const p of [a.page, b.page]) {
      await p.goto('/tasks?f=group');
      await p.locator(`tr[data-task="${taskId}"]`).waitFor();
    }
    await markPage(b.page);
    expect(await b.page.locator(`tr[data-task="${taskId}"] button`, { hasText: 'Nhận xử lý' }).count()).toBe(1);

    // when the first claims it
    await a.page.locator(`tr[data-task="${taskId}"] button`, { hasText: 'Nhận xử lý' }).click();
    await a.page.locator('.toast', { hasText: 'Đã nhận xử lý' }).waitFor();

    // then it leaves the second one's group list, pushed by the server
    await b.page.locator(`tr[data-task="${taskId}"]`).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await stillSamePage(b.page)).toBe(true);
    await screenshot(b.page, '16-live-task-gone');

    // given the dossier's page open on the opinion step
    const page = b.page;
    await page.click(`nav a[href="/dossiers"]`);
    await page.locator(`tr[data-dossier="${dossier.id}"] a`).click();
    await page.waitForSelector('#diagram[data-ready="true"]');
    await markPage(page);
    expect(await page.getAttribute('#diagram', 'data-active')).toContain('Task_GiveOpinion');

    // when the opinion is given, its head signs it off and the workers consolidate it
    await stc.post(`/api/tasks/${taskId}/complete`, opinionForm('STC'));
    await signOffOpinion(await env.as('stc.giamdoc'), dossier.id);

    // then the diagram, the status and the timeline follow on the open page
    await expect.poll(() => page.getAttribute('#diagram', 'data-active'), { timeout: 30_000 }).toContain('Task_DraftSubmission');
    expect(await page.locator('[data-element-id="Task_GiveOpinion"].hl-done').count()).toBe(1);
    expect(await page.locator('[data-element-id="Task_DraftSubmission"].hl-active').count()).toBe(1);
    await expect.poll(() => page.locator('section[aria-labelledby="h-timeline"]').textContent()).toContain('Đã tổng hợp ý kiến các cơ quan');
    expect(await stillSamePage(page)).toBe(true);

    // and the diagram opens legible (never below 60 %) and zooms with its buttons
    const scale = () => page.evaluate(`document.querySelector('#diagram .viewport').transform.baseVal.consolidate().matrix.a`) as Promise<number>;
    const fitted = await scale();
    expect(fitted).toBeGreaterThanOrEqual(0.6 - 1e-6);
    await page.click('#zoom-in');
    expect(await scale()).toBeCloseTo(fitted * 1.25, 2);
    // "Vừa khung" shows the whole diagram in its box, however small that makes it
    await page.click('#zoom-fit');
    expect(await scale()).toBeLessThanOrEqual(fitted + 1e-6);
    const whole = await page.evaluate(`(() => {
      const box = document.getElementById('diagram').getBoundingClientRect();
      const shapes = document.querySelector('#diagram .viewport').getBoundingClientRect();
      return shapes.left >= box.left - 1 && shapes.right <= box.right + 1 && shapes.top >= box.top - 1 && shapes.bottom <= box.bottom + 1;
    })()`);
    expect(whole).toBe(true);
    await expectAccessible(page, '17-live-diagram');
    await a.context.close();
    await b.context.close();
  });

  it('should list a failed external task’s incident with its message and clear it when the monitor retries', async () => {
    // given an incident: an external task failed with no retries left
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_E2eIncident" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="e2e-incident" name="Thử sự cố" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="StartEvent_E2e" />
    <bpmn:sequenceFlow id="Flow_E2e_1" sourceRef="StartEvent_E2e" targetRef="Task_E2eFail" />
    <bpmn:serviceTask id="Task_E2eFail" name="Gửi văn bản" camunda:type="external" camunda:topic="e2e-fail" />
    <bpmn:sequenceFlow id="Flow_E2e_2" sourceRef="Task_E2eFail" targetRef="EndEvent_E2e" />
    <bpmn:endEvent id="EndEvent_E2e" />
  </bpmn:process>
</bpmn:definitions>`;
    await env.engine.deploy('e2e-incident', [{ name: 'e2e-incident.bpmn', content: xml }], false, 'e2e');
    const instance = await env.engine.request<{ id: string }>('POST', '/process-definition/key/e2e-incident/start', {});
    const message = 'Máy chủ văn bản không phản hồi (thử nghiệm e2e)';
    const [locked] = await env.engine.request<{ id: string }[]>('POST', '/external-task/fetchAndLock', { workerId: 'e2e-test', maxTasks: 1, topics: [{ topicName: 'e2e-fail', lockDuration: 60_000 }] });
    await env.engine.request('POST', `/external-task/${locked!.id}/failure`, { workerId: 'e2e-test', errorMessage: message, errorDetails: 'ECONNREFUSED', retries: 0, retryTimeout: 0 });

    // when the Office's monitor opens the operations page
    const monitor = await signIn(browser, env.baseUrl, 'vp.theodoi');
    const page = monitor.page;
    await page.click('nav a[href="/operations"]');
    const row = page.locator('#incidents tr', { hasText: message });
    await row.waitFor();
    expect(await row.textContent()).toContain('Gửi văn bản');
    await expectAccessible(page, '18-operations-incident');

    // then Retry gives the task its retries back and the incident disappears
    await row.locator('button', { hasText: 'Thử lại' }).click();
    await row.waitFor({ state: 'detached' });
    await page.locator('#incidents', { hasText: 'Không có sự cố nào' }).waitFor();
    const [task] = await env.engine.request<{ retries: number }[]>('GET', '/external-task', undefined, { processInstanceId: instance.id });
    expect(task!.retries).toBe(3);
    expect(await env.engine.request<unknown[]>('GET', '/incident', undefined, { processInstanceId: instance.id })).toHaveLength(0);
    await env.engine.request('DELETE', `/process-instance/${instance.id}`, undefined, { skipCustomListeners: true });
    await monitor.context.close();
  });
});

/**
 * The designer edits a task's form in form-js's editor, in Chromium: they select the task on the
 * diagram, open its form, change a label and propose the diagram with its forms; the Office's head
 * approves it on the same page; a new task of that step shows the new label while a task started
 * before keeps the form it started with. A hostile form (an unknown component type, a 2 MB file) is
 * refused by the server with its message shown. The process is a copy of van-ban-den-dong-gui under
 * a key of its own, so the other files' instances keep running our diagram.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, expectAccessible, screenshot, signIn } from './support/browser.ts';
import { PROCESSES_DIR } from '../../platform/engine/deploy.ts';
import { engineDate } from '../../platform/engine/variables.ts';
import type { Task } from '../../platform/engine/client.ts';

const NEW_LABEL = 'Nội dung đã xử lý (biểu mẫu mới)';

describe('the form editor of the designer, in Chromium', () => {
  const suite = browserSuite();
  const key = `form-editor-${randomBytes(4).toString('hex')}`;
  const xml = fs.readFileSync(`${PROCESSES_DIR}/van-ban-den-dong-gui.bpmn`, 'utf8').replaceAll('"van-ban-den-dong-gui"', `"${key}"`);
  const formText = fs.readFileSync(`${PROCESSES_DIR}/forms/proactive-handling.form`, 'utf8');
  const oldLabel = (JSON.parse(formText) as { components: { label: string }[] }).components[0]!.label;

  /** An instance for Sở Công Thương (setup through the engine, as the Office's registration would): its open task. */
  async function startInstance(): Promise<string> {
    const due = engineDate(new Date(Date.now() + 30 * 86_400_000));
    const instance = await suite.env.engine.startProcess(key, `${key}-${randomBytes(3).toString('hex')}`, { agencyCount: 1, agencyCodesCsv: 'SCT', proactiveDueAt: due });
    const [task] = await suite.env.engine.request<Task[]>('GET', '/task', undefined, { processInstanceId: instance.id });
    return task!.id;
  }

  async function openVersion(page: Page, definitionId: string): Promise<void> {
    await page.goto('/designer');
    await page.locator(`li[data-definition="${definitionId}"] button`).click();
    await page.locator(`#canvas[data-definition="${definitionId}"]`).waitFor();
    await page.locator('#form-pick option[value="proactive-handling"]').waitFor({ state: 'attached' });
  }

  /** Proposes what the page holds and returns what the page then says. */
  async function propose(page: Page): Promise<string> {
    await page.evaluate(`document.getElementById('designer-status').textContent = ''`);
    await page.click('#deploy');
    await page.click('#deploy-confirm');
    await page.locator('#designer-status').filter({ hasText: /\S/ }).waitFor();
    return (await page.locator('#designer-status').textContent()) ?? '';
  }

  it('should show a new task of the step the label the designer gave its form, once the proposal is approved', async () => {
    // given the process running, with an instance already at its task
    await suite.env.engine.deploy(`ops:${key}`, [{ name: `${key}.bpmn`, content: xml }, { name: 'proactive-handling.form', content: formText }], false, 'processes');
    const [v1] = await suite.env.engine.listProcessDefinitions({ key, latestVersion: true });
    const before = await startInstance();

    // when the designer selects the task on the diagram and opens its form in the editor
    const designer = await signIn(suite.browser, suite.env.baseUrl, 'thietke');
    const page = designer.page;
    await openVersion(page, v1!.id);
    await page.locator('#canvas g.djs-shape[data-element-id="Task_ProactiveHandling"]').click();
    await page.locator('#form-status', { hasText: 'Biểu mẫu của công việc đang chọn: proactive-handling.form' }).waitFor();
    await expectAccessible(page, 'form-editor-designer');
    await page.click('#form-open');
    await page.locator('#form-editor .fjs-editor-container').waitFor();

    // and changes the label of its field, then proposes the diagram with its forms
    await page.locator('#form-editor .fjs-editor-container [data-id="Field_action"]').first().click();
    // (the label is a templating editor, CodeMirror's contenteditable, in the properties panel)
    const general = page.locator('#form-editor [data-group-id="group-general"] .bio-properties-panel-group-header');
    if (!((await general.getAttribute('class')) ?? '').split(' ').includes('open')) await general.click();
    const label = page.locator('#form-editor [data-entry-id="label"] .cm-content');
    await label.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(NEW_LABEL);
    await page.locator('#form-editor .fjs-form-field-label', { hasText: NEW_LABEL }).waitFor();
    await page.locator('#form-lint[data-problems="0"]').waitFor();
    await screenshot(page, 'form-editor-open');
    const said = await propose(page);
    expect(said).toContain('Đã gửi đề xuất triển khai');
    expect(said).toContain('proactive-handling.form');

    // when the Office's head approves it on the designer page
    const head = await signIn(suite.browser, suite.env.baseUrl, 'vp.chanhvanphong');
    await head.page.goto('/designer');
    const proposal = head.page.locator('#proposals li[data-status="PROPOSED"]');
    await proposal.locator('button.approve').click();
    await head.page.locator('#designer-status', { hasText: 'Đã phê duyệt' }).waitFor();

    // then a new task of the step shows the new label, and the task started before keeps its form
    const after = await startInstance();
    const sct = await signIn(suite.browser, suite.env.baseUrl, 'sct.chuyenvien');
    await sct.page.goto(`/tasks/${after}`);
    await sct.page.locator('.fjs-form-field-label', { hasText: NEW_LABEL }).waitFor();
    await sct.page.goto(`/tasks/${before}`);
    await sct.page.locator('.fjs-form-field-label', { hasText: oldLabel }).waitFor();
    expect(await sct.page.locator('.fjs-form-field-label', { hasText: NEW_LABEL }).count()).toBe(0);
    for (const p of [designer, head, sct]) await p.context.close();
  });

  it('should refuse a form with an unknown component type or of 2 MB, with the message shown', async () => {
    // given the designer on the running version
    const [latest] = await suite.env.engine.listProcessDefinitions({ key, latestVersion: true });
    const designer = await signIn(suite.browser, suite.env.baseUrl, 'thietke');
    const page = designer.page;
    await openVersion(page, latest!.id);
    await page.selectOption('#form-pick', 'proactive-handling');
    const schema = JSON.parse(formText) as { components: unknown[] };

    // when they import a form with an html component and propose it
    const html = JSON.stringify({ ...schema, components: [...schema.components, { type: 'html', key: 'x', label: 'Nhúng', content: '<img src=x>' }] });
    await page.setInputFiles('#form-import', { name: 'proactive-handling.form', mimeType: 'application/json', buffer: Buffer.from(html) });

    // then the editor's lint names it, and the server's refusal is shown
    await page.locator('#form-lint li[data-code="FORM_COMPONENT_UNKNOWN"]').waitFor();
    expect(await propose(page)).toMatch(/proactive-handling\.form.*"x".*"html"/);

    // when they import a 2 MB form and propose it, the server refuses it too, saying why
    const big = JSON.stringify({ ...schema, description: 'x'.repeat(2 * 1024 * 1024) });
    await page.setInputFiles('#form-import', { name: 'proactive-handling.form', mimeType: 'application/json', buffer: Buffer.from(big) });
    await page.locator('#form-lint li[data-code="FORM_TOO_LARGE"]').waitFor();
    expect(await propose(page)).toMatch(/proactive-handling\.form.*256 kB/);
    await screenshot(page, 'form-editor-refused');
    await designer.context.close();
  });
});

/**
 * A task's form is the version deployed with its diagram (camunda:formRef, deployment binding): an
 * instance started under version 1 of a form keeps rendering and validating with it after version 2
 * (a new required field) is deployed with the diagram, and a new instance gets version 2. A form
 * deployed around our checks (straight to the engine) is refused when a task would use it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { refusal } from '../support/engine.ts';
import { FORMS_DIR } from '../../server/forms/index.ts';
import type { Task } from '../../platform/engine/client.ts';

/** A process of one user task of Sở Công Thương's specialists, whose form is proactive-handling, bound by deployment. */
const diagram = (key: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_${key}" targetNamespace="http://ho-so-trinh.test">
  <bpmn:process id="${key}" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_ProactiveHandling" />
    <bpmn:userTask id="Task_ProactiveHandling" name="Chủ động xử lý" camunda:formRef="proactive-handling" camunda:formRefBinding="deployment" camunda:candidateGroups="SCT_chuyenvien" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_ProactiveHandling" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

type Form = { id: string; components: { key?: string; label?: string; type: string; validate?: { required?: boolean } }[] };
const v1 = JSON.parse(fs.readFileSync(path.join(FORMS_DIR, 'proactive-handling.form'), 'utf8')) as Form;
/** Version 2: the action relabelled, and a new required field. */
const v2: Form = {
  ...v1,
  components: [
    { ...v1.components[0]!, label: 'Nội dung đã xử lý (phiên bản 2)' },
    { type: 'textfield', key: 'reference', label: 'Số, ký hiệu văn bản trả lời', validate: { required: true } },
  ],
};

describe('task forms deployed with their diagram', () => {
  let env: TestEnv;
  const key = `form-versions-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  const deploy = (form: unknown, name = key) =>
    env.engine.deploy(name, [{ name: `${key}.bpmn`, content: diagram(key) }, { name: 'proactive-handling.form', content: JSON.stringify(form) }], false, 'tests');
  const start = async () => {
    const instance = await env.engine.startProcess(key, `${key}-${randomBytes(3).toString('hex')}`, {});
    const [task] = await env.engine.request<Task[]>('GET', '/task', undefined, { processInstanceId: instance.id });
    return task!;
  };

  it('should keep rendering and validating with the form an instance started with when a new version is deployed with the diagram', async () => {
    // given an instance started under version 1 of the form
    await deploy(v1);
    const first = await start();

    // when version 2 (a new required field) is deployed with the diagram, and a new instance starts
    await deploy(v2);
    const second = await start();
    expect(second.processDefinitionId).not.toBe(first.processDefinitionId);

    // then the first task's page gets version 1, the second's version 2
    const sct = await env.as('sct.chuyenvien');
    const formOf = (id: string) => sct.get<{ formKey: string; schema: Form }>(`/api/tasks/${id}/form`);
    const one = await formOf(first.id);
    const two = await formOf(second.id);
    expect(one.formKey).toBe('proactive-handling');
    expect(one.schema.components.map((c) => c.label)).toEqual([v1.components[0]!.label]);
    expect(two.schema.components.map((c) => c.label)).toEqual(['Nội dung đã xử lý (phiên bản 2)', 'Số, ký hiệu văn bản trả lời']);

    // and the server validates each against its own version: the first needs no reference, the second does
    for (const t of [first, second]) await sct.post(`/api/tasks/${t.id}/claim`, {});
    const action = { action: 'Đã tham mưu văn bản trả lời.' };
    await sct.post(`/api/tasks/${first.id}/complete?dryRun=true`, action);
    const refused = await refusal(sct.post(`/api/tasks/${second.id}/complete?dryRun=true`, action));
    expect([refused.status, refused.code, refused.body?.error?.field]).toEqual([422, 'INVALID_FORM', 'reference']);
    await sct.post(`/api/tasks/${second.id}/complete?dryRun=true`, { ...action, reference: '12/CV-SCT' });
    const unknown = await refusal(sct.post(`/api/tasks/${first.id}/complete?dryRun=true`, { ...action, reference: '12/CV-SCT' }));
    expect([unknown.status, unknown.body?.error?.field]).toEqual([422, 'reference']);
  });

  it('should refuse a task whose deployed form embeds what the server does not accept, when it was deployed straight to the engine', async () => {
    // given a version of the form with an html component, deployed around the server's checks
    await deploy({ ...v1, components: [...v1.components, { type: 'html', key: 'x', label: 'Nhúng', content: '<img src=x onerror=alert(1)>' }] });
    const task = await start();

    // when its page asks for the form, or a completion is sent
    const sct = await env.as('sct.chuyenvien');
    const read = await refusal(sct.get(`/api/tasks/${task.id}/form`));
    await sct.post(`/api/tasks/${task.id}/claim`, {});
    const done = await refusal(sct.post(`/api/tasks/${task.id}/complete?dryRun=true`, { action: 'Đã xử lý.' }));

    // then both are refused, naming the component
    for (const r of [read, done]) {
      expect([r.status, r.code]).toEqual([409, 'FORM_REFUSED']);
      expect(r.body?.error?.message).toMatch(/"x".*"html"/);
    }
  });
});

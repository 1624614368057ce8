import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { refusal } from '../support/engine.ts';
import { PROCESSES_DIR } from '../../platform/engine/deploy.ts';

type Proposal = { id: string; status: string; processKeys: string[]; proposedBy: string; decidedBy: string | null; reason: string | null; deploymentId: string | null; diff: { added: number; removed: number; lines: string[] } };

describe('four eyes on a deployment', () => {
  let env: TestEnv;
  // A key of its own: the engine is shared by every test file, whose instances must keep running our diagram.
  const key = `four-eyes-${randomBytes(4).toString('hex')}`;
  const original = fs.readFileSync(`${PROCESSES_DIR}/van-ban-den-dong-gui.bpmn`, 'utf8').replaceAll('"van-ban-den-dong-gui"', `"${key}"`);
  // Its one user task names the form proactive-handling, which is proposed and deployed with it.
  const formText = fs.readFileSync(`${PROCESSES_DIR}/forms/proactive-handling.form`, 'utf8');
  const forms = [{ name: 'proactive-handling.form', content: formText }];
  const versions = async () => (await env.engine.listProcessDefinitions({ key })).length;
  const audit = async (id: string) =>
    ((await env.ds.query(`SELECT action, actor_user_id FROM audit_event WHERE details->>'proposalId' = $1 ORDER BY id`, [id])) as { action: string; actor_user_id: string }[]).map(
      (a) => `${a.action}:${a.actor_user_id}`,
    );

  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should deploy a designer’s new version only when the Office’s head approves it, recording both in the audit trail', async () => {
    // given a process now running (deployed by the operator) and a designer's change of its due date
    await env.engine.deploy(`ops:${key}`, [{ name: `${key}.bpmn`, content: original }, { name: 'proactive-handling.form', content: formText }], false, 'processes');
    const designer = await env.as('thietke');
    const changed = original.replace('camunda:dueDate="${proactiveDueAt}"', 'camunda:dueDate="${proactiveDueAt2}"');
    expect(changed).not.toBe(original);
    const before = await versions();

    // when the designer proposes it
    const { proposal } = await designer.post<{ proposal: Proposal }>('/api/process-definitions', { xml: changed, fileName: 'four-eyes.bpmn', forms });

    // then it waits, with its difference from the running version, and nothing is deployed
    expect(proposal).toMatchObject({ status: 'PROPOSED', processKeys: [key], proposedBy: 'thietke', deploymentId: null });
    expect(proposal.diff).toMatchObject({ added: 1, removed: 1 });
    expect(proposal.diff.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^-.*\$\{proactiveDueAt\}/), expect.stringMatching(/^\+.*\$\{proactiveDueAt2\}/)]));
    expect(await versions()).toBe(before);

    // and neither the designer nor another agency's head may approve it
    expect((await refusal(designer.post(`/api/deployment-proposals/${proposal.id}/approve`, {}))).status).toBe(403);
    const agencyHead = await env.as('sct.giamdoc');
    expect((await refusal(agencyHead.post(`/api/deployment-proposals/${proposal.id}/approve`, {}))).status).toBe(403);
    expect(await versions()).toBe(before);

    // when the Office's head approves it
    const head = await env.as('vp.chanhvanphong');
    const listed = await head.get<{ proposals: Proposal[] }>('/api/deployment-proposals');
    expect(listed.proposals.map((p) => p.id)).toContain(proposal.id);
    const approved = await head.post<{ proposal: Proposal; definitions: { key: string; version: number }[] }>(`/api/deployment-proposals/${proposal.id}/approve`, {});

    // then the new version runs, and the proposal, the approval and the deployment are on record
    expect(approved.proposal).toMatchObject({ status: 'APPROVED', decidedBy: 'vp.chanhvanphong' });
    expect(approved.definitions[0]).toMatchObject({ key });
    expect(await versions()).toBe(before + 1);
    const [latest] = await env.engine.listProcessDefinitions({ key, latestVersion: true });
    expect(await env.engine.getProcessDefinitionXml(latest!.id)).toContain('${proactiveDueAt2}');
    expect(await audit(proposal.id)).toEqual(['PROCESS_DEPLOYMENT_PROPOSED:thietke', 'PROCESS_DEPLOYMENT_APPROVED:vp.chanhvanphong', 'PROCESS_DEPLOYED:vp.chanhvanphong']);

    // and it cannot be decided twice
    const again = await refusal(head.post(`/api/deployment-proposals/${proposal.id}/approve`, {}));
    expect([again.status, again.code]).toEqual([409, 'PROPOSAL_DECIDED']);
  });

  it('should deploy nothing and record the reason when the administrator rejects a proposal', async () => {
    // given a proposal
    const designer = await env.as('thietke');
    const { proposal } = await designer.post<{ proposal: Proposal }>('/api/process-definitions', {
      xml: original.replace('camunda:dueDate="${proactiveDueAt}"', 'camunda:dueDate="${proactiveDueAt3}"'),
      fileName: 'four-eyes.bpmn',
      forms,
    });
    const before = await versions();

    // when the administrator rejects it without and then with a reason
    const admin = await env.as('admin');
    expect((await refusal(admin.post(`/api/deployment-proposals/${proposal.id}/reject`, {}))).status).toBe(400);
    const rejected = await admin.post<{ proposal: Proposal }>(`/api/deployment-proposals/${proposal.id}/reject`, { reason: 'Hạn xử lý chưa được Văn phòng thống nhất.' });

    // then nothing is deployed, and the rejection is on record with its reason
    expect(rejected.proposal).toMatchObject({ status: 'REJECTED', decidedBy: 'admin', reason: 'Hạn xử lý chưa được Văn phòng thống nhất.', deploymentId: null });
    expect(await versions()).toBe(before);
    expect(await audit(proposal.id)).toEqual(['PROCESS_DEPLOYMENT_PROPOSED:thietke', 'PROCESS_DEPLOYMENT_REJECTED:admin']);
    expect((await refusal(admin.post(`/api/deployment-proposals/${proposal.id}/approve`, {}))).status).toBe(409);
  });

  it('should refuse in the database a decision by the proposer when a route forgets to check it', async () => {
    // given a stored proposal
    const designer = await env.as('thietke');
    const { proposal } = await designer.post<{ proposal: Proposal }>('/api/process-definitions', { xml: original, fileName: 'four-eyes.bpmn', forms });
    // when its proposer is written as the one who decided, then the table refuses it
    await expect(
      env.ds.query(`UPDATE deployment_proposal SET status = 'APPROVED', decided_by = proposed_by, decided_at = now() WHERE id = $1`, [proposal.id]),
    ).rejects.toThrow(/check constraint/);
  });

  it('should deploy the forms proposed with the diagram in its deployment, and show the approver what changed in them', async () => {
    // given a designer's new label for the form's one field
    const designer = await env.as('thietke');
    const relabelled = formText.replace('"Việc đã xử lý hoặc nội dung tham mưu"', '"Nội dung đã xử lý (sửa trong trình thiết kế)"');
    expect(relabelled).not.toBe(formText);
    const { proposal } = await designer.post<{ proposal: Proposal }>('/api/process-definitions', {
      xml: original,
      fileName: 'four-eyes.bpmn',
      forms: [{ name: 'proactive-handling.form', content: relabelled }],
    });

    // then the proposal's difference names the form and its changed line
    expect(proposal.diff.lines).toContain('@@ proactive-handling.form');
    expect(proposal.diff.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^\+.*sửa trong trình thiết kế/)]));

    // when the Office's head approves it
    const head = await env.as('vp.chanhvanphong');
    const approved = await head.post<{ definitions: { id: string; key: string }[] }>(`/api/deployment-proposals/${proposal.id}/approve`, {});

    // then the new version is deployed with its form, which the designer reads back
    const deployed = await designer.get<{ forms: { name: string; schema: { components: { label?: string }[] } | null }[] }>(`/api/process-definitions/${approved.definitions[0]!.id}/forms`);
    expect(deployed.forms.map((f) => [f.name, f.schema?.components[0]?.label])).toEqual([['proactive-handling.form', 'Nội dung đã xử lý (sửa trong trình thiết kế)']]);
  });

  it('should refuse with 422 and a message naming the problem a form that is not one the server can run, or a diagram without its forms', async () => {
    const designer = await env.as('thietke');
    const propose = (f: { name: string; content: string }[], xml = original) => refusal(designer.post('/api/process-definitions', { xml, fileName: 'four-eyes.bpmn', forms: f }));
    const schema = JSON.parse(formText) as { components: unknown[] };
    // an unknown component type, named with the component
    const html = await propose([{ name: 'proactive-handling.form', content: JSON.stringify({ ...schema, components: [...schema.components, { type: 'html', key: 'x', label: 'Nhúng' }] }) }]);
    expect([html.status, html.code, html.body?.error?.field]).toEqual([422, 'FORM_COMPONENT_UNKNOWN', 'forms.0']);
    expect(html.body?.error?.message).toMatch(/proactive-handling\.form.*"x".*"html"/);
    // a 2 MB form
    const big = await propose([{ name: 'proactive-handling.form', content: JSON.stringify({ ...schema, description: 'x'.repeat(2 * 1024 * 1024) }) }]);
    expect([big.status, big.code]).toEqual([422, 'FORM_TOO_LARGE']);
    // a field the handler needs, removed
    const removed = await propose([{ name: 'proactive-handling.form', content: JSON.stringify({ ...schema, components: [] }) }]);
    expect([removed.status, removed.code]).toEqual([422, 'FORM_INCOMPATIBLE']);
    expect(removed.body?.error?.message).toMatch(/"action"/);
    // an expression where only conditions may have one
    const feel = await propose([{ name: 'proactive-handling.form', content: formText.replace('"Việc đã xử lý hoặc nội dung tham mưu"', '"=x"') }]);
    expect([feel.status, feel.code]).toEqual([422, 'FORM_CODE']);
    // the diagram without the form its task names, and with one it does not
    const missing = await propose([]);
    expect([missing.status, missing.code]).toEqual([422, 'FORM_MISSING']);
    expect(missing.body?.error?.message).toMatch(/Task_ProactiveHandling.*proactive-handling/);
    const unused = await propose([...forms, { name: 'sign.form', content: fs.readFileSync(`${PROCESSES_DIR}/forms/sign.form`, 'utf8') }]);
    expect([unused.status, unused.code]).toEqual([422, 'FORM_UNUSED']);
  });

  it('should read a hostile diagram and form as the engine and the server would, refusing them with 422 rather than missing a task or failing', async () => {
    const designer = await env.as('thietke');
    const propose = (f: { name: string; content: string }[], xml = original) => refusal(designer.post('/api/process-definitions', { xml, fileName: 'four-eyes.bpmn', forms: f }));
    const task = '<bpmn:userTask id="Task_ProactiveHandling" name="Chủ động xử lý / tham mưu" camunda:formRef="proactive-handling" camunda:formRefBinding="deployment"';
    expect(original).toContain(task);
    // a binding other than the deployment's, plain and behind a '>' in an attribute value (legal XML, which the engine reads whole): a scan of the text for tags saw no task there, so no form was needed
    const latest = await propose(forms, original.replace(task, task.replace('"deployment"', '"latest"')));
    expect([latest.status, latest.code]).toEqual([422, 'FORM_BINDING']);
    const hidden = await propose([], original.replace(task, '<bpmn:userTask name="a > b" id="Task_ProactiveHandling" camunda:formRef="proactive-handling" camunda:formRefBinding="latest"'));
    expect([hidden.status, hidden.code]).toEqual([422, 'FORM_BINDING']);
    // a form name climbing out of its folder
    const climbing = await propose([{ name: '../proactive-handling.form', content: formText }]);
    expect([climbing.status, climbing.code]).toEqual([400, 'INVALID_INPUT']);
    // a field key the server would read from Object.prototype, and a form nested to overflow the stack
    const schema = JSON.parse(formText) as { components: unknown[] };
    const inherited = await propose([{ name: 'proactive-handling.form', content: JSON.stringify({ ...schema, components: [...schema.components, { type: 'textfield', key: 'constructor', label: 'Ghi chú' }] }) }]);
    expect([inherited.status, inherited.code]).toEqual([422, 'FORM_KEY_INVALID']);
    const deep = await propose([{ name: 'proactive-handling.form', content: formText.replace(/\}\s*$/, `, "x": ${'['.repeat(40_000)}${']'.repeat(40_000)} }`) }]);
    expect([deep.status, deep.code]).toEqual([422, 'FORM_TOO_COMPLEX']);
  });
});

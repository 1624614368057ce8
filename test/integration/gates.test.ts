import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { validDossierInput, type DossierInput } from '../support/dossiers.ts';
import { detail, waitForTask } from '../support/flow.ts';
import { historyOf, instanceOf, openTasks, processVariables, taskForm } from '../support/engine.ts';

/**
 * A diagram stripped to nothing but forward-to-ubnd: whatever a designer removes, the worker's
 * gates still hold. A process key of its own, so the real diagram's
 * latest version is left alone.
 */
const PROBE_KEY = 'gate-probe';
const PROBE_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_GateProbe" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${PROBE_KEY}" name="Trình thẳng (kiểm thử)" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="Start_Probe"><bpmn:outgoing>Flow_ToForward</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Task_Forward" camunda:type="external" camunda:topic="forward-to-ubnd">
      <bpmn:incoming>Flow_ToForward</bpmn:incoming><bpmn:outgoing>Flow_ToEnd</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="Boundary_Refused" attachedToRef="Task_Forward">
      <bpmn:outgoing>Flow_ToRefused</bpmn:outgoing>
      <bpmn:errorEventDefinition id="Boundary_Refused_Def" />
    </bpmn:boundaryEvent>
    <bpmn:userTask id="Task_Refused" name="Bị chặn"><bpmn:incoming>Flow_ToRefused</bpmn:incoming></bpmn:userTask>
    <bpmn:endEvent id="End_Forwarded"><bpmn:incoming>Flow_ToEnd</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_ToForward" sourceRef="Start_Probe" targetRef="Task_Forward" />
    <bpmn:sequenceFlow id="Flow_ToEnd" sourceRef="Task_Forward" targetRef="End_Forwarded" />
    <bpmn:sequenceFlow id="Flow_ToRefused" sourceRef="Boundary_Refused" targetRef="Task_Refused" />
  </bpmn:process>
</bpmn:definitions>`;

describe('R-10/R-20/R-17/R-05 gates of forward-to-ubnd that hold whatever the diagram', () => {
  let env: TestEnv;
  let deploymentId: string;
  const probes: string[] = [];
  beforeAll(async () => {
    env = await createTestEnv();
    deploymentId = (await env.engine.deploy('gate-probe', [{ name: `${PROBE_KEY}.bpmn`, content: PROBE_BPMN }], false, 'tests')).id;
  });
  afterAll(async () => {
    for (const id of probes) await env.engine.request('DELETE', `/process-instance/${id}`, undefined, { skipCustomListeners: true }).catch(() => {});
    if (deploymentId) await env.engine.request('DELETE', `/deployment/${deploymentId}`, undefined, { cascade: true }).catch(() => {});
    await env?.close();
  });

  /** A dossier of Sở Công Thương, created through the API and left waiting at `step` of the real diagram. */
  async function dossierAt(step: string, overrides: DossierInput, who = 'sct.chuyenvien'): Promise<string> {
    const drafter = await env.as('sct.chuyenvien');
    const { dossier } = await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput(overrides));
    await waitForTask(await env.as(who), dossier.id, step);
    return dossier.id;
  }

  /** Starts the stripped diagram for the stored dossier and returns what forward-to-ubnd decided. */
  async function forwardThroughProbe(dossierId: string): Promise<{ code: string; codes: string[]; steps: string[] }> {
    const instance = await env.engine.startProcess(PROBE_KEY, `probe-${dossierId}`, { dossierId, round: 1 });
    probes.push(instance.id);
    await eventually(async () => (await openTasks(env, instance.id)).find((t) => t.taskDefinitionKey === 'Task_Refused') ?? (await historyOf(env, instance.id)).includes('End_Forwarded'), 'probe outcome');
    const vars = await processVariables(env, instance.id).catch(() => ({}) as Record<string, unknown>);
    return { code: String(vars.lastErrorCode ?? ''), codes: String(vars.lastErrorCodes ?? '').split(','), steps: await historyOf(env, instance.id) };
  }

  const records = async (id: string) => ({
    returns: (await env.ds.query('SELECT source, reason FROM dossier_return WHERE dossier_id = $1', [id])) as { source: string; reason: string }[],
    submissions: (await env.ds.query('SELECT id FROM submission WHERE dossier_id = $1', [id])) as unknown[],
    refused: (await env.ds.query(`SELECT rule_id, error_code FROM audit_event WHERE dossier_id = $1 AND action = 'FORWARD_REFUSED'`, [id])) as { rule_id: string; error_code: string }[],
  });

  it('R-10 should refuse to forward with ERR_OPINIONS_PENDING when an opinion request is still PENDING', async () => {
    // given a dossier whose consulted agencies have not answered
    const id = await dossierAt('Task_GiveOpinion', {}, 'stc.chuyenvien');

    // when a diagram without the opinions step forwards it
    const outcome = await forwardThroughProbe(id);

    // then the worker raises the R-10 error, records the return and submits nothing
    expect(outcome.code).toBe('ERR_OPINIONS_PENDING');
    expect(outcome.steps).toContain('Task_Refused');
    expect(outcome.steps).not.toContain('End_Forwarded');
    expect(await records(id)).toEqual({ returns: [{ source: 'GATE', reason: 'OPINIONS_PENDING' }], submissions: [], refused: [{ rule_id: 'R-10', error_code: 'ERR_OPINIONS_PENDING' }] });
  });

  it('R-20 should refuse to forward with ERR_APPRAISAL_MISSING when a legal-normative dossier has no appraisal', async () => {
    // given a legal-normative dossier waiting for Sở Tư pháp
    const id = await dossierAt('Task_Appraise', { isLegalNormative: true, consultedAgencyCodes: [] }, 'stp.chuyenvien');

    // when a diagram without the appraisal step forwards it
    const outcome = await forwardThroughProbe(id);

    // then the worker raises the R-20 error first (R-17 and R-05 are broken too) and submits nothing
    expect(outcome.code).toBe('ERR_APPRAISAL_MISSING');
    expect(outcome.codes).toEqual(expect.arrayContaining(['ERR_APPRAISAL_MISSING', 'ERR_DOSSIER_INCOMPLETE', 'ERR_SIGNATURE_INVALID']));
    expect((await records(id)).submissions).toEqual([]);
  });

  it('R-05 should refuse to forward with ERR_SIGNATURE_INVALID when the tờ trình was never signed', async () => {
    // given a complete dossier waiting to be finalised, not signed
    const id = await dossierAt('Task_DraftSubmission', { consultedAgencyCodes: [] });

    // when a diagram without the signing step forwards it
    const outcome = await forwardThroughProbe(id);

    // then the worker raises the R-05 error
    expect(outcome.code).toBe('ERR_SIGNATURE_INVALID');
    expect(await records(id)).toMatchObject({ returns: [{ source: 'GATE', reason: 'INVALID_SIGNATURE' }], submissions: [] });
  });

  it('R-17 should refuse to forward with ERR_DOSSIER_INCOMPLETE when the dossier holds two tờ trình', async () => {
    // given a dossier to which a second submission document was added
    const id = await dossierAt('Task_DraftSubmission', { consultedAgencyCodes: [] });
    await env.ds.query(
      `INSERT INTO document (dossier_id, role, doc_type, symbol, subject, issuer_agency_code, medium) VALUES ($1, 'SUBMISSION_DOC', 'TO_TRINH', '/TTr-SCT', 'Tờ trình thứ hai', 'SCT', 'PAPER')`,
      [id],
    );

    // when a diagram without the validation steps forwards it
    const outcome = await forwardThroughProbe(id);

    // then the worker raises the R-17 error
    expect(outcome.code).toBe('ERR_DOSSIER_INCOMPLETE');
    expect(await records(id)).toMatchObject({ returns: [{ source: 'GATE', reason: 'MISSING_COMPONENT' }], submissions: [] });
  });
  it('R-10 should refuse in request-opinions an opinion-request letter that names UBND tỉnh, sending the dossier back through the opinions sub-process\'s error boundary', async () => {
    // given a dossier being consulted, and an opinion-request letter copied to UBND tỉnh that reached the store around the routes
    const id = await dossierAt('Task_GiveOpinion', {}, 'stc.chuyenvien');
    await env.ds.query(
      `INSERT INTO document (dossier_id, role, doc_type, symbol, subject, issuer_agency_code, kinh_gui, noi_nhan)
       VALUES ($1, 'OPINION_REQUEST', 'CONG_VAN', '/SCT-KT', 'V/v góp ý dự thảo', 'SCT', '{STC}', '{"UBND tỉnh (b/c)", "Lưu: VT"}')`,
      [id],
    );

    // when request-opinions runs again on it (a redelivery, or a designer's diagram that loops back to it)
    const instance = await instanceOf(env, id);
    await env.engine.request('POST', `/process-instance/${instance}/modification`, { instructions: [{ type: 'startBeforeActivity', activityId: 'Task_RequestOpinions' }] });

    // then the worker refuses it with the R-10 code, "Đề nghị chưa hợp lệ" ends the consultation and the drafter revises, told why
    const drafter = await env.as('sct.chuyenvien');
    const revise = await waitForTask(drafter, id, 'Task_Revise');
    expect((await taskForm(drafter, revise.id)).lastError?.code).toBe('ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING');
    expect(await historyOf(env, instance)).toContain('Boundary_OpinionsError');
    const d = await detail(drafter, id);
    expect(d.dossier.status).toBe('REVISION_REQUIRED');
    expect(d.audit.filter((a) => a.action === 'OPINION_REQUEST_REFUSED')).toEqual([expect.objectContaining({ rule_id: 'R-10', error_code: 'ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING' })]);
    expect((await openTasks(env, instance)).map((t) => t.taskDefinitionKey)).toEqual(['Task_Revise']);
  });
});

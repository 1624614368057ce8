/**
 * Task forms, defined in processes/forms/<form id>.form and deployed with their diagram: every form's validation (a valid
 * submission, then each field made invalid), through the real server for the opinion form as a
 * new user of Sở Tài chính would meet it; claim conflicts; completing a task not claimed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { opinionForm, validDossierInput } from '../support/dossiers.ts';
import { detail, waitForTask, type TaskItem } from '../support/flow.ts';
import { expectRule, refusal } from '../support/engine.ts';
import { ApiError } from '../../scripts/lib/api-client.ts';
import { FORM_KEYS, FORMS_DIR, formIssues, loadForms, validateTaskForm, type FormComponent, type FormKey } from '../../server/forms/index.ts';
import { APPRAISAL_CONCLUSIONS, OPINION_POSITIONS, RETURN_REASONS } from '../../domain/model.ts';
import { PROCESSES_DIR } from '../../platform/engine/deploy.ts';

/** A submission each form accepts. */
const VALID: Record<FormKey, Record<string, unknown>> = {
  revise: { outcome: 'RESUBMIT', note: 'Đã bổ sung cơ sở thực tiễn.' },
  'give-opinion': opinionForm('STC'),
  'approve-opinion': { decision: 'SEND_BACK', reason: 'Cần nêu rõ mức kinh phí đề xuất.' },
  'choose-option': { chosenOptionId: 'PA1', rationale: 'Kinh phí nằm trong dự toán.' },
  appraise: { conclusion: 'ELIGIBLE', lawful: true, reasons: 'Dự thảo đúng thẩm quyền, phù hợp quy định.' },
  'respond-appraisal': { note: 'Đã tiếp thu toàn bộ ý kiến thẩm định.' },
  'draft-submission': { note: 'Hoàn thiện.', documents: [], changes: { proposal: 'Đề nghị UBND tỉnh ban hành Quyết định theo dự thảo.' } },
  sign: { stamped: true },
  'send-paper': { officeRegistrationNo: 'VP-2026-0001', paperReference: '45/TTr-SCT', signatureChecked: true, stamped: true },
  'office-check': { outcome: 'RETURN', returnReason: 'FORMAT', note: 'Sai thể thức.' },
  'leader-decision': { decision: 'APPROVED' },
  'follow-up-delay': { note: 'Đã đôn đốc Sở Công Thương.' },
  'proactive-handling': { action: 'Đã tham mưu văn bản trả lời.' },
  'follow-up-assigned-task': { note: 'Đã đôn đốc Sở Nội vụ hoàn thành trước ngày 15.' },
};

/** The task context the forms read (server/forms/context.ts): the lead agency's options, a deputy signing. */
const CONTEXT = { options: [{ value: 'PA1', label: 'Tổ chức 12 hội chợ' }], lastErrorMessage: null, userRole: 'DEPUTY' };

type Invalid = { field: string; value: unknown; why: string };

/** Each way a field of the form can be wrong, derived from its component. */
function invalidVariants(key: FormKey): Invalid[] {
  const out: Invalid[] = [];
  for (const c of loadForms().get(key)!.schema.components as FormComponent[]) {
    const field = c.type === 'group' ? c.path : c.key;
    if (!field) continue;
    if (c.validate?.required) out.push({ field, value: undefined, why: 'required' });
    if (c.properties?.serverSchema) out.push({ field, value: c.properties.serverSchema === 'documents' ? [{ role: 'NOT_A_ROLE' }] : { role: 'NOT_A_ROLE' }, why: 'schema' });
    else if (c.type === 'checkbox') out.push({ field, value: 'có', why: 'type' });
    else if (c.values || c.valuesKey) out.push({ field, value: 'NOT_AN_OPTION', why: 'enum' });
    else out.push({ field, value: 42, why: 'type' });
    if (c.validate?.maxLength) out.push({ field, value: 'x'.repeat(c.validate.maxLength + 1), why: 'maxLength' });
  }
  out.push({ field: 'notAField', value: 'x', why: 'unknown' });
  return out;
}

function withField(key: FormKey, v: Invalid): Record<string, unknown> {
  const data = { ...VALID[key] };
  if (v.value === undefined) delete data[v.field];
  else data[v.field] = v.value;
  return data;
}

describe('task forms: defined once, validated by the server', () => {
  it('should have one form-js file per formRef of the diagrams, bound by deployment, with the domain enums as values', () => {
    // given the diagrams and the form files
    const bpmnKeys = new Set<string>();
    for (const f of fs.readdirSync(PROCESSES_DIR).filter((n) => n.endsWith('.bpmn'))) {
      const xml = fs.readFileSync(path.join(PROCESSES_DIR, f), 'utf8');
      expect(xml).not.toContain('camunda:formKey=');
      for (const m of xml.matchAll(/camunda:formRef="([^"]+)" camunda:formRefBinding="deployment"/g)) bpmnKeys.add(m[1]!);
    }
    const files = fs.readdirSync(FORMS_DIR).filter((n) => n.endsWith('.form')).map((n) => n.replace(/\.form$/, ''));

    // then every form a task names has exactly its file, whose id is that name, and the enums are the domain's
    expect([...bpmnKeys].sort()).toEqual([...FORM_KEYS].sort());
    expect(files.sort()).toEqual([...FORM_KEYS].sort());
    for (const key of FORM_KEYS) expect(loadForms().get(key)!.schema.id).toBe(key);
    const values = (key: FormKey, field: string) => loadForms().get(key)!.schema.components.find((c) => c.key === field)!.values!.map((v) => v.value);
    expect(values('give-opinion', 'position')).toEqual([...OPINION_POSITIONS]);
    expect(values('appraise', 'conclusion')).toEqual([...APPRAISAL_CONCLUSIONS]);
    expect(values('appraise', 'lawful')).toEqual([true, false]);
    // NOT_ELIGIBLE is the appraiser's conclusion, recorded by the appraisal step: not a reason the Office picks.
    expect(values('office-check', 'returnReason')).toEqual(RETURN_REASONS.filter((r) => r !== 'APPRAISAL_NOT_ELIGIBLE'));
  });

  for (const key of FORM_KEYS) {
    it(`should accept a valid ${key} form and refuse each invalid field with 422 naming it`, () => {
      // given a valid submission, it passes
      expect(formIssues(key, VALID[key], CONTEXT).issues).toEqual([]);
      // when each field in turn is made invalid
      for (const v of invalidVariants(key)) {
        let err: unknown = null;
        try {
          validateTaskForm(key, withField(key, v), CONTEXT);
        } catch (e) {
          err = e;
        }
        // then it is a 422 naming that field, with the form's rule code or INVALID_FORM
        const e = err as { status?: number; code?: string; extra?: { field?: string; rule?: string } } | null;
        expect({ why: v.why, status: e?.status, field: e?.extra?.field?.split('.')[0] }, `${key}.${v.field} ${v.why}`).toEqual({ why: v.why, status: 422, field: v.field });
        const component = loadForms().get(key)!.fields.find((f) => f.key === v.field)?.component;
        expect(e?.code).toBe(component?.properties?.errorCode ?? 'INVALID_FORM');
      }
    });
  }

  it('R-30 should require a return reason only when the Office returns the dossier (conditional field)', () => {
    expect(validateTaskForm('office-check', { outcome: 'ACCEPT' })).toEqual({ outcome: 'ACCEPT' });
    // a reason sent with ACCEPT is a field the form hides: neither required nor accepted
    expect(() => validateTaskForm('office-check', { outcome: 'ACCEPT', returnReason: 'FORMAT' })).toThrow(
      expect.objectContaining({ status: 422, extra: expect.objectContaining({ field: 'returnReason', rule: 'hidden' }) }),
    );
    // form-js sends a hidden field as null: that is no value
    expect(validateTaskForm('office-check', { outcome: 'ACCEPT', returnReason: null })).toEqual({ outcome: 'ACCEPT' });
    expect(() => validateTaskForm('office-check', { outcome: 'RETURN' })).toThrow(expect.objectContaining({ code: 'ERR_RETURN_REASON_REQUIRED', extra: expect.objectContaining({ rule: 'R-30', field: 'returnReason' }) }));
  });

  it('R-06 should ask the urgent reason of a deputy only, whatever the submission claims about the signer', () => {
    const reason = { stamped: true, urgentReason: 'Kỳ họp UBND tỉnh ngày mai.' };
    expect(validateTaskForm('sign', reason, { ...CONTEXT, userRole: 'DEPUTY' })).toEqual(reason);
    expect(() => validateTaskForm('sign', reason, { ...CONTEXT, userRole: 'HEAD' })).toThrow(expect.objectContaining({ extra: expect.objectContaining({ field: 'urgentReason', rule: 'hidden' }) }));
    // the context is laid over the submission: a head cannot unhide the field by sending a role
    expect(() => validateTaskForm('sign', { ...reason, userRole: 'DEPUTY' }, { ...CONTEXT, userRole: 'HEAD' })).toThrow(expect.objectContaining({ status: 422 }));
    // an unticked stamp is false, not missing
    expect(validateTaskForm('sign', {}, { ...CONTEXT, userRole: 'HEAD' })).toEqual({ stamped: false });
  });

  it('should take a yes/no as a boolean and a choice among the lead agency\'s options only', () => {
    expect(validateTaskForm('appraise', { conclusion: 'ELIGIBLE', lawful: true, reasons: 'Đủ.' })).toMatchObject({ lawful: true });
    expect(() => validateTaskForm('appraise', { conclusion: 'ELIGIBLE', lawful: 'true', reasons: 'Đủ.' })).toThrow(
      expect.objectContaining({ status: 422, extra: expect.objectContaining({ field: 'lawful' }) }),
    );
    expect(validateTaskForm('choose-option', { chosenOptionId: 'PA1', rationale: 'Kinh phí thấp.' }, CONTEXT)).toMatchObject({ chosenOptionId: 'PA1' });
    expect(() => validateTaskForm('choose-option', { chosenOptionId: 'PA9', rationale: 'Kinh phí thấp.' }, CONTEXT)).toThrow(
      expect.objectContaining({ code: 'ERR_NO_CHOSEN_OPTION', extra: expect.objectContaining({ field: 'chosenOptionId' }) }),
    );
  });

  it('R-21 should refuse an appraisal without the lawfulness answer, with the rule code; R-19 leaves the texts a secret dossier must not hold to the handlers', () => {
    expect(() => validateTaskForm('appraise', { conclusion: 'ELIGIBLE', reasons: 'Đủ điều kiện.' })).toThrow(
      expect.objectContaining({ code: 'ERR_APPRAISAL_VAGUE', extra: expect.objectContaining({ rule: 'R-21', field: 'lawful' }) }),
    );
    // R-12's rationale and R-21's reasons are asked by the handlers of an ordinary dossier (test/integration/opinion-rules.test.ts), never of a secret one
    expect(validateTaskForm('choose-option', { chosenOptionId: 'PA1' }, CONTEXT)).toEqual({ chosenOptionId: 'PA1' });
    expect(validateTaskForm('appraise', { conclusion: 'ELIGIBLE', lawful: true })).toEqual({ conclusion: 'ELIGIBLE', lawful: true });
  });
});

describe('task handling through the real server', () => {
  let env: TestEnv;
  let dossierId = '';
  let otherDossierId = '';
  beforeAll(async () => {
    env = await createTestEnv();
    // Sở Công Thương consults Sở Tài chính; Sở Nội vụ consults Sở Kế hoạch và Đầu tư only.
    const drafter = await env.as('sct.chuyenvien');
    dossierId = (await drafter.post<{ dossier: { id: string } }>('/api/dossiers', validDossierInput({ consultedAgencyCodes: ['STC'] }))).dossier.id;
    const snv = await env.as('snv.chuyenvien');
    otherDossierId = (
      await snv.post<{ dossier: { id: string } }>(
        '/api/dossiers',
        validDossierInput({ leadAgencyCode: 'SNV', consultedAgencyCodes: ['SKHDT'], documents: validDossierInput().documents!.map((d, i) => (i === 0 ? { ...d, symbol: '/TTr-SNV' } : d)) }),
      )
    ).dossier.id;
    await waitForTask(await env.as('skhdt.chuyenvien'), otherDossierId, 'Task_GiveOpinion');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should let a new specialist of Sở Tài chính see only its claimable opinion task, claim it, get a clear error for a bad form and complete a good one', async () => {
    // given stc.chuyenvien signs in
    const stc = await env.as('stc.chuyenvien');
    expect(stc.user).toMatchObject({ agencyCode: 'STC', role: 'SPECIALIST', groups: ['STC_chuyenvien'] });

    // when they list their claimable tasks
    const task = await waitForTask(stc, dossierId, 'Task_GiveOpinion');
    const list = await stc.get<{ total: number; counts: { mine: number; claimable: number; overdue: number }; items: (TaskItem & { candidateGroups: string[] })[] }>('/api/tasks?scope=group&counts=true');

    // then they see only Sở Tài chính's opinion tasks: not SKHDT's on the other dossier, nothing of other steps
    expect(list.items.map((t) => [t.taskDefinitionKey, t.dossierId])).toEqual([['Task_GiveOpinion', dossierId]]);
    expect(list.counts).toMatchObject({ mine: 0, claimable: 1 });
    const skhdtTask = await waitForTask(await env.as('skhdt.chuyenvien'), otherDossierId, 'Task_GiveOpinion');
    expectRule(await refusal(stc.get(`/api/tasks/${skhdtTask.id}`)), 404, 'NOT_FOUND');
    // and the agency filter narrows by lead agency
    expect((await stc.get<{ total: number }>('/api/tasks?agency=SCT')).total).toBe(1);
    expect((await stc.get<{ total: number }>('/api/tasks?agency=SNV')).total).toBe(0);

    // and its form is the file deployed with the diagram, as the web app will render it
    const form = await stc.get<{ formKey: string; schema: { id: string; components: { key?: string }[] }; data: Record<string, unknown> }>(`/api/tasks/${task.id}/form`);
    expect(form.formKey).toBe('give-opinion');
    expect(form.schema).toEqual(JSON.parse(fs.readFileSync(path.join(FORMS_DIR, 'give-opinion.form'), 'utf8')));
    // with the lead agency's options for its option picker (valuesKey "options")
    expect(form.data).toMatchObject({ options: [{ value: 'PA1', label: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' }], userRole: 'SPECIALIST' });

    // when they claim it and send a bad form (no position, content too long)
    await stc.post(`/api/tasks/${task.id}/claim`);
    expect((await stc.get<{ counts: { mine: number } }>('/api/tasks?counts=true')).counts.mine).toBe(1);
    const noPosition = await refusal(stc.post(`/api/tasks/${task.id}/complete`, { content: 'Thống nhất.' }));
    const tooLong = await refusal(stc.post(`/api/tasks/${task.id}/complete`, { position: 'AGREE', content: 'x'.repeat(20_001) }));
    const badEnum = await refusal(stc.post(`/api/tasks/${task.id}/complete`, { position: 'MAYBE', content: 'Thống nhất.' }));
    const extra = await refusal(stc.post(`/api/tasks/${task.id}/complete`, { position: 'AGREE', content: 'Thống nhất.', approved: true }));

    // then each is a 422 naming the field and the rule, in Vietnamese, and the task stays theirs and open
    expect(noPosition.status).toBe(422);
    expect(noPosition.body?.error).toMatchObject({ code: 'ERR_OPINION_INCOMPLETE', rule: 'R-14', field: 'position' });
    expect(noPosition.body?.error?.message).toMatch(/Quan điểm của cơ quan/);
    expect(tooLong.body?.error).toMatchObject({ code: 'ERR_OPINION_INCOMPLETE', field: 'content' });
    expect(tooLong.body?.error?.message).toMatch(/20000 ký tự/);
    expect(badEnum.body?.error).toMatchObject({ code: 'ERR_OPINION_INCOMPLETE', field: 'position' });
    expect(extra.body?.error).toMatchObject({ code: 'INVALID_FORM', field: 'approved', rule: 'unknown' });
    expect(JSON.stringify([noPosition.body, tooLong.body, badEnum.body, extra.body])).not.toMatch(/\bat .*\.ts:\d+|SELECT|INSERT/);
    const still = await waitForTask(stc, dossierId, 'Task_GiveOpinion');
    expect(still).toMatchObject({ id: task.id, assignee: 'stc.chuyenvien' });

    // when they send a good one
    await stc.post(`/api/tasks/${task.id}/complete`, opinionForm('STC'));

    // then the opinion is recorded and the task is gone
    const d = await detail(await env.as('sct.chuyenvien'), dossierId);
    expect(d.opinions).toEqual([expect.objectContaining({ agency_code: 'STC', position: 'AGREE' })]);
    expect((await stc.get<{ total: number }>('/api/tasks')).total).toBe(0);
  });

  it('should give the task to one of two users claiming it at once and answer 409 to the other', async () => {
    // given two specialists of Sở Kế hoạch và Đầu tư and their opinion task
    const a = await env.as('skhdt.chuyenvien');
    const b = await env.as('skhdt.chuyenvien2');
    const task = await waitForTask(a, otherDossierId, 'Task_GiveOpinion');

    // when both claim it at the same time
    const results = await Promise.allSettled([a.post(`/api/tasks/${task.id}/claim`), b.post(`/api/tasks/${task.id}/claim`)]);

    // then exactly one wins and the other gets 409 TASK_ALREADY_CLAIMED
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ApiError);
    expectRule(lost[0]!.reason as ApiError, 409, 'TASK_ALREADY_CLAIMED');
    const winner = results[0]!.status === 'fulfilled' ? a : b;
    const loser = winner === a ? b : a;

    // and the loser can neither complete nor give back the winner's task
    expectRule(await refusal(loser.post(`/api/tasks/${task.id}/complete`, opinionForm('SKHDT'))), 409, 'TASK_CLAIMED_BY_OTHER');
    expectRule(await refusal(loser.post(`/api/tasks/${task.id}/unclaim`)), 403, 'FORBIDDEN');

    // when the winner gives it back, the other may take it
    await winner.post(`/api/tasks/${task.id}/unclaim`);
    await loser.post(`/api/tasks/${task.id}/claim`);
    expect((await waitForTask(loser, otherDossierId, 'Task_GiveOpinion')).assignee).toBe(loser.user!.id);
    await loser.post(`/api/tasks/${task.id}/unclaim`);
  });

  it('should refuse to complete a task nobody has claimed, and keep it open', async () => {
    // given an unclaimed opinion task
    const a = await env.as('skhdt.chuyenvien');
    const task = await waitForTask(a, otherDossierId, 'Task_GiveOpinion');
    expect(task.assignee).toBeNull();

    // when its candidate completes it without claiming
    const err = await refusal(a.post(`/api/tasks/${task.id}/complete`, opinionForm('SKHDT')));

    // then it is refused and the task is still there, unassigned
    expectRule(err, 409, 'TASK_NOT_CLAIMED');
    expect(await waitForTask(a, otherDossierId, 'Task_GiveOpinion')).toMatchObject({ id: task.id, assignee: null });
  });
});

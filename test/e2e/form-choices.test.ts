/**
 * Every form of processes/forms (as loadForms() finds them, so a new form is covered or this test
 * fails), in Chromium, against a real task held by the person who fills it in: each valid choice
 * (each radio and select value, the lead agency's options, checkbox on and off, each branch that
 * shows or hides fields, an attached file) is clicked and typed in the page and sent by the page
 * itself as a dry run; every invalid value a user can produce in the page is shown next to its
 * field; then one choice completes the task for real.
 *
 * The dry run: a route adds `dryRun=true` to the page's own completion request (its body is what
 * the page built from the clicks), so the server validates it and runs the task's handler in a
 * transaction it rolls back (see test/integration/form-choices.test.ts). Tasks are brought to
 * their step through the API (setup only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { draftDecision, opinionForm, pdf, submissionDocument, validDossierInput } from '../support/dossiers.ts';
import { doTask, waitForTask } from '../support/flow.ts';
import { fireTimer, instanceOf } from '../support/engine.ts';
import { choiceWithoutRationale, sendBackWithoutReason, validChoices, type Body } from '../support/form-choices.ts';
import { choicesOf, fieldOfCode, loadForms, type FormContext, type FormKey } from '../../server/forms/index.ts';
import { launch, screenshot, signIn, writeFigures, type Person } from './support/browser.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';

type Created = { dossier: { id: string } };
const FORM = 'form[aria-labelledby="task-form-title"]';
const OPTIONS = [
  { id: 'PA1', title: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' },
  { id: 'PA2', title: 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng' },
];
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A task brought to a form's step, the person holding it, and what to fill in there. */
type Target = {
  user: string;
  taskId: string;
  /** Branches to start from (each value of each choice field is tried from each). */
  bases: Body[];
  /** The domain rule that refuses a combination the page lets a user click. */
  refusedBy?: (b: Body) => string | null;
  /** Sent for real at the end; none: the task is left to another holder. */
  complete?: Body | null;
  /** What the page must show beside the form, checked once. */
  shows?: (page: Page) => Promise<void>;
};

/** The form-js block of a field, found by its component id (form-js puts it in the input's id). */
function block(page: Page, componentId: string) {
  return page.locator('.fjs-form-field').filter({ has: page.locator(`[id$="-${componentId}"], [id*="-${componentId}-"]`) }).first();
}

/** Fills the page's form with `body`, field by field, by clicking and typing as a person would. */
async function fill(page: Page, key: FormKey, body: Body, context: FormContext): Promise<void> {
  for (const f of loadForms().get(key)!.fields) {
    if (!(f.key in body)) continue;
    const v = body[f.key];
    const c = f.component;
    const b = block(page, c.id!);
    if (c.type === 'radio') {
      const label = choicesOf(c, context).find((o) => o.value === v)!.label;
      await b.getByLabel(label, { exact: true }).check();
    } else if (c.type === 'select') {
      const label = choicesOf(c, context).find((o) => o.value === v)!.label;
      await b.locator('.fjs-input-group').click();
      await page.locator('.fjs-dropdownlist-item', { hasText: new RegExp(`^${esc(label)}$`) }).click();
    } else if (c.type === 'checkbox') {
      await b.locator('input[type=checkbox]').setChecked(v === true);
    } else if (c.type === 'filepicker') {
      const doc = (Array.isArray(v) ? v[0] : v) as { fileName: string; contentBase64: string };
      await b.locator('input[type=file]').setInputFiles({ name: doc.fileName, mimeType: 'application/pdf', buffer: Buffer.from(doc.contentBase64, 'base64') });
    } else {
      await b.locator('textarea, input').first().fill(String(v));
    }
  }
}

/** What a page can show for a field: the choices it offers; a group without fields of its own offers nothing to click. */
const clickable = (key: FormKey, body: Body): Body => {
  const fields = loadForms().get(key)!.fields;
  return Object.fromEntries(Object.entries(body).filter(([k]) => fields.find((f) => f.key === k)?.component.type !== 'group'));
};

describe('every choice of every task form, clicked in Chromium against real tasks', () => {
  let env: TestEnv;
  let browser: Browser;
  let close: () => Promise<void>;
  let drafter: ApiClient;
  const people = new Map<string, Person>();
  /** Per person: whether the next completion request is a dry run. */
  const dry = new Map<string, boolean>();
  const figures: Record<string, { valid: number; invalid: number; ms: number }> = {};

  const as = async (user: string): Promise<Page> => {
    let p = people.get(user);
    if (!p) {
      p = await signIn(browser, env.baseUrl, user);
      dry.set(user, true);
      await p.context.route('**/api/tasks/*/complete', (route) => {
        const url = new URL(route.request().url());
        if (dry.get(user)) url.searchParams.set('dryRun', 'true');
        void route.continue({ url: url.toString() });
      });
      people.set(user, p);
    }
    return p.page;
  };

  /** Claims the task (setup) for its holder. */
  const held = async (user: string, dossierId: string, step: string): Promise<string> => {
    const client = await env.as(user);
    const task = await waitForTask(client, dossierId, step, 60_000);
    if (task.assignee !== user) await client.post(`/api/tasks/${task.id}/claim`);
    return task.id;
  };
  const create = async (input: Parameters<typeof validDossierInput>[0]) => (await drafter.post<Created>('/api/dossiers', validDossierInput(input))).dossier.id;
  const approveOpinion = async (agency: string, id: string) => doTask(await env.as(`${agency.toLowerCase()}.giamdoc`), id, 'Task_ApproveOpinion', { decision: 'APPROVE' });
  const report = { role: 'APPRAISAL_REPORT', docType: 'BAO_CAO', symbol: '/BC-STP', subject: 'Báo cáo thẩm định', ...pdf('bao-cao-tham-dinh.pdf', 'STP') };

  /** How each form's task is reached through the API. A form missing here fails the test below. */
  const setups: Partial<Record<FormKey, () => Promise<Target[]>>> = {
    'give-opinion': async () => {
      const id = await create({ subject: 'Phê duyệt phương án tổ chức hội chợ năm 2026', options: OPTIONS, consultedAgencyCodes: ['STC'] });
      return [{ user: 'stc.chuyenvien', taskId: await held('stc.chuyenvien', id, 'Task_GiveOpinion'), bases: [opinionForm('STC')], complete: opinionForm('STC', 'AGREE', { preferredOptionId: 'PA1' }) }];
    },
    'approve-opinion': async () => {
      const id = await create({ consultedAgencyCodes: ['STC'] });
      await doTask(await env.as('stc.chuyenvien'), id, 'Task_GiveOpinion', opinionForm('STC'));
      return [{ user: 'stc.giamdoc', taskId: await held('stc.giamdoc', id, 'Task_ApproveOpinion'), bases: [{ decision: 'APPROVE' }], refusedBy: sendBackWithoutReason, complete: { decision: 'APPROVE' } }];
    },
    'choose-option': async () => {
      const id = await create({ options: OPTIONS });
      await doTask(await env.as('stc.chuyenvien'), id, 'Task_GiveOpinion', opinionForm('STC', 'AGREE', { preferredOptionId: 'PA1' }));
      await approveOpinion('STC', id);
      await doTask(await env.as('skhdt.chuyenvien'), id, 'Task_GiveOpinion', opinionForm('SKHDT', 'PROPOSE_OTHER_OPTION', { preferredOptionId: 'PA2', content: 'Đề nghị phương án 2.' }));
      await approveOpinion('SKHDT', id);
      return [{ user: 'sct.chuyenvien', taskId: await held('sct.chuyenvien', id, 'Task_ChooseOption'), bases: [{ chosenOptionId: 'PA1', rationale: 'Kinh phí nằm trong dự toán.' }] }];
    },
    appraise: async () => {
      const id = await create({ isLegalNormative: true, matterCategory: 'van-ban-qppl', consultedAgencyCodes: [] });
      return [{
        user: 'stp.chuyenvien',
        taskId: await held('stp.chuyenvien', id, 'Task_Appraise'),
        bases: [{ conclusion: 'ELIGIBLE', lawful: true, reasons: 'Đúng thẩm quyền, phù hợp quy định.' }, { conclusion: 'ELIGIBLE', lawful: true, reasons: 'Có báo cáo.', report }],
        refusedBy: (b) => (b.conclusion === 'ELIGIBLE' && b.lawful === false ? 'ERR_APPRAISAL_CONTRADICTORY' : null),
      }];
    },
    'respond-appraisal': async () => {
      const id = await create({ isLegalNormative: true, matterCategory: 'van-ban-qppl', consultedAgencyCodes: [] });
      await doTask(await env.as('stp.chuyenvien'), id, 'Task_Appraise', { conclusion: 'ELIGIBLE_AFTER_REVISION', lawful: true, reasons: 'Chỉnh lý Điều 3 rồi trình.', report });
      const explanation = { role: 'RECEIPT_EXPLANATION', docType: 'BAO_CAO', symbol: '/BC-SCT', subject: 'Báo cáo tiếp thu, giải trình', ...pdf('tiep-thu.pdf', 'SCT') };
      return [{ user: 'sct.chuyenvien', taskId: await held('sct.chuyenvien', id, 'Task_RespondAppraisal'), bases: [{ note: 'Đã tiếp thu, chỉnh lý Điều 3.' }, { note: 'Kèm báo cáo.', document: explanation }] }];
    },
    'draft-submission': async () => {
      const id = await create({ consultedAgencyCodes: [], options: OPTIONS });
      const docs = [{ role: 'OTHER', docType: 'KHAC', subject: 'bo-sung.pdf', ...pdf('bo-sung.pdf', 'SCT') }];
      return [{
        user: 'sct.chuyenvien',
        taskId: await held('sct.chuyenvien', id, 'Task_DraftSubmission'),
        bases: [{ note: 'Hoàn thiện.', chosenOptionId: 'PA1', rationale: 'Tiết kiệm.' }, { note: 'Kèm văn bản.', documents: docs }],
        refusedBy: choiceWithoutRationale,
      }];
    },
    sign: async () => {
      const id = await create({ consultedAgencyCodes: [] });
      await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
      // a deputy is asked the urgent reason (R-06): exercised, then given back for the head
      const deputy = await held('sct.phogiamdoc', id, 'Task_Sign');
      return [
        { user: 'sct.phogiamdoc', taskId: deputy, bases: [{ stamped: true, urgentReason: 'Kỳ họp UBND tỉnh ngày mai.' }, { stamped: false }], complete: null },
        { user: 'sct.giamdoc', taskId: deputy, bases: [{ stamped: true }], complete: { stamped: true }, shows: signingShowsRecipients },
      ];
    },
    'send-paper': async () => {
      const noBody = { contentBase64: undefined, fileName: undefined, contentType: undefined };
      // a secret dossier keeps no content of its own on the network (R-19): only its metadata and paper documents
      const id = await create({ secrecyLevel: 'MAT', proposal: '', practicalBasis: '', consultedAgencyCodes: [], documents: [submissionDocument({ medium: 'PAPER', ...noBody }), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })] });
      await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
      await doTask(await env.as('sct.giamdoc'), id, 'Task_Sign', { stamped: true });
      // the clerk attests the handwritten signature and the stamp on the paper (R-05): unticked, the server refuses
      const has = (field: string) => loadForms().get('send-paper')!.fields.some((f) => f.key === field);
      return [{
        user: 'sct.vanthu',
        taskId: await held('sct.vanthu', id, 'Task_SendPaper'),
        bases: [{ officeRegistrationNo: 'VP-2026-0456', paperReference: '45/TTr-SCT', signatureChecked: true, stamped: true, note: 'Đã giao bản giấy.' }],
        refusedBy: (b) => (has('signatureChecked') && b.signatureChecked !== true ? 'ERR_SIGNATURE_INVALID' : has('stamped') && b.stamped !== true ? 'ERR_STAMP_MISSING' : null),
      }];
    },
    'office-check': async () => {
      const id = await atOffice();
      return [{ user: 'vp.chuyenvien', taskId: await held('vp.chuyenvien', id, 'Task_OfficeCheck'), bases: [{ outcome: 'ACCEPT', note: 'Đủ hồ sơ.' }, { outcome: 'RETURN', returnReason: 'FORMAT', note: 'Sai thể thức.' }], complete: { outcome: 'ACCEPT' } }];
    },
    'leader-decision': async () => {
      const id = await atOffice();
      await doTask(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck', { outcome: 'ACCEPT' });
      return [{ user: 'ubnd.chutich', taskId: await held('ubnd.chutich', id, 'Task_LeaderDecision'), bases: [{ decision: 'APPROVED', note: 'Đồng ý.' }] }];
    },
    revise: async () => {
      const id = await atOffice();
      await doTask(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'MISSING_COMPONENT' });
      return [{ user: 'sct.chuyenvien', taskId: await held('sct.chuyenvien', id, 'Task_Revise'), bases: [{ outcome: 'RESUBMIT', note: 'Đã bổ sung.' }] }];
    },
    'follow-up-delay': async () => {
      const id = await create({});
      await waitForTask(await env.as('stc.chuyenvien'), id, 'Task_GiveOpinion');
      const instance = await instanceOf(env, id);
      await fireTimer(env, instance, 'Start_DossierReminder');
      await fireTimer(env, instance, 'Start_DossierOverdue');
      return [{ user: 'vp.theodoi', taskId: await held('vp.theodoi', id, 'Task_FollowUpDelay'), bases: [{ note: 'Đã đôn đốc Sở Tài chính.' }] }];
    },
    'follow-up-assigned-task': async () => {
      const office = await env.as('vp.chuyenvien');
      const t = await office.post<{ id: string }>('/api/assigned-tasks', {
        sourceRef: '77/TB-UBND', sourceDate: new Date().toISOString().slice(0, 10), assignedBy: 'CHU_TICH', assignedByName: 'Chủ tịch UBND tỉnh',
        assigneeAgencyCode: 'SCT', content: 'Tham mưu kế hoạch bình ổn thị trường theo chỉ đạo của Chủ tịch UBND tỉnh', workingDays: 10,
      });
      // the deadline passes: moved in the database and the engine's overdue timer run
      const [row] = (await env.ds.query(`UPDATE assigned_task SET due_at = now() - interval '1 minute' WHERE id = $1 RETURNING process_instance_id`, [t.id])) as [{ process_instance_id: string }[], number];
      await fireTimer(env, row[0]!.process_instance_id, 'Boundary_TaskOverdue');
      const monitor = await env.as('vp.theodoi');
      const task = await eventually(async () => (await monitor.get<{ items: { id: string; taskDefinitionKey: string }[] }>('/api/tasks')).items.find((x) => x.taskDefinitionKey === 'Task_FollowUpAssignedTask'), 'the Office follow-up task');
      await monitor.post(`/api/tasks/${task.id}/claim`);
      return [{ user: 'vp.theodoi', taskId: task.id, bases: [{ note: 'Đã đôn đốc Sở Công Thương.' }] }];
    },
    'proactive-handling': async () => {
      await (await env.as('vp.chuyenvien')).post('/api/incoming-documents', {
        issuer: 'Bộ Công Thương', numberSymbol: '1234/BCT-TTTN', subject: 'V/v triển khai chương trình bình ổn thị trường', kinhGui: ['UBND tỉnh Long An', 'SCT'], noiNhan: ['Lưu: VT'], requestsAction: true,
      });
      const sct = await env.as('sct.chuyenvien');
      const task = await eventually(async () => (await sct.get<{ items: { id: string }[] }>('/api/tasks?step=Task_ProactiveHandling')).items[0], 'SCT proactive task');
      await sct.post(`/api/tasks/${task.id}/claim`);
      return [{ user: 'sct.chuyenvien', taskId: task.id, bases: [{ action: 'Đã tham mưu văn bản trả lời.' }] }];
    },
  };

  /** The head signs what is shown: the tờ trình with its hash and whom it is addressed to, above the form and in the document list. */
  async function signingShowsRecipients(page: Page): Promise<void> {
    const card = page.locator('#signing-doc');
    expect(await card.locator('.hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await card.locator('[data-role="kinh-gui"]').textContent()).toBe('UBND tỉnh Long An');
    expect(await card.locator('[data-role="noi-nhan"]').textContent()).toBe('Như trên; Lưu: VT, KT');
    const listed = page.locator('#task-dossier tr[data-doc] [data-role="noi-nhan"]', { hasText: 'Như trên; Lưu: VT, KT' });
    await listed.first().waitFor();
    await screenshot(page, 'form-choices-sign-recipients');
  }

  /** A dossier consulting nobody, signed by the head: waiting for the Office's check. */
  async function atOffice(): Promise<string> {
    const id = await create({ consultedAgencyCodes: [] });
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    await doTask(await env.as('sct.giamdoc'), id, 'Task_Sign', { stamped: true });
    return id;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    ({ browser, close } = await launch());
    drafter = await env.as('sct.chuyenvien');
  });
  afterAll(async () => {
    writeFigures('form-choices', figures);
    for (const p of people.values()) await p.context.close().catch(() => undefined);
    await close?.();
    await env?.close();
  });

  /** Opens the task page as its holder, with the form ready to fill. */
  async function openTask(page: Page, taskId: string): Promise<void> {
    await page.goto(`/tasks/${taskId}`);
    await page.waitForSelector(`${FORM} .fjs-form`);
    await page.waitForSelector(`${FORM} button[type=submit]:not([disabled])`);
  }

  /** Clicks "Hoàn thành" and returns the page's own completion request and its answer, or null when the page sent nothing. */
  async function send(page: Page): Promise<{ request: Request; status: number } | null> {
    const sent = page.waitForRequest((r) => r.url().includes('/complete') && r.method() === 'POST', { timeout: 4_000 }).catch(() => null);
    await page.click(`${FORM} button[type=submit]`);
    const request = await sent;
    if (!request) return null;
    const response = await request.response();
    return { request, status: response!.status() };
  }

  async function exercise(key: FormKey, target: Target): Promise<void> {
    const started = Date.now();
    const page = await as(target.user);
    dry.set(target.user, true);
    const client = await env.as(target.user);
    const task = await client.get<{ task: { assignee: string | null } }>(`/api/tasks/${target.taskId}`);
    if (task.task.assignee !== target.user) await client.post(`/api/tasks/${target.taskId}/claim`);
    const { data: context } = await client.get<{ data: FormContext }>(`/api/tasks/${target.taskId}/form`);
    const fields = loadForms().get(key)!.fields;

    // every valid choice: clicked in the page, sent by it, 2xx (or refused next to its field by the rule that forbids that combination)
    const valid = validChoices(key, target.bases, context).map((b) => clickable(key, b));
    if (target.shows) {
      await openTask(page, target.taskId);
      await target.shows(page);
    }
    for (const body of valid) {
      const what = `${key} as ${target.user}: ${JSON.stringify(body).slice(0, 160)}`;
      await openTask(page, target.taskId);
      await fill(page, key, body, context);
      const answer = await send(page);
      if (!answer) await screenshot(page, `form-choices-failed-${key}`);
      expect(answer, `${what}: the page sent nothing (${(await page.locator(`${FORM} .fjs-form-field-error, ${FORM} .errors`).allTextContents()).join(' | ')})`).not.toBeNull();
      // the page sent what was clicked: each choice and yes/no with its type
      const sentBody = answer!.request.postDataJSON() as Body;
      for (const f of fields) if (f.kind === 'enum' || f.kind === 'boolean') expect(sentBody[f.key] ?? (f.kind === 'boolean' ? false : undefined), `${what}: ${f.key}`).toEqual(body[f.key] ?? (f.kind === 'boolean' ? false : undefined));
      const rule = target.refusedBy?.(body) ?? null;
      if (rule) {
        expect(answer!.status, what).toBe(422);
        const refused = (await (await answer!.request.response())!.json()) as { error?: { code?: string; field?: string } };
        expect(refused.error?.code, what).toBe(rule);
        const field = (refused.error?.field ?? fieldOfCode(key, rule))!.split('.')[0]!;
        const error = block(page, fields.find((f) => f.key === field)!.component.id!).locator('.fjs-form-field-error');
        await expect.poll(() => error.textContent(), { message: `${what}: ${rule} next to ${field}` }).toBeTruthy();
      } else {
        expect(answer!.status, `${what}: ${answer!.status}`).toBeLessThan(300);
        expect(answer!.status).toBeGreaterThanOrEqual(200);
      }
    }

    // every invalid value a person can produce in the page: a required field left empty, a text too long; shown next to the field
    let invalid = 0;
    for (const f of fields) {
      const c = f.component;
      if (f.kind !== 'string' && f.kind !== 'enum') continue;
      // from a choice that shows the field (a branch hides some)
      const base = valid.find((b) => f.key in b);
      if (!base) continue;
      const wrong: [string, Body][] = [];
      if (c.validate?.required) wrong.push(['required', Object.fromEntries(Object.entries(base).filter(([k]) => k !== f.key))]);
      if (c.validate?.maxLength && f.kind === 'string') wrong.push(['maxLength', { ...base, [f.key]: 'x'.repeat(c.validate.maxLength + 1) }]);
      for (const [why, body] of wrong) {
        invalid++;
        await openTask(page, target.taskId);
        await fill(page, key, body, context);
        const answer = await send(page);
        // form-js checks required and length before sending; what it lets through, the server refuses with 422
        if (answer) expect(answer.status, `${key}.${f.key} ${why}`).toBe(422);
        const error = block(page, c.id!).locator('.fjs-form-field-error');
        await expect.poll(() => error.textContent(), { message: `${key}.${f.key} ${why}: the message next to the field` }).toBeTruthy();
        // form-js marks a text or radio input invalid; its select (a combobox) carries only the message
        if (c.type !== 'select') expect(await block(page, c.id!).locator('[aria-invalid="true"]').count(), `${key}.${f.key} ${why}`).toBeGreaterThan(0);
      }
    }
    figures[`${key} (${target.user})`] = { valid: valid.length, invalid, ms: Date.now() - started };

    // then nothing was kept, and one choice completes the task for real, from the page
    if (target.complete === null) {
      await client.post(`/api/tasks/${target.taskId}/unclaim`);
      return;
    }
    await openTask(page, target.taskId);
    await fill(page, key, clickable(key, target.complete ?? valid[0]!), context);
    dry.set(target.user, false);
    const done = await send(page);
    dry.set(target.user, true);
    expect(done?.status, `${key}: completed for real`).toBe(200);
    await page.waitForURL((u) => !u.pathname.startsWith('/tasks/'));
    expect((await client.get<{ items: { id: string }[] }>('/api/tasks')).items.map((t) => t.id)).not.toContain(target.taskId);
  }

  it('should send every valid choice of every form from the page (2xx), show every invalid one next to its field, and complete one', async () => {
    const started = Date.now();
    const forms = [...loadForms().keys()];
    // a new form without a way to a real task fails here, instead of going untested
    expect(forms.filter((k) => !setups[k]), 'forms with no task to render against').toEqual([]);
    for (const key of forms) {
      for (const target of await setups[key]!()) await exercise(key, target);
    }
    figures.total = { valid: 0, invalid: 0, ms: Date.now() - started };
    console.log(`form-choices: ${JSON.stringify(figures)}`);
  }, 900_000);
});

/**
 * The directive's less-walked routes, each person's step clicked in Chromium as that person: a deputy
 * signing KT. under the head's delegation and the R-07 case a deputy may not sign; a second round
 * after an Office return; the leaders' decision both ways; the reply to an appraisal asking for
 * changes; the consulted agencies' non-agreeing positions and how they read downstream; the Office's
 * follow-up of a delay and an agency's proactive handling; the clerk's paper route and the Office's
 * intake of a confidential dossier; a content return that asks one consulted agency again; a dossier
 * linked at creation to a task UBND assigned. Dossiers are brought to each route through the API
 * (setup and the clock only); every page is photographed into artifacts/e2e/ (routes-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestEnv, eventually, type TestEnv } from '../support/env.ts';
import { draftDecision, opinionForm, pdf, submissionDocument, validDossierInput, type DossierInput } from '../support/dossiers.ts';
import { detail, doTask, giveOpinion, waitForStatus, waitForTask } from '../support/flow.ts';
import { fireTimer, instanceOf } from '../support/engine.ts';
import { expectAccessible, launch, screenshot, signIn, type Person } from './support/browser.ts';
import type { ApiClient } from '../../scripts/lib/api-client.ts';
import { pdfUpload as file } from './support/pdf.ts';
import { fillNewDossier, submitNewDossier } from './support/new-dossier.ts';

type Created = { dossier: { id: string } };
const FORM = 'form[aria-labelledby="task-form-title"]';

/** The form-js field (its whole block) whose label is `label`. */
const field = (page: Page, label: string) => page.locator('.fjs-form-field').filter({ has: page.locator('.fjs-form-field-label', { hasText: label }) }).first();

/** Picks an option of a form-js select by its label. */
async function pick(page: Page, label: string, option: string): Promise<void> {
  await field(page, label).locator('.fjs-input-group').click();
  await page.locator('.fjs-dropdownlist-item', { hasText: option }).click();
}

/** The row of the task at `step` in the user's list: of the dossier when one is named. */
const taskRow = (page: Page, step: string, dossierId?: string) =>
  dossierId ? page.locator(`tr[data-step="${step}"]`, { has: page.locator(`a[href="/dossiers/${dossierId}"]`) }) : page.locator(`tr[data-step="${step}"]`).first();

/** Opens the task from the list, as its user does: reloading while the workers get there, claiming it when nobody holds it. */
async function openTask(page: Page, step: string, dossierId?: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    await page.goto('/tasks');
    await page.waitForSelector('main:not([aria-busy]) .page [aria-busy="false"]');
    if (await taskRow(page, step, dossierId).count()) break;
    if (Date.now() > deadline) {
      await screenshot(page, `routes-failed-${step}`);
      throw new Error(`task ${step}${dossierId ? ` of ${dossierId}` : ''} never appeared in the list`);
    }
    await page.waitForTimeout(750);
  }
  const claim = taskRow(page, step, dossierId).getByRole('button', { name: /^Nhận xử lý/ });
  if (await claim.count()) {
    await claim.click();
    await taskRow(page, step, dossierId).getByRole('button', { name: /^Bỏ nhận/ }).waitFor();
  }
  await taskRow(page, step, dossierId).getByRole('button', { name: /^Mở biểu mẫu/ }).click();
  await page.waitForSelector(`${FORM} .fjs-form`);
  await page.waitForSelector(`${FORM} button[type=submit]:not([disabled])`);
}

/** Clicks "Hoàn thành" and waits to leave the task page; says what the form showed when it stays. */
async function complete(page: Page, name: string): Promise<void> {
  await page.click(`${FORM} button[type=submit]`);
  try {
    await page.waitForURL((u) => !u.pathname.startsWith('/tasks/'));
  } catch (err) {
    await screenshot(page, `routes-failed-${name}`);
    const said = await page.locator(`${FORM} .errors, ${FORM} .fjs-form-field-error`).allTextContents();
    throw new Error(`${name}: the form did not complete: ${said.join(' | ') || 'no message'}`, { cause: err });
  }
}

/** Opens the task at `step`, ticks its one choice `label` and completes it: the steps whose only field is a decision. */
async function decide(page: Page, step: string, id: string, label: string, name: string): Promise<void> {
  await openTask(page, step, id);
  await page.getByLabel(label).check();
  await complete(page, name);
}

describe('every route of the directive, done in the browser by the people who do it', () => {
  let env: TestEnv;
  let browser: Browser;
  let close: () => Promise<void>;
  let drafter: ApiClient;
  const people = new Map<string, Person>();
  const as = async (user: string): Promise<Page> => {
    let p = people.get(user);
    if (!p) {
      p = await signIn(browser, env.baseUrl, user);
      people.set(user, p);
    }
    return p.page;
  };
  const create = async (input: DossierInput, by = drafter) => (await by.post<Created>('/api/dossiers', validDossierInput(input))).dossier.id;
  /** A dossier consulting nobody, its tờ trình finalised: at the head's signing. */
  const atSigning = async (input: DossierInput = {}, by = drafter) => {
    const id = await create({ consultedAgencyCodes: [], ...input }, by);
    await doTask(by, id, 'Task_DraftSubmission', { documents: [] });
    return id;
  };
  /** Signed by the head: waiting for the Office's check. */
  const atOffice = async (input: DossierInput = {}) => {
    const id = await atSigning(input);
    await doTask(await env.as('sct.giamdoc'), id, 'Task_Sign', { stamped: true });
    return id;
  };
  const openDossier = async (page: Page, id: string) => {
    await page.goto(`/dossiers/${id}`);
    await page.waitForSelector('#dossier-status');
  };

  beforeAll(async () => {
    env = await createTestEnv();
    ({ browser, close } = await launch());
    drafter = await env.as('sct.chuyenvien');
  });
  afterAll(async () => {
    for (const p of people.values()) await p.context.close().catch(() => undefined);
    await close?.();
    await env?.close();
  });

  it('(a) R-06: the head delegates on the delegations page and the deputy signs an urgent tờ trình KT. in the task form', async () => {
    // given an urgent dossier of Sở Công Thương at signing
    const id = await atSigning({ subject: 'Tổ chức Hội chợ thương mại biên giới 2026', urgency: 'KHAN', urgentReason: 'Hội chợ khai mạc ngày 01/12; Giám đốc đi công tác nước ngoài.' });

    // when the head grants the deputy a delegation for the trade matters, on the delegations page
    const head = await as('sct.giamdoc');
    await head.goto('/delegations');
    await head.waitForSelector('#delegation-form');
    await head.selectOption('#delegation-form [name="granteeUserId"]', 'sct.phogiamdoc');
    await head.check('#delegation-form input[name="matterCategories"][value="cong-thuong"]');
    await head.fill('#delegation-form [name="reason"]', 'Giám đốc đi công tác nước ngoài từ ngày 25 đến 30.');
    await head.click('#delegation-form button[type=submit]');
    await head.locator('#delegations tr[data-grantee="sct.phogiamdoc"] td.state', { hasText: 'Đang hiệu lực' }).waitFor();

    // and the deputy opens "Ký tờ trình", stamps it and gives the urgent reason asked of a deputy
    const deputy = await as('sct.phogiamdoc');
    await openTask(deputy, 'Task_Sign', id);
    await deputy.getByLabel('Đóng dấu cơ quan (R-05)').check();
    await field(deputy, 'Lý do phát sinh đột xuất').locator('textarea').fill('Giám đốc vắng; hội chợ khai mạc ngày 01/12.');
    await expectAccessible(deputy, 'routes-a1-deputy-signs');
    await complete(deputy, 'deputy-signs');

    // then the dossier goes to the Office, signed KT. by the deputy, the head accountable
    await waitForStatus(drafter, id, 'SUBMITTED');
    await openDossier(deputy, id);
    const kt = deputy.locator('#signing-list li[data-form="KT"]');
    await kt.waitFor();
    expect(await kt.textContent()).toContain('KT.');
    await expectAccessible(deputy, 'routes-a2-signed-kt');
  });

  it('(a) R-07: a deputy is told plainly on the dossier page that only the head signs a task UBND assigned to a UBND-member head, finds no signing task, and the head signs', async () => {
    // given a task UBND assigned to the head of Sở Nội vụ (a UBND member), its dossier at signing, with a delegation to the deputy
    const office = await env.as('vp.chuyenvien');
    const task = await office.post<{ id: string }>('/api/assigned-tasks', {
      sourceRef: '123/TB-UBND', sourceDate: new Date().toISOString().slice(0, 10), assignedBy: 'CHU_TICH', assignedByName: 'Chủ tịch UBND tỉnh',
      assigneeAgencyCode: 'SNV', toUbndMemberHead: true, content: 'Tham mưu đề án kiện toàn tổ chức bộ máy theo chỉ đạo của Chủ tịch UBND tỉnh', workingDays: 10,
    });
    const snv = await env.as('snv.chuyenvien');
    const id = await atSigning({
      subject: 'Đề án kiện toàn tổ chức bộ máy các sở', leadAgencyCode: 'SNV', matterCategory: 'noi-vu', assignedTaskId: task.id, urgency: 'KHAN', urgentReason: 'Kiện toàn trước ngày 01/12.',
      documents: [submissionDocument({ symbol: '/TTr-SNV' }), draftDecision()],
    }, snv);
    const head = await as('snv.giamdoc');
    await head.goto('/delegations');
    await head.waitForSelector('#delegation-form');
    await head.selectOption('#delegation-form [name="granteeUserId"]', 'snv.phogiamdoc');
    await head.check('#delegation-form input[name="matterCategories"][value="noi-vu"]');
    await head.fill('#delegation-form [name="reason"]', 'Giám đốc đi công tác từ ngày 25 đến 30.');
    await head.click('#delegation-form button[type=submit]');
    await head.locator('#delegations tr[data-grantee="snv.phogiamdoc"] td.state', { hasText: 'Đang hiệu lực' }).waitFor();
    await waitForTask(await env.as('snv.giamdoc'), id, 'Task_Sign');

    // when the deputy looks for the signing: none in their list, and the dossier page says why
    const deputy = await as('snv.phogiamdoc');
    await deputy.goto('/tasks');
    await deputy.waitForSelector('main:not([aria-busy]) .page [aria-busy="false"]');
    expect(await taskRow(deputy, 'Task_Sign', id).count()).toBe(0);
    await openDossier(deputy, id);
    const notice = deputy.locator('#head-signs-in-person');
    expect(await notice.textContent()).toBe('Nhiệm vụ UBND tỉnh giao cho thủ trưởng là thành viên UBND tỉnh: chỉ thủ trưởng ký tờ trình, cấp phó không được ký thay kể cả khi có ủy quyền (R-07).');
    await expectAccessible(deputy, 'routes-a3-r07-deputy-told');

    // then the head signs in person, in the task form
    await openTask(head, 'Task_Sign', id);
    expect(await head.getByText('Lý do phát sinh đột xuất').count()).toBe(0);
    await head.getByLabel('Đóng dấu cơ quan (R-05)').check();
    await complete(head, 'r07-head-signs');
    await waitForStatus(snv, id, 'SUBMITTED');
  });

  it('(b) after an Office return the drafter replaces the tờ trình with a new version in the dossier page, the head signs again and the dossier goes up in round two', async () => {
    // given a signed dossier at the Office
    const id = await atOffice({ subject: 'Kế hoạch phát triển chợ nông thôn năm 2026' });

    // when the Office returns it for its format, in the task form
    const office = await as('vp.chuyenvien');
    await openTask(office, 'Task_OfficeCheck', id);
    await office.getByLabel('Trả lại hồ sơ').check();
    await pick(office, 'Lý do trả lại', 'Sai thể thức, nội dung văn bản (R-18)');
    await office.getByLabel('Ghi chú', { exact: true }).fill('Tờ trình thiếu số, ký hiệu; trình bày lại theo thể thức.');
    await expectAccessible(office, 'routes-b1-office-returns');
    await complete(office, 'office-returns');

    // then the drafter gets the dossier back (to finalise or to revise, as the return's route says)
    const back = await eventually(async () => {
      const items = (await drafter.get<{ items: { taskDefinitionKey: string }[] }>(`/api/tasks?dossier=${id}`)).items;
      return items.find((x) => x.taskDefinitionKey === 'Task_DraftSubmission' || x.taskDefinitionKey === 'Task_Revise')?.taskDefinitionKey;
    }, `${id} back at the drafter`, 45_000);

    // when the drafter adds the corrected tờ trình as a new version on the dossier page
    const page = await as('sct.chuyenvien');
    await openDossier(page, id);
    await page.click('#add-document-box > summary');
    const form = page.locator('#add-document');
    await form.locator('[name="role"]').selectOption('SUBMISSION_DOC');
    await form.locator('[name="docType"]').selectOption('TO_TRINH');
    await form.locator('[name="subject"]').fill('Về việc phê duyệt Kế hoạch phát triển chợ nông thôn năm 2026 (trình lại)');
    await form.locator('[name="kinhGui"]').fill('UBND tỉnh Long An');
    await form.locator('[name="noiNhan"]').fill('Như trên\nLưu: VT, KT');
    await form.locator('[name="contentBase64"]').setInputFiles(file('to-trinh-v2.pdf'));
    await page.click('#add-document button[type=submit]');
    await page.waitForSelector('tr[data-doc]:has-text("(trình lại)")');
    await expectAccessible(page, 'routes-b2-new-version');

    // and sends it up again from its task
    await openTask(page, back, id);
    if (back === 'Task_Revise') await page.getByLabel('Đã hoàn thiện, trình lại').check();
    else await page.getByLabel('Ghi chú', { exact: true }).fill('Đã trình bày lại tờ trình theo thể thức.');
    await complete(page, 'resubmit');
    if (back === 'Task_Revise') {
      await openTask(page, 'Task_DraftSubmission', id);
      await complete(page, 'redraft');
    }

    // then the head signs the new version, the Office accepts it, and round two reached the leaders
    const head = await as('sct.giamdoc');
    await openTask(head, 'Task_Sign', id);
    expect(await head.locator('#signing-doc').textContent()).toContain('(trình lại)');
    await head.getByLabel('Đóng dấu cơ quan (R-05)').check();
    await complete(head, 'sign-round-two');
    await openTask(office, 'Task_OfficeCheck', id);
    await office.getByLabel('Tiếp nhận, trình lãnh đạo').check();
    await complete(office, 'accept-round-two');
    const d = await waitForStatus(drafter, id, 'ACCEPTED');
    expect(d.submissions.map((s) => [s.round, s.intake_status])).toEqual([[1, 'RETURNED'], [2, 'ACCEPTED']]);
    expect(d.returns).toEqual([expect.objectContaining({ reason: 'FORMAT', source: 'OFFICE' })]);
    await openDossier(office, id);
    // both rounds listed with their intake, and the return with its reason in words
    expect(await office.locator('section[aria-labelledby="h-submissions"] td[data-col="intake"]').allTextContents()).toHaveLength(2);
    expect(await office.locator('section[aria-labelledby="h-submissions"] tr[data-return="FORMAT"]').textContent()).toContain('Sai thể thức');
    await expectAccessible(office, 'routes-b3-round-two');
  });

  it('(c) the leaders approve one dossier and do not approve another, in "Lãnh đạo UBND tỉnh xem xét"', async () => {
    // given two dossiers accepted by the Office
    const ids = { approved: await atOffice({ subject: 'Kế hoạch khuyến công năm 2026' }), notApproved: await atOffice({ subject: 'Đề án trung tâm logistics Đức Hòa' }) };
    for (const id of Object.values(ids)) await doTask(await env.as('vp.chuyenvien'), id, 'Task_OfficeCheck', { outcome: 'ACCEPT' });

    // when the chairman decides each in the task form
    const leader = await as('ubnd.chutich');
    for (const [id, choice, note] of [
      [ids.approved, 'Phê duyệt', 'Đồng ý ban hành Quyết định.'],
      [ids.notApproved, 'Không phê duyệt', 'Chưa phù hợp quy hoạch; Sở nghiên cứu thêm.'],
    ] as const) {
      await openTask(leader, 'Task_LeaderDecision', id);
      await leader.getByLabel(choice, { exact: true }).check();
      await leader.getByLabel('Ý kiến chỉ đạo').fill(note);
      if (id === ids.approved) await expectAccessible(leader, 'routes-c1-leader-decision');
      await complete(leader, `leader-${choice}`);
    }

    // then each dossier ends its own way, shown on its page
    const approved = await waitForStatus(drafter, ids.approved, 'DECIDED_APPROVED');
    const notApproved = await waitForStatus(drafter, ids.notApproved, 'DECIDED_NOT_APPROVED');
    expect(approved.submissions.at(-1)?.leader_decision).toBe('APPROVED');
    expect(notApproved.submissions.at(-1)?.leader_decision).toBe('NOT_APPROVED');
    await openDossier(leader, ids.notApproved);
    await expect.poll(() => leader.locator('#dossier-status').textContent()).not.toMatch(/^[A-Z_]+$/);
    await expectAccessible(leader, 'routes-c2-not-approved');
  });

  it('(d) after an appraisal asking for changes, the drafter replies with the report of what was taken in, and the dossier goes on', async () => {
    // given a legal-normative dossier Sở Tư pháp found eligible after revision
    const id = await create({ subject: 'Quy định quản lý cụm công nghiệp', isLegalNormative: true, matterCategory: 'van-ban-qppl', consultedAgencyCodes: [] });
    await doTask(await env.as('stp.chuyenvien'), id, 'Task_Appraise', {
      conclusion: 'ELIGIBLE_AFTER_REVISION', lawful: true, reasons: 'Chỉnh lý Điều 3 về phân cấp rồi trình.',
      report: { role: 'APPRAISAL_REPORT', docType: 'BAO_CAO', symbol: '/BC-STP', subject: 'Báo cáo thẩm định', ...pdf('bao-cao-tham-dinh.pdf', 'STP') },
    });

    // when the drafter opens "Tiếp thu, giải trình ý kiến thẩm định" and attaches the report
    const page = await as('sct.chuyenvien');
    await openTask(page, 'Task_RespondAppraisal', id);
    await page.getByLabel('Nội dung tiếp thu, giải trình').fill('Đã tiếp thu, chỉnh lý Điều 3 theo ý kiến thẩm định.');
    await page.getByLabel('Báo cáo tiếp thu, giải trình', { exact: true }).setInputFiles(file('tiep-thu-giai-trinh.pdf'));
    await expectAccessible(page, 'routes-d1-respond-appraisal');
    await complete(page, 'respond-appraisal');

    // then the report is in the dossier and the drafter finalises next
    await waitForTask(drafter, id, 'Task_DraftSubmission');
    expect((await detail(drafter, id)).documents.filter((x) => x.role === 'RECEIPT_EXPLANATION')).toHaveLength(1);
    await openDossier(page, id);
    await screenshot(page, 'routes-d2-after-reply');
  });

  it('(e) consulted agencies agree with comments, disagree and propose another option; each shows on the dossier page and the drafter chooses', async () => {
    // given a dossier with two options consulting three agencies
    const id = await create({
      subject: 'Phương án tổ chức hội chợ năm 2026',
      options: [{ id: 'PA1', title: 'Tổ chức 12 hội chợ, kinh phí 5 tỷ đồng' }, { id: 'PA2', title: 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng' }],
      consultedAgencyCodes: ['STC', 'SKHDT', 'STP'],
    });
    const positions = [
      ['STC', 'Thống nhất, có ý kiến bổ sung', 'Thống nhất; đề nghị bổ sung dự toán chi tiết.', null],
      ['SKHDT', 'Không thống nhất', 'Không thống nhất: chưa cân đối được nguồn vốn năm 2026.', null],
      ['STP', 'Đề xuất phương án khác', 'Đề xuất chọn phương án 2 để tiết kiệm kinh phí.', 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng'],
    ] as const;
    // when each agency's specialist gives its position in the page and its head signs it off there
    for (const [agency, position, content, option] of positions) {
      const specialist = await as(`${agency.toLowerCase()}.chuyenvien`);
      await openTask(specialist, 'Task_GiveOpinion', id);
      await specialist.getByLabel(position, { exact: true }).check();
      await specialist.getByLabel('Nội dung ý kiến').fill(content);
      if (option) await pick(specialist, 'Phương án đề xuất chọn', option);
      await specialist.getByLabel('Văn bản tham gia ý kiến (đã ký)').setInputFiles(file(`y-kien-${agency}.pdf`));
      if (agency === 'SKHDT') await expectAccessible(specialist, 'routes-e1-disagree');
      await complete(specialist, `opinion-${agency}`);
      const head = await as(`${agency.toLowerCase()}.giamdoc`);
      await openTask(head, 'Task_ApproveOpinion', id);
      await head.getByLabel('Đồng ý, ký duyệt ý kiến').check();
      await complete(head, `sign-off-${agency}`);
    }

    // then the dossier page shows each agency's position in words
    const page = await as('sct.chuyenvien');
    await openDossier(page, id);
    for (const [agency, position] of positions) {
      await expect.poll(() => page.locator(`#opinion-list li[data-agency="${agency}"]`).textContent(), { timeout: 20_000 }).toContain(position);
    }
    await expectAccessible(page, 'routes-e2-opinions-downstream');
    expect((await detail(drafter, id)).opinions.map((o) => [o.agency_code, o.position]).sort()).toEqual([['SKHDT', 'DISAGREE'], ['STC', 'AGREE_WITH_COMMENTS'], ['STP', 'PROPOSE_OTHER_OPTION']]);

    // and the drafter, choosing the option, sees the differing opinions and records the choice with its reason
    await openTask(page, 'Task_ChooseOption', id);
    await pick(page, 'Phương án lựa chọn', 'Tổ chức 8 hội chợ, kinh phí 3 tỷ đồng');
    await page.getByLabel('Lý do lựa chọn').fill('Tiếp thu ý kiến Sở Tư pháp; Sở Kế hoạch và Đầu tư chưa thống nhất về nguồn vốn.');
    await expectAccessible(page, 'routes-e3-choose-after-disagreement');
    await complete(page, 'choose-option');
    await expect.poll(async () => (await drafter.get<{ dossier: { chosenOptionId: string | null } }>(`/api/dossiers/${id}`)).dossier.chosenOptionId).toBe('PA2');
  });

  it('(f) the Office follows up an overdue dossier, and an agency handles a document copied to it proactively', async () => {
    // given a dossier past its deadline (the engine's timers run)
    const id = await create({ subject: 'Kế hoạch bình ổn thị trường Tết 2027' });
    await waitForTask(await env.as('stc.chuyenvien'), id, 'Task_GiveOpinion');
    const instance = await instanceOf(env, id);
    await fireTimer(env, instance, 'Start_DossierReminder');
    await fireTimer(env, instance, 'Start_DossierOverdue');

    // when the Office's monitor opens "Đôn đốc, báo cáo chậm trễ" and reports
    const monitor = await as('vp.theodoi');
    await openTask(monitor, 'Task_FollowUpDelay', id);
    await monitor.getByLabel('Nội dung đôn đốc, báo cáo').fill('Đã đôn đốc Sở Tài chính, Sở Kế hoạch và Đầu tư có ý kiến trong 02 ngày làm việc.');
    await expectAccessible(monitor, 'routes-f1-follow-up-delay');
    await complete(monitor, 'follow-up-delay');
    await expect.poll(async () => (await detail(drafter, id)).process?.history.some((h) => h.activityId === 'Task_FollowUpDelay' && h.endTime)).toBe(true);

    // and given a document of the Ministry addressed to UBND tỉnh and to Sở Công Thương, registered by the Office
    await (await env.as('vp.chuyenvien')).post('/api/incoming-documents', {
      issuer: 'Bộ Công Thương', numberSymbol: '1234/BCT-TTTN', subject: 'V/v triển khai chương trình bình ổn thị trường', kinhGui: ['UBND tỉnh Long An', 'SCT'], noiNhan: ['Lưu: VT'], requestsAction: true,
    });
    // when the agency's specialist records what it handled, in the task form
    const sct = await as('sct.chuyenvien');
    await openTask(sct, 'Task_ProactiveHandling');
    await sct.getByLabel('Việc đã xử lý hoặc nội dung tham mưu').fill('Đã tham mưu UBND tỉnh văn bản triển khai chương trình bình ổn thị trường.');
    await expectAccessible(sct, 'routes-f2-proactive-handling');
    await complete(sct, 'proactive-handling');
    await sct.goto('/tasks');
    await sct.waitForSelector('main:not([aria-busy]) .page [aria-busy="false"]');
    expect(await sct.locator('tr[data-step="Task_ProactiveHandling"]').count()).toBe(0);
  });

  it('(g) a confidential dossier goes on paper: the clerk records its delivery and the Office takes it in', async () => {
    // given a secret dossier (metadata only, documents on paper) signed by the head
    const noBody = { contentBase64: undefined, fileName: undefined, contentType: undefined };
    const id = await atOffice({
      subject: 'Phương án bảo đảm an ninh kho hàng dự trữ', secrecyLevel: 'MAT', proposal: '', practicalBasis: '', consultedAgencyCodes: [],
      documents: [submissionDocument({ medium: 'PAPER', ...noBody }), draftDecision({ medium: 'PAPER', orgSign: false, initialed: true, ...noBody })],
    });

    // when the clerk opens "Gửi hồ sơ giấy (mật)" and records the delivery
    const clerk = await as('sct.vanthu');
    await openTask(clerk, 'Task_SendPaper', id);
    await clerk.getByLabel('Số đến tại Văn phòng UBND tỉnh').fill('VP-2026-0456');
    await clerk.getByLabel('Số, ký hiệu của văn bản giấy (ví dụ 45/TTr-SCT)').fill('45/TTr-SCT');
    await clerk.getByLabel('Văn thư xác nhận bản giấy có chữ ký tay của người ký (R-05)').check();
    await clerk.getByLabel('Văn thư đã đóng dấu cơ quan lên bản giấy (R-05)').check();
    await clerk.getByLabel('Ghi chú', { exact: true }).fill('Đã giao bản giấy cho Văn phòng UBND tỉnh.');
    await expectAccessible(clerk, 'routes-g1-send-paper');
    await complete(clerk, 'send-paper');

    // then the Office's specialist takes it in, in the task form
    const office = await as('vp.chuyenvien');
    await openTask(office, 'Task_OfficeCheck', id);
    await expectAccessible(office, 'routes-g2-office-confidential');
    await office.getByLabel('Tiếp nhận, trình lãnh đạo').check();
    await complete(office, 'office-accepts-paper');
    const d = await waitForStatus(drafter, id, 'ACCEPTED');
    expect(d.submissions.at(-1)).toMatchObject({ channel: 'PAPER', intake_status: 'ACCEPTED' });
    await openDossier(office, id);
    await screenshot(office, 'routes-g3-confidential-accepted');
  });

  it('(h) the Office returns a dossier for its content naming one consulted agency; only that agency is asked again, and answers in the page', async () => {
    // given a dossier whose two consulted agencies gave their opinions, signed and at the Office
    const id = await create({ subject: 'Đề án phát triển thương mại điện tử năm 2026', consultedAgencyCodes: ['STC', 'SKHDT'] });
    await giveOpinion(env, id, 'STC', opinionForm('STC'));
    await giveOpinion(env, id, 'SKHDT', opinionForm('SKHDT'));
    await doTask(drafter, id, 'Task_DraftSubmission', { documents: [] });
    await doTask(await env.as('sct.giamdoc'), id, 'Task_Sign', { stamped: true });

    // when the Office returns it for its legal basis, ticking Sở Tài chính only among the agencies to ask again
    const office = await as('vp.chuyenvien');
    await openTask(office, 'Task_OfficeCheck', id);
    await office.getByLabel('Trả lại hồ sơ').check();
    await pick(office, 'Lý do trả lại', 'Thiếu cơ sở pháp lý (R-16)');
    const reconsult = field(office, 'Cơ quan cần lấy lại ý kiến');
    await reconsult.getByLabel(/Sở Tài chính/).check();
    expect(await reconsult.getByLabel(/Sở Kế hoạch và Đầu tư/).isChecked()).toBe(false);
    await office.getByLabel('Ghi chú', { exact: true }).fill('Bổ sung căn cứ pháp lý về nguồn kinh phí.');
    await expectAccessible(office, 'routes-h1-content-return');
    await complete(office, 'content-return');

    // then the drafter, told why, sends the revised dossier on from "Hoàn thiện hồ sơ"
    const page = await as('sct.chuyenvien');
    await openTask(page, 'Task_Revise', id);
    expect(await page.locator(FORM).textContent()).toContain('Bổ sung căn cứ pháp lý về nguồn kinh phí.');
    await page.getByLabel('Đã hoàn thiện, trình lại').check();
    await page.getByLabel('Ghi chú', { exact: true }).fill('Đã bổ sung căn cứ pháp lý.');
    await complete(page, 'revise-after-content-return');

    // and Sở Tài chính's specialist answers again in the page and its head signs the opinion off
    const stc = await as('stc.chuyenvien');
    await openTask(stc, 'Task_GiveOpinion', id);
    await stc.getByLabel('Thống nhất', { exact: true }).check();
    await stc.getByLabel('Nội dung ý kiến').fill('Thống nhất; căn cứ về nguồn kinh phí đã đầy đủ.');
    await stc.getByLabel('Văn bản tham gia ý kiến (đã ký)').setInputFiles(file('y-kien-STC-lan-2.pdf'));
    await expectAccessible(stc, 'routes-h2-asked-again');
    await complete(stc, 'opinion-round-two');
    const stcHead = await as('stc.giamdoc');
    await decide(stcHead, 'Task_ApproveOpinion', id, 'Đồng ý, ký duyệt ý kiến', 'sign-off-round-two');

    // then Sở Kế hoạch và Đầu tư was not asked again: its first opinion still counts, and the drafter finalises
    await waitForTask(drafter, id, 'Task_DraftSubmission');
    const skhdt = await as('skhdt.chuyenvien');
    await skhdt.goto('/tasks');
    await skhdt.waitForSelector('main:not([aria-busy]) .page [aria-busy="false"]');
    expect(await taskRow(skhdt, 'Task_GiveOpinion', id).count()).toBe(0);
    expect((await detail(drafter, id)).opinionRequests.map((r) => [r.agency_code, r.round, r.status])).toEqual([
      ['SKHDT', 1, 'RECEIVED'],
      ['STC', 1, 'RECEIVED'],
      ['STC', 2, 'RECEIVED'],
    ]);
    await openDossier(page, id);
    for (const agency of ['STC', 'SKHDT']) await page.locator(`#opinion-list li[data-agency="${agency}"]`).first().waitFor();
    await screenshot(page, 'routes-h3-opinions-after-reconsultation');
  });

  it('(i) the agency links the dossier it creates to a task UBND assigned it, and the Office sees the task done when it accepts the dossier', async () => {
    // given a task UBND tỉnh assigned to Sở Công Thương, registered by the Office
    const dueAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const task = await (await env.as('vp.chuyenvien')).post<{ id: string }>('/api/assigned-tasks', {
      sourceRef: '915/UBND-KTTC', sourceDate: new Date().toISOString().slice(0, 10), assignedBy: 'CHU_TICH', assignedByName: 'Nguyễn Văn Út',
      assigneeAgencyCode: 'SCT', content: 'Tham mưu kế hoạch phát triển chợ đầu mối nông sản', dueAt,
    });

    // when the specialist creates the dossier in the page, picking that task
    const page = await as('sct.chuyenvien');
    await fillNewDossier(page, {
      subject: 'Phê duyệt Kế hoạch phát triển chợ đầu mối nông sản',
      practicalBasis: 'Thực hiện nhiệm vụ UBND tỉnh giao tại Công văn số 915/UBND-KTTC.',
      proposal: 'Đề nghị UBND tỉnh ban hành Quyết định phê duyệt Kế hoạch phát triển chợ đầu mối nông sản theo dự thảo kèm theo.',
      submissionSubject: 'Về việc phê duyệt Kế hoạch phát triển chợ đầu mối nông sản',
      files: { submission: 'to-trinh-cho-dau-moi.pdf', draft: 'du-thao-qd-cho-dau-moi.pdf' },
    });
    await page.selectOption('select[name="assignedTaskId"]', task.id);
    await page.fill('[name="legal.title"]', 'Luật Tổ chức chính quyền địa phương');
    await page.fill('[name="legal.issuer"]', 'Quốc hội');
    await page.fill('[name="legal.issuedAt"]', '19/06/2015');
    await page.fill('[name="option.title"]', 'Xây dựng 01 chợ đầu mối tại huyện Bến Lức');
    await page.selectOption('[name="sub.docType"]', 'TO_TRINH');
    await expectAccessible(page, 'routes-i1-create-for-assigned-task');
    const id = await submitNewDossier(page, 'routes-failed-create-for-assigned-task');
    expect(((await env.ds.query('SELECT assigned_task_id FROM dossier WHERE id = $1', [id])) as { assigned_task_id: string }[])[0]?.assigned_task_id).toBe(task.id);

    // and it goes up: the drafter finalises, the head signs, the Office accepts, each in the page
    await openTask(page, 'Task_DraftSubmission', id);
    await complete(page, 'draft-for-assigned-task');
    const head = await as('sct.giamdoc');
    await decide(head, 'Task_Sign', id, 'Đóng dấu cơ quan (R-05)', 'sign-for-assigned-task');
    const office = await as('vp.chuyenvien');
    await decide(office, 'Task_OfficeCheck', id, 'Tiếp nhận, trình lãnh đạo', 'accept-for-assigned-task');
    await waitForStatus(drafter, id, 'ACCEPTED');

    // then the Office's list of assigned tasks shows it done on time, with its dossier
    await office.goto('/assigned-tasks');
    const row = office.locator(`tr[data-assigned-task="${task.id}"]`);
    await expect.poll(async () => { await office.reload(); return row.locator('[data-status]').getAttribute('data-status'); }, { timeout: 30_000 }).toBe('DONE');
    expect(await row.textContent()).toContain(id);
    await expectAccessible(office, 'routes-i2-assigned-task-done');
  });
});

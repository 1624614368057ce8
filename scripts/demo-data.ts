/**
 * A handful of demo dossiers in different states, created through the API by the demo users
 * themselves, so the running system is instantly explorable. Skipped when dossiers exist.
 */
import { ApiClient } from './lib/api-client.ts';
import { DEMO_PASSWORD } from '../store/seed.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const pdf = (name: string) => ({ fileName: name, contentType: 'application/pdf', contentBase64: b64(`%PDF-1.4\n% ${name}\n`) });

function dossier(lead: string, subject: string, extra: Record<string, unknown> = {}) {
  const abbr = lead === 'SKHDT' ? 'SKHĐT' : lead;
  return {
    subject,
    matterCategory: 'dau-tu-cong',
    decisionAuthority: 'UBND_TINH',
    leadAgencyCode: lead,
    legalBasis: [{ type: 'LUAT', numberSymbol: '58/2024/QH15', issuedAt: '2024-06-29', issuer: 'Quốc hội', title: 'Luật Đầu tư công' }],
    practicalBasis: 'Nhu cầu thực tế của địa phương đã được khảo sát năm 2025; số liệu kèm theo báo cáo.',
    proposal: 'Đề nghị UBND tỉnh ban hành Quyết định phê duyệt theo dự thảo kèm theo.',
    options: [{ id: 'PA1', title: 'Phương án đề xuất' }],
    consultedAgencyCodes: ['STC', 'SKHDT'].filter((c) => c !== lead),
    documents: [
      { role: 'SUBMISSION_DOC', docType: 'TO_TRINH', symbol: `/TTr-${abbr}`, subject, kinhGui: ['UBND tỉnh Long An'], noiNhan: ['Như trên', 'Lưu: VT'], ...pdf('to-trinh.pdf') },
      { role: 'DRAFT_DECISION', docType: 'QUYET_DINH', symbol: '/QĐ-UBND', subject: `Dự thảo Quyết định: ${subject}`, orgSign: true, ...pdf('du-thao.pdf') },
    ],
    ...extra,
  };
}

type Task = { id: string; taskDefinitionKey: string };

async function step(client: ApiClient, dossierId: string, key: string, form: unknown): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const list = await client.get<{ items: Task[] }>(`/api/tasks?dossier=${dossierId}&step=${key}`);
    const task = list.items[0];
    if (task) {
      await client.claimAndComplete(task.id, form);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`demo: ${key} of ${dossierId} did not appear`);
}

const opinion = (agency: string) => ({
  position: 'AGREE',
  content: `${agency} thống nhất với dự thảo.`,
  document: { role: 'OPINION_DOC', docType: 'CONG_VAN', symbol: `/${agency}-VP`, subject: 'Tham gia ý kiến', ...pdf(`y-kien-${agency}.pdf`) },
});

export async function createDemoDossiers(baseUrl: string, log: (m: string) => void): Promise<number> {
  const as = (u: string) => new ApiClient(baseUrl).login(u, DEMO_PASSWORD);
  const monitor = await as('vp.theodoi');
  const existing = await monitor.get<{ total: number }>('/api/dossiers?pageSize=1');
  if (existing.total > 0) return 0;
  const sct = await as('sct.chuyenvien');
  const head = await as('sct.giamdoc');
  const stc = await as('stc.chuyenvien');
  const skhdt = await as('skhdt.chuyenvien');
  const stcHead = await as('stc.giamdoc');
  const skhdtHead = await as('skhdt.giamdoc');
  const office = await as('vp.chuyenvien');
  const chairman = await as('ubnd.chutich');
  const create = async (client: ApiClient, body: unknown) => (await client.post<{ dossier: { id: string } }>('/api/dossiers', body)).dossier.id;

  // 1. Waiting for the consulted agencies' opinions.
  await create(sct, dossier('SCT', 'Đề án phát triển chợ đầu mối nông sản tỉnh Long An giai đoạn 2026-2030'));
  // 2. All the way: approved by the Chairman.
  const approved = await create(sct, dossier('SCT', 'Kế hoạch xúc tiến thương mại năm 2026'));
  await step(stc, approved, 'Task_GiveOpinion', opinion('STC'));
  await step(stcHead, approved, 'Task_ApproveOpinion', { decision: 'APPROVE' });
  await step(skhdt, approved, 'Task_GiveOpinion', opinion('SKHDT'));
  await step(skhdtHead, approved, 'Task_ApproveOpinion', { decision: 'APPROVE' });
  await step(sct, approved, 'Task_DraftSubmission', { documents: [] });
  await step(head, approved, 'Task_Sign', { stamped: true });
  await step(office, approved, 'Task_OfficeCheck', { outcome: 'ACCEPT' });
  await step(chairman, approved, 'Task_LeaderDecision', { decision: 'APPROVED' });
  // 3. Waiting for the head's signature.
  const toSign = await create(sct, dossier('SCT', 'Chương trình khuyến công tỉnh Long An năm 2026'));
  await step(stc, toSign, 'Task_GiveOpinion', opinion('STC'));
  await step(stcHead, toSign, 'Task_ApproveOpinion', { decision: 'APPROVE' });
  await step(skhdt, toSign, 'Task_GiveOpinion', opinion('SKHDT'));
  await step(skhdtHead, toSign, 'Task_ApproveOpinion', { decision: 'APPROVE' });
  await step(sct, toSign, 'Task_DraftSubmission', { documents: [] });
  // 4. Returned by the Office for its format: back with the drafter, round 2.
  const returned = await create(sct, dossier('SCT', 'Quy hoạch mạng lưới cửa hàng xăng dầu đến năm 2030'));
  await step(stc, returned, 'Task_GiveOpinion', opinion('STC'));
  await step(stcHead, returned, 'Task_ApproveOpinion', { decision: 'APPROVE' });
  await step(skhdt, returned, 'Task_GiveOpinion', opinion('SKHDT'));
  await step(skhdtHead, returned, 'Task_ApproveOpinion', { decision: 'APPROVE' });
  await step(sct, returned, 'Task_DraftSubmission', { documents: [] });
  await step(head, returned, 'Task_Sign', { stamped: true });
  await step(office, returned, 'Task_OfficeCheck', { outcome: 'RETURN', returnReason: 'FORMAT', note: 'Tờ trình sai thể thức trích yếu.' });
  // 5. A confidential dossier: paper only, no file bodies.
  await create(
    sct,
    dossier('SCT', 'Phương án bảo đảm an ninh năng lượng (mật)', {
      secrecyLevel: 'MAT',
      channel: 'PAPER',
      consultedAgencyCodes: [],
      documents: [
        { role: 'SUBMISSION_DOC', docType: 'TO_TRINH', symbol: '/TTr-SCT', subject: 'Tờ trình (bản giấy)', medium: 'PAPER', stamped: true },
        { role: 'DRAFT_DECISION', docType: 'QUYET_DINH', symbol: '/QĐ-UBND', subject: 'Dự thảo (bản giấy)', medium: 'PAPER', initialed: true },
      ],
    }),
  );
  log('demo dossiers: consulting, approved, awaiting signature, returned (round 2), confidential');
  return 5;
}

/**
 * The Office's figures per agency and year. They decide emulation
 * and reward, so none can be improved by a return or a withdrawal: a dossier is done by its latest
 * submission to UBND tỉnh that the Office has not returned (a returned dossier is not done until it
 * goes up again), on time if that is before its deadline, late if after; not done and past the
 * deadline is overdue; a dossier withdrawn after its deadline counts as done late, at its
 * withdrawal (one withdrawn in time is left out). Tasks UBND assigned are counted apart, by their
 * own completion; per head, vague proposals and out-of-authority submissions.
 * Every figure's definition is FIGURE_DEFINITIONS. The one reader of these figures.
 */
import type { DataSource } from 'typeorm';

/** Per dossier of the year: when it was done in the sense above (null while not done), with its deadline. */
const DONE_DOSSIERS = `
  SELECT d.id, d.lead_agency_code, d.accountable_user_id, d.due_at,
    CASE WHEN d.status = 'WITHDRAWN' THEN d.closed_at
         WHEN last.intake_status <> 'RETURNED' THEN last.submitted_at END AS done_at
  FROM dossier d
  LEFT JOIN LATERAL (SELECT s.submitted_at, s.intake_status FROM submission s WHERE s.dossier_id = d.id ORDER BY s.round DESC LIMIT 1) last ON true
  WHERE d.created_at >= $1 AND d.created_at < $2 AND d.status <> 'DRAFT'
    AND (d.status <> 'WITHDRAWN' OR (d.due_at IS NOT NULL AND d.closed_at > d.due_at))`;

/** the tasks UBND assigned to an agency whose UBND document is dated in the year. */
export type TaskFigures = { assigned: number; doneOnTime: number; doneLate: number; overdueOpen: number; open: number; onTimeRate: number | null };

export type AgencyFigures = {
  agencyCode: string;
  agencyName: string;
  parentCode: string | null;
  assigned: number;
  doneOnTime: number;
  doneLate: number;
  overdueOpen: number;
  open: number;
  onTimeRate: number | null;
  opinionsGiven: number;
  lateOpinions: number;
  /** R-10/R-13 (decision 1): opinions the agency's head decided not to wait for, past their deadline. */
  opinionsWaived: number;
  /** dossiers submitted, and of those sent electronically with a verified digital signature. */
  submitted: number;
  submittedElectronicSigned: number;
  returnsByReason: Record<string, number>;
  /** Tasks UBND assigned (not dossiers): see TaskFigures. */
  tasks: TaskFigures;
};

export type HeadFigures = {
  accountableUserId: string;
  fullName: string;
  agencyCode: string;
  assigned: number;
  doneLate: number;
  overdueOpen: number;
  returns: number;
  tasksAssigned: number;
  tasksDoneLate: number;
  tasksOverdueOpen: number;
  /** the Office's returns of the head's dossiers as vague proposals. */
  vagueProposals: number;
  /** the head's dossiers whose proposal the intake check found vague, at creation or at an intake check, counted once each. */
  vagueProposalsFlagged: number;
  /** refused out-of-authority submissions and the Office's out-of-authority returns. */
  outOfAuthority: number;
};

export type AgencyReport = { year: number; generatedAt: string; agencies: AgencyFigures[]; heads: HeadFigures[]; definitions: Record<string, string> };

/**
 * What each figure counts, printed beside it on the report page and in its CSV (R-25: the figures
 * decide emulation and reward, so nobody reads them differently).
 */
export const FIGURE_DEFINITIONS: Record<string, string> = {
  assigned: 'Hồ sơ trình: hồ sơ cơ quan chủ trì lập trong năm (trừ bản nháp và hồ sơ rút trước hạn).',
  doneOnTime: 'Hồ sơ đúng hạn: lần trình gần nhất không bị Văn phòng trả lại, trình trước hoặc đúng hạn; hồ sơ bị trả lại chỉ xong khi được trình lại.',
  doneLate: 'Hồ sơ trễ hạn: lần trình gần nhất không bị trả lại nhưng sau hạn; hồ sơ rút sau hạn tính là trễ hạn.',
  overdueOpen: 'Hồ sơ quá hạn chưa xong: chưa trình (hoặc bị trả lại, chưa trình lại) và đã quá hạn.',
  open: 'Hồ sơ đang xử lý: chưa trình, chưa đến hạn.',
  onTimeRate: 'Tỷ lệ hồ sơ đúng hạn = đúng hạn / (đúng hạn + trễ hạn + quá hạn chưa xong).',
  'tasks.assigned': 'Nhiệm vụ được giao: nhiệm vụ UBND tỉnh, Chủ tịch giao cho cơ quan, theo ngày văn bản giao trong năm (không phải số hồ sơ).',
  'tasks.doneOnTime': 'Nhiệm vụ hoàn thành đúng hạn: hoàn thành (hồ sơ được Văn phòng tiếp nhận, tính theo lúc trình; hoặc báo cáo kết quả) trước hoặc đúng hạn.',
  'tasks.doneLate': 'Nhiệm vụ hoàn thành trễ hạn: hoàn thành sau hạn.',
  'tasks.overdueOpen': 'Nhiệm vụ quá hạn chưa hoàn thành: đến nay đã quá hạn mà chưa hoàn thành.',
  'tasks.open': 'Nhiệm vụ đang thực hiện, chưa đến hạn.',
  'tasks.onTimeRate': 'Tỷ lệ nhiệm vụ đúng hạn = đúng hạn / (đúng hạn + trễ hạn + quá hạn chưa hoàn thành).',
  opinionsGiven: 'Ý kiến đã gửi: ý kiến tham gia cơ quan gửi trong năm.',
  lateOpinions: 'Ý kiến trễ: ý kiến gửi sau hạn lấy ý kiến.',
  opinionsWaived:
    'Trình khi chưa có ý kiến (R-10, R-13): số lần Thủ trưởng cơ quan chủ trì quyết định không chờ ý kiến của một cơ quan đã quá hạn (có ghi lý do), trong năm; là ngoại lệ được báo cáo, không phải mặc định.',
  submitted: 'Đã trình: hồ sơ có lần trình UBND tỉnh trong năm.',
  submittedElectronicSigned: 'Trình điện tử có ký số: trình qua mạng, chữ ký số của người ký hợp lệ (R-24).',
  returnsByReason: 'Trả lại: số lần Văn phòng UBND tỉnh trả lại hồ sơ trong năm, theo lý do (R-30).',
  'heads.returns': 'Số lần hồ sơ do thủ trưởng chịu trách nhiệm bị trả lại trong năm.',
  'heads.vagueProposals': 'Đề xuất chung chung (R-03, R-26): số lần hồ sơ do thủ trưởng chịu trách nhiệm bị Văn phòng trả lại vì đề xuất không cụ thể.',
  'heads.vagueProposalsFlagged':
    'Đề xuất bị cảnh báo chung chung (R-03, R-26): số hồ sơ do thủ trưởng chịu trách nhiệm mà khi lập hoặc khi kiểm tra đầu vào, đề xuất chỉ gồm cụm từ chung chung ("xin chủ trương", "xin ý kiến"…); mỗi hồ sơ tính một lần, theo lần cảnh báo đầu tiên trong năm, kể cả khi sau đó đã sửa.',
  'heads.outOfAuthority': 'Đẩy việc lên (R-02, R-26): số lần lập hồ sơ trình vượt thẩm quyền bị từ chối, cộng số lần Văn phòng trả lại vì không thuộc thẩm quyền UBND tỉnh.',
};

const rate = (onTime: number, late: number, overdue: number) => (onTime + late + overdue > 0 ? onTime / (onTime + late + overdue) : null);

export async function agencyReport(ds: DataSource, q: { year: number; agency: string | null; now: Date }): Promise<AgencyReport> {
  const from = new Date(Date.UTC(q.year, 0, 1) - 7 * 3600_000);
  const to = new Date(Date.UTC(q.year + 1, 0, 1) - 7 * 3600_000);
  // R-29: a district sees its own and its communes' figures.
  const agencyFilter = q.agency ? 'AND (a.code = $4 OR a.parent_code = $4)' : '';
  const params: unknown[] = [from, to, q.now, ...(q.agency ? [q.agency] : [])];
  const rows = (await ds.query(
    `WITH d AS (${DONE_DOSSIERS})
     SELECT a.code, a.name, a.parent_code,
       count(d.*)::int AS assigned,
       count(*) FILTER (WHERE d.done_at IS NOT NULL AND (d.due_at IS NULL OR d.done_at <= d.due_at))::int AS done_on_time,
       count(*) FILTER (WHERE d.done_at IS NOT NULL AND d.done_at > d.due_at)::int AS done_late,
       count(*) FILTER (WHERE d.done_at IS NULL AND d.lead_agency_code IS NOT NULL AND d.due_at < $3)::int AS overdue_open,
       count(*) FILTER (WHERE d.done_at IS NULL AND d.lead_agency_code IS NOT NULL AND (d.due_at IS NULL OR d.due_at >= $3))::int AS open_count
     FROM agency a LEFT JOIN d ON d.lead_agency_code = a.code
     WHERE true ${agencyFilter}
     GROUP BY a.code, a.name, a.parent_code ORDER BY a.code`,
    params,
  )) as { code: string; name: string; parent_code: string | null; assigned: number; done_on_time: number; done_late: number; overdue_open: number; open_count: number }[];
  // Tasks by the year of their UBND document (the registration's date when a task predates that field), in Vietnam.
  const fromDate = `${q.year}-01-01`;
  const toDate = `${q.year + 1}-01-01`;
  const TASKS_OF_YEAR = `SELECT * FROM assigned_task t WHERE COALESCE(t.source_date, (t.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) >= $1::date
    AND COALESCE(t.source_date, (t.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) < $2::date`;
  const [tasks, headExtras] = await Promise.all([
    ds.query(
      `WITH t AS (${TASKS_OF_YEAR})
       SELECT t.assignee_agency_code AS code, count(*)::int AS assigned,
         count(*) FILTER (WHERE t.status = 'DONE')::int AS done_on_time,
         count(*) FILTER (WHERE t.status = 'DONE_LATE')::int AS done_late,
         count(*) FILTER (WHERE t.completed_at IS NULL AND t.due_at < $3)::int AS overdue_open,
         count(*) FILTER (WHERE t.completed_at IS NULL AND t.due_at >= $3)::int AS open_count
       FROM t GROUP BY t.assignee_agency_code`,
      [fromDate, toDate, q.now],
    ) as Promise<{ code: string; assigned: number; done_on_time: number; done_late: number; overdue_open: number; open_count: number }[]>,
    ds.query(
      `WITH t AS (${TASKS_OF_YEAR}),
       tasks AS (SELECT accountable_user_id AS uid, count(*)::int AS assigned, count(*) FILTER (WHERE status = 'DONE_LATE')::int AS late,
                   count(*) FILTER (WHERE completed_at IS NULL AND due_at < $3)::int AS overdue
                 FROM t WHERE accountable_user_id IS NOT NULL GROUP BY 1),
       rets AS (SELECT d.accountable_user_id AS uid, count(*) FILTER (WHERE r.reason = 'VAGUE_PROPOSAL')::int AS vague,
                  count(*) FILTER (WHERE r.reason = 'OUT_OF_AUTHORITY')::int AS ooa
                FROM dossier_return r JOIN dossier d ON d.id = r.dossier_id
                WHERE r.at >= $4 AND r.at < $5 AND d.accountable_user_id IS NOT NULL GROUP BY 1),
       refused AS (SELECT accountable_user_id AS uid, count(*)::int AS n FROM out_of_authority_attempt
                   WHERE at >= $4 AND at < $5 AND accountable_user_id IS NOT NULL GROUP BY 1),
       flagged AS (SELECT d.accountable_user_id AS uid, count(DISTINCT e.dossier_id)::int AS n
                   FROM audit_event e JOIN dossier d ON d.id = e.dossier_id
                   WHERE e.action = 'VAGUE_PROPOSAL_FLAGGED' AND e.at >= $4 AND e.at < $5 AND d.accountable_user_id IS NOT NULL GROUP BY 1),
       uids AS (SELECT uid FROM tasks UNION SELECT uid FROM rets UNION SELECT uid FROM refused UNION SELECT uid FROM flagged)
       SELECT u.id, u.full_name, u.agency_code, COALESCE(tasks.assigned, 0) AS tasks_assigned, COALESCE(tasks.late, 0) AS tasks_late,
         COALESCE(tasks.overdue, 0) AS tasks_overdue, COALESCE(rets.vague, 0) AS vague, COALESCE(flagged.n, 0) AS vague_flagged,
         COALESCE(rets.ooa, 0) + COALESCE(refused.n, 0) AS ooa
       FROM uids JOIN app_user u ON u.id = uids.uid
       LEFT JOIN tasks ON tasks.uid = uids.uid LEFT JOIN rets ON rets.uid = uids.uid LEFT JOIN refused ON refused.uid = uids.uid
       LEFT JOIN flagged ON flagged.uid = uids.uid`,
      [fromDate, toDate, q.now, from, to],
    ) as Promise<{ id: string; full_name: string; agency_code: string; tasks_assigned: number; tasks_late: number; tasks_overdue: number; vague: number; vague_flagged: number; ooa: number }[]>,
  ]);
  const tasksBy = new Map(tasks.map((t) => [t.code, t]));
  const [opinions, returns, heads, channels, waivers] = await Promise.all([
    ds.query(
      `SELECT agency_code, count(*)::int AS given, count(*) FILTER (WHERE late)::int AS late FROM opinion
       WHERE status = 'SIGNED_OFF' AND received_at >= $1 AND received_at < $2 GROUP BY agency_code`,
      [from, to],
    ) as Promise<{ agency_code: string; given: number; late: number }[]>,
    ds.query(
      `SELECT d.lead_agency_code, r.reason, count(*)::int AS n FROM dossier_return r JOIN dossier d ON d.id = r.dossier_id
       WHERE r.at >= $1 AND r.at < $2 GROUP BY d.lead_agency_code, r.reason`,
      [from, to],
    ) as Promise<{ lead_agency_code: string; reason: string; n: number }[]>,
    ds.query(
      `WITH d AS (${DONE_DOSSIERS})
       SELECT d.accountable_user_id, u.full_name, u.agency_code, count(*)::int AS assigned,
         count(*) FILTER (WHERE d.done_at > d.due_at)::int AS done_late,
         count(*) FILTER (WHERE d.done_at IS NULL AND d.due_at < $3)::int AS overdue_open,
         (SELECT count(*)::int FROM dossier_return r JOIN dossier d2 ON d2.id = r.dossier_id WHERE d2.accountable_user_id = d.accountable_user_id AND r.at >= $1 AND r.at < $2) AS returns
       FROM d JOIN app_user u ON u.id = d.accountable_user_id
       GROUP BY d.accountable_user_id, u.full_name, u.agency_code ORDER BY u.agency_code`,
      [from, to, q.now],
    ) as Promise<{ accountable_user_id: string; full_name: string; agency_code: string; assigned: number; done_late: number; overdue_open: number; returns: number }[]>,
    ds.query(
      `SELECT d.lead_agency_code, count(DISTINCT s.dossier_id)::int AS submitted,
         count(DISTINCT s.dossier_id) FILTER (WHERE s.channel = 'ELECTRONIC' AND EXISTS (
           SELECT 1 FROM signature g WHERE g.dossier_id = s.dossier_id AND g.round = s.round AND g.personal_sig_ok AND (g.verification->>'ok')::boolean))::int AS electronic_signed
       FROM submission s JOIN dossier d ON d.id = s.dossier_id
       WHERE s.submitted_at >= $1 AND s.submitted_at < $2 GROUP BY d.lead_agency_code`,
      [from, to],
    ) as Promise<{ lead_agency_code: string; submitted: number; electronic_signed: number }[]>,
    ds.query(
      `SELECT d.lead_agency_code, count(*)::int AS n FROM opinion_request r JOIN dossier d ON d.id = r.dossier_id
       WHERE r.status = 'WAIVED' AND r.waived_at >= $1 AND r.waived_at < $2 GROUP BY d.lead_agency_code`,
      [from, to],
    ) as Promise<{ lead_agency_code: string; n: number }[]>,
  ]);
  const waivedBy = new Map(waivers.map((w) => [w.lead_agency_code, w.n]));
  const channelsBy = new Map(channels.map((c) => [c.lead_agency_code, c]));
  const opinionsBy = new Map(opinions.map((o) => [o.agency_code, o]));
  const agencies = rows.map((r): AgencyFigures => {
    const returnsByReason: Record<string, number> = {};
    for (const ret of returns) if (ret.lead_agency_code === r.code) returnsByReason[ret.reason] = ret.n;
    const done = r.done_on_time + r.done_late;
    const due = done + r.overdue_open;
    return {
      agencyCode: r.code,
      agencyName: r.name,
      parentCode: r.parent_code,
      assigned: r.assigned,
      doneOnTime: r.done_on_time,
      doneLate: r.done_late,
      overdueOpen: r.overdue_open,
      open: r.open_count,
      onTimeRate: due > 0 ? r.done_on_time / due : null,
      opinionsGiven: opinionsBy.get(r.code)?.given ?? 0,
      lateOpinions: opinionsBy.get(r.code)?.late ?? 0,
      opinionsWaived: waivedBy.get(r.code) ?? 0,
      submitted: channelsBy.get(r.code)?.submitted ?? 0,
      submittedElectronicSigned: channelsBy.get(r.code)?.electronic_signed ?? 0,
      returnsByReason,
      tasks: ((t) => ({
        assigned: t?.assigned ?? 0,
        doneOnTime: t?.done_on_time ?? 0,
        doneLate: t?.done_late ?? 0,
        overdueOpen: t?.overdue_open ?? 0,
        open: t?.open_count ?? 0,
        onTimeRate: rate(t?.done_on_time ?? 0, t?.done_late ?? 0, t?.overdue_open ?? 0),
      }))(tasksBy.get(r.code)),
    };
  });
  const agencyCodes = new Set(agencies.map((a) => a.agencyCode));
  return {
    year: q.year,
    generatedAt: q.now.toISOString(),
    agencies,
    heads: mergeHeads(heads, headExtras).filter((x) => agencyCodes.has(x.agencyCode)),
    definitions: FIGURE_DEFINITIONS,
  };
}

/** One row per head: the dossier figures and the task, vague-proposal and out-of-authority counts, whichever the head has. */
function mergeHeads(
  dossiers: { accountable_user_id: string; full_name: string; agency_code: string; assigned: number; done_late: number; overdue_open: number; returns: number }[],
  extras: { id: string; full_name: string; agency_code: string; tasks_assigned: number; tasks_late: number; tasks_overdue: number; vague: number; vague_flagged: number; ooa: number }[],
): HeadFigures[] {
  const by = new Map<string, HeadFigures>();
  const blank = (id: string, fullName: string, agencyCode: string): HeadFigures => ({
    accountableUserId: id,
    fullName,
    agencyCode,
    assigned: 0,
    doneLate: 0,
    overdueOpen: 0,
    returns: 0,
    tasksAssigned: 0,
    tasksDoneLate: 0,
    tasksOverdueOpen: 0,
    vagueProposals: 0,
    vagueProposalsFlagged: 0,
    outOfAuthority: 0,
  });
  for (const x of dossiers) by.set(x.accountable_user_id, { ...blank(x.accountable_user_id, x.full_name, x.agency_code), assigned: x.assigned, doneLate: x.done_late, overdueOpen: x.overdue_open, returns: x.returns });
  for (const x of extras) {
    const h = by.get(x.id) ?? blank(x.id, x.full_name, x.agency_code);
    by.set(x.id, { ...h, tasksAssigned: x.tasks_assigned, tasksDoneLate: x.tasks_late, tasksOverdueOpen: x.tasks_overdue, vagueProposals: x.vague, vagueProposalsFlagged: x.vague_flagged, outOfAuthority: x.ooa });
  }
  return [...by.values()].sort((a, b) => a.agencyCode.localeCompare(b.agencyCode) || a.accountableUserId.localeCompare(b.accountableUserId));
}

/**
 * The Office's figures per agency and year. They decide emulation
 * and reward, so none can be improved by a return or a withdrawal: a dossier is done by its latest
 * submission to UBND tỉnh that the Office has not returned (a returned dossier is not done until it
 * goes up again), on time if that is before its deadline, late if after; not done and past the
 * deadline is overdue; a dossier withdrawn after its deadline counts as done late, at its
 * withdrawal (one withdrawn in time is left out). The one reader of these figures.
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
  /** dossiers submitted, and of those sent electronically with a verified digital signature. */
  submitted: number;
  submittedElectronicSigned: number;
  returnsByReason: Record<string, number>;
};

export type HeadFigures = { accountableUserId: string; fullName: string; agencyCode: string; assigned: number; doneLate: number; overdueOpen: number; returns: number };

export type AgencyReport = { year: number; generatedAt: string; agencies: AgencyFigures[]; heads: HeadFigures[] };

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
  const [opinions, returns, heads, channels] = await Promise.all([
    ds.query(
      `SELECT agency_code, count(*)::int AS given, count(*) FILTER (WHERE late)::int AS late FROM opinion
       WHERE received_at >= $1 AND received_at < $2 GROUP BY agency_code`,
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
  ]);
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
      submitted: channelsBy.get(r.code)?.submitted ?? 0,
      submittedElectronicSigned: channelsBy.get(r.code)?.electronic_signed ?? 0,
      returnsByReason,
    };
  });
  const agencyCodes = new Set(agencies.map((a) => a.agencyCode));
  return {
    year: q.year,
    generatedAt: q.now.toISOString(),
    agencies,
    heads: heads
      .filter((x) => agencyCodes.has(x.agency_code))
      .map((x) => ({ accountableUserId: x.accountable_user_id, fullName: x.full_name, agencyCode: x.agency_code, assigned: x.assigned, doneLate: x.done_late, overdueOpen: x.overdue_open, returns: x.returns })),
  };
}

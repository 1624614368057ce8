/** The Office's figures per agency and year, as JSON or CSV. */
import express from 'express';
import { canReadReportsOf } from '../../domain/access.ts';
import { vietnamYear } from '../../domain/calendar.ts';
import { agencyReport } from '../../store/reports.ts';
import { currentUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { forbidden } from '../errors.ts';
import { reportCsv } from '../reports.ts';
import { reportQuery } from '../schemas.ts';

export function reportRoutes(deps: ServerDeps): express.Router {
  const r = express.Router();
  const now = () => deps.now?.() ?? new Date();

  r.get('/reports/agencies', async (req, res) => {
    const user = currentUser(req);
    const q = reportQuery.parse(req.query);
    if (!canReadReportsOf(user, q.agency ?? (canReadReportsOf(user, null) ? null : user.agencyCode))) throw forbidden('Bạn không có quyền xem báo cáo này.');
    const agencyFilter = canReadReportsOf(user, null) ? (q.agency ?? null) : user.agencyCode;
    const report = await agencyReport(deps.ds, { year: q.year ?? vietnamYear(now()), agency: agencyFilter, now: now() });
    if (q.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="bao-cao-${report.year}.csv"`);
      res.send(reportCsv(report));
    } else res.json(report);
  });

  return r;
}

/** The Office's figures per agency as a spreadsheet (CSV); the figures themselves are store/reports.ts's. */
import type { AgencyReport } from '../store/reports.ts';

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Cells starting with = + - @ would run as formulas in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function reportCsv(r: AgencyReport): string {
  const reasons = [...new Set(r.agencies.flatMap((a) => Object.keys(a.returnsByReason)))].sort();
  const header = ['Mã cơ quan', 'Tên cơ quan', 'Năm', 'Được giao', 'Đúng hạn', 'Trễ hạn', 'Quá hạn chưa xong', 'Đang xử lý', 'Tỷ lệ đúng hạn', 'Ý kiến đã gửi', 'Ý kiến trễ', 'Đã trình', 'Trình điện tử có ký số', ...reasons.map((x) => `Trả lại: ${x}`)];
  const lines = r.agencies.map((a) =>
    [a.agencyCode, a.agencyName, r.year, a.assigned, a.doneOnTime, a.doneLate, a.overdueOpen, a.open, a.onTimeRate === null ? '' : (a.onTimeRate * 100).toFixed(1), a.opinionsGiven, a.lateOpinions, a.submitted, a.submittedElectronicSigned, ...reasons.map((x) => a.returnsByReason[x] ?? 0)]
      .map(csvCell)
      .join(','),
  );
  // A byte-order mark so spreadsheet programs read the Vietnamese as UTF-8.
  return '\uFEFF' + [header.map(csvCell).join(','), ...lines].join('\r\n') + '\r\n';
}

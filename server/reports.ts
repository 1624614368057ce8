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
  const d = r.definitions;
  // Each column with the figure it shows, so the definitions below name them as the header does.
  const columns: [string, string | null][] = [
    ['Mã cơ quan', null],
    ['Tên cơ quan', null],
    ['Năm', null],
    ['Hồ sơ trình', 'assigned'],
    ['Đúng hạn', 'doneOnTime'],
    ['Trễ hạn', 'doneLate'],
    ['Quá hạn chưa xong', 'overdueOpen'],
    ['Đang xử lý', 'open'],
    ['Tỷ lệ đúng hạn', 'onTimeRate'],
    ['Ý kiến đã gửi', 'opinionsGiven'],
    ['Ý kiến trễ', 'lateOpinions'],
    ['Trình khi chưa có ý kiến', 'opinionsWaived'],
    ['Đã trình', 'submitted'],
    ['Trình điện tử có ký số', 'submittedElectronicSigned'],
    ['Nhiệm vụ được giao', 'tasks.assigned'],
    ['Nhiệm vụ đúng hạn', 'tasks.doneOnTime'],
    ['Nhiệm vụ trễ hạn', 'tasks.doneLate'],
    ['Nhiệm vụ quá hạn chưa hoàn thành', 'tasks.overdueOpen'],
    ['Nhiệm vụ đang thực hiện', 'tasks.open'],
    ['Tỷ lệ nhiệm vụ đúng hạn', 'tasks.onTimeRate'],
  ];
  const percent = (x: number | null) => (x === null ? '' : (x * 100).toFixed(1));
  const row = (cells: unknown[]) => cells.map(csvCell).join(',');
  const lines = r.agencies.map((a) =>
    row([
      a.agencyCode, a.agencyName, r.year, a.assigned, a.doneOnTime, a.doneLate, a.overdueOpen, a.open, percent(a.onTimeRate), a.opinionsGiven, a.lateOpinions, a.opinionsWaived, a.submitted, a.submittedElectronicSigned,
      a.tasks.assigned, a.tasks.doneOnTime, a.tasks.doneLate, a.tasks.overdueOpen, a.tasks.open, percent(a.tasks.onTimeRate),
      ...reasons.map((x) => a.returnsByReason[x] ?? 0),
    ]),
  );
  const headColumns: [string, string | null][] = [
    ['Thủ trưởng', null],
    ['Cơ quan', null],
    ['Hồ sơ trình', 'assigned'],
    ['Hồ sơ trễ hạn', 'doneLate'],
    ['Hồ sơ quá hạn chưa xong', 'overdueOpen'],
    ['Số lần bị trả lại', 'heads.returns'],
    ['Nhiệm vụ được giao', 'tasks.assigned'],
    ['Nhiệm vụ trễ hạn', 'tasks.doneLate'],
    ['Nhiệm vụ quá hạn chưa hoàn thành', 'tasks.overdueOpen'],
    ['Đề xuất chung chung bị trả lại', 'heads.vagueProposals'],
    ['Đề xuất bị cảnh báo chung chung', 'heads.vagueProposalsFlagged'],
    ['Trình vượt thẩm quyền', 'heads.outOfAuthority'],
  ];
  const heads = r.heads.map((h) =>
    row([`${h.fullName} (${h.accountableUserId})`, h.agencyCode, h.assigned, h.doneLate, h.overdueOpen, h.returns, h.tasksAssigned, h.tasksDoneLate, h.tasksOverdueOpen, h.vagueProposals, h.vagueProposalsFlagged, h.outOfAuthority]),
  );
  // every figure's definition travels with it, below the tables.
  const defined = new Map<string, string>();
  for (const [label, key] of [...columns, ...headColumns]) if (key && d[key] && !defined.has(label)) defined.set(label, d[key]);
  if (reasons.length > 0 && d.returnsByReason) defined.set('Trả lại: <lý do>', d.returnsByReason);
  const out = [
    row([...columns.map(([label]) => label), ...reasons.map((x) => `Trả lại: ${x}`)]),
    ...lines,
    '',
    row(['Theo thủ trưởng']),
    row(headColumns.map(([label]) => label)),
    ...heads,
    '',
    row(['Định nghĩa', 'Cách tính']),
    ...[...defined].map(([label, text]) => row([label, text])),
  ];
  // A byte-order mark so spreadsheet programs read the Vietnamese as UTF-8.
  return '\uFEFF' + out.join('\r\n') + '\r\n';
}

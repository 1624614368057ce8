/**
 * Demo organisation: the Long An agencies of 2021, a head, a deputy, a
 * specialist and a clerk for each, the Office and the leaders, an authority matrix, and the
 * certificates their digital signatures need. Idempotent: running it twice changes nothing.
 */
import type { DataSource } from 'typeorm';
import bcrypt from 'bcryptjs';
import type { AgencyType, CompetentAuthority, SecrecyLevel, UserRole } from '../domain/model.ts';
import { ensureCa, issueStoredCertificate } from './signatures.ts';

export const DEMO_PASSWORD = 'Demo@2026';

type AgencySeed = { code: string; abbr: string; name: string; type: AgencyType; fields: string[]; headTitle: string; headIsUbndMember?: boolean; acting?: boolean; parent?: string };

export const DEMO_AGENCIES: AgencySeed[] = [
  { code: 'SCT', abbr: 'SCT', name: 'Sở Công Thương', type: 'SO_NGANH', fields: ['cong-thuong', 'dau-tu-cong', 'quy-hoach'], headTitle: 'Giám đốc' },
  { code: 'STC', abbr: 'STC', name: 'Sở Tài chính', type: 'SO_NGANH', fields: ['ngan-sach', 'tai-chinh', 'dau-tu-cong'], headTitle: 'Q. Giám đốc', acting: true, headIsUbndMember: true },
  { code: 'SKHDT', abbr: 'SKHĐT', name: 'Sở Kế hoạch và Đầu tư', type: 'SO_NGANH', fields: ['dau-tu-cong', 'quy-hoach', 'ke-hoach'], headTitle: 'Giám đốc', headIsUbndMember: true },
  { code: 'STP', abbr: 'STP', name: 'Sở Tư pháp', type: 'SO_NGANH', fields: ['van-ban-qppl', 'tu-phap'], headTitle: 'Giám đốc' },
  { code: 'SNV', abbr: 'SNV', name: 'Sở Nội vụ', type: 'SO_NGANH', fields: ['to-chuc-bo-may', 'thi-dua-khen-thuong', 'noi-vu'], headTitle: 'Giám đốc', headIsUbndMember: true },
  { code: 'SXD', abbr: 'SXD', name: 'Sở Xây dựng', type: 'SO_NGANH', fields: ['xay-dung', 'quy-hoach'], headTitle: 'Giám đốc' },
  { code: 'STNMT', abbr: 'STNMT', name: 'Sở Tài nguyên và Môi trường', type: 'SO_NGANH', fields: ['dat-dai', 'moi-truong'], headTitle: 'Giám đốc' },
  { code: 'SNNPTNT', abbr: 'SNNPTNT', name: 'Sở Nông nghiệp và Phát triển nông thôn', type: 'SO_NGANH', fields: ['nong-nghiep'], headTitle: 'Giám đốc' },
  { code: 'SYT', abbr: 'SYT', name: 'Sở Y tế', type: 'SO_NGANH', fields: ['y-te'], headTitle: 'Giám đốc' },
  { code: 'SGDDT', abbr: 'SGDĐT', name: 'Sở Giáo dục và Đào tạo', type: 'SO_NGANH', fields: ['giao-duc'], headTitle: 'Giám đốc' },
  { code: 'VPUBND', abbr: 'VP', name: 'Văn phòng UBND tỉnh', type: 'VP_UBND', fields: [], headTitle: 'Chánh Văn phòng' },
  { code: 'UBNDTINH', abbr: 'UBND', name: 'UBND tỉnh Long An', type: 'UBND_TINH', fields: [], headTitle: 'Chủ tịch' },
  { code: 'UBND_TANAN', abbr: 'UBND', name: 'UBND thành phố Tân An', type: 'UBND_HUYEN', fields: ['dat-dai', 'xay-dung', 'do-thi'], headTitle: 'Chủ tịch' },
  { code: 'UBND_BENLUC', abbr: 'UBND', name: 'UBND huyện Bến Lức', type: 'UBND_HUYEN', fields: ['dat-dai', 'xay-dung', 'nong-nghiep'], headTitle: 'Chủ tịch' },
  { code: 'UBND_XA_THANHPHU', abbr: 'UBND', name: 'UBND xã Thạnh Phú (Bến Lức)', type: 'UBND_XA', fields: ['dat-dai'], headTitle: 'Chủ tịch', parent: 'UBND_BENLUC' },
];

/**
 * The demo's matter categories (R-01/02, UNVERIFIED, Long An 2021 style): the authority matrix's
 * rows and every field of the demo agencies. An administrator keeps the real list.
 */
export const DEMO_MATTER_CATEGORIES: { code: string; nameVi: string; nameEn: string; competentAuthority: CompetentAuthority }[] = [
  { code: 'dau-tu-cong', nameVi: 'Đầu tư công', nameEn: 'Public investment', competentAuthority: 'UBND_TINH' },
  { code: 'quy-hoach', nameVi: 'Quy hoạch', nameEn: 'Planning', competentAuthority: 'UBND_TINH' },
  { code: 'dat-dai', nameVi: 'Đất đai', nameEn: 'Land', competentAuthority: 'UBND_TINH' },
  { code: 'ngan-sach', nameVi: 'Ngân sách', nameEn: 'Budget', competentAuthority: 'UBND_TINH' },
  { code: 'van-ban-qppl', nameVi: 'Văn bản quy phạm pháp luật', nameEn: 'Legal normative documents', competentAuthority: 'UBND_TINH' },
  { code: 'to-chuc-bo-may', nameVi: 'Tổ chức bộ máy', nameEn: 'Organisational structure', competentAuthority: 'CHU_TICH_UBND_TINH' },
  { code: 'thi-dua-khen-thuong', nameVi: 'Thi đua, khen thưởng', nameEn: 'Emulation and commendation', competentAuthority: 'CHU_TICH_UBND_TINH' },
  { code: 'cong-thuong/giay-phep-ban-le-ruou', nameVi: 'Giấy phép bán lẻ rượu', nameEn: 'Retail alcohol licences', competentAuthority: 'SO_NGANH' },
  { code: 'xay-dung/giay-phep-xay-dung-nha-o-rieng-le', nameVi: 'Giấy phép xây dựng nhà ở riêng lẻ', nameEn: 'Building permits for single houses', competentAuthority: 'UBND_HUYEN' },
  { code: 'cong-thuong', nameVi: 'Công thương', nameEn: 'Industry and trade', competentAuthority: 'UBND_TINH' },
  { code: 'tai-chinh', nameVi: 'Tài chính', nameEn: 'Finance', competentAuthority: 'UBND_TINH' },
  { code: 'ke-hoach', nameVi: 'Kế hoạch', nameEn: 'Economic planning', competentAuthority: 'UBND_TINH' },
  { code: 'tu-phap', nameVi: 'Tư pháp', nameEn: 'Justice', competentAuthority: 'UBND_TINH' },
  { code: 'noi-vu', nameVi: 'Nội vụ', nameEn: 'Home affairs', competentAuthority: 'UBND_TINH' },
  { code: 'xay-dung', nameVi: 'Xây dựng', nameEn: 'Construction', competentAuthority: 'UBND_TINH' },
  { code: 'moi-truong', nameVi: 'Môi trường', nameEn: 'Environment', competentAuthority: 'UBND_TINH' },
  { code: 'nong-nghiep', nameVi: 'Nông nghiệp', nameEn: 'Agriculture', competentAuthority: 'UBND_TINH' },
  { code: 'y-te', nameVi: 'Y tế', nameEn: 'Health', competentAuthority: 'UBND_TINH' },
  { code: 'giao-duc', nameVi: 'Giáo dục', nameEn: 'Education', competentAuthority: 'UBND_TINH' },
  { code: 'do-thi', nameVi: 'Đô thị', nameEn: 'Urban affairs', competentAuthority: 'UBND_TINH' },
];

type UserSeed = { id: string; fullName: string; agency: string; position: string; role: UserRole; clearance?: SecrecyLevel };

const lower = (code: string) => code.toLowerCase().replace(/_/g, '');

/** Demo people: `<agency>.giamdoc`, `.phogiamdoc`, `.chuyenvien`, `.vanthu`, plus the Office, the leaders, an administrator and a designer. */
export function demoUsers(): UserSeed[] {
  const users: UserSeed[] = [];
  for (const a of DEMO_AGENCIES) {
    if (a.code === 'VPUBND' || a.code === 'UBNDTINH') continue;
    const p = lower(a.code);
    const district = a.type === 'UBND_HUYEN' || a.type === 'UBND_XA';
    users.push(
      { id: `${p}.giamdoc`, fullName: `Thủ trưởng ${a.name}`, agency: a.code, position: a.headTitle, role: a.acting ? 'ACTING_HEAD' : 'HEAD', clearance: 'MAT' },
      { id: `${p}.phogiamdoc`, fullName: `Cấp phó ${a.name}`, agency: a.code, position: district ? 'Phó Chủ tịch' : 'Phó Giám đốc', role: 'DEPUTY' },
      { id: `${p}.chuyenvien`, fullName: `Chuyên viên ${a.name}`, agency: a.code, position: 'Chuyên viên', role: a.code === 'STP' ? 'APPRAISER' : 'SPECIALIST' },
      { id: `${p}.chuyenvien2`, fullName: `Chuyên viên 2 ${a.name}`, agency: a.code, position: 'Chuyên viên', role: 'SPECIALIST' },
      { id: `${p}.vanthu`, fullName: `Văn thư ${a.name}`, agency: a.code, position: 'Văn thư', role: 'CLERK' },
    );
  }
  users.push(
    { id: 'vp.chanhvanphong', fullName: 'Chánh Văn phòng UBND tỉnh', agency: 'VPUBND', position: 'Chánh Văn phòng', role: 'HEAD', clearance: 'TUYET_MAT' },
    { id: 'vp.chuyenvien', fullName: 'Chuyên viên Văn phòng UBND tỉnh', agency: 'VPUBND', position: 'Chuyên viên', role: 'OFFICE_REVIEWER' },
    { id: 'vp.mat', fullName: 'Văn thư mật Văn phòng UBND tỉnh', agency: 'VPUBND', position: 'Chuyên viên', role: 'OFFICE_REVIEWER', clearance: 'TUYET_MAT' },
    { id: 'vp.theodoi', fullName: 'Chuyên viên theo dõi Văn phòng UBND tỉnh', agency: 'VPUBND', position: 'Chuyên viên', role: 'OFFICE_MONITOR' },
    { id: 'ubnd.chutich', fullName: 'Chủ tịch UBND tỉnh', agency: 'UBNDTINH', position: 'Chủ tịch', role: 'UBND_LEADER', clearance: 'TUYET_MAT' },
    { id: 'ubnd.phochutich', fullName: 'Phó Chủ tịch UBND tỉnh', agency: 'UBNDTINH', position: 'Phó Chủ tịch', role: 'UBND_LEADER', clearance: 'TOI_MAT' },
    { id: 'admin', fullName: 'Quản trị hệ thống', agency: 'VPUBND', position: 'Quản trị viên', role: 'ADMIN' },
    { id: 'thietke', fullName: 'Người thiết kế quy trình', agency: 'VPUBND', position: 'Chuyên viên', role: 'DESIGNER' },
  );
  return users;
}

export async function seedOrganisation(ds: DataSource, opts: { password?: string; certificates?: boolean; now?: Date } = {}): Promise<{ users: number }> {
  const now = opts.now ?? new Date();
  const hash = await bcrypt.hash(opts.password ?? DEMO_PASSWORD, 10);
  const users = demoUsers();
  await ds.transaction(async (m) => {
    for (const a of DEMO_AGENCIES) {
      await m.query(
        `INSERT INTO agency (code, symbol_abbr, name, type, fields, head_is_ubnd_member, parent_code) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (code) DO NOTHING`,
        [a.code, a.abbr, a.name, a.type, a.fields, a.headIsUbndMember ?? false, a.parent ?? null],
      );
    }
    for (const u of users) {
      await m.query(
        `INSERT INTO app_user (id, username, full_name, agency_code, position, role, clearance, password_hash) VALUES ($1,$1,$2,$3,$4,$5,$6,$7) ON CONFLICT (id) DO NOTHING`,
        [u.id, u.fullName, u.agency, u.position, u.role, u.clearance ?? 'NONE', hash],
      );
    }
    for (const a of DEMO_AGENCIES) {
      const head = users.find((u) => u.agency === a.code && (u.role === 'HEAD' || u.role === 'ACTING_HEAD' || u.role === 'UBND_LEADER'));
      if (head) await m.query('UPDATE agency SET head_user_id = $2 WHERE code = $1 AND head_user_id IS NULL', [a.code, head.id]);
    }
    for (const c of DEMO_MATTER_CATEGORIES) {
      // A row from before the categories had names gets them; one an administrator named is left alone.
      await m.query(
        `INSERT INTO authority_matrix (matter_category, competent_authority, name_vi, name_en) VALUES ($1, $2, $3, $4)
         ON CONFLICT (matter_category) DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en WHERE authority_matrix.name_vi = ''`,
        [c.code, c.competentAuthority, c.nameVi, c.nameEn],
      );
    }
    if (opts.certificates !== false) {
      const validity = { from: new Date(now.getTime() - 24 * 3600_000), to: new Date(now.getTime() + 3 * 365 * 24 * 3600_000) };
      await ensureCa(m, validity);
      const existing = new Set(((await m.query('SELECT subject_kind, subject_id FROM certificate')) as { subject_kind: string; subject_id: string }[]).map((r) => `${r.subject_kind}:${r.subject_id}`));
      for (const a of DEMO_AGENCIES) {
        if (!existing.has(`ORGANISATION:${a.code}`)) await issueStoredCertificate(m, { kind: 'ORGANISATION', id: a.code, name: a.name, agencyCode: a.code }, validity);
      }
      for (const u of users.filter((x) => ['HEAD', 'ACTING_HEAD', 'DEPUTY', 'UBND_LEADER'].includes(x.role))) {
        if (!existing.has(`PERSON:${u.id}`)) await issueStoredCertificate(m, { kind: 'PERSON', id: u.id, name: u.fullName, agencyCode: u.agency }, validity);
      }
    }
  });
  return { users: users.length };
}

/** The agencies to choose from: the admin API when the server has it, else the demo organisation's codes. */
import { get } from './api.ts';

/** `fields`: its matter categories, when the server gave them. */
export type Agency = { code: string; name: string; fields?: string[] };

const FALLBACK: Agency[] = [
  ['SCT', 'Sở Công Thương'], ['STC', 'Sở Tài chính'], ['SKHDT', 'Sở Kế hoạch và Đầu tư'], ['STP', 'Sở Tư pháp'], ['SNV', 'Sở Nội vụ'],
  ['SXD', 'Sở Xây dựng'], ['STNMT', 'Sở Tài nguyên và Môi trường'], ['SNNPTNT', 'Sở Nông nghiệp và Phát triển nông thôn'], ['SYT', 'Sở Y tế'],
  ['SGDDT', 'Sở Giáo dục và Đào tạo'], ['UBND_TANAN', 'UBND thành phố Tân An'], ['UBND_BENLUC', 'UBND huyện Bến Lức'], ['UBND_XA_THANHPHU', 'UBND xã Thạnh Phú'],
].map(([code, name]) => ({ code: code!, name: name! }));

let cache: Promise<Agency[]> | null = null;
export function agencies(): Promise<Agency[]> {
  cache ??= get<{ items?: Agency[]; agencies?: Agency[] }>('/api/admin/agencies')
    .then((r) => {
      const list = (r.items ?? r.agencies ?? []).filter((a) => a.code && a.name);
      return list.length ? list.filter((a) => !['VPUBND', 'UBNDTINH'].includes(a.code)) : FALLBACK;
    })
    .catch(() => FALLBACK);
  return cache;
}

/** Forgets the cached list (after an administrator changed an agency). */
export function resetAgencies(): void {
  cache = null;
}

/** The matter categories and legal-basis types the forms pick from, as administrators keep them. */
import { get } from './api.ts';
import { getLang } from './i18n.ts';

export type CompetentAuthority = 'UBND_TINH' | 'CHU_TICH_UBND_TINH' | 'SO_NGANH' | 'UBND_HUYEN';
export type MatterCategory = { code: string; nameVi: string; nameEn: string; competentAuthority: CompetentAuthority; active: boolean };
export type LegalBasisType = { code: string; nameVi: string; nameEn: string; rank: number; active: boolean };
export type ReferenceData = { matterCategories: MatterCategory[]; legalBasisTypes: LegalBasisType[] };

let cache: Promise<ReferenceData> | null = null;

/** Those in use for everyone; an administrator also gets the retired ones. */
export function referenceData(): Promise<ReferenceData> {
  cache ??= get<ReferenceData>('/api/admin/reference-data').catch((e: unknown) => {
    cache = null;
    throw e;
  });
  return cache;
}

/** Forgets the cached lists (after an administrator changed them). */
export function resetReferenceData(): void {
  cache = null;
}

/** A row's name in the page's language (the Vietnamese one when it has no English name). */
export function nameOf(x: { nameVi: string; nameEn: string }): string {
  return getLang() === 'vi' || !x.nameEn ? x.nameVi : x.nameEn;
}

/** server/schemas.ts under zod 4: a PATCH changes only what it names, and checks speak Vietnamese. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDossierInput, patchOf, updateDossierInput } from '../../server/schemas.ts';

describe('patchOf', () => {
  it('should leave out every field a PATCH omits when the create schema gives that field a default', () => {
    // given the update schema, whose create twin defaults urgency, secrecy, booleans and lists
    // when a PATCH names one field
    const parsed = updateDossierInput.parse({ practicalBasis: 'Năm 2025 tỉnh tổ chức 12 hội chợ.' });

    // then only that field comes out: nothing would overwrite the stored values (zod 4's partial() would)
    expect(parsed).toEqual({ practicalBasis: 'Năm 2025 tỉnh tổ chức 12 hội chợ.' });
    expect(createDossierInput.partial().parse({})).toHaveProperty('secrecyLevel', 'NONE');
  });

  it('should still check each field it is given and refuse a key the schema does not have', () => {
    // given an object schema with a default
    const patch = patchOf(z.object({ urgency: z.enum(['THUONG', 'KHAN']).default('THUONG'), note: z.string().max(3) }).strict()).strict();

    // when fields are wrong, or unknown
    const wrong = patch.safeParse({ urgency: 'X', note: 'quá dài' });
    const unknown = patch.safeParse({ other: 1 });

    // then each is refused on its own path
    expect(wrong.error?.issues.map((i) => i.path.join('.'))).toEqual(['urgency', 'note']);
    expect(unknown.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['other'] });
  });
});

describe("zod 4's Vietnamese locale", () => {
  it('should give Vietnamese messages for the checks that carry none of their own when it is configured', () => {
    // given the locale the server installs (server/app.ts)
    z.config(z.locales.vi());

    // when a required field is missing, a text is too long and a value is out of its list
    const issues = createDossierInput.safeParse({ subject: 'x'.repeat(501), decisionAuthority: 'NOBODY' }).error!.issues;
    const at = (field: string) => issues.find((i) => i.path.join('.') === field)?.message;

    // then each message is Vietnamese and says what was wrong
    expect(at('matterCategory')).toMatch(/^Đầu vào không hợp lệ/);
    expect(at('subject')).toMatch(/Quá lớn.*500 ký tự/);
    expect(at('decisionAuthority')).toMatch(/Tùy chọn không hợp lệ.*UBND_TINH/);
  });
});

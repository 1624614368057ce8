/**
 * The handlers' form data types (server/forms/form-data.ts) are written from processes/forms/*.form:
 * a form changed without `npm run forms:types` fails here, so a field is defined in its form alone.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORM_DATA_FILE, formDataSource } from '../../server/forms/form-data-types.ts';

describe('task form data types', () => {
  it('should match what the .form files say (run npm run forms:types after changing a form)', () => {
    expect(fs.readFileSync(FORM_DATA_FILE, 'utf8')).toBe(formDataSource());
  });

  it('should type a field the form may hide or does not require as optional, and a choice as its values', () => {
    const source = formDataSource();
    // hidden unless the Office returns the dossier: optional, one of the form's reasons
    expect(source).toMatch(/'office-check': \{ outcome: 'ACCEPT' \| 'RETURN'; returnReason\?: 'OUT_OF_AUTHORITY' \| /);
    // a checkbox is always a boolean; a field shown to deputies only is optional
    expect(source).toContain("'sign': { stamped: boolean; urgentReason?: string }");
    // a yes/no radio is a boolean; a required choice is its values; a text not required (R-19: a secret dossier leaves it blank) and an optional attachment are optional
    expect(source).toContain("conclusion: 'ELIGIBLE' | 'ELIGIBLE_AFTER_REVISION' | 'NOT_ELIGIBLE'; lawful: boolean; reasons?: string; report?: DocumentInput");
    // a required text is a string
    expect(source).toContain("'follow-up-delay': { note: string }");
    // an empty file list is a list; a group named by its server schema
    expect(source).toMatch(/'draft-submission': \{[^}]*documents: DocumentInput\[\];[^}]*changes\?: UpdateDossierInput/);
  });
});

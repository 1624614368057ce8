/** The new-dossier page (/dossiers/new) as a specialist fills it in Chromium. */
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { pdfUpload } from './pdf.ts';

/** What a valid dossier needs typed into the page: a legal basis, its bases and proposal, its tờ trình and draft decision. */
export type NewDossierText = {
  subject: string;
  practicalBasis: string;
  proposal: string;
  /** The tờ trình's trích yếu. */
  submissionSubject: string;
  /** File names of the tờ trình and the draft decision uploaded. */
  files: { submission: string; draft: string };
};

/** Opens the page and fills the fields every valid dossier needs; a test chooses the rest (category, option, task…) before sending. */
export async function fillNewDossier(page: Page, text: NewDossierText): Promise<void> {
  await page.goto('/dossiers/new');
  await page.waitForSelector('#create-title');
  await page.fill('[name="subject"]', text.subject);
  await page.fill('[name="legal.numberSymbol"]', '77/2015/QH13');
  await page.fill('[name="practicalBasis"]', text.practicalBasis);
  await page.fill('[name="proposal"]', text.proposal);
  await page.fill('[name="sub.subject"]', text.submissionSubject);
  await page.setInputFiles('[name="sub.file"]', pdfUpload(text.files.submission));
  await page.setInputFiles('[name="draft.file"]', pdfUpload(text.files.draft));
}

/** Sends the form and returns the new dossier's id; when the page stays, says what it showed and photographs it as `shot`. */
export async function submitNewDossier(page: Page, shot: string): Promise<string> {
  await page.click('form button[type=submit]');
  try {
    await page.waitForURL(/\/dossiers\/HS-\d{4}-\d{6}$/);
  } catch (err) {
    await screenshot(page, shot);
    throw new Error(`not created: ${(await page.locator('.errors, .field-error').allTextContents()).join(' | ')}`, { cause: err });
  }
  return page.url().split('/').pop()!;
}

/**
 * A document read in the page: a PDF drawn with pdf.js (its worker served by our app, no eval, so
 * the server's CSP holds), an image as itself; anything else is offered as a download.
 */
import { h, clear } from '../dom.ts';
import { t } from '../i18n.ts';

export type PreviewDoc = { id: string; file_name: string | null; content_type: string | null; subject?: string | null };

/** At most this many pages are drawn at once; the rest are one click away. */
const PAGE_BATCH = 10;

export const canPreview = (doc: PreviewDoc) => !!doc.file_name && (doc.content_type === 'application/pdf' || doc.content_type === 'image/png' || doc.content_type === 'image/jpeg');

/** Fills `box` with the document: pages of a PDF at the box's width, an image, or why it cannot be shown. */
export async function showDocument(box: HTMLElement, doc: PreviewDoc): Promise<void> {
  clear(box);
  const url = `/api/documents/${encodeURIComponent(doc.id)}/content`;
  const title = doc.subject || doc.file_name || '';
  box.setAttribute('aria-busy', 'true');
  box.append(h('p', { className: 'muted' }, t('app.loading')));
  try {
    if (doc.content_type === 'image/png' || doc.content_type === 'image/jpeg') {
      clear(box);
      box.append(h('img', { src: url, alt: title, className: 'preview-image' }));
      return;
    }
    if (doc.content_type !== 'application/pdf') {
      clear(box);
      box.append(h('p', { className: 'muted' }, t('preview.notPdf')), h('a', { href: url, download: doc.file_name ?? '' }, t('detail.download')));
      return;
    }
    const [pdfjs, { default: workerUrl }, res] = await Promise.all([
      import('pdfjs-dist'),
      import('pdfjs-dist/build/pdf.worker.min.mjs?url'),
      fetch(url, { credentials: 'same-origin' }),
    ]);
    if (!res.ok) throw new Error(`${res.status}`);
    pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
    const pdf = await pdfjs.getDocument({ data: new Uint8Array(await res.arrayBuffer()), isEvalSupported: false }).promise;
    clear(box);
    const pages = h('div', { className: 'preview-pages' });
    box.append(pages);
    const draw = async (from: number) => {
      const to = Math.min(pdf.numPages, from + PAGE_BATCH - 1);
      for (let n = from; n <= to; n++) {
        const page = await pdf.getPage(n);
        const width = Math.max(200, pages.clientWidth || box.clientWidth || 600);
        const base = page.getViewport({ scale: 1 });
        const scale = width / base.width;
        const viewport = page.getViewport({ scale: scale * (window.devicePixelRatio || 1) });
        const canvas = h('canvas', { width: Math.floor(viewport.width), height: Math.floor(viewport.height), role: 'img', 'aria-label': t('preview.page', { n, total: pdf.numPages, title }) });
        canvas.style.width = `${Math.floor(base.width * scale)}px`;
        pages.append(canvas);
        await page.render({ canvas, viewport }).promise;
      }
      if (to < pdf.numPages) {
        const more = h('button', { type: 'button', onclick: () => (more.remove(), void draw(to + 1)) }, t('preview.more', { n: pdf.numPages - to }));
        pages.append(more);
      }
    };
    await draw(1);
    box.dataset.pages = String(pdf.numPages);
  } catch (e) {
    clear(box);
    box.append(h('p', { className: 'error' }, `${t('preview.failed')} (${e instanceof Error ? e.message : String(e)})`), h('a', { href: url, download: doc.file_name ?? '' }, t('detail.download')));
  } finally {
    box.removeAttribute('aria-busy');
  }
}

/** A "Xem" button that opens and closes the document under its row. */
export function previewToggle(doc: PreviewDoc, box: HTMLElement): HTMLButtonElement {
  const btn = h('button', { type: 'button', className: 'link', 'aria-expanded': 'false', 'data-preview': doc.id }, t('preview.show'));
  btn.addEventListener('click', () => {
    const open = btn.getAttribute('aria-expanded') === 'true';
    btn.setAttribute('aria-expanded', String(!open));
    btn.textContent = open ? t('preview.show') : t('preview.hide');
    box.hidden = open;
    if (!open && !box.childElementCount) void showDocument(box, doc);
  });
  return btn;
}

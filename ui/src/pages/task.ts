/** One task: its dossier, claim/unclaim, and its form (form-js) with the server's messages next to the fields. */
import { h, append, clear, announce } from '../dom.ts';
import { ApiError, get, post, type DossierDetail, type TaskDetail } from '../api.ts';
import { t, code, fmtDate } from '../i18n.ts';
import { me } from '../session.ts';
import { navigate, reload, type PageContext } from '../router.ts';
import { renderTaskForm, type FormSchema } from '../forms/viewer.ts';
import { fieldErrors } from '../errors.ts';
import { dueCell, errorBox } from '../util.ts';
import { appraisalSection, contentSection, documentsSection, opinionsSection, recipientsOf, submissionsSection } from '../dossier/content.ts';
import { signingsSection } from '../dossier/signings.ts';
import { showDocument } from '../dossier/preview.ts';

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const user = me();
  const id = encodeURIComponent(ctx.params.id!);
  const [{ task }, { schema, data }] = await Promise.all([
    get<{ task: TaskDetail }>(`/api/tasks/${id}`),
    get<{ formKey: string; schema: FormSchema; data: Record<string, unknown> }>(`/api/tasks/${id}/form`),
  ]);
  // Read before judging: the dossier's content beside the form (what this viewer may read of it).
  const reading = task.dossierId
    ? get<DossierDetail>(`/api/dossiers/${encodeURIComponent(task.dossierId)}`).catch((e: unknown) => (e instanceof ApiError && (e.status === 403 || e.status === 404) ? null : Promise.reject(e)))
    : Promise.resolve(null);
  // The head signs what is shown: the signing page waits for it; other forms do not wait for the reading.
  const dossier = task.form === 'sign' ? await reading : null;
  const mine = task.assignee === user.id;
  const summary = h('div', { className: 'errors', role: 'alert', hidden: true, tabindex: '-1' });
  const fields = h('div', { className: 'task-form' });
  const submit = h('button', { type: 'submit', className: 'primary', disabled: !mine }, t('task.complete'));

  const claim = async (action: 'claim' | 'unclaim') => {
    try {
      await post(`/api/tasks/${task.id}/${action}`);
      announce(t(action === 'claim' ? 'tasks.claimed' : 'tasks.unclaimed'), 'success');
      reload();
    } catch (e) {
      announce(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  // The head's signature confirms the current submission document: it is shown, whole, above the form.
  const signedDoc = task.form === 'sign' && dossier ? dossier.documents.find((d) => d.role === 'SUBMISSION_DOC' && d.current !== false) ?? null : null;
  const signingBox = signedDoc ? h('div', { className: 'preview', id: 'signing-preview' }) : null;
  const signingCard = task.form === 'sign' && dossier
    ? h('section', { className: 'card signing', 'aria-labelledby': 'h-signing', id: 'signing-doc' },
      h('h2', { id: 'h-signing' }, t('content.signing')),
      signedDoc
        ? [h('p', { className: 'muted' }, t('content.signingHint')),
          h('dl', { className: 'meta' },
            h('dt', {}, t('create.docType')), h('dd', {}, code('docType', signedDoc.doc_type)),
            h('dt', {}, t('col.symbol')), h('dd', {}, signedDoc.symbol ?? '—'),
            h('dt', {}, t('col.subject')), h('dd', {}, signedDoc.subject),
            h('dt', {}, t('content.versionLabel')), h('dd', {}, String(signedDoc.version)),
            h('dt', {}, 'SHA-256'), h('dd', { className: 'hash' }, signedDoc.sha256 ?? '—')),
          recipientsOf(signedDoc),
          signedDoc.file_name ? signingBox : h('p', {}, code('medium', signedDoc.medium))]
        : errorBox(new Error(t('content.noSubmissionDoc'))))
    : null;

  const readBox = h('details', { className: 'dossier-read', id: 'task-dossier', open: true, 'aria-busy': 'true' }, h('summary', {}, h('strong', {}, t('content.read'))));

  const el = h('form', { className: 'card', novalidate: true, 'aria-labelledby': 'task-form-title' },
    h('h2', { id: 'task-form-title' }, t('task.form')),
    summary,
    fields,
    submit,
  );

  append(root, [
    h('p', {}, h('a', { href: '/tasks' }, t('task.back'))),
    h('h1', {}, task.name ?? task.taskDefinitionKey),
    h('dl', { className: 'meta card' },
      h('dt', {}, t('task.dossier')), h('dd', {}, task.dossierId ? h('a', { href: `/dossiers/${task.dossierId}` }, task.dossierId) : '—'),
      task.subject ? [h('dt', {}, t('tasks.col.subject')), h('dd', {}, task.subject)] : null,
      task.leadAgencyName ? [h('dt', {}, t('tasks.col.lead')), h('dd', {}, task.leadAgencyName)] : null,
      task.requestedBy ? [h('dt', {}, t('tasks.col.requestedBy')), h('dd', {}, task.requestedBy)] : null,
      h('dt', {}, t('task.due')), h('dd', {}, dueCell(task.due, task.overdue)),
      h('dt', {}, t('tasks.col.assignee')), h('dd', {}, task.assignee ? (mine ? t('tasks.me') : task.assignee) : t('tasks.unassigned')),
      h('dt', {}, t('col.when')), h('dd', {}, fmtDate(task.created)),
    ),
    h('p', { className: 'toolbar' },
      !task.assignee ? h('button', { type: 'button', className: 'primary', onclick: () => void claim('claim') }, t('tasks.claim')) : null,
      mine ? h('button', { type: 'button', onclick: () => void claim('unclaim') }, t('tasks.unclaim')) : null,
      !mine ? h('span', { className: 'muted' }, task.assignee ? t('task.claimedBy', { who: task.assignee }) : t('task.mustClaim')) : null,
    ),
    signingCard,
    // Read before judging: what the dossier says comes before the form that judges it.
    readBox,
    el,
  ]);
  void reading.then((d) => {
    if (!d) return readBox.remove();
    readBox.append(contentSection(d), documentsSection(d), ...[signingsSection(d)].filter((x) => x !== null), opinionsSection(d), appraisalSection(d), submissionsSection(d));
    readBox.removeAttribute('aria-busy');
  }, (e: unknown) => readBox.append(errorBox(e)));
  if (signedDoc && signingBox) void showDocument(signingBox, signedDoc);
  // Rendered once attached, so form-js measures and focuses inside the page.
  const form = await renderTaskForm(fields, schema, data, { formKey: task.form, agencyCode: user.agencyCode, disabled: !mine });
  ctx.onCleanup(() => form.destroy());

  el.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      submit.disabled = true;
      summary.hidden = true;
      try {
        const body = await form.submit();
        if (!body) return;
        await post(`/api/tasks/${task.id}/complete`, body);
        announce(t('task.completed'), 'success');
        navigate(task.dossierId ? `/dossiers/${task.dossierId}` : '/tasks');
      } catch (err) {
        const all = fieldErrors(err);
        const rest = form.showErrors(all.filter((x) => x.field));
        const general = [...all.filter((x) => !x.field).map((x) => x.message), ...rest];
        if (general.length) {
          clear(summary);
          summary.append(h('p', {}, h('strong', {}, t('task.errors'))), h('ul', {}, general.map((m) => h('li', {}, m))));
          summary.hidden = false;
          summary.focus();
        }
      } finally {
        submit.disabled = false;
      }
    })();
  });
}

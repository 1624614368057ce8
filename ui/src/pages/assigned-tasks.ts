/**
 * Tasks UBND tỉnh or its Chairman assign: the Office registers one from the UBND
 * document with its deadline in working days; the assignee agency reports progress and completes it
 * by a report (or by the dossier it links when creating it); overdue tasks are marked by word and icon.
 */
import type { z } from 'zod';
import type { assignedTask, assignedTaskList } from '../../../server/openapi/responses.ts';
import { h, clear, announce } from '../dom.ts';
import { get, post } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';
import { can, me } from '../session.ts';
import type { PageContext } from '../router.ts';
import { agencies } from '../agencies.ts';
import { dueCell, errorBox, table } from '../util.ts';
import { clearErrors, dateInput, field, isoDate, showErrors, vnDateTime } from '../fields.ts';

type Task = z.infer<typeof assignedTask>;
type TaskList = z.infer<typeof assignedTaskList>;

/** Runs a form's request, showing its errors next to its fields (or in its alert), and reloads on success. */
function onSubmit(form: HTMLFormElement, alert: HTMLElement, send: () => Promise<string>, after: () => Promise<void>): void {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      try {
        const message = await send();
        clearErrors(form);
        alert.hidden = true;
        form.reset();
        announce(message, 'success');
        await after();
      } catch (err) {
        const rest = showErrors(form, err);
        alert.textContent = rest.join(' ');
        alert.hidden = rest.length === 0;
      }
    })();
  });
}

function statusCell(x: Task): HTMLElement {
  if (x.status === 'DONE') return h('span', {}, t('assigned.done'));
  if (x.status === 'DONE_LATE') return h('span', { className: 'badge overdue' }, '⚠ ', t('assigned.doneLate'));
  return h('span', {}, t('assigned.open'), x.escalatedAt ? h('span', { className: 'badge overdue' }, ' ⚠ ', t('assigned.escalated')) : null);
}

export async function render(root: HTMLElement, _ctx: PageContext): Promise<void> {
  const user = me();
  const agencyList = await agencies();
  const nameOf = new Map(agencyList.map((a) => [a.code, a.name]));
  const listBox = h('div', { 'aria-busy': 'true' });
  root.append(h('h1', {}, t('assigned.title')), h('p', { className: 'muted' }, t('assigned.intro')));

  /** What the assignee agency may do on an open task: report progress; its leaders also complete it by a report. */
  function actions(x: Task): HTMLElement | null {
    const ownAgency = user.agencyCode === x.assigneeAgencyCode;
    if (!ownAgency || x.status !== 'OPEN' || !can.workOnAssignedTask(user)) return null;
    const content = h('textarea', { name: 'content', required: true, maxlength: 5000, rows: 2 });
    const percent = h('input', { type: 'number', name: 'percent', min: 0, max: 100, step: 1, inputmode: 'numeric', size: 4 });
    const alert = h('p', { className: 'error', role: 'alert', hidden: true });
    const progress = h('form', { className: 'progress-form', novalidate: true },
      alert, field(t('assigned.progressContent'), content), field(t('assigned.percent'), percent),
      h('button', { type: 'submit' }, t('assigned.reportProgress')));
    onSubmit(progress, alert, async () => {
      await post(`/api/assigned-tasks/${x.id}/progress`, { content: content.value.trim(), ...(percent.value ? { percent: Number(percent.value) } : {}) });
      return t('assigned.progressSaved');
    }, load);
    const box = h('details', { className: 'task-actions' }, h('summary', {}, t('assigned.actions')), progress);
    if (can.completeAssignedTask(user)) {
      const report = h('textarea', { name: 'report', required: true, maxlength: 10000, rows: 2 });
      const alert2 = h('p', { className: 'error', role: 'alert', hidden: true });
      const complete = h('form', { className: 'complete-form', novalidate: true }, alert2, field(t('assigned.report'), report), h('button', { type: 'submit' }, t('assigned.complete')));
      onSubmit(complete, alert2, async () => {
        await post(`/api/assigned-tasks/${x.id}/complete`, { report: report.value.trim() });
        return t('assigned.completed');
      }, load);
      box.append(complete);
    }
    return box;
  }

  async function load(): Promise<void> {
    listBox.setAttribute('aria-busy', 'true');
    try {
      const { items } = await get<TaskList>('/api/assigned-tasks');
      clear(listBox);
      listBox.append(items.length
        ? table([t('assigned.source'), t('col.agency'), t('assigned.content'), t('col.due'), t('col.status'), t('assigned.progress'), t('assigned.dossiers')], items.map((x) =>
          h('tr', { 'data-assigned-task': x.id },
            h('td', {}, x.sourceRef, x.sourceDate ? h('div', { className: 'muted' }, fmtDate(x.sourceDate, false)) : null, x.toUbndMemberHead ? h('div', { className: 'badge' }, t('assigned.headInPerson')) : null),
            h('td', {}, x.assigneeAgencyName ?? nameOf.get(x.assigneeAgencyCode) ?? x.assigneeAgencyCode),
            h('td', {}, x.content, actions(x)),
            h('td', {}, dueCell(x.dueAt, x.overdue)),
            h('td', { 'data-status': x.status }, statusCell(x)),
            h('td', {}, x.lastProgress ? `${x.lastProgress.percent ?? '—'}% · ${x.lastProgress.content}` : '—'),
            h('td', {}, (x.dossierIds ?? []).map((id) => h('div', {}, h('a', { href: `/dossiers/${id}` }, id)))))), t('assigned.title'))
        : h('p', { className: 'muted' }, t('assigned.none')));
    } catch (e) {
      clear(listBox);
      listBox.append(errorBox(e));
    } finally {
      listBox.removeAttribute('aria-busy');
    }
  }

  if (can.registerAssignedTask(user)) {
    const sourceRef = h('input', { name: 'sourceRef', required: true, maxlength: 80, autocomplete: 'off', placeholder: '123/TB-UBND' });
    const sourceDate = dateInput({ name: 'sourceDate', value: vnDateTime(new Date()).slice(0, 10), required: true });
    const assignedBy = h('select', { name: 'assignedBy' },
      (['CHU_TICH', 'PHO_CHU_TICH', 'UBND_TINH'] as const).map((v) => h('option', { value: v }, t(`assigned.by.${v}`))));
    const assignedByName = h('input', { name: 'assignedByName', maxlength: 200, autocomplete: 'off' });
    const assignee = h('select', { name: 'assigneeAgencyCode', required: true },
      h('option', { value: '' }, t('assigned.chooseAgency')),
      agencyList.filter((a) => !['VPUBND', 'UBNDTINH'].includes(a.code)).map((a) => h('option', { value: a.code }, `${a.name} (${a.code})`)));
    const toUbndMemberHead = h('input', { type: 'checkbox', name: 'toUbndMemberHead' });
    const content = h('textarea', { name: 'content', required: true, maxlength: 5000, rows: 3 });
    const workingDays = h('input', { type: 'number', name: 'workingDays', required: true, min: 1, max: 365, step: 1, value: '10', inputmode: 'numeric', size: 4 });
    const alert = h('p', { className: 'error', role: 'alert', hidden: true });
    const form = h('form', { id: 'assigned-task-form', novalidate: true },
      h('fieldset', {}, h('legend', {}, t('assigned.register')), alert,
        h('div', { className: 'grid2' }, field(t('assigned.source'), sourceRef), field(t('assigned.sourceDate'), sourceDate, t('form.dateHint')), field(t('assigned.assignedBy'), assignedBy), field(t('assigned.assignedByName'), assignedByName)),
        field(t('assigned.assignee'), assignee),
        field(t('assigned.toUbndMemberHead'), toUbndMemberHead, t('assigned.toUbndMemberHeadHint')),
        field(t('assigned.content'), content),
        field(t('assigned.workingDays'), workingDays, t('assigned.workingDaysHint')),
        h('button', { type: 'submit', className: 'primary' }, t('assigned.submit'))));
    onSubmit(form, alert, async () => {
      const r = await post<Task>('/api/assigned-tasks', {
        sourceRef: sourceRef.value.trim(),
        sourceDate: isoDate(sourceDate.value),
        assignedBy: assignedBy.value,
        assignedByName: assignedByName.value.trim(),
        assigneeAgencyCode: assignee.value,
        toUbndMemberHead: toUbndMemberHead.checked,
        content: content.value.trim(),
        workingDays: Number(workingDays.value),
      });
      sourceDate.value = vnDateTime(new Date()).slice(0, 10);
      return t('assigned.registered', { agency: nameOf.get(r.assigneeAgencyCode) ?? r.assigneeAgencyCode, due: fmtDate(r.dueAt) });
    }, load);
    root.append(form);
  }
  root.append(h('h2', {}, t('assigned.list')), listBox);
  await load();
}

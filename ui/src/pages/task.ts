/** One task: its dossier, why it came back, claim/unclaim, and its form with the server's messages next to the fields. */
import { h, append, clear, announce } from '../dom.ts';
import { ApiError, get, post } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';
import { me } from '../session.ts';
import { navigate, reload, type PageContext } from '../router.ts';
import { renderForm, type FormSchema } from '../forms/renderer.ts';
import { builtinForm, shapeBody } from '../forms/builtin.ts';
import { fieldErrors } from '../errors.ts';
import { dueCell } from '../util.ts';

type TaskDetail = {
  id: string;
  name: string | null;
  taskDefinitionKey: string;
  assignee: string | null;
  due: string | null;
  overdue: boolean;
  created: string;
  dossierId: string | null;
  form: string;
  lastError: { code: string; message: string } | null;
};

async function formSchema(taskId: string, formKey: string): Promise<{ schema: FormSchema; builtin: boolean }> {
  try {
    const r = await get<{ formKey: string; schema: FormSchema }>(`/api/tasks/${taskId}/form`);
    if (r.schema && Array.isArray(r.schema.components)) return { schema: r.schema, builtin: false };
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 422)) throw e;
  }
  return { schema: builtinForm(formKey), builtin: true };
}

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const user = me();
  const { task } = await get<{ task: TaskDetail }>(`/api/tasks/${encodeURIComponent(ctx.params.id!)}`);
  const { schema, builtin } = await formSchema(task.id, task.form);
  const mine = task.assignee === user.id;
  const form = renderForm(schema);
  form.setDisabled(!mine);
  const summary = h('div', { className: 'errors', role: 'alert', hidden: true, tabindex: '-1' });
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

  const el = h('form', { className: 'card', novalidate: true, 'aria-labelledby': 'task-form-title' },
    h('h2', { id: 'task-form-title' }, schema.id ? `${task.name ?? task.form}` : t('task.title'), builtin ? h('span', { className: 'muted' }, ` · ${t('task.formFallback')}`) : null),
    summary,
    form.element,
    submit,
  );
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      submit.disabled = true;
      summary.hidden = true;
      try {
        const body = shapeBody(task.form, await form.values(), user.agencyCode);
        await post(`/api/tasks/${task.id}/complete`, body);
        announce(t('task.completed'), 'success');
        navigate(task.dossierId ? `/dossiers/${task.dossierId}` : '/tasks');
      } catch (err) {
        const rest = form.showErrors(fieldErrors(err).filter((x) => x.field));
        const general = [...fieldErrors(err).filter((x) => !x.field).map((x) => x.message), ...rest];
        clear(summary);
        summary.append(h('p', {}, h('strong', {}, t('task.errors'))), h('ul', {}, (general.length ? general : fieldErrors(err).map((x) => x.message)).map((m) => h('li', {}, m))));
        summary.hidden = false;
        if (general.length) summary.focus();
        submit.disabled = false;
      }
    })();
  });

  append(root, [
    h('p', {}, h('a', { href: '/tasks' }, t('task.back'))),
    h('h1', {}, task.name ?? task.taskDefinitionKey),
    h('dl', { className: 'meta card' },
      h('dt', {}, t('task.dossier')), h('dd', {}, task.dossierId ? h('a', { href: `/dossiers/${task.dossierId}` }, task.dossierId) : '—'),
      h('dt', {}, t('task.due')), h('dd', {}, dueCell(task.due, task.overdue)),
      h('dt', {}, t('tasks.col.assignee')), h('dd', {}, task.assignee ? (mine ? t('tasks.me') : task.assignee) : t('tasks.unassigned')),
      h('dt', {}, t('col.when')), h('dd', {}, fmtDate(task.created)),
    ),
    task.lastError ? h('div', { className: 'errors', role: 'status' }, h('strong', {}, t('task.lastError')), ' ', `${task.lastError.message} (${task.lastError.code})`) : null,
    h('p', { className: 'toolbar' },
      !task.assignee ? h('button', { type: 'button', className: 'primary', onclick: () => void claim('claim') }, t('tasks.claim')) : null,
      mine ? h('button', { type: 'button', onclick: () => void claim('unclaim') }, t('tasks.unclaim')) : null,
      !mine ? h('span', { className: 'muted' }, task.assignee ? t('task.claimedBy', { who: task.assignee }) : t('task.mustClaim')) : null,
    ),
    el,
  ]);
}

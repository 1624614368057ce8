/**
 * The designer: versions of each process, the modeller with its panel and linter, and the forms
 * deployed with the diagram in form-js's editor (loaded only when one is opened); a designer proposes
 * a new version with its forms, and a second person (the Office's head or an administrator) approves
 * or rejects it.
 */
import { h, clear, append, announce } from '../dom.ts';
import { get, post, type DefinitionList, type DeploymentProposal } from '../api.ts';
import { t, fmtDate } from '../i18n.ts';
import { can, me } from '../session.ts';
import type { PageContext } from '../router.ts';
import { fieldErrors } from '../errors.ts';
import type { LintIssues } from '../bpmn/modeler.ts';
import { setDeployedForms } from '../bpmn/lint/camunda7-tasks.ts';
import { checkFormText, type FormProblem } from '../../../domain/form-guard.ts';
import { formRefsOf } from '../../../domain/diagram-guard.ts';
import type { OpenForm } from '../forms/editor.ts';

/** A form's problems as the server will see them (the same checks, domain/form-guard.ts). */
function lintForm(text: string): FormProblem[] {
  return checkFormText(text).problems;
}

type Proposal = DeploymentProposal;
type Def = DefinitionList['definitions'][number];

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const user = me();
  const versionsBox = h('div', { className: 'versions card', id: 'versions' });
  const status = h('p', { id: 'designer-status', 'aria-live': 'polite' });
  const problems = h('p', { id: 'lint-status', 'aria-live': 'polite', className: 'muted' });
  const canvas = h('div', { className: 'designer-canvas', id: 'canvas', tabindex: '0', 'aria-label': t('designer.canvas') });
  const panel = h('aside', { className: 'designer-panel', id: 'properties', 'aria-label': t('designer.panel') });
  const deployBtn = h('button', { type: 'button', className: 'primary', id: 'deploy', disabled: !can.deploy(user) }, t('designer.propose'));
  const proposalsBox = h('section', { id: 'proposals', className: 'card', 'aria-labelledby': 'h-proposals' });
  const diffBtn = h('button', { type: 'button', id: 'diff-show' }, t('designer.diff'));
  const downloadBtn = h('button', { type: 'button' }, t('designer.download'));
  const diffBox = h('section', { id: 'diff', className: 'card diff', 'aria-labelledby': 'h-diff', hidden: true, tabindex: '-1' });
  const formPick = h('select', { id: 'form-pick' });
  const formOpenBtn = h('button', { type: 'button', id: 'form-open' }, t('designer.forms.open'));
  const formCloseBtn = h('button', { type: 'button', id: 'form-close', hidden: true }, t('designer.forms.close'));
  const formImport = h('input', { type: 'file', id: 'form-import', accept: '.form,application/json' });
  const formStatus = h('p', { id: 'form-status', 'aria-live': 'polite' });
  const formLint = h('ul', { id: 'form-lint', className: 'form-lint' });
  const formCanvas = h('div', { id: 'form-editor', className: 'form-editor', hidden: true });
  const formsBox = h('section', { id: 'forms', className: 'card', 'aria-labelledby': 'h-forms' },
    h('h2', { id: 'h-forms' }, t('designer.forms.title')),
    h('div', { className: 'toolbar' },
      h('label', { for: formPick.id }, t('designer.forms.pick')), formPick, formOpenBtn, formCloseBtn,
      h('label', { for: formImport.id }, t('designer.forms.import')), formImport),
    formStatus, formLint, formCanvas);
  root.append(
    h('h1', {}, t('designer.title')),
    h('h2', {}, t('designer.versions')),
    versionsBox,
    h('div', { className: 'toolbar' }, deployBtn, diffBtn, downloadBtn, !can.deploy(user) ? h('span', { className: 'muted' }, t('designer.readOnly')) : null),
    status,
    problems,
    diffBox,
    h('div', { className: 'split' }, canvas, panel),
    formsBox,
    proposalsBox,
  );

  let errors = 0;
  const { createModeler } = await import('../bpmn/modeler.ts');
  const m = createModeler(canvas, panel, (issues: LintIssues) => {
    const all = Object.values(issues).flat();
    errors = all.filter((i) => i.category === 'error').length;
    problems.textContent = t('designer.problems', { e: errors, w: all.filter((i) => i.category === 'warn').length });
    problems.dataset.errors = String(errors);
  });
  ctx.onCleanup(() => {
    editing?.form.destroy();
    m.destroy();
  });
  let current: Def | null = null;
  let deployedXml = '';
  const { diagramDiff, DiffMarkers } = await import('../bpmn/diff/index.ts');
  const markers = new DiffMarkers(m.modeler);

  /** Lists and marks what changed since the opened version; with `forDeploy`, asks to confirm. */
  async function showDiff(forDeploy: boolean): Promise<void> {
    const d = await diagramDiff(m.modeler.get('moddle'), deployedXml, await m.xml());
    markers.show(d, { added: t('designer.diffAdded'), changed: t('designer.diffChanged'), layout: t('designer.diffLayout') });
    const total = d.added.length + d.removed.length + d.changed.length + d.layout.length;
    const item = (sign: string, kind: string, c: { id: string; type: string; name: string | null; attrs: { name: string; oldValue: string; newValue: string }[] }) =>
      h('li', { 'data-change': kind, 'data-element': c.id },
        h('span', { className: `badge diff-${kind}` }, `${sign} ${t(`designer.diff.${kind}` as 'designer.diff.added')}`), ' ',
        h('strong', {}, c.name ?? c.id), h('span', { className: 'muted' }, ` (${c.type}, ${c.id})`),
        c.attrs.length ? h('ul', {}, c.attrs.map((a) => h('li', { 'data-attr': a.name }, h('code', {}, a.name), `: ${a.oldValue} → ${a.newValue}`))) : null);
    clear(diffBox);
    append(diffBox, [
      h('h2', { id: 'h-diff' }, t('designer.diffTitle', { v: current?.version ?? '?' })),
      h('p', { id: 'diff-summary' }, total === 0 ? t('designer.noChanges') : t('designer.diffSummary', { a: d.added.length, r: d.removed.length, c: d.changed.length, l: d.layout.length })),
      total ? h('ul', { className: 'changes' },
        d.added.map((c) => item('+', 'added', c)), d.removed.map((c) => item('−', 'removed', c)), d.changed.map((c) => item('~', 'changed', c)), d.layout.map((c) => item('↔', 'layout', c))) : null,
      h('div', { className: 'toolbar' },
        forDeploy ? h('button', { type: 'button', className: 'primary', id: 'deploy-confirm', onclick: () => void deploy() }, t('designer.confirmPropose')) : null,
        h('button', { type: 'button', onclick: () => { diffBox.hidden = true; markers.clear(); } }, t('designer.closeDiff'))),
    ]);
    diffBox.hidden = false;
    diffBox.focus();
  }

  /** Each form's text as it will be proposed (edited, imported or as deployed), and as deployed, by form id. */
  const formTexts = new Map<string, string>();
  const deployedFormTexts = new Map<string, string>();
  let editing: { id: string; form: OpenForm } | null = null;

  function showFormProblems(id: string): FormProblem[] {
    const problems = lintForm(formTexts.get(id) ?? '');
    clear(formLint);
    formLint.dataset.form = id;
    formLint.dataset.problems = String(problems.length);
    append(formLint, [
      h('li', {}, problems.length ? t('designer.forms.problems', { form: `${id}.form`, n: problems.length }) : t('designer.forms.clean', { form: `${id}.form` })),
      problems.map((p) => h('li', { 'data-code': p.code }, p.message)),
    ]);
    return problems;
  }

  function closeFormEditor(): void {
    if (editing) formTexts.set(editing.id, JSON.stringify(editing.form.schema(), null, 2));
    editing?.form.destroy();
    editing = null;
    clear(formCanvas);
    formCanvas.hidden = true;
    formCloseBtn.hidden = true;
  }

  async function openFormEditorOf(id: string): Promise<void> {
    closeFormEditor();
    const text = formTexts.get(id);
    if (text === undefined) return;
    // A form the checks refuse is not handed to the editor: it stays as imported, with its problems shown.
    if (showFormProblems(id).length) return;
    const { openFormEditor } = await import('../forms/editor.ts');
    formCanvas.hidden = false;
    const form = await openFormEditor(formCanvas, JSON.parse(text) as Record<string, unknown>, (schema) => {
      formTexts.set(id, JSON.stringify(schema, null, 2));
      showFormProblems(id);
    });
    editing = { id, form };
    formCloseBtn.hidden = false;
    formStatus.textContent = t('designer.forms.editing', { form: `${id}.form` });
  }

  /** The forms deployed with `def`, into the picker and the linter's list of forms beside the diagram. */
  async function loadForms(def: Def): Promise<void> {
    closeFormEditor();
    formTexts.clear();
    deployedFormTexts.clear();
    clear(formLint);
    const { forms } = await get<{ forms: { name: string; schema: Record<string, unknown> | null; problems: { message: string }[] }[] }>(
      `/api/process-definitions/${encodeURIComponent(def.id)}/forms`,
    );
    const refused: string[] = [];
    for (const f of forms) {
      const id = f.name.replace(/\.form$/, '');
      if (!f.schema) {
        refused.push(t('designer.forms.refused', { name: f.name, error: f.problems[0]?.message ?? '' }));
        continue;
      }
      const text = JSON.stringify(f.schema, null, 2);
      formTexts.set(id, text);
      deployedFormTexts.set(id, text);
    }
    clear(formPick);
    append(formPick, [...formTexts.keys()].sort().map((id) => h('option', { value: id }, `${id}.form`)));
    formOpenBtn.disabled = formTexts.size === 0;
    formStatus.textContent = [formTexts.size ? '' : t('designer.forms.none'), ...refused].filter(Boolean).join(' ');
    setDeployedForms(new Set(formTexts.keys()));
  }

  formOpenBtn.addEventListener('click', () => void openFormEditorOf(formPick.value).catch((e: unknown) => (formStatus.textContent = e instanceof Error ? e.message : String(e))));
  formCloseBtn.addEventListener('click', () => closeFormEditor());
  formImport.addEventListener('change', () => {
    const file = formImport.files?.[0];
    if (!file) return;
    void (async () => {
      const id = formPick.value;
      try {
        closeFormEditor();
        formTexts.set(id, await file.text());
        formStatus.textContent = t('designer.forms.editing', { form: `${id}.form` });
        await openFormEditorOf(id);
      } catch (e) {
        formStatus.textContent = t('designer.forms.unreadable', { name: file.name, error: e instanceof Error ? e.message : String(e) });
      } finally {
        formImport.value = '';
      }
    })();
  });
  // Selecting a user task picks its form.
  m.modeler.get<{ on(e: string, f: (e: { newSelection: { businessObject?: { $type: string; get(n: string): unknown } }[] }) => void): void }>('eventBus').on('selection.changed', (e) => {
    const bo = e.newSelection.length === 1 ? e.newSelection[0]!.businessObject : undefined;
    const ref = bo?.$type === 'bpmn:UserTask' ? bo.get('camunda:formRef') : undefined;
    if (typeof ref === 'string' && formTexts.has(ref)) {
      formPick.value = ref;
      formStatus.textContent = t('designer.forms.ofTask', { form: `${ref}.form` });
    }
  });

  async function open(def: Def) {
    const { xml } = await get<{ xml: string }>(`/api/process-definitions/${encodeURIComponent(def.id)}/xml`);
    try {
      // The forms first: the linter checks that every user task's form is deployed beside the diagram.
      await loadForms(def);
      await m.open(xml);
      current = def;
      deployedXml = xml;
      diffBox.hidden = true;
      status.textContent = t('designer.opened', { key: def.key, v: def.version });
      canvas.dataset.definition = def.id;
    } catch (e) {
      status.textContent = `${t('detail.diagramError')}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  async function loadVersions(): Promise<Def[]> {
    const { definitions } = await get<{ definitions: Def[] }>('/api/process-definitions');
    clear(versionsBox);
    versionsBox.append(
      h('ul', {}, definitions.map((d) =>
        h('li', { 'data-definition': d.id },
          h('button', { type: 'button', className: 'link', onclick: () => void open(d) }, `${d.name ?? d.key} — ${t('designer.version', { v: d.version })}`),
          h('span', { className: 'muted' }, ` (${d.key}, ${t('designer.deployedAt', { t: fmtDate(d.deploymentTime) })})`),
        ),
      )),
    );
    return definitions;
  }

  diffBtn.addEventListener('click', () => void showDiff(false).catch((e: unknown) => (status.textContent = e instanceof Error ? e.message : String(e))));
  // The changes are shown before anything is deployed; the deployment itself needs a confirmation.
  deployBtn.addEventListener('click', () => {
    if (errors > 0) {
      announce(t('designer.lintErrors'), 'error');
      status.textContent = t('designer.lintErrors');
      return;
    }
    void showDiff(true).catch((e: unknown) => (status.textContent = e instanceof Error ? e.message : String(e)));
  });
  function deploy(): void {
    void (async () => {
      if (errors > 0) {
        announce(t('designer.lintErrors'), 'error');
        status.textContent = t('designer.lintErrors');
        return;
      }
      deployBtn.disabled = true;
      diffBox.hidden = true;
      markers.clear();
      try {
        const xml = await m.xml();
        if (editing) formTexts.set(editing.id, JSON.stringify(editing.form.schema(), null, 2));
        // Every form the diagram's tasks name goes with it, as edited or as deployed; the server checks each.
        const forms = formRefsOf(xml).filter((id) => formTexts.has(id)).map((id) => ({ name: `${id}.form`, content: formTexts.get(id)! }));
        const r = await post<{ proposal: Proposal }>('/api/process-definitions', { xml, fileName: current?.resource?.split('/').pop() ?? 'ho-so-trinh.bpmn', forms });
        const changed = forms.filter((f) => deployedFormTexts.get(f.name.replace(/\.form$/, '')) !== f.content).map((f) => f.name);
        const msg = [t('designer.proposed', { key: r.proposal.processKeys.join(', ') }), changed.length ? t('designer.forms.changed', { forms: changed.join(', ') }) : ''].filter(Boolean).join(' ');
        status.textContent = msg;
        announce(msg, 'success');
        await loadProposals();
      } catch (e) {
        const text = fieldErrors(e).map((x) => x.message).join(' ');
        status.textContent = text;
        announce(text, 'error');
      } finally {
        deployBtn.disabled = !can.deploy(user);
      }
    })();
  }
  /** Proposals with their line diff; an approver decides on the open ones that are not their own. */
  async function loadProposals(): Promise<void> {
    const { proposals } = await get<{ proposals: Proposal[] }>('/api/deployment-proposals');
    clear(proposalsBox);
    const decide = (p: Proposal, action: 'approve' | 'reject', reason?: string) => {
      void (async () => {
        try {
          const r = await post<{ definitions?: { key: string; version: number }[] }>(`/api/deployment-proposals/${encodeURIComponent(p.id)}/${action}`, action === 'reject' ? { reason } : {});
          const d = r.definitions?.[0];
          const msg = action === 'approve' ? t('designer.approved', { key: d?.key ?? p.processKeys.join(', '), v: d?.version ?? '?' }) : t('designer.rejected');
          status.textContent = msg;
          announce(msg, 'success');
          await loadProposals();
          if (action === 'approve') await loadVersions();
        } catch (e) {
          const text = fieldErrors(e).map((x) => x.message).join(' ');
          status.textContent = text;
          announce(text, 'error');
        }
      })();
    };
    const item = (p: Proposal) => {
      const lines = h('pre', { className: 'proposal-diff', hidden: true, tabindex: '0' }, p.diff.lines.join('\n'));
      const reason = h('input', { type: 'text', id: `reject-reason-${p.id}`, className: 'reject-reason' });
      const mine = p.proposedBy === user.id;
      return h('li', { 'data-proposal': p.id, 'data-status': p.status },
        h('span', { className: `badge status-${p.status.toLowerCase()}` }, t(`designer.status.${p.status}` as 'designer.status.PROPOSED')), ' ',
        t('designer.proposalBy', { keys: p.processKeys.join(', '), who: p.proposedByName ?? p.proposedBy, t: fmtDate(p.proposedAt) }),
        p.decidedAt ? h('span', { className: 'muted' }, ` (${t('designer.decidedBy', { who: p.decidedByName ?? '', t: fmtDate(p.decidedAt) })}${p.reason ? `: ${p.reason}` : ''})`) : null,
        h('p', { className: 'muted' }, t('designer.proposalLines', { a: p.diff.added, r: p.diff.removed })),
        h('div', { className: 'toolbar' },
          h('button', { type: 'button', className: 'show-proposal', 'aria-expanded': 'false', onclick: (ev: Event) => {
            lines.hidden = !lines.hidden;
            (ev.currentTarget as HTMLElement).setAttribute('aria-expanded', String(!lines.hidden));
          } }, t('designer.showProposal')),
          p.status === 'PROPOSED' && can.approveDeployment(user) && !mine
            ? [
                h('button', { type: 'button', className: 'primary approve', onclick: () => decide(p, 'approve') }, t('designer.approve')),
                h('label', { for: reason.id }, t('designer.rejectReason')), reason,
                h('button', { type: 'button', className: 'reject', onclick: () => decide(p, 'reject', reason.value) }, t('designer.reject')),
              ]
            : null,
          p.status === 'PROPOSED' && mine ? h('span', { className: 'muted' }, t('designer.ownProposal')) : null),
        lines);
    };
    append(proposalsBox, [
      h('h2', { id: 'h-proposals' }, t('designer.proposals')),
      proposals.length ? h('ul', {}, proposals.map(item)) : h('p', { className: 'muted' }, t('designer.noProposals')),
    ]);
  }

  downloadBtn.addEventListener('click', () => {
    void (async () => {
      const blob = new Blob([await m.xml()], { type: 'application/xml' });
      const a = h('a', { href: URL.createObjectURL(blob), download: current?.resource?.split('/').pop() ?? 'quy-trinh.bpmn' });
      a.click();
      URL.revokeObjectURL(a.href);
    })();
  });

  const defs = await loadVersions();
  const first = defs.find((d) => d.key === 'ho-so-trinh') ?? defs[0];
  if (first) await open(first);
  // The diagram opens first; a failure to list proposals is said, never a blank page.
  if (can.deploy(user) || can.approveDeployment(user)) await loadProposals().catch((e: unknown) => (status.textContent = e instanceof Error ? e.message : String(e)));
}

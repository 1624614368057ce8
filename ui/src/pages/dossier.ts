/** One dossier: its live diagram, timeline with the accountable head, documents and signatures, opinions, appraisal, submission. */
import { h, clear, append, announce } from '../dom.ts';
import { ApiError, get, post, qs, type DossierDetail, type TaskListItem as TaskItem } from '../api.ts';
import { me } from '../session.ts';
import { field, showErrors } from '../fields.ts';
import { canEditDossier, isHeadRole } from '../../../domain/access.ts';
import { addDocumentForm } from '../dossier/add-document.ts';

/** A closed dossier takes no more documents. */
const CLOSED = ['DECIDED_APPROVED', 'DECIDED_NOT_APPROVED', 'WITHDRAWN'];
import { t, code, fmtDate, errorText, errorRule } from '../i18n.ts';
import { onLive, debounce } from '../live.ts';
import type { PageContext } from '../router.ts';
import { dueCell, errorBox, ruleRef, table } from '../util.ts';
import { appraisalSection, contentSection, documentsSection, opinionsSection, submissionsSection } from '../dossier/content.ts';
import { signingsSection } from '../dossier/signings.ts';

type Detail = DossierDetail;

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const id = ctx.params.id!;
  let detail = await get<Detail>(`/api/dossiers/${encodeURIComponent(id)}`);
  const head = h('div', {});
  let diagram: import('../bpmn/instance-diagram.ts').InstanceDiagram | null = null;
  const diagramBox = h('div', { className: 'diagram', id: 'diagram', role: 'region', 'aria-label': t('detail.diagram') });
  const diagramNote = h('div', {});
  const stepBox = h('div', { id: 'step-history', 'aria-live': 'polite' });
  /** A step's runs, from the engine's history: when it started and ended, who held it. */
  const showStep = (activityId: string, name: string) => {
    const runs = (detail.process?.history ?? []).filter((x) => x.activityId.replace(/#multiInstanceBody$/, '') === activityId && x.activityType !== 'multiInstanceBody');
    clear(stepBox);
    stepBox.append(h('section', { className: 'card', 'aria-labelledby': 'h-step' },
      h('h3', { id: 'h-step' }, t('detail.stepHistory', { step: name })),
      runs.length
        ? table([t('detail.started'), t('detail.ended'), t('detail.holder')], runs.map((r) =>
          h('tr', {}, h('td', {}, fmtDate(r.startTime)), h('td', {}, r.endTime ? fmtDate(r.endTime) + (r.canceled ? ` (${t('detail.canceled')})` : '') : h('span', { className: 'badge' }, t('detail.legend.active'))), h('td', {}, r.assignee ?? '—'))), t('detail.stepHistory', { step: name }))
        : h('p', { className: 'muted' }, t('detail.stepNotRun'))));
  };
  const body = h('div', {});
  const tasksBox = h('div', {});
  root.append(
    h('p', {}, h('a', { href: '/dossiers' }, `← ${t('dossiers.title')}`)),
    head,
    tasksBox,
    body,
    h('section', { 'aria-labelledby': 'h-diagram' },
      h('h2', { id: 'h-diagram' }, t('detail.diagram')),
      h('p', { className: 'legend', id: 'legend' },
        h('span', {}, t('detail.legend.done')), h('span', {}, t('detail.legend.active')), h('span', {}, t('detail.legend.incident')),
        h('span', {}, t('detail.legend.count')), h('span', {}, t('detail.legend.flow'))),
      diagramNote,
      h('div', { className: 'toolbar zoombar', role: 'group', 'aria-label': t('detail.diagram') },
        h('button', { type: 'button', id: 'zoom-in', 'aria-label': t('detail.zoomIn'), title: t('detail.zoomIn'), onclick: () => diagram?.zoomBy(1) }, '+'),
        h('button', { type: 'button', id: 'zoom-out', 'aria-label': t('detail.zoomOut'), title: t('detail.zoomOut'), onclick: () => diagram?.zoomBy(-1) }, '−'),
        h('button', { type: 'button', id: 'zoom-fit', onclick: () => diagram?.fitAll() }, t('detail.zoomFit')),
        h('button', { type: 'button', id: 'zoom-current', onclick: () => diagram?.bringIntoView(detail.process?.active ?? []) }, t('detail.zoomCurrent')),
        h('span', { className: 'muted' }, t('detail.zoomHint'))),
      diagramBox,
      stepBox,
    ),
  );

  function renderHead() {
    const d = detail.dossier;
    clear(head);
    append(head, [
      h('h1', {}, `${d.id} · ${d.subject}`),
      d.confidentialHidden ? h('p', { className: 'badge warn' }, t('detail.confidential')) : null,
      // R-07: said before anyone looks for a signing task a deputy will never get.
      d.assignedToUbndMember ? h('p', { className: 'badge warn', id: 'head-signs-in-person' }, t('detail.headSignsInPerson')) : null,
      h('dl', { className: 'meta card', id: 'dossier-meta' },
        h('dt', {}, t('col.status')), h('dd', { id: 'dossier-status' }, code('status', d.status)),
        h('dt', {}, t('dossiers.col.agency')), h('dd', {}, d.leadAgencyCode),
        h('dt', {}, t('detail.accountable')), h('dd', {}, d.accountableUserId ?? '—'),
        h('dt', {}, t('create.decisionAuthority')), h('dd', {}, code('authority', d.decisionAuthority)),
        h('dt', {}, t('create.urgency')), h('dd', {}, code('urgency', d.urgency)),
        h('dt', {}, t('create.secrecy')), h('dd', {}, code('secrecy', d.secrecyLevel)),
        h('dt', {}, t('dossiers.col.due')), h('dd', {}, dueCell(d.dueAt, d.overdue)),
        h('dt', {}, t('dossiers.col.round')), h('dd', {}, d.round),
      ),
    ]);
  }

  /** R-13: the lead agency's head may decide not to wait for an opinion past its deadline. */
  const canWaive = () => isHeadRole(me().role) && me().agencyCode === detail.dossier.leadAgencyCode && detail.dossier.status === 'CONSULTING';
  function waiverForm(agency: string): HTMLElement {
    const reason = h('textarea', { name: 'reason', required: true, maxlength: 2000, rows: 2 });
    const form = h('form', { className: 'waiver', novalidate: true, 'data-waive': agency, hidden: true },
      field(t('waiver.reason'), reason, t('waiver.hint', { agency })),
      h('div', { className: 'toolbar' }, h('button', { type: 'submit', className: 'primary' }, t('waiver.submit')), h('button', { type: 'button', onclick: () => (form.hidden = true, open.hidden = false) }, t('app.cancel'))));
    const open = h('button', { type: 'button', 'data-waive-open': agency, onclick: () => (form.hidden = false, open.hidden = true, reason.focus()) }, t('waiver.open'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        try {
          if (!reason.value.trim()) throw new ApiError(422, 'REQUIRED', t('waiver.reasonRequired'), 'reason');
          await post(`/api/dossiers/${encodeURIComponent(id)}/opinions/${encodeURIComponent(agency)}/waive`, { reason: reason.value.trim() });
          announce(t('waiver.done', { agency }), 'success');
          refresh();
        } catch (err) {
          const rest = showErrors(form, err);
          if (rest.length) announce(rest.join(' '), 'error');
        }
      })();
    });
    return h('div', {}, open, form);
  }

  function renderBody() {
    clear(body);
    const d = detail;
    append(body, [
      contentSection(d),
      documentsSection(d),
      signingsSection(d),
      canEditDossier(me(), d.dossier) && !CLOSED.includes(d.dossier.status) ? addDocumentForm(d, () => refresh()) : null,
      opinionsSection(d, { waiver: canWaive() ? waiverForm : undefined }),
      appraisalSection(d),
      submissionsSection(d),
      h('section', { 'aria-labelledby': 'h-timeline' }, h('h2', { id: 'h-timeline' }, t('detail.timeline')), d.audit.length
        ? table([t('col.when'), t('col.what'), t('col.who'), t('col.onBehalf')], d.audit.map((a) =>
          h('tr', {},
            h('td', { className: 'nowrap' }, fmtDate(s(a.at))),
            h('td', {}, code('action', s(a.action)), a.to_status ? ` → ${code('status', s(a.to_status))}` : '',
              a.error_code ? h('p', { className: 'audit-error', 'data-code': s(a.error_code) }, h('span', { className: 'badge warn' }, `⚠ ${t('detail.ruleBroken')}`), ' ', errorText(s(a.error_code)), ' ', ruleRef(s(a.rule_id) || errorRule(s(a.error_code)))) : a.rule_id ? [' ', ruleRef(s(a.rule_id))] : null),
            h('td', {}, s(a.actor_user_id) || code('role', 'SYSTEM'), a.actor_role ? h('span', { className: 'muted' }, ` (${code('role', s(a.actor_role))})`) : null),
            h('td', {}, s(a.on_behalf_of) || '—'),
          )), t('detail.timeline'))
        : h('p', { className: 'muted' }, t('app.none'))),
    ]);
  }

  async function renderTasks() {
    const list = await get<{ items: TaskItem[] }>(`/api/tasks${qs({ dossier: id, pageSize: 20 })}`).catch(() => ({ items: [] as TaskItem[] }));
    clear(tasksBox);
    if (list.items.length) {
      tasksBox.append(h('section', { 'aria-labelledby': 'h-mytasks', className: 'card' }, h('h2', { id: 'h-mytasks' }, t('detail.myTasks')),
        h('ul', {}, list.items.map((tk) => h('li', {}, h('a', { href: `/tasks/${tk.id}`, 'data-task': tk.id }, tk.name ?? tk.taskDefinitionKey), ' ', dueCell(tk.due, tk.overdue))))));
    }
  }

  renderHead();
  renderBody();
  await renderTasks();

  const labels = {
    done: t('detail.legend.done'),
    active: t('detail.legend.active'),
    incident: t('detail.legend.incident'),
    times: (n: number) => `×${n}`,
    holder: (who: string | null, since: string) => `${who ? `👤 ${who}` : t('detail.unclaimed')} · ${t('detail.since', { when: fmtDate(since) })}`,
  };
  const showState = () => {
    if (!diagram || !detail.process) return;
    diagram.show(detail.process, labels);
    diagramBox.dataset.active = detail.process.active.join(',');
    diagramBox.dataset.state = detail.process.state;
  };
  if (!detail.process) {
    diagramNote.append(h('p', { className: 'muted' }, t('detail.noProcess')));
  } else {
    const definitionId = detail.process.processDefinitionId;
    // The viewer loads after the page is shown: the rest of the page does not wait for it.
    void (async () => {
      try {
        const [{ InstanceDiagram }, { xml }] = await Promise.all([import('../bpmn/instance-diagram.ts'), get<{ xml: string }>(`/api/process-definitions/${encodeURIComponent(definitionId)}/xml`)]);
        diagram = new InstanceDiagram(diagramBox, showStep);
        await diagram.open(xml);
        showState();
        diagramBox.dataset.ready = 'true';
      } catch (e) {
        diagramNote.append(h('p', { className: 'error', role: 'alert' }, `${t('detail.diagramError')}: ${e instanceof Error ? e.message : String(e)}`));
      }
    })();
  }
  ctx.onCleanup(() => diagram?.destroy());

  const refresh = debounce(() => {
    void (async () => {
      try {
        detail = await get<Detail>(`/api/dossiers/${encodeURIComponent(id)}`);
        renderHead();
        renderBody();
        showState();
        await renderTasks();
      } catch (e) {
        clear(body);
        body.append(errorBox(e));
      }
    })();
  }, 400);
  ctx.onCleanup(onLive((e) => (e.dossierId === id ? refresh() : undefined)));
}

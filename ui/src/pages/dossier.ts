/** One dossier: its live diagram, timeline with the accountable head, documents and signatures, opinions, appraisal, submission. */
import { h, clear, append } from '../dom.ts';
import { get, qs, type DossierDetail, type TaskListItem as TaskItem } from '../api.ts';
import { t, code, fmtDate, errorText } from '../i18n.ts';
import { onLive, debounce } from '../live.ts';
import type { PageContext } from '../router.ts';
import { dueCell, errorBox, table } from '../util.ts';

type Detail = DossierDetail;

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const id = ctx.params.id!;
  let detail = await get<Detail>(`/api/dossiers/${encodeURIComponent(id)}`);
  const head = h('div', {});
  let diagram: import('../bpmn/instance-diagram.ts').InstanceDiagram | null = null;
  const diagramBox = h('div', { className: 'diagram', id: 'diagram', role: 'region', 'aria-label': t('detail.diagram') });
  const diagramNote = h('div', {});
  const body = h('div', {});
  const tasksBox = h('div', {});
  root.append(
    h('p', {}, h('a', { href: '/dossiers' }, `← ${t('dossiers.title')}`)),
    head,
    tasksBox,
    h('section', { 'aria-labelledby': 'h-diagram' },
      h('h2', { id: 'h-diagram' }, t('detail.diagram')),
      h('p', { className: 'legend', id: 'legend' },
        h('span', {}, t('detail.legend.done')), h('span', {}, t('detail.legend.active')), h('span', {}, t('detail.legend.incident')),
        h('span', {}, t('detail.legend.count')), h('span', {}, t('detail.legend.flow'))),
      diagramNote,
      h('div', { className: 'toolbar zoombar', role: 'group', 'aria-label': t('detail.diagram') },
        h('button', { type: 'button', id: 'zoom-in', 'aria-label': t('detail.zoomIn'), title: t('detail.zoomIn'), onclick: () => diagram?.zoomBy(1) }, '+'),
        h('button', { type: 'button', id: 'zoom-out', 'aria-label': t('detail.zoomOut'), title: t('detail.zoomOut'), onclick: () => diagram?.zoomBy(-1) }, '−'),
        h('button', { type: 'button', id: 'zoom-fit', onclick: () => diagram?.fitWidth() }, t('detail.zoomFit')),
        h('span', { className: 'muted' }, t('detail.zoomHint'))),
      diagramBox,
    ),
    body,
  );

  function renderHead() {
    const d = detail.dossier;
    clear(head);
    append(head, [
      h('h1', {}, `${d.id} · ${d.subject}`),
      d.confidentialHidden ? h('p', { className: 'badge warn' }, t('detail.confidential')) : null,
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

  function renderBody() {
    clear(body);
    const d = detail;
    const section = (key: string, title: string, content: HTMLElement) => h('section', { 'aria-labelledby': `h-${key}` }, h('h2', { id: `h-${key}` }, title), content);
    const none = () => h('p', { className: 'muted' }, t('app.none'));
    append(body, [
      section('timeline', t('detail.timeline'), d.audit.length
        ? table([t('col.when'), t('col.what'), t('col.who'), t('col.onBehalf'), t('col.rule')], d.audit.map((a) =>
          h('tr', {},
            h('td', { className: 'nowrap' }, fmtDate(s(a.at))),
            h('td', {}, code('action', s(a.action)), a.to_status ? ` → ${code('status', s(a.to_status))}` : '',
              a.error_code ? h('p', { className: 'audit-error', 'data-code': s(a.error_code) }, h('span', { className: 'badge warn' }, `⚠ ${t('detail.ruleBroken')}`), ' ', errorText(s(a.error_code))) : null),
            h('td', {}, s(a.actor_user_id) || code('role', 'SYSTEM'), a.actor_role ? h('span', { className: 'muted' }, ` (${code('role', s(a.actor_role))})`) : null),
            h('td', {}, s(a.on_behalf_of) || '—'),
            h('td', {}, s(a.rule_id) || '—'),
          )), t('detail.timeline'))
        : none()),
      section('documents', t('detail.documents'), d.documents.length
        ? table([t('col.role'), t('col.type'), t('col.symbol'), t('col.subject'), t('detail.signatures'), ''], d.documents.map((doc) =>
          h('tr', {},
            h('td', {}, code('docRole', s(doc.role))),
            h('td', {}, code('docType', s(doc.doc_type))),
            h('td', {}, s(doc.symbol) || '—', doc.locked ? h('span', { className: 'badge muted' }, ` ${t('detail.locked')}`) : null),
            h('td', {}, s(doc.subject)),
            h('td', {}, doc.signatures.length
              ? h('ul', {}, doc.signatures.map((sg) => h('li', {}, `${code('sigKind', sg.kind)}${sg.subjectId ? ` (${sg.subjectId})` : ''}: `, h('span', { className: `badge ${sg.ok ? 'ok' : 'overdue'}` }, sg.ok ? t('detail.sigOk') : t('detail.sigBad')), sg.reason ? ` ${sg.reason}` : '')))
              : h('span', { className: 'muted' }, t('detail.noSig'))),
            h('td', {}, doc.file_name ? h('a', { href: `/api/documents/${doc.id}/content`, download: s(doc.file_name) }, t('detail.download')) : null),
          )), t('detail.documents'))
        : none()),
      section('opinions', t('detail.opinions'), h('div', {},
        d.opinionRequests.length ? table([t('col.agency'), t('col.round'), t('col.status'), t('col.due')], d.opinionRequests.map((r) =>
          h('tr', {}, h('td', {}, s(r.agency_code)), h('td', { className: 'num' }, s(r.round)), h('td', {}, code('requestStatus', s(r.status))), h('td', {}, fmtDate(s(r.due_at))))), t('detail.requested')) : null,
        d.opinions.length ? table([t('col.agency'), t('col.position'), t('col.content'), t('col.received')], d.opinions.map((o) =>
          h('tr', {}, h('td', {}, s(o.agency_code)), h('td', {}, code('position', s(o.position))), h('td', {}, s(o.content)),
            h('td', {}, fmtDate(s(o.received_at)), o.late ? h('span', { className: 'badge overdue' }, ` ${t('detail.late')}`) : null))), t('detail.opinions')) : none(),
      )),
      section('appraisal', t('detail.appraisal'), d.appraisals.length
        ? table([t('col.agency'), t('col.round'), t('col.conclusion'), t('col.content')], d.appraisals.map((a) =>
          h('tr', {}, h('td', {}, s(a.appraiser_agency_code)), h('td', { className: 'num' }, s(a.round)), h('td', {}, code('conclusion', s(a.conclusion))), h('td', {}, s(a.reasons))))) : none()),
      section('submissions', t('detail.submissions'), d.submissions.length
        ? table([t('col.round'), t('col.when'), t('col.channel'), t('col.intake'), t('col.reason'), t('col.decision')], d.submissions.map((x) =>
          h('tr', {}, h('td', { className: 'num' }, s(x.round)), h('td', {}, fmtDate(s(x.submitted_at))), h('td', {}, code('channel', s(x.channel))), h('td', { 'data-col': 'intake' }, code('intake', s(x.intake_status))),
            h('td', {}, x.return_reason ? code('returnReason', s(x.return_reason)) : '—'), h('td', {}, code('decision', s(x.leader_decision)))))) : none()),
      d.returns.length ? section('returns', t('detail.returns'), table([t('col.round'), t('col.when'), t('col.reason'), t('col.content')], d.returns.map((r) =>
        h('tr', {}, h('td', { className: 'num' }, s(r.round)), h('td', {}, fmtDate(s(r.at))), h('td', {}, code('returnReason', s(r.reason))), h('td', {}, s(r.note)))))) : null,
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
        diagram = new InstanceDiagram(diagramBox);
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

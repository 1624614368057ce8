/**
 * A dossier's live diagram (bpmn-js viewer): completed, active and failed activities as outlines
 * with badges, sequence flows taken (inferred from history: the engine keeps no flow history),
 * how many times each activity ran, who holds each open task and since when; opened legible with
 * the current step in view, and a click on a step reports it (the page shows its history).
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type EventBus from 'diagram-js/lib/core/EventBus';
import { APP_FONT, fontReady } from '../fonts.ts';

export type HistoryItem = { activityId: string; activityName?: string | null; activityType: string; startTime: string; endTime: string | null; canceled: boolean; assignee?: string | null };
export type ProcessState = { active: string[]; history: HistoryItem[]; incidents: { activityId: string; message: string | null }[] };
export type Labels = { done: string; active: string; incident: string; times: (n: number) => string; holder?: (who: string | null, since: string) => string };

type Element = { id: string; type: string; x?: number; y?: number; width?: number; height?: number; businessObject: { name?: string; sourceRef?: { id: string }; targetRef?: { id: string } } };

const MARKERS = ['hl-done', 'hl-active', 'hl-incident', 'hl-flow'];
const baseId = (id: string) => id.replace(/#multiInstanceBody$/, '');

export class InstanceDiagram {
  private readonly viewer: InstanceType<typeof NavigatedViewer>;
  private marked: string[] = [];
  private focused = false;

  constructor(private readonly host: HTMLElement, onStep?: (activityId: string, name: string) => void) {
    this.viewer = new NavigatedViewer({ container: host, textRenderer: { defaultStyle: { fontFamily: APP_FONT }, externalStyle: { fontFamily: APP_FONT } } });
    if (onStep) {
      this.viewer.get<EventBus>('eventBus').on('element.click', (e: { element: Element }) => {
        const el = e.element;
        // Lanes and the participant say who answers for the steps; they are no step with a history.
        if (!el || ['bpmn:Process', 'bpmn:SequenceFlow', 'label', 'bpmn:Collaboration', 'bpmn:Participant', 'bpmn:Lane'].includes(el.type)) return;
        onStep(el.id, el.businessObject.name ?? el.id);
      });
    }
  }

  async open(xml: string): Promise<void> {
    // Labels are measured with the app's font, so they wrap where they are drawn.
    await fontReady();
    await this.viewer.importXML(xml);
    this.fitWidth();
  }

  /** The whole diagram in the box ("Vừa khung"), however small that makes it. */
  fitAll(): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    canvas.resized();
    canvas.zoom('fit-viewport');
  }

  /** Moves the view, at its scale, so the given steps are in the middle of the box. */
  bringIntoView(ids: string[]): boolean {
    const registry = this.viewer.get<ElementRegistry>('elementRegistry');
    const els = ids.map((id) => registry.get(id) as unknown as Element | undefined).filter((e): e is Element => !!e && e.x !== undefined);
    if (!els.length) return false;
    const x0 = Math.min(...els.map((e) => e.x!));
    const y0 = Math.min(...els.map((e) => e.y!));
    const x1 = Math.max(...els.map((e) => e.x! + (e.width ?? 0)));
    const y1 = Math.max(...els.map((e) => e.y! + (e.height ?? 0)));
    const canvas = this.viewer.get<Canvas>('canvas');
    const vb = canvas.viewbox();
    const inside = x0 >= vb.x && x1 <= vb.x + vb.width && y0 >= vb.y && y1 <= vb.y + vb.height;
    if (!inside) canvas.viewbox({ x: (x0 + x1) / 2 - vb.width / 2, y: (y0 + y1) / 2 - vb.height / 2, width: vb.width, height: vb.height });
    return true;
  }

  /**
   * Readable at once: the whole width when that keeps text legible, else legible and scrolled to
   * the start; the box grows to the diagram's height (within the window).
   */
  fitWidth(minScale = 0.6, maxScale = 1): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    const container = this.host;
    const inner = this.bounds();
    const pad = 24;
    const scale = Math.max(minScale, Math.min(maxScale, (container.clientWidth - 2 * pad) / Math.max(1, inner.width)));
    const wanted = Math.round(inner.height * scale + 2 * pad + 8);
    container.style.height = `${Math.max(320, Math.min(wanted, Math.round(window.innerHeight * 0.8)))}px`;
    canvas.resized();
    canvas.viewbox({ x: inner.x - pad / scale, y: inner.y - pad / scale, width: container.clientWidth / scale, height: container.clientHeight / scale });
  }

  /** The diagram's extent from its shapes' own coordinates (all of them, labels and event subprocesses included). */
  private bounds(): { x: number; y: number; width: number; height: number } {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const el of this.viewer.get<ElementRegistry>('elementRegistry').getAll() as unknown as { x?: number; y?: number; width?: number; height?: number; waypoints?: { x: number; y: number }[] }[]) {
      const pts = el.waypoints ?? (el.x !== undefined && el.y !== undefined ? [{ x: el.x, y: el.y }, { x: el.x + (el.width ?? 0), y: el.y + (el.height ?? 0) }] : []);
      for (const p of pts) {
        x0 = Math.min(x0, p.x);
        y0 = Math.min(y0, p.y);
        x1 = Math.max(x1, p.x);
        y1 = Math.max(y1, p.y);
      }
    }
    return Number.isFinite(x0) ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : { x: 0, y: 0, width: 1000, height: 400 };
  }

  /** Zooms by a step around the centre (buttons for those without a wheel). */
  zoomBy(step: number): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    const vb = canvas.viewbox();
    const centre = { x: vb.x + vb.width / 2, y: vb.y + vb.height / 2 };
    canvas.zoom(Math.max(0.2, Math.min(3, canvas.zoom() * (step > 0 ? 1.25 : 0.8))), centre);
  }

  show(state: ProcessState, labels: Labels): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    const overlays = this.viewer.get<Overlays>('overlays');
    const registry = this.viewer.get<ElementRegistry>('elementRegistry');
    for (const id of this.marked) for (const m of MARKERS) canvas.removeMarker(id, m);
    overlays.remove({ type: 'state' });
    this.marked = [];
    const mark = (id: string, cls: string) => {
      if (!registry.get(id)) return;
      canvas.addMarker(id, cls);
      this.marked.push(id);
    };
    const badge = (id: string, cls: string, text: string, position: Record<string, number>, title: string) => {
      if (!registry.get(id)) return;
      const el = document.createElement('span');
      el.className = `ov ${cls}`;
      el.textContent = text;
      el.title = title;
      el.setAttribute('role', 'img');
      el.setAttribute('aria-label', title);
      overlays.add(id, 'state', { position, html: el });
    };

    const runs = new Map<string, number>();
    const done = new Set<string>();
    for (const hI of state.history) {
      const id = baseId(hI.activityId);
      if (hI.activityType === 'multiInstanceBody') continue;
      runs.set(id, (runs.get(id) ?? 0) + 1);
      if (hI.endTime && !hI.canceled) done.add(id);
    }
    const active = new Set(state.active.map(baseId));
    const failed = new Map<string, string>();
    for (const i of state.incidents) failed.set(baseId(i.activityId), i.message ?? '');

    for (const id of done) if (!active.has(id) && !failed.has(id)) mark(id, 'hl-done');
    for (const id of active) if (!failed.has(id)) mark(id, 'hl-active');
    for (const id of failed.keys()) mark(id, 'hl-incident');

    for (const id of done) if (!active.has(id) && !failed.has(id)) badge(id, 'ov-done', '✓', { top: -10, left: -10 }, labels.done);
    for (const id of active) if (!failed.has(id)) badge(id, 'ov-active', '▶', { top: -10, left: -10 }, labels.active);
    for (const [id, msg] of failed) badge(id, 'ov-incident', '⚠', { top: -10, left: -10 }, `${labels.incident}: ${msg}`);
    for (const [id, n] of runs) if (n > 1) badge(id, 'ov-count', `×${n}`, { top: -10, right: 10 }, labels.times(n));
    // Who holds each open task, and since when.
    if (labels.holder) {
      for (const hI of state.history) {
        if (hI.endTime || hI.activityType !== 'userTask' || !active.has(baseId(hI.activityId))) continue;
        const text = labels.holder(hI.assignee ?? null, hI.startTime);
        const id = baseId(hI.activityId);
        if (!registry.get(id)) continue;
        const el = document.createElement('span');
        el.className = 'ov ov-holder';
        el.textContent = text;
        el.dataset.holder = id;
        overlays.add(id, 'state', { position: { bottom: -6, left: -10 }, html: el });
      }
    }

    // A flow was taken when its target started after its source ended (gateways included).
    const starts = new Map<string, number[]>();
    const ends = new Map<string, number[]>();
    for (const hI of state.history) {
      const id = baseId(hI.activityId);
      (starts.get(id) ?? starts.set(id, []).get(id)!).push(Date.parse(hI.startTime));
      if (hI.endTime) (ends.get(id) ?? ends.set(id, []).get(id)!).push(Date.parse(hI.endTime));
    }
    for (const el of registry.getAll() as unknown as Element[]) {
      if (el.type !== 'bpmn:SequenceFlow') continue;
      const src = el.businessObject.sourceRef?.id;
      const tgt = el.businessObject.targetRef?.id;
      if (!src || !tgt) continue;
      const srcEnds = ends.get(src) ?? [];
      const tgtStarts = starts.get(tgt) ?? [];
      if (srcEnds.some((e) => tgtStarts.some((s) => s >= e - 5))) mark(el.id, 'hl-flow');
    }
    // Opened with the current step in view (the first time only: a live refresh does not move the view).
    if (!this.focused && active.size) this.focused = this.bringIntoView([...active, ...failed.keys()]);
  }

  destroy(): void {
    this.viewer.destroy();
  }
}

/**
 * A dossier's live diagram (bpmn-js viewer): completed, active and failed activities as outlines
 * with badges, sequence flows taken (inferred from history: the engine keeps no flow history),
 * and how many times each activity ran.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';

export type HistoryItem = { activityId: string; activityType: string; startTime: string; endTime: string | null; canceled: boolean };
export type ProcessState = { active: string[]; history: HistoryItem[]; incidents: { activityId: string; message: string | null }[] };
export type Labels = { done: string; active: string; incident: string; times: (n: number) => string };

type Element = { id: string; type: string; businessObject: { sourceRef?: { id: string }; targetRef?: { id: string } } };

const MARKERS = ['hl-done', 'hl-active', 'hl-incident', 'hl-flow'];
const baseId = (id: string) => id.replace(/#multiInstanceBody$/, '');

export class InstanceDiagram {
  private readonly viewer: InstanceType<typeof NavigatedViewer>;
  private marked: string[] = [];

  constructor(private readonly host: HTMLElement) {
    this.viewer = new NavigatedViewer({ container: host });
  }

  async open(xml: string): Promise<void> {
    await this.viewer.importXML(xml);
    this.fitWidth();
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
  }

  destroy(): void {
    this.viewer.destroy();
  }
}

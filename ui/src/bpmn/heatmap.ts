/** The definition diagram with per-activity figures: waiting dossiers, average duration, overdue tasks; shaded by outline weight and labelled. */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import { APP_FONT, fontReady } from '../fonts.ts';

export type ActivityStat = { activityId: string; instances: number; incidents: number; overdue: number; avgDurationMs: number | null };
export type Mode = 'count' | 'duration' | 'overdue';

export class Heatmap {
  private readonly viewer: InstanceType<typeof NavigatedViewer>;
  private marked: [string, string][] = [];
  constructor(container: HTMLElement) {
    this.viewer = new NavigatedViewer({ container, textRenderer: { defaultStyle: { fontFamily: APP_FONT }, externalStyle: { fontFamily: APP_FONT } } });
  }
  async open(xml: string): Promise<void> {
    await fontReady();
    await this.viewer.importXML(xml);
    this.viewer.get<Canvas>('canvas').zoom('fit-viewport');
  }
  show(stats: ActivityStat[], mode: Mode, label: (s: ActivityStat) => string): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    const overlays = this.viewer.get<Overlays>('overlays');
    const registry = this.viewer.get<ElementRegistry>('elementRegistry');
    for (const [id, cls] of this.marked) canvas.removeMarker(id, cls);
    this.marked = [];
    overlays.remove({ type: 'heat' });
    const value = (s: ActivityStat) => (mode === 'count' ? s.instances : mode === 'overdue' ? s.overdue : (s.avgDurationMs ?? 0));
    const max = Math.max(0, ...stats.map(value));
    for (const s of stats) {
      const id = s.activityId.replace(/#multiInstanceBody$/, '');
      if (!registry.get(id)) continue;
      const v = value(s);
      if (max > 0 && v > 0) {
        const cls = `heat-${Math.min(3, Math.ceil((v / max) * 3))}`;
        canvas.addMarker(id, cls);
        this.marked.push([id, cls]);
      }
      const text = label(s);
      if (!text) continue;
      const el = document.createElement('span');
      el.className = 'ov ov-heat';
      el.textContent = text;
      overlays.add(id, 'heat', { position: { bottom: 0, left: 0 }, html: el });
    }
  }
  destroy(): void {
    this.viewer.destroy();
  }
}

/**
 * What changed between two versions of a diagram (bpmn-js-differ on the modeller's own moddle), and
 * marking it on the modeller's canvas with outlines and a sign (+, ~, ↔), never colour alone.
 */
import { diff } from 'bpmn-js-differ';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';

type ModdleElement = { id?: string; $type: string; name?: string };
type Moddle = { fromXML(xml: string, type?: string): Promise<{ rootElement: ModdleElement }> };
type Injector = { get<T>(name: string): T };

export type ChangedAttr = { name: string; oldValue: string; newValue: string };
export type DiagramChange = { id: string; type: string; name: string | null; attrs: ChangedAttr[] };
export type DiagramDiff = { added: DiagramChange[]; removed: DiagramChange[]; changed: DiagramChange[]; layout: DiagramChange[] };

const MARKERS = { added: 'diff-added', changed: 'diff-changed', layout: 'diff-layout' } as const;
const SIGNS = { added: '+', changed: '~', layout: '↔' } as const;

const show = (v: unknown): string => {
  if (v === undefined || v === null || v === '') return '∅';
  if (typeof v === 'object') {
    const o = v as ModdleElement;
    return o.id ?? o.$type ?? JSON.stringify(v).slice(0, 80);
  }
  return String(v).slice(0, 200);
};
const change = (id: string, el: ModdleElement, attrs: ChangedAttr[] = []): DiagramChange => ({ id, type: el.$type.replace(/^bpmn:/, ''), name: el.name ?? null, attrs });

/** The differences from the diagram `before` to `after`, both parsed by `moddle`. */
export async function diagramDiff(moddle: Moddle, before: string, after: string): Promise<DiagramDiff> {
  const [a, b] = await Promise.all([moddle.fromXML(before, 'bpmn:Definitions'), moddle.fromXML(after, 'bpmn:Definitions')]);
  const d = diff(a.rootElement, b.rootElement) as {
    _added: Record<string, ModdleElement>;
    _removed: Record<string, ModdleElement>;
    _changed: Record<string, { model: ModdleElement; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
    _layoutChanged: Record<string, ModdleElement>;
  };
  const byId = (x: DiagramChange, y: DiagramChange) => x.id.localeCompare(y.id);
  return {
    added: Object.entries(d._added).map(([id, el]) => change(id, el)).sort(byId),
    removed: Object.entries(d._removed).map(([id, el]) => change(id, el)).sort(byId),
    changed: Object.entries(d._changed)
      // bpmn-js-differ 3.2 hands the delta's [old, new] to changed(newValue, oldValue): swapped back here.
      .map(([id, c]) => change(id, c.model, Object.entries(c.attrs).map(([name, v]) => ({ name, oldValue: show(v.newValue), newValue: show(v.oldValue) }))))
      .sort(byId),
    // Moved shapes that also changed are listed once, as changed.
    layout: Object.entries(d._layoutChanged).filter(([id]) => !d._changed[id] && !d._added[id]).map(([id, el]) => change(id, el)).sort(byId),
  };
}

/** Marks the differences on a modeller (removed elements are not on the canvas: they are only listed). */
export class DiffMarkers {
  private marked: [string, string][] = [];
  constructor(private readonly injector: Injector) {}

  show(d: DiagramDiff, titles: Record<keyof typeof MARKERS, string>): void {
    this.clear();
    const canvas = this.injector.get<Canvas>('canvas');
    const overlays = this.injector.get<Overlays>('overlays');
    const registry = this.injector.get<ElementRegistry>('elementRegistry');
    for (const kind of ['added', 'changed', 'layout'] as const) {
      for (const c of d[kind]) {
        const el = registry.get(c.id);
        if (!el) continue;
        canvas.addMarker(c.id, MARKERS[kind]);
        this.marked.push([c.id, MARKERS[kind]]);
        const badge = document.createElement('span');
        badge.className = `ov ov-${MARKERS[kind]}`;
        badge.textContent = SIGNS[kind];
        badge.title = titles[kind];
        badge.setAttribute('role', 'img');
        badge.setAttribute('aria-label', titles[kind]);
        overlays.add(c.id, 'diff', { position: { top: -12, right: 12 }, html: badge });
      }
    }
  }

  clear(): void {
    const canvas = this.injector.get<Canvas>('canvas');
    const registry = this.injector.get<ElementRegistry>('elementRegistry');
    // An element deleted since has taken its marker with it.
    for (const [id, cls] of this.marked) if (registry.get(id)) canvas.removeMarker(id, cls);
    this.marked = [];
    this.injector.get<Overlays>('overlays').remove({ type: 'diff' });
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
// The Camunda 7 extension (camunda:topic, camunda:formRef, …) as bpmn-js and Operaton read it.
import camundaDescriptor from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { isErrorCode } from '../../../domain/errors.ts';

const processesDir = new URL('../../../processes/', import.meta.url);

/** External-task topics per process: the contract with workers/<topic>.ts. */
const expectedTopics: Record<string, string[]> = {
  'ho-so-trinh': [
    'validate-dossier',
    'request-opinions',
    'opinion-reminder',
    'opinion-overdue',
    'consolidate-opinions',
    'appraisal',
    'head-signature',
    'forward-to-ubnd',
    'send-reminder',
    'report-delay',
  ],
  'van-ban-den-dong-gui': ['proactive-overdue'],
  'nhiem-vu-duoc-giao': ['assigned-task-reminder', 'assigned-task-overdue', 'assigned-task-completed'],
};

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Diagram {
  warnings: string[];
  process: ModdleElement;
  elementsById: Record<string, ModdleElement>;
  flowNodes: ModdleElement[];
  sequenceFlows: ModdleElement[];
  shapes: Map<string, Bounds>;
  edges: Map<string, Array<{ x: number; y: number }>>;
}

const list = <T = ModdleElement>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const str = (el: ModdleElement, attr: string): string => {
  const v = el.get(attr);
  return typeof v === 'string' ? v : '';
};

function collect(container: ModdleElement, into: ModdleElement[]): ModdleElement[] {
  for (const el of list(container.flowElements)) {
    into.push(el);
    if (el.$instanceOf('bpmn:SubProcess')) collect(el, into);
  }
  return into;
}

/** Parses one file of processes/ into what the checks below need. */
async function load(file: string): Promise<Diagram> {
  const xml = readFileSync(new URL(file, processesDir), 'utf8');
  const { rootElement, warnings, elementsById } = await new BpmnModdle({ camunda: camundaDescriptor }).fromXML(xml);
  const process = list(rootElement.rootElements).find((el) => el.$type === 'bpmn:Process');
  if (!process) throw new Error(`${file} has no process`);
  const all = collect(process, []);
  const plane = list(rootElement.diagrams)[0]?.plane as ModdleElement | undefined;
  const shapes = new Map<string, Bounds>();
  const edges = new Map<string, Array<{ x: number; y: number }>>();
  for (const di of list(plane?.planeElement)) {
    const target = di.bpmnElement as ModdleElement | undefined;
    if (!target?.id) continue;
    if (di.$type === 'bpmndi:BPMNShape') shapes.set(target.id, di.bounds as Bounds);
    if (di.$type === 'bpmndi:BPMNEdge') edges.set(target.id, list(di.waypoint));
  }
  return {
    warnings: warnings.map((w) => w.message),
    process,
    elementsById,
    flowNodes: all.filter((el) => el.$instanceOf('bpmn:FlowNode')),
    sequenceFlows: all.filter((el) => el.$type === 'bpmn:SequenceFlow'),
    shapes,
    edges,
  };
}

const files = readdirSync(processesDir)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();

it('should find the diagrams when processes/ is read', () => {
  expect(files).toEqual(expect.arrayContaining(['ho-so-trinh.bpmn', 'van-ban-den-dong-gui.bpmn']));
});

describe.each(files)('%s', (file) => {
  const processId = file.replace(/\.bpmn$/, '');

  it('should parse without warnings when read with the camunda extension', async () => {
    const { warnings, process } = await load(file);
    expect(warnings).toEqual([]);
    expect(process.id).toBe(processId);
    expect(process.isExecutable).toBe(true);
  });

  it('should carry a history time to live when deployed', async () => {
    const { process } = await load(file);
    expect(str(process, 'camunda:historyTimeToLive')).toMatch(/^\d+$/);
  });

  it('should draw every flow node and every sequence flow when opened in a modeller', async () => {
    const { flowNodes, sequenceFlows, shapes, edges } = await load(file);
    expect(flowNodes.filter((n) => !shapes.has(n.id ?? '')).map((n) => n.id)).toEqual([]);
    expect(sequenceFlows.filter((f) => (edges.get(f.id ?? '')?.length ?? 0) < 2).map((f) => f.id)).toEqual([]);
  });

  it('should keep inner elements inside their expanded sub-process and boundary events on their host', async () => {
    const { flowNodes, shapes } = await load(file);
    const inside = (a: Bounds, b: Bounds) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
    const misplaced: string[] = [];
    for (const node of flowNodes) {
      const own = shapes.get(node.id ?? '');
      const parent = node.$parent;
      if (!own) continue;
      if (parent?.$type === 'bpmn:SubProcess' && !inside(own, shapes.get(parent.id ?? '') as Bounds)) misplaced.push(node.id ?? '');
      if (node.$type === 'bpmn:BoundaryEvent') {
        const host = shapes.get((node.attachedToRef as ModdleElement).id ?? '') as Bounds;
        const [cx, cy] = [own.x + own.width / 2, own.y + own.height / 2];
        const onX = cx >= host.x && cx <= host.x + host.width && (cy === host.y || cy === host.y + host.height);
        const onY = cy >= host.y && cy <= host.y + host.height && (cx === host.x || cx === host.x + host.width);
        if (!onX && !onY) misplaced.push(node.id ?? '');
      }
    }
    expect(misplaced).toEqual([]);
  });

  it('should use exactly the expected external topics when workers subscribe', async () => {
    const { flowNodes } = await load(file);
    const serviceTasks = flowNodes.filter((n) => n.$type === 'bpmn:ServiceTask');
    expect(serviceTasks.filter((t) => str(t, 'camunda:type') !== 'external' || !str(t, 'camunda:topic')).map((t) => t.id)).toEqual([]);
    const topics = new Set(serviceTasks.map((t) => str(t, 'camunda:topic')));
    expect([...topics].sort()).toEqual([...(expectedTopics[processId] ?? ['<list the topics of this new process>'])].sort());
  });

  it('should give every user task candidate groups, a due date and its form, deployed beside it and bound by deployment', async () => {
    const { flowNodes } = await load(file);
    const userTasks = flowNodes.filter((n) => n.$type === 'bpmn:UserTask');
    expect(userTasks.length).toBeGreaterThan(0);
    for (const task of userTasks) {
      const kebab = (task.id ?? '').replace(/^Task_/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
      expect({
        id: task.id,
        groups: str(task, 'camunda:candidateGroups'),
        due: str(task, 'camunda:dueDate'),
        formKey: str(task, 'camunda:formKey'),
        formRef: str(task, 'camunda:formRef'),
        binding: str(task, 'camunda:formRefBinding'),
      }).toEqual({
        id: task.id,
        groups: expect.stringMatching(/_(chuyenvien|lanhdao|vanthu|theodoi)('\})?$/),
        due: expect.stringMatching(/^\$\{\w+\}$/),
        formKey: '',
        formRef: kebab,
        binding: 'deployment',
      });
      // deployed beside the diagram (platform/engine/deploy.ts): the file of that name, whose id is the name
      const form = JSON.parse(readFileSync(new URL(`forms/${kebab}.form`, processesDir), 'utf8')) as { id: string };
      expect(form.id).toBe(kebab);
    }
  });

  it('should name every element by what it is when ids are written by hand', async () => {
    const { elementsById } = await load(file);
    expect(Object.keys(elementsById).filter((id) => /_[0-9a-z]{7}$/.test(id))).toEqual([]);
  });
});

describe('ho-so-trinh.bpmn contract', () => {
  it('should keep the ids, variables and message the workers and server rely on', async () => {
    const { elementsById, flowNodes } = await load('ho-so-trinh.bpmn');
    for (const id of ['StartEvent_Created', 'Task_Validate', 'Task_Revise', 'Sub_Opinions', 'Sub_OneOpinion', 'Task_GiveOpinion', 'Task_ChooseOption', 'Task_Appraise', 'Task_RespondAppraisal', 'Task_DraftSubmission', 'Task_ValidatePreSign', 'Task_Sign', 'Task_SendPaper', 'Task_OfficeCheck', 'Task_LeaderDecision', 'Task_FollowUpDelay', 'End_Approved', 'End_NotApproved', 'End_Withdrawn'])
      expect(elementsById[id], id).toBeDefined();

    const one = elementsById.Sub_OneOpinion as ModdleElement;
    const loop = one.loopCharacteristics as ModdleElement;
    expect(loop.isSequential).toBe(false);
    expect((loop.loopCardinality as ModdleElement).body).toBe('${opinionCount}');

    const waiver = flowNodes.find((n) => n.id === 'Boundary_OpinionWaived') as ModdleElement;
    const definition = list(waiver.eventDefinitions)[0] as ModdleElement;
    expect((definition.messageRef as ModdleElement).name).toBe('OpinionWaived');
    expect(waiver.cancelActivity).toBe(true);

    const errorBoundaries = flowNodes.filter((n) => n.$type === 'bpmn:BoundaryEvent' && list<ModdleElement>(n.eventDefinitions)[0]?.$type === 'bpmn:ErrorEventDefinition');
    expect(errorBoundaries).toHaveLength(10);
    for (const b of errorBoundaries) {
      const def = list<ModdleElement>(b.eventDefinitions)[0] as ModdleElement;
      expect([str(def, 'camunda:errorCodeVariable'), str(def, 'camunda:errorMessageVariable')]).toEqual(['lastErrorCode', 'lastErrorMessage']);
    }
  });

  it('R-10/R-01/R-07/R-20 should show in the diagram which rule sent a dossier back: a boundary per rule, caught by its code, beside the catch-all of each check', async () => {
    const { flowNodes } = await load('ho-so-trinh.bpmn');
    const caught = (id: string) => {
      const b = flowNodes.find((n) => n.id === id) as ModdleElement;
      const def = list<ModdleElement>(b.eventDefinitions)[0] as ModdleElement;
      return [(b.attachedToRef as ModdleElement).id, (def.errorRef as ModdleElement | undefined)?.errorCode ?? null, (list<ModdleElement>(b.outgoing)[0]?.targetRef as ModdleElement | undefined)?.id];
    };
    // the rule-specific boundaries (the engine prefers a boundary with an error code to the catch-all)
    expect(caught('Boundary_ValidateOutOfAuthority')).toEqual(['Task_Validate', 'ERR_OUT_OF_AUTHORITY', 'Gw_MergeRevise']);
    expect(caught('Boundary_OpinionsError')).toEqual(['Sub_Opinions', 'ERR_UBND_IN_RECIPIENTS_WHILE_CONSULTING', 'Gw_MergeRevise']);
    expect(caught('Boundary_ForwardOpinionsPending')).toEqual(['Task_Forward', 'ERR_OPINIONS_PENDING', 'Gw_MergeReturns']);
    expect(caught('Boundary_ForwardAppraisalMissing')).toEqual(['Task_Forward', 'ERR_APPRAISAL_MISSING', 'Gw_MergeReturns']);
    expect(caught('Boundary_HeadSignatureR07')).toEqual(['Task_HeadSignature', 'ERR_HEAD_SIGNATURE_REQUIRED', 'Gw_MergeSign']);
    // every code a boundary names is one the rules raise
    for (const b of flowNodes.filter((n) => n.$type === 'bpmn:BoundaryEvent')) {
      const code = (list<ModdleElement>(b.eventDefinitions)[0]?.errorRef as ModdleElement | undefined)?.errorCode;
      if (code) expect(isErrorCode(code), `${b.id} ${code}`).toBe(true);
    }
    // each check that raises several rules keeps one catch-all, named with the rules it stands for; a check raising one error has its code only
    const catchAll = flowNodes.filter((n) => n.$type === 'bpmn:BoundaryEvent' && list<ModdleElement>(n.eventDefinitions)[0]?.$type === 'bpmn:ErrorEventDefinition' && !list<ModdleElement>(n.eventDefinitions)[0]?.errorRef);
    expect(catchAll.map((b) => `${(b.attachedToRef as ModdleElement).id}: ${str(b, 'name')}`).sort()).toEqual([
      'Task_CheckAppraisal: Kết luận chưa rõ (R-21)',
      'Task_Forward: Chưa đủ điều kiện trình (R-05, R-17, R-19)',
      'Task_HeadSignature: Chữ ký chưa hợp lệ (R-05, R-06, R-09)',
      'Task_Validate: Hồ sơ chưa đạt (R-03…R-19)',
      'Task_ValidatePreSign: Chưa đạt trước khi ký (R-09, R-11, R-12, R-16, R-17)',
    ]);
  });

  it('should put every step in the lane of the party that answers for it, drawn inside that lane', async () => {
    const xml = readFileSync(new URL('ho-so-trinh.bpmn', processesDir), 'utf8');
    const { rootElement } = await new BpmnModdle({ camunda: camundaDescriptor }).fromXML(xml);
    const { process, shapes } = await load('ho-so-trinh.bpmn');
    const lanes = list<ModdleElement>(list<ModdleElement>(process.laneSets)[0]?.lanes);
    expect(lanes.map((l) => str(l, 'name'))).toEqual([
      'Hệ thống (kiểm tra tự động)',
      'Cơ quan chủ trì – chuyên viên',
      'Lãnh đạo cơ quan chủ trì',
      'Văn thư cơ quan chủ trì',
      'Cơ quan được lấy ý kiến',
      'Cơ quan thẩm định (Sở Tư pháp)',
      'Văn phòng UBND tỉnh',
      'Lãnh đạo UBND tỉnh',
    ]);
    // a participant carries the lanes, as bpmn-js draws them
    const collaboration = list<ModdleElement>(rootElement.rootElements).find((e) => e.$type === 'bpmn:Collaboration') as ModdleElement;
    expect((list<ModdleElement>(collaboration.participants)[0]?.processRef as ModdleElement).id).toBe('ho-so-trinh');
    expect(((list<ModdleElement>(rootElement.diagrams)[0]?.plane as ModdleElement).bpmnElement as ModdleElement).id).toBe(collaboration.id);
    // every top-level step is in exactly one lane, and drawn inside it
    const topLevel = list<ModdleElement>(process.flowElements).filter((e) => e.$instanceOf('bpmn:FlowNode'));
    const laneOf = new Map<string, string>();
    for (const lane of lanes) for (const ref of list<ModdleElement>(lane.flowNodeRef)) {
      expect(laneOf.has(ref.id ?? ''), `${ref.id} in two lanes`).toBe(false);
      laneOf.set(ref.id ?? '', lane.id ?? '');
    }
    expect(topLevel.filter((n) => !laneOf.has(n.id ?? '')).map((n) => n.id)).toEqual([]);
    const outside = topLevel.filter((n) => {
      const own = shapes.get(n.id ?? '')!;
      const lane = shapes.get(laneOf.get(n.id ?? '') ?? '')!;
      const cy = own.y + own.height / 2;
      return !(cy >= lane.y && cy <= lane.y + lane.height && own.x >= lane.x && own.x + own.width <= lane.x + lane.width);
    });
    expect(outside.map((n) => n.id)).toEqual([]);
    // who answers for what the directive is about
    expect(laneOf.get('Task_Sign')).toBe('Lane_LeadHead');
    expect(laneOf.get('Sub_Opinions')).toBe('Lane_Consulted');
    expect(laneOf.get('Task_Appraise')).toBe('Lane_Appraiser');
    expect(laneOf.get('Task_OfficeCheck')).toBe('Lane_Office');
    expect(laneOf.get('Task_LeaderDecision')).toBe('Lane_Leaders');
    expect(laneOf.get('Task_SendPaper')).toBe('Lane_LeadClerk');
  });
});

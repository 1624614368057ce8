// bpmn-moddle ships types only under 'bpmn-moddle/types'; this is the small part the diagram tests use.
declare module 'bpmn-moddle' {
  export interface ModdleElement {
    $type: string;
    id?: string;
    name?: string;
    $attrs: Record<string, string>;
    $parent?: ModdleElement;
    get(name: string): unknown;
    $instanceOf(type: string): boolean;
    [key: string]: unknown;
  }

  export interface ParseResult {
    rootElement: ModdleElement;
    warnings: Array<{ message: string }>;
    elementsById: Record<string, ModdleElement>;
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}

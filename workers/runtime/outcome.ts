/** What a worker's handler decides; the runtime turns it into the engine call. */
import type { PlainValue } from '../../platform/engine/variables.ts';

export type Outcome =
  | { kind: 'complete'; variables?: Record<string, PlainValue | undefined> }
  /** A business outcome the diagram models (a rule broken): routed back to a person. */
  | { kind: 'bpmnError'; code: string; message: string; variables?: Record<string, PlainValue | undefined> };

export const complete = (variables?: Record<string, PlainValue | undefined>): Outcome => ({ kind: 'complete', variables });

export const bpmnError = (code: string, message: string, variables?: Record<string, PlainValue | undefined>): Outcome => ({
  kind: 'bpmnError',
  code,
  message,
  variables,
});

/** A fault that should not be retried forever is still a fault: it ends as an incident. */
export class WorkerFault extends Error {}

/** Reading the process variables a worker needs; a missing one is a fault of the diagram (incident). */
import { WorkerFault } from './outcome.ts';
import type { RuleViolation } from '../../domain/errors.ts';
import { bpmnError, type Outcome } from './outcome.ts';

export function requireString(vars: Record<string, unknown>, name: string): string {
  const v = vars[name];
  if (typeof v !== 'string' || v === '') throw new WorkerFault(`process variable "${name}" is missing or not a string`);
  return v;
}

export function optionalString(vars: Record<string, unknown>, name: string): string | null {
  const v = vars[name];
  return typeof v === 'string' && v !== '' ? v : null;
}

export function requireInt(vars: Record<string, unknown>, name: string): number {
  const v = vars[name];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new WorkerFault(`process variable "${name}" is missing or not an integer`);
  return v;
}

/** The BPMN error for a set of broken rules: the first code routes, every message is shown. */
export function violationsError(violations: readonly RuleViolation[]): Outcome {
  const first = violations[0];
  if (!first) throw new Error('violationsError needs at least one violation');
  return bpmnError(first.code, violations.map((v) => `[${v.rule}] ${v.message}`).join('\n'), {
    lastErrorRule: first.rule,
    lastErrorCodes: violations.map((v) => v.code).join(','),
  });
}

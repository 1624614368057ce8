/** Conversion between plain values and the engine's typed variables ({ value, type }). */

export type EngineVariable = { value: unknown; type: string; valueInfo?: Record<string, unknown> };
export type EngineVariables = Record<string, EngineVariable>;
export type PlainValue = string | number | boolean | null | Date;

/** Types plain values the way the engine expects: integers as Integer/Long, dates as ISO strings. */
export function toEngineVariables(values: Record<string, PlainValue | undefined>): EngineVariables {
  const out: EngineVariables = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (value === null) out[name] = { value: null, type: 'Null' };
    else if (typeof value === 'boolean') out[name] = { value, type: 'Boolean' };
    else if (typeof value === 'number') {
      if (Number.isInteger(value)) out[name] = { value, type: Math.abs(value) <= 2_147_483_647 ? 'Integer' : 'Long' };
      else out[name] = { value, type: 'Double' };
    } else if (value instanceof Date) out[name] = { value: value.toISOString(), type: 'String' };
    else out[name] = { value, type: 'String' };
  }
  return out;
}

export function fromEngineVariables(vars: EngineVariables): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(vars)) out[name] = v.value;
  return out;
}

/** The engine's REST date format (`2026-11-26T18:25:07.878+0000`): it refuses `Z` and `+07:00`. */
export function engineDate(value: Date | string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return d.toISOString().replace('Z', '+0000');
}

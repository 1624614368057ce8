/** The part of a form-js schema (processes/forms/*.form) that the server validates and the web app renders. */
export type FormComponent = {
  id?: string;
  type: string;
  key?: string;
  path?: string;
  label?: string;
  values?: { label: string; value: string | number | boolean }[];
  valuesKey?: string;
  multiple?: boolean;
  validate?: { required?: boolean; minLength?: number; maxLength?: number; min?: number; max?: number; pattern?: string };
  conditional?: { hide?: string };
  properties?: Record<string, string>;
  components?: FormComponent[];
};

export type FormSchema = { type: 'default'; id: string; schemaVersion: number; components: FormComponent[] };

/**
 * The form of each user task. The diagram names it (`camunda:formRef` with `formRefBinding="deployment"`,
 * read once per process definition), and the engine hands back the version deployed with that
 * definition (GET /task/{id}/deployed-form): a running instance keeps the form it started with,
 * whatever is deployed later. A definition never changes once deployed, so both are kept for the
 * life of the process. A definition deployed before forms were (camunda:formKey) keeps the built-in form.
 */
import type { EngineClient } from '../../platform/engine/client.ts';
import { EngineError } from '../../platform/engine/client.ts';
import { ApiError } from '../errors.ts';
import { builtInForm, deployedTaskForm, FormRefused, isFormKey, type LoadedForm } from '../forms/index.ts';
import { userTaskForms, type TaskFormRef } from '../../domain/diagram-guard.ts';

const MAX_DEFINITIONS = 500;
const MAX_FORMS = 2000;

type Task = { id: string; processDefinitionId: string; taskDefinitionKey: string };

/** Keeps at most `max` entries, dropping the oldest. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): V {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

export class TaskForms {
  private readonly refsByDefinition = new Map<string, Promise<Map<string, TaskFormRef | null>>>();
  private readonly forms = new Map<string, Promise<LoadedForm>>();

  constructor(private readonly engine: Pick<EngineClient, 'getProcessDefinitionXml' | 'deployedForm'>) {}

  private async refOf(task: Task): Promise<TaskFormRef | null> {
    let refs = this.refsByDefinition.get(task.processDefinitionId);
    if (!refs) {
      refs = remember(this.refsByDefinition, task.processDefinitionId, this.engine.getProcessDefinitionXml(task.processDefinitionId).then(userTaskForms), MAX_DEFINITIONS);
      // A failed read is not remembered: the next task asks again.
      void refs.catch(() => this.refsByDefinition.delete(task.processDefinitionId));
    }
    return (await refs).get(task.taskDefinitionKey) ?? null;
  }

  /** The form id the task's diagram names (its handler's key), or null when it has none. */
  async keyOf(task: Task): Promise<string | null> {
    return (await this.refOf(task))?.key ?? null;
  }

  /**
   * The task's form as deployed with its process definition, checked as hostile input: 422
   * UNKNOWN_FORM when the server has no handler for it, 409 FORM_REFUSED when the deployed version
   * is not one the server accepts (it was deployed around our checks).
   */
  async formOf(task: Task): Promise<LoadedForm> {
    const ref = await this.refOf(task);
    if (!ref || !isFormKey(ref.key)) throw new ApiError(422, 'UNKNOWN_FORM', `Công việc ${task.taskDefinitionKey} chưa có biểu mẫu.`);
    const key = ref.key;
    if (ref.binding === null) return builtInForm(key);
    if (ref.binding !== 'deployment') {
      throw new ApiError(409, 'FORM_REFUSED', `Biểu mẫu ${key} của công việc ${task.taskDefinitionKey} phải gắn theo lần triển khai (formRefBinding="deployment").`);
    }
    const cacheKey = `${task.processDefinitionId}\n${key}`;
    let form = this.forms.get(cacheKey);
    if (!form) {
      form = remember(this.forms, cacheKey, this.engine.deployedForm(task.id).then((text) => deployedTaskForm(key, text)), MAX_FORMS);
      // The engine being away is not remembered; a refused form is (the deployment never changes).
      void form.catch((err: unknown) => {
        if (!(err instanceof FormRefused)) this.forms.delete(cacheKey);
      });
    }
    try {
      return await form;
    } catch (err) {
      if (err instanceof FormRefused) {
        throw new ApiError(409, 'FORM_REFUSED', `Biểu mẫu ${key} đã triển khai cho công việc ${task.taskDefinitionKey} không hợp lệ: ${err.problems[0]!.message}`, {
          details: err.problems.slice(0, 20),
        });
      }
      if (err instanceof EngineError && err.status === 404) {
        throw new ApiError(409, 'FORM_REFUSED', `Biểu mẫu ${key} không được triển khai cùng sơ đồ của công việc ${task.taskDefinitionKey}.`);
      }
      throw err;
    }
  }
}

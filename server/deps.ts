/** What the server needs from outside; tests build real ones against a real engine and database. */
import type { DataSource } from 'typeorm';
import type { Config } from '../config/index.ts';
import type { Policy } from '../config/policy.ts';
import type { EngineClient } from '../platform/engine/client.ts';
import type { EngineReadModel } from '../store/engine-read-model.ts';
import type { TaskForms } from './engine/task-forms.ts';
import type { Logger } from '../platform/log.ts';
import type { EventHub } from './events.ts';

export type ServerDeps = {
  config: Config;
  policy: Policy;
  ds: DataSource;
  engine: EngineClient;
  /** Reads of the engine's tables for task lists and instance progress (store/engine-read-model.ts). */
  engineDb: EngineReadModel;
  /** Each user task's form as deployed with its diagram (server/engine/task-forms.ts). */
  taskForms: TaskForms;
  log: Logger;
  events: EventHub;
  now?: () => Date;
};


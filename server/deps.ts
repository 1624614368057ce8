/** What the server needs from outside; tests build real ones against a real engine and database. */
import type { DataSource } from 'typeorm';
import type { Config } from '../config/index.ts';
import type { Policy } from '../config/policy.ts';
import type { EngineClient } from './engine/client.ts';
import type { Logger } from './log.ts';
import type { EventHub } from './events.ts';

export type ServerDeps = {
  config: Config;
  policy: Policy;
  ds: DataSource;
  engine: EngineClient;
  log: Logger;
  events: EventHub;
  now?: () => Date;
};

export const PROCESS_KEY = 'ho-so-trinh';
export const INCOMING_PROCESS_KEY = 'van-ban-den-dong-gui';

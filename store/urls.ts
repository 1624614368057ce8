import type { Config } from '../config/index.ts';
import { withDatabase } from './postgres.ts';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/hosotrinh';

/** Our database: DATABASE_URL, else the conventional local one (npm start always passes one). */
export function businessDatabaseUrl(config: Config): string {
  return config.databaseUrl ?? DEFAULT_DATABASE_URL;
}

/** The engine's database: ENGINE_DATABASE_URL, else ENGINE_DB_NAME on the server of ours (as npm start creates it). */
export function engineDatabaseUrl(config: Config): string {
  return config.engine.databaseUrl ?? withDatabase(businessDatabaseUrl(config), config.engine.databaseName);
}

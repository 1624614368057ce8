import type { Config } from '../config/index.ts';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/hosotrinh';

/** Our database: DATABASE_URL, else the conventional local one (npm start always passes one). */
export function businessDatabaseUrl(config: Config): string {
  return config.databaseUrl ?? DEFAULT_DATABASE_URL;
}

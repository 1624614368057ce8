/**
 * Reads of the engine's own tables (ACT_RU_*, ACT_HI_*) for the requests people make all day:
 * their task list, one task with its candidates, and an instance's progress on its diagram.
 *
 * Why not the REST API: each REST query costs the engine several milliseconds of CPU (HTTP,
 * MyBatis, JSON), and on two cores sixteen people listing their tasks at once waited 130 ms
 * or more on the engine alone (npm run bench). One indexed SQL statement on the engine's
 * database answers the same question in about a millisecond. Everything that changes the engine
 * (claim, complete, start, messages) still goes through REST; these statements only read, and
 * the server still decides who may see what.
 *
 * The tables are those of Operaton 1.0.3 (the version our launcher pins); the integration tests
 * compare these answers with the REST API's, so an engine upgrade that changes them fails there.
 */
import pg from 'pg';
import type { HistoricActivityInstance, Task } from '../platform/engine/client.ts';
import { EngineError } from '../platform/engine/client.ts';
import { isDatabaseUnavailable } from './db-errors.ts';
import { IDLE_CONNECTION_MS, PreparingClient } from './round-trips.ts';

/** Who may see a task: the assignee, or (while unassigned) a candidate user or group. */
export type TaskVisibility = { scope: 'mine' | 'group' | 'all'; userId: string; groups: string[] };

export type TaskFilter = TaskVisibility & {
  taskDefinitionKey?: string;
  dueBefore?: Date;
  dueAfter?: Date;
  /** Only tasks of instances with one of these business keys (dossier ids). */
  businessKeys?: string[];
};

/** A task with its instance's business key and its process's key (a dossier's id for PROCESS_KEY). */
export type ListedTask = Task & { businessKey: string | null; processDefinitionKey: string | null };

export type TaskWithCandidates = ListedTask & { candidateGroups: string[]; candidateUsers: string[] };

export type CappedCount = { count: number; capped: boolean };

export type InstanceProgress = {
  processDefinitionId: string;
  state: string;
  startTime: string;
  endTime: string | null;
  active: string[];
  history: Pick<HistoricActivityInstance, 'activityId' | 'activityName' | 'activityType' | 'startTime' | 'endTime' | 'canceled' | 'assignee'>[];
  incidents: { id: string; activityId: string; incidentType: string; incidentMessage: string | null; incidentTimestamp: string }[];
};

const TIMESTAMP_WITHOUT_TZ = 1114;
/** The engine writes its wall-clock times without a zone; our launcher runs it in UTC (-Duser.timezone=UTC). */
const utcIso = (v: string) => new Date(`${v.replace(' ', 'T')}Z`).toISOString();
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_WITHOUT_TZ ? utcIso : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const TASK_COLUMNS = `t.id_ AS id, t.name_ AS name, t.assignee_ AS assignee, t.create_time_ AS created, t.due_date_ AS due,
  t.follow_up_date_ AS "followUp", t.description_ AS description, t.execution_id_ AS "executionId", t.proc_def_id_ AS "processDefinitionId",
  t.proc_inst_id_ AS "processInstanceId", t.task_def_key_ AS "taskDefinitionKey", t.priority_ AS priority`;

// ACT_INST_STATE_ of a historic activity instance the engine cancelled (ActivityInstanceState.CANCELED).
const CANCELED = 2;

export class EngineReadModel {
  private readonly pool: pg.Pool;
  private readonly onQuery?: (sql: string, params: unknown[], ms: number) => void;

  /** `onQuery` sees every statement with its time (the benchmark explains the slowest). */
  constructor(databaseUrl: string, opts: { poolSize?: number; applicationName?: string; onQuery?: (sql: string, params: unknown[], ms: number) => void } = {}) {
    this.onQuery = opts.onQuery;
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      max: opts.poolSize ?? 10,
      application_name: opts.applicationName ?? 'ho-so-trinh-engine-reader',
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: IDLE_CONNECTION_MS,
      // Statements prepared once per connection (store/round-trips.ts).
      Client: PreparingClient,
      types,
    });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
  }

  private async query<T>(sql: string, params: unknown[]): Promise<T[]> {
    const t0 = performance.now();
    try {
      const rows = (await this.pool.query(sql, params)).rows as T[];
      this.onQuery?.(sql, params, performance.now() - t0);
      return rows;
    } catch (err) {
      // Answered like an engine that cannot be reached: 503, retry later.
      if (isDatabaseUnavailable(err)) throw new EngineError(0, 'EngineDatabaseUnavailable', (err as Error).message, 'engine database');
      throw err;
    }
  }

  /**
   * One page of the visible tasks matching the filter, by due date (none last), then id, with
   * their instance's business key and process key; and in the same statement how many match,
   * counted up to `cap` (then `capped`), with as many other capped counts as asked.
   *
   * One statement, prepared (store/round-trips.ts): a round trip costs more CPU (a socket write on
   * each side, a backend woken) than the index reads it carries, so the page and its counts travel
   * together.
   */
  async taskPage<K extends string = never>(
    filter: TaskFilter,
    page: { offset: number; limit: number },
    cap: number,
    counts: Partial<Record<K, TaskFilter>> = {},
  ): Promise<{ tasks: ListedTask[]; total: CappedCount; counts: Record<K, CappedCount> }> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const enough = p(page.offset + page.limit);
    // Each branch ordered and cut on its own: the planner then walks the due-date index for a big
    // group, or sorts the few tasks of a small one, as their statistics say.
    const pageSql = visibleTaskBranches(filter, params)
      .map((b) => `(SELECT ${TASK_COLUMNS} ${b} ORDER BY t.due_date_, t.id_ LIMIT ${enough})`)
      .join(' UNION ALL ');
    const [limit, offset, capPlusOne] = [p(page.limit), p(page.offset), p(cap + 1)];
    const capped = (f: TaskFilter) => visibleTaskBranches(f, params).map((b) => `(SELECT count(*) FROM (SELECT 1 ${b} LIMIT ${capPlusOne}) c)`).join(' + ');
    const countNames = Object.keys(counts) as K[];
    const countSql = [filter, ...countNames.map((k) => counts[k]!)].map((f, i) => `${capped(f)} AS c${i}`).join(', ');
    // The counts as one row joined to the page, so a page past the end still carries them. The
    // business key as a scalar subquery: a join over the union costs the planner far more.
    const rows = await this.query<Task & { businessKey: string | null } & Record<`c${number}`, string>>(
      `SELECT n.*, v.* FROM (SELECT ${countSql}) n
       LEFT JOIN LATERAL (
         SELECT v.*, (SELECT pi.business_key_ FROM act_ru_execution pi WHERE pi.id_ = v."processInstanceId") AS "businessKey"
         FROM (SELECT * FROM (${pageSql}) u ORDER BY due NULLS LAST, id LIMIT ${limit} OFFSET ${offset}) v) v ON true
       ORDER BY v.due NULLS LAST, v.id`,
      params,
    );
    const count = (n: string | undefined): CappedCount => ({ count: Math.min(Number(n ?? 0), cap), capped: Number(n ?? 0) > cap });
    const listed = rows.filter((r) => r.id !== null);
    const keys = await this.processKeys(listed.map((t) => t.processDefinitionId));
    return {
      tasks: listed.map((r) => {
        const task: Task & { businessKey: string | null } = {
          id: r.id,
          name: r.name,
          assignee: r.assignee,
          created: r.created,
          due: r.due,
          followUp: r.followUp,
          description: r.description,
          executionId: r.executionId,
          processDefinitionId: r.processDefinitionId,
          processInstanceId: r.processInstanceId,
          taskDefinitionKey: r.taskDefinitionKey,
          priority: r.priority,
          formKey: null,
          businessKey: r.businessKey,
        };
        return { ...task, processDefinitionKey: keys.get(r.processDefinitionId) ?? null };
      }),
      total: count(rows[0]?.c0),
      counts: Object.fromEntries(countNames.map((k, i) => [k, count(rows[0]?.[`c${i + 1}`])])) as Record<K, CappedCount>,
    };
  }

  /** Process keys by definition id; a deployed definition never changes, so each is read once. */
  private readonly keyOfDefinition = new Map<string, string>();

  private async processKeys(definitionIds: string[]): Promise<Map<string, string>> {
    const missing = [...new Set(definitionIds)].filter((id) => !this.keyOfDefinition.has(id));
    if (missing.length > 0) {
      const rows = await this.query<{ id: string; key: string }>('SELECT id_ AS id, key_ AS key FROM act_re_procdef WHERE id_ = ANY($1::text[])', [missing]);
      for (const r of rows) this.keyOfDefinition.set(r.id, r.key);
    }
    return this.keyOfDefinition;
  }

  /**
   * The one index our reads add to the engine's tables: open tasks by due date. Without it a
   * group's list sorts all its open tasks on every request (3 ms instead of 0.8 ms at 10,000).
   * Created concurrently (no write lock) and only once; without the right to create it the
   * lists still work, more slowly.
   */
  async ensureIndexes(log: { warn(line: string): void }): Promise<void> {
    try {
      await this.pool.query('CREATE INDEX CONCURRENTLY IF NOT EXISTS hst_act_ru_task_due ON act_ru_task (due_date_, id_)');
    } catch (err) {
      log.warn(`engine database: index on act_ru_task (due_date_) not created: ${(err as Error).message}`);
    }
  }

  /**
   * Whether the engine's PostgreSQL runs without autovacuum. Then the engine's tables never get
   * statistics, and its lookup of an execution's variables walks every running variable (the
   * planner takes the index on task_id_ IS NULL): worth a warning at start.
   */
  async autovacuumOff(): Promise<boolean> {
    const rows = await this.query<{ autovacuum: string }>('SHOW autovacuum', []);
    return rows[0]?.autovacuum === 'off';
  }

  /** One task with its candidate groups and users, or null when it does not exist (any more). */
  async task(taskId: string): Promise<TaskWithCandidates | null> {
    const rows = await this.query<Task & { businessKey: string | null; links: { type: string; userId: string | null; groupId: string | null }[] | null }>(
      `SELECT ${TASK_COLUMNS}, (SELECT pi.business_key_ FROM act_ru_execution pi WHERE pi.id_ = t.proc_inst_id_) AS "businessKey",
         (SELECT json_agg(json_build_object('type', i.type_, 'userId', i.user_id_, 'groupId', i.group_id_)) FROM act_ru_identitylink i WHERE i.task_id_ = t.id_) AS links
       FROM act_ru_task t WHERE t.id_ = $1`,
      [taskId],
    );
    const row = rows[0];
    if (!row) return null;
    const { links, ...task } = row;
    const candidates = (links ?? []).filter((l) => l.type === 'candidate');
    const keys = await this.processKeys([task.processDefinitionId]);
    return {
      ...task,
      formKey: null,
      processDefinitionKey: keys.get(task.processDefinitionId) ?? null,
      candidateGroups: candidates.flatMap((l) => (l.groupId ? [l.groupId] : [])),
      candidateUsers: candidates.flatMap((l) => (l.userId ? [l.userId] : [])),
    };
  }

  /** The running instance of a process (by key) with this business key, if any. */
  async runningInstance(processKey: string, businessKey: string): Promise<string | null> {
    const rows = await this.query<{ id: string }>(
      `SELECT e.id_ AS id FROM act_ru_execution e JOIN act_re_procdef d ON d.id_ = e.proc_def_id_
       WHERE e.business_key_ = $1 AND e.id_ = e.proc_inst_id_ AND d.key_ = $2 LIMIT 1`,
      [businessKey, processKey],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Named variables as a task sees them (its own, then its execution's, then each enclosing
   * scope's: the nearest wins), for the simple types our diagrams use (string, boolean, integer,
   * long, double). Completing a task needs two of them; the REST call read and serialised all.
   * Each scope (the task, then every execution up the tree) is looked up by the engine's unique
   * (var_scope_, name_) index: matching on execution_id_/task_id_ with an OR walked every
   * variable of that name in the engine, a cost that grew with the number of running instances.
   * The lookups are LATERAL subqueries the planner may not flatten (LIMIT, OFFSET 0), so they stay
   * index probes even before the tables have statistics (a fresh engine, or a server without
   * autovacuum): planned as joins, they became a sequential scan of the executions per level and
   * a scan of every variable of those names (3.5 ms a call at 300 running dossiers).
   */
  async taskVariables(taskId: string, names: string[]): Promise<Record<string, string | number | boolean | null>> {
    const rows = await this.query<{ name: string; type: string; text: string | null; long: string | null; double: number | null }>(
      `WITH RECURSIVE scope(id, parent, depth) AS (
         SELECT t.id_, t.execution_id_, 0 FROM act_ru_task t WHERE t.id_ = $1
         UNION ALL SELECT e.id_, e.parent_id_, s.depth + 1 FROM scope s
           CROSS JOIN LATERAL (SELECT x.id_, x.parent_id_ FROM act_ru_execution x WHERE x.id_ = s.parent LIMIT 1) e)
       SELECT DISTINCT ON (v.name_) v.name_ AS name, v.type_ AS type, v.text_ AS text, v.long_ AS long, v.double_ AS double
       FROM scope s CROSS JOIN LATERAL (
         SELECT x.name_, x.type_, x.text_, x.long_, x.double_ FROM act_ru_variable x WHERE x.var_scope_ = s.id AND x.name_ = ANY($2::text[]) OFFSET 0) v
       ORDER BY v.name_, s.depth`,
      [taskId, names],
    );
    const out: Record<string, string | number | boolean | null> = {};
    for (const r of rows) {
      if (r.type === 'null') out[r.name] = null;
      else if (r.type === 'string') out[r.name] = r.text;
      else if (r.type === 'boolean') out[r.name] = r.long === null ? null : r.long === '1';
      else if (r.type === 'integer' || r.type === 'long' || r.type === 'short') out[r.name] = r.long === null ? null : Number(r.long);
      else if (r.type === 'double') out[r.name] = r.double;
      // Other types (dates, objects, files) are not read here: ask the REST API.
      else throw new Error(`engine variable ${r.name} has type ${r.type}, not read from the tables`);
    }
    return out;
  }

  /** Where an instance is and has been: its history in order, what is active now, its open incidents. Null if unknown. */
  async progress(processInstanceId: string): Promise<InstanceProgress | null> {
    // One statement (the dossier page asks for this on every view): the instance with its parts as JSON.
    const rows = await this.query<{
      processDefinitionId: string;
      state: string;
      startTime: string;
      endTime: string | null;
      history: (Omit<InstanceProgress['history'][number], 'startTime' | 'endTime'> & { startTime: string; endTime: string | null })[] | null;
      active: string[] | null;
      incidents: InstanceProgress['incidents'] | null;
    }>(
      `SELECT p.proc_def_id_ AS "processDefinitionId", p.state_ AS state, p.start_time_ AS "startTime", p.end_time_ AS "endTime",
         (SELECT json_agg(json_build_object('activityId', a.act_id_, 'activityName', a.act_name_, 'activityType', a.act_type_,
              'startTime', a.start_time_, 'endTime', a.end_time_, 'canceled', a.act_inst_state_ = ${CANCELED}, 'assignee', a.assignee_)
            ORDER BY a.start_time_, a.sequence_counter_)
          FROM (SELECT * FROM act_hi_actinst WHERE proc_inst_id_ = p.id_ ORDER BY start_time_, sequence_counter_ LIMIT 2000) a) AS history,
         -- Running activities, and activities waiting for an asynchronous continuation (not started in history yet).
         (SELECT array_agg(DISTINCT x.act_id_) FROM (
            SELECT act_id_ FROM act_hi_actinst WHERE proc_inst_id_ = p.id_ AND end_time_ IS NULL
            UNION SELECT jd.act_id_ FROM act_ru_job j JOIN act_ru_jobdef jd ON jd.id_ = j.job_def_id_
              WHERE j.process_instance_id_ = p.id_ AND j.handler_type_ = 'async-continuation' AND jd.act_id_ IS NOT NULL) x) AS active,
         (SELECT json_agg(json_build_object('id', i.id_, 'activityId', i.activity_id_, 'incidentType', i.incident_type_,
              'incidentMessage', i.incident_msg_, 'incidentTimestamp', i.incident_timestamp_) ORDER BY i.incident_timestamp_)
          FROM act_ru_incident i WHERE i.proc_inst_id_ = p.id_) AS incidents
       FROM act_hi_procinst p WHERE p.id_ = $1`,
      [processInstanceId],
    );
    const row = rows[0];
    if (!row) return null;
    // Inside JSON the engine's zone-less times arrive as text: read as UTC like the columns.
    const utc = (v: string | null) => (v === null ? null : utcIso(v));
    return {
      processDefinitionId: row.processDefinitionId,
      state: row.state,
      startTime: row.startTime,
      endTime: row.endTime,
      active: row.endTime === null ? (row.active ?? []) : [],
      history: (row.history ?? []).map((h) => ({ ...h, startTime: utc(h.startTime)!, endTime: utc(h.endTime) })),
      incidents: (row.incidents ?? []).map((i) => ({ ...i, incidentTimestamp: utc(i.incidentTimestamp)! })),
    };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * FROM/WHERE of the tasks a person may see under the filter (alias t), one per disjoint branch:
 * assigned to them; unassigned with them or one of their groups as candidate. Parameters are
 * appended to `params`.
 */
export function visibleTaskBranches(f: TaskFilter, params: unknown[]): string[] {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const extra: string[] = [];
  if (f.taskDefinitionKey) extra.push(`t.task_def_key_ = ${p(f.taskDefinitionKey)}`);
  if (f.dueBefore) extra.push(`t.due_date_ < ${p(utcWallClock(f.dueBefore))}::timestamp`);
  if (f.dueAfter) extra.push(`t.due_date_ > ${p(utcWallClock(f.dueAfter))}::timestamp`);
  if (f.businessKeys) {
    extra.push(`t.proc_inst_id_ IN (SELECT pi.id_ FROM act_ru_execution pi WHERE pi.business_key_ = ANY(${p(f.businessKeys)}::text[]) AND pi.id_ = pi.proc_inst_id_)`);
  }
  const and = extra.map((e) => ` AND ${e}`).join('');
  const me = p(f.userId);
  const mine = () => `FROM act_ru_task t WHERE t.assignee_ = ${me}${and}`;
  const claimable = () => `FROM act_ru_task t WHERE t.assignee_ IS NULL
    AND t.id_ IN (SELECT i.task_id_ FROM act_ru_identitylink i WHERE i.type_ = 'candidate' AND (i.user_id_ = ${me} OR i.group_id_ = ANY(${p(f.groups)}::text[])))${and}`;
  // Built on demand: a branch not used must not leave its parameters behind.
  return f.scope === 'mine' ? [mine()] : f.scope === 'group' ? [claimable()] : [mine(), claimable()];
}

/** The engine's timestamp columns hold UTC wall-clock time (see `types` above). */
function utcWallClock(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

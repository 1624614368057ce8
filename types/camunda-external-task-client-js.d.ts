// Our own typings for camunda-external-task-client-js 3.1.0 (the @types package describes 1.x and
// types the TaskService calls as void although they return promises).
declare module 'camunda-external-task-client-js' {
  import type { EventEmitter } from 'node:events';

  export type TypedValue = { value: unknown; type: string; valueInfo?: Record<string, unknown> };

  export class Variables {
    constructor();
    get(name: string): unknown;
    getTyped(name: string): TypedValue | undefined;
    getAll(): Record<string, unknown>;
    getAllTyped(): Record<string, TypedValue>;
    set(name: string, value: unknown): Variables;
    setTyped(name: string, value: TypedValue): Variables;
    setAll(values: Record<string, unknown>): Variables;
    setAllTyped(values: Record<string, TypedValue>): Variables;
    getDirtyVariables(): Record<string, TypedValue>;
  }

  export type Task = {
    id: string;
    topicName: string;
    workerId: string;
    activityId: string;
    activityInstanceId: string;
    executionId: string;
    processDefinitionId: string;
    processDefinitionKey: string;
    processInstanceId: string;
    businessKey: string | null;
    retries: number | null;
    errorMessage: string | null;
    lockExpirationTime: string;
    createTime?: string;
    priority: number;
    variables: Variables;
  };

  export type FailureOptions = { errorMessage: string; errorDetails?: string; retries: number; retryTimeout: number };

  export interface TaskService {
    complete(task: Task, variables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(task: Task, options: FailureOptions): Promise<void>;
    handleBpmnError(task: Task, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task, newDuration: number): Promise<void>;
    unlock(task: Task): Promise<void>;
    lock(task: Task, duration: number): Promise<void>;
  }

  export type HandlerArgs = { task: Task; taskService: TaskService };
  export type Handler = (args: HandlerArgs) => Promise<void>;

  /** got request options, as interceptors see them. */
  export type RequestConfig = { headers?: Record<string, string>; timeout?: { request?: number }; [key: string]: unknown };
  export type Interceptor = (config: RequestConfig) => RequestConfig;

  export type ClientOptions = {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    maxParallelExecutions?: number;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    usePriority?: boolean;
    interceptors?: Interceptor | Interceptor[];
    use?: ((client: Client) => void) | ((client: Client) => void)[];
  };

  export type SubscribeOptions = {
    lockDuration?: number;
    variables?: string[];
    businessKey?: string;
    processDefinitionKey?: string;
    processDefinitionKeyIn?: string[];
    localVariables?: boolean;
  };

  export type TopicSubscription = { unsubscribe(): void; lockDuration: number };

  export class Client extends EventEmitter {
    constructor(options: ClientOptions);
    /** Mutable: the poll loop reads it anew before each poll, which is how we back off. */
    options: Required<Pick<ClientOptions, 'interval' | 'maxTasks'>> & ClientOptions;
    subscribe(topic: string, options: SubscribeOptions, handler: Handler): TopicSubscription;
    subscribe(topic: string, handler: Handler): TopicSubscription;
    start(): void;
    stop(): void;
  }

  export class BasicAuthInterceptor {
    constructor(options: { username: string; password: string });
  }
}

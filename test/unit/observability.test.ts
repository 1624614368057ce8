import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.ts';
import { memoryLogger } from '../../platform/log.ts';
import { requestIdFrom, runInContext } from '../../platform/observability/context.ts';
import { engineOperation } from '../../platform/observability/metrics.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('engine operation labels', () => {
  it('should name an engine call by its pattern when its path holds ids, keys and a query', () => {
    // given calls as the engine client makes them
    // when each is labelled, then only the API's own words are kept
    expect(engineOperation('GET', '/task/3f2a-11/variables')).toBe('GET /task/{id}/variables');
    expect(engineOperation('POST', '/process-definition/key/ho-so-trinh/start')).toBe('POST /process-definition/key/{id}/start');
    expect(engineOperation('GET', '/process-definition/ho-so-trinh:3:abc/xml')).toBe('GET /process-definition/{id}/xml');
    expect(engineOperation('GET', '/incident/count?processInstanceId=x')).toBe('GET /incident/count');
    expect(engineOperation('GET', '/engine')).toBe('GET /engine');
  });

  it('should collapse any unknown segment into {id} when an attacker-chosen path is labelled', () => {
    // given paths no engine call of ours has
    // when they are labelled, then the label set stays bounded
    expect(engineOperation('GET', '/HS-2026-000001/<script>/x%0a')).toBe('GET /{id}/{id}/{id}');
  });
});

describe('request ids', () => {
  it('should keep a well-formed incoming id when a proxy sends one', () => {
    // given ids as proxies and tracers send them, when read, then kept
    for (const id of ['abc', '4bf92f3577b34da6a3ce929d0e0e4736', 'req-1.2:3_x', 'x'.repeat(128)]) expect(requestIdFrom(id)).toBe(id);
  });

  it('should make a fresh UUID when the incoming id is missing, too long or holds other characters', () => {
    // given ids that could forge a log field or a header, when read, then replaced
    for (const id of [undefined, '', 'x'.repeat(129), 'a b', 'a\nb', '{"level":"error"}', ['a', 'b'], 'ý-kiến']) expect(requestIdFrom(id)).toMatch(UUID);
  });
});

describe('JSON logs', () => {
  it('should write one JSON object a line with level, time, component and message when something is logged', () => {
    // given a logger
    const log = memoryLogger();

    // when a line with fields is written
    log.warn('engine slow', { durationMs: 12 });

    // then it is one JSON object with the level's name
    expect(log.output).toHaveLength(1);
    const record = JSON.parse(log.output[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 'warn', component: 'test', msg: 'engine slow', durationMs: 12 });
    expect(Date.parse(String(record.time))).not.toBeNaN();
    expect(log.lines).toEqual(['WARN engine slow']);
  });

  it('should censor passwords, tokens, cookies and document contents when an object holding them is logged', () => {
    // given a logger
    const log = memoryLogger();

    // when objects with secrets at the top and one level down are logged
    log.error('bad', { password: 'p1', csrfToken: 't1', user: { password: 'p2', cookie: 'sid=s1' }, doc: { contentBase64: 'JVBERi0x' }, req: { headers: { authorization: 'Basic eDp5', cookie: 'sid=s2' } } });

    // then none of the values is written
    const text = log.output.join('');
    for (const secret of ['p1', 't1', 'p2', 'sid=s1', 'JVBERi0x', 'eDp5', 'sid=s2']) expect(text).not.toContain(secret);
    expect(log.records[0]).toMatchObject({ password: '[redacted]', user: { password: '[redacted]' }, doc: { contentBase64: '[redacted]' } });
  });

  it('should add the work context fields when the root logger is used inside a request or task', () => {
    // given a root logger and the logger of a piece of work
    const log = memoryLogger();
    const work = log.child({ requestId: 'r-1' });

    // when the root logger writes inside and outside that work
    runInContext({ requestId: 'r-1', log: work }, () => log.info('inside'));
    log.info('outside');

    // then the line inside carries the work's fields, once
    expect(log.output[0]!.match(/"requestId"/g)).toHaveLength(1);
    expect(log.records.map((r) => [r.msg, r.requestId])).toEqual([
      ['inside', 'r-1'],
      ['outside', undefined],
    ]);
  });

  it('should drop debug lines when the level is info', () => {
    // given loggers at info and at debug, when each writes a debug line, then only the second keeps it
    const info = memoryLogger('info');
    const debug = memoryLogger('debug');
    info.debug('engine call');
    debug.debug('engine call');
    expect(info.output).toHaveLength(0);
    expect(debug.records[0]).toMatchObject({ level: 'debug', msg: 'engine call' });
  });
});

describe('observability configuration', () => {
  it('should keep metrics off the application port and without listeners when nothing is set', () => {
    // given no variable, when the configuration is read, then the defaults hold
    expect(loadConfig({ NODE_ENV: 'test' }).observability).toEqual({ logLevel: 'info', metricsToken: null, metricsHost: '127.0.0.1', serverMetricsPort: null, workerMetricsPort: null });
  });

  it('should read the level, token, host and ports when they are set', () => {
    // given every variable, when read, then each is in the configuration
    const token = 'a'.repeat(24);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug', METRICS_TOKEN: token, METRICS_HOST: '0.0.0.0', METRICS_PORT: '9464', WORKER_METRICS_PORT: '9465' });
    expect(config.observability).toEqual({ logLevel: 'debug', metricsToken: token, metricsHost: '0.0.0.0', serverMetricsPort: 9464, workerMetricsPort: 9465 });
  });

  it('should refuse to start when the level is unknown, the token guessable or a port not a number', () => {
    // given bad values, when read, then the configuration fails fast naming the variable
    expect(() => loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: `${'a'.repeat(24)} b` })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_PORT: 'x' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ NODE_ENV: 'test', WORKER_METRICS_PORT: '0' })).toThrow(/WORKER_METRICS_PORT/);
  });
});

/** platform/engine/failover.ts: which engine node a call goes to, and when a failed call may go to another. */
import { describe, expect, it } from 'vitest';
import { classifyNodeFailure, EngineNodes, parseEngineUrls, repeatable, withFailover } from '../../platform/engine/failover.ts';
import { loadConfig } from '../../config/index.ts';
import { workerCallFailure } from '../../workers/runtime/run-worker.ts';
import { parseLiveEvent } from '../../store/live-events.ts';

describe('engine nodes', () => {
  it('should stay on the current node until it fails, then move to the next and rest the failed one with doubling back-off', () => {
    let now = 1000;
    const nodes = new EngineNodes(['http://a/engine-rest', 'http://b/engine-rest/'], { now: () => now, maxBackoffMs: 1000 });
    expect(nodes.active).toBe('http://a/engine-rest');
    expect(nodes.order()).toEqual([0, 1]);
    nodes.failed(0);
    expect(nodes.active).toBe('http://b/engine-rest');
    expect(nodes.order()).toEqual([1, 0]);
    expect(nodes.resting(0)).toBe(true);
    expect(nodes.untilNextTry()).toBe(0);
    nodes.failed(1);
    // every node rests: the one that may be tried first comes first, none is left out
    expect(nodes.allResting()).toBe(true);
    expect(nodes.order().sort()).toEqual([0, 1]);
    expect([nodes.backoff(1), nodes.backoff(2), nodes.backoff(3), nodes.backoff(10)]).toEqual([250, 500, 1000, 1000]);
    now += 250;
    expect(nodes.resting(0)).toBe(false);
    nodes.succeeded(0);
    expect(nodes.active).toBe('http://a/engine-rest');
  });

  it('should go back to its own node once that node answers again, so a node that comes back carries its share', () => {
    const nodes = new EngineNodes(['a', 'b'], { start: 1 });
    expect([nodes.active, nodes.awayFromHome]).toEqual(['b', false]);
    nodes.failed(1);
    expect([nodes.active, nodes.awayFromHome]).toEqual(['a', true]);
    nodes.succeeded(0);
    expect(nodes.active).toBe('a');
    nodes.backHome();
    expect([nodes.active, nodes.awayFromHome, nodes.resting(1)]).toEqual(['b', false, false]);
  });

  it('should rest its own node longer each time it is left again before a call there succeeds, so a node that answers the probe but fails the calls is not gone back to every second', () => {
    let now = 0;
    const nodes = new EngineNodes(['a', 'b'], { start: 1, now: () => now });
    nodes.failed(1);
    expect(nodes.restFor(1)).toBe(250);
    now += 250;
    nodes.backHome();
    // back, and it fails the first call again: it rests twice as long
    nodes.failed(1);
    expect([nodes.active, nodes.restFor(1)]).toEqual(['a', 500]);
    now += 500;
    nodes.backHome();
    // a call there succeeds: the count starts again
    nodes.succeeded(1);
    nodes.failed(1);
    expect(nodes.restFor(1)).toBe(250);
  });

  it('should start processes on different nodes by their start number', () => {
    expect(new EngineNodes(['a', 'b'], { start: 3 }).active).toBe('b');
    expect(new EngineNodes(['a', 'b'], { start: 4 }).active).toBe('a');
  });

  it('should take a node that cannot be reached or says 502/503/504 for a node failure, and the engine\'s own error answer (even a 500) for the call\'s', () => {
    expect(classifyNodeFailure(0, 'connect ECONNREFUSED 127.0.0.1:8080')).toBe('refused');
    expect(classifyNodeFailure(0, 'socket hang up')).toBe('lost');
    expect(classifyNodeFailure(0, 'read ECONNRESET')).toBe('lost');
    expect(classifyNodeFailure(503, '')).toBe('refused');
    expect(classifyNodeFailure(502, '<html>Bad Gateway</html>')).toBe('lost');
    expect(classifyNodeFailure(500, '<html>proxy error</html>')).toBe('lost');
    expect(classifyNodeFailure(500, '{"type":"ProcessEngineException","message":"boom"}')).toBeNull();
    expect(classifyNodeFailure(404, '{"type":"InvalidRequestException"}')).toBeNull();
    expect(classifyNodeFailure(400, 'bad')).toBeNull();
  });

  it('should repeat on another node only what changes nothing when the first may have taken it', () => {
    expect(['GET', 'PUT', 'DELETE'].every(repeatable)).toBe(true);
    expect(repeatable('POST')).toBe(false);
  });

  it('should classify the external-task client\'s errors the same way', () => {
    expect(workerCallFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('refused');
    expect(workerCallFailure({ httpStatusCode: 503, response: { body: '' } })).toBe('refused');
    expect(workerCallFailure({ httpStatusCode: 404, response: { body: '{"type":"RestException","message":"no task"}' } })).toBeNull();
  });

  it('should answer from the next node when the first is refused, and throw the call\'s own error at once', async () => {
    const nodes = new EngineNodes(['down', 'up']);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const tried: string[] = [];
    const value = await withFailover(nodes, async (url) => {
      tried.push(url);
      if (url === 'down') throw refused;
      return 42;
    }, workerCallFailure, { budgetMs: 1000, repeatLost: false });
    expect(value).toBe(42);
    expect(tried).toEqual(['down', 'up']);
    expect(nodes.active).toBe('up');
    const own = { httpStatusCode: 404, response: { body: '{"type":"NotFound"}' } };
    await expect(withFailover(nodes, () => Promise.reject(own), workerCallFailure, { budgetMs: 1000, repeatLost: true })).rejects.toBe(own);
  });

  it('should keep trying with back-off for its budget when no node answers, then give up with the last failure', async () => {
    const nodes = new EngineNodes(['a', 'b']);
    let calls = 0;
    const started = Date.now();
    await expect(
      withFailover(nodes, () => {
        calls++;
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      }, workerCallFailure, { budgetMs: 700, repeatLost: false }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('ENGINE_URLS', () => {
  it('should list every engine node, keep ENGINE_URL for one, and refuse both at once, a non-http URL or a repeated one', () => {
    expect(loadConfig({ ENGINE_URLS: 'http://e1:8080/engine-rest/, http://e2:8080/engine-rest' }).engine.restUrls).toEqual(['http://e1:8080/engine-rest', 'http://e2:8080/engine-rest']);
    const one = loadConfig({ ENGINE_URL: 'http://e1:8080/engine-rest' }).engine;
    expect([one.restUrl, one.restUrls]).toEqual(['http://e1:8080/engine-rest', ['http://e1:8080/engine-rest']]);
    expect(loadConfig({}).engine.restUrls).toEqual(['http://127.0.0.1:8080/engine-rest']);
    expect(() => loadConfig({ ENGINE_URLS: 'http://a/engine-rest', ENGINE_URL: 'http://b/engine-rest' })).toThrow(/both set/);
    expect(() => loadConfig({ ENGINE_URLS: 'ftp://a/engine-rest' })).toThrow(/not an http/);
    expect(() => loadConfig({ ENGINE_URLS: 'http://a/x,http://a/x' })).toThrow(/twice/);
    expect(parseEngineUrls(' , http://a/ ,')).toEqual(['http://a']);
  });
});

describe('live event payloads', () => {
  it('should keep ids and an action only, and drop a malformed payload', () => {
    expect(parseLiveEvent('{"type":"task","taskId":"abc-1","dossierId":"HS-2026-000001","action":"CLAIMED","subject":"secret"}')).toEqual({ type: 'task', taskId: 'abc-1', dossierId: 'HS-2026-000001', action: 'CLAIMED' });
    expect(parseLiveEvent('{"type":"dossier","action":"MOVED"}')).toEqual({ type: 'dossier', action: 'MOVED' });
    expect(parseLiveEvent('not json')).toBeNull();
    expect(parseLiveEvent('{"type":"other","action":"X"}')).toBeNull();
    expect(parseLiveEvent('{"type":"dossier","action":"MOVED","dossierId":"<script>"}')).toBeNull();
  });
});

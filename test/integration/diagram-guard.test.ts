import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { refusal } from '../support/engine.ts';
import { EngineError } from '../../platform/engine/client.ts';
import { fuzzDiagrams } from '../../scripts/faults/fuzz.ts';

/**
 * Finding 1 of issue 15: a designer's diagram whose timer starts a service task with a method-call
 * expression ran an operating-system command on the engine's machine within seconds.
 */
function rceDiagram(key: string, marker: string): string {
  const exec = `\${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('touch ${marker}')}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_Rce" targetNamespace="urn:hostile">
  <bpmn:process id="${key}" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="Start_Now">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
      <bpmn:timerEventDefinition id="Start_Now_Timer"><bpmn:timeDate xsi:type="bpmn:tFormalExpression">2020-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_Now" targetRef="Task_Exec" />
    <bpmn:serviceTask id="Task_Exec" camunda:expression="${exec}">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Exec" targetRef="End_Done" />
    <bpmn:endEvent id="End_Done"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
}

describe('diagrams are data, never code (issue 15, finding 1)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ workers: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('should answer 422 BPMN_EXECUTABLE_CODE naming the element and line, and run nothing, when a designer sends a diagram that executes a command', async () => {
    // given a designer and a diagram whose timer starts a task that would run `touch <marker>`
    const marker = path.join(os.tmpdir(), `hst-rce-${randomBytes(6).toString('hex')}`);
    const key = `rce_api_${randomBytes(4).toString('hex')}`;
    const designer = await env.as('thietke');

    // when the designer sends it to our API
    const err = await refusal(designer.post('/api/process-definitions', { xml: rceDiagram(key, marker), fileName: 'rce.bpmn' }));

    // then it is refused with the element and its line, and the engine never saw it
    expect(err.status).toBe(422);
    expect(err.body?.error?.code).toBe('BPMN_EXECUTABLE_CODE');
    expect(err.body?.error?.message).toMatch(/Task_Exec.*dòng 9/);
    expect(await env.engine.listProcessDefinitions({ key })).toEqual([]);
    await new Promise((r) => setTimeout(r, 3000));
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('should refuse the deployment and run nothing when the same diagram is sent straight to the engine REST API', async () => {
    // given the engine's own REST API, past our server
    const marker = path.join(os.tmpdir(), `hst-rce-${randomBytes(6).toString('hex')}`);
    const key = `rce_engine_${randomBytes(4).toString('hex')}`;

    // when the diagram is deployed there
    const outcome = await env.engine.deploy(`hostile:${key}`, [{ name: `${key}.bpmn`, content: rceDiagram(key, marker) }], false, 'hostile').then(
      () => null,
      (e: unknown) => e,
    );

    // then the engine's parse listener refuses it, no definition exists, no job ran and no command ran
    expect(outcome).toBeInstanceOf(EngineError);
    expect((outcome as EngineError).status).toBe(400);
    expect((outcome as EngineError).message).toMatch(/BPMN_EXECUTABLE_CODE.*Task_Exec/);
    expect(await env.engine.listProcessDefinitions({ key })).toEqual([]);
    await new Promise((r) => setTimeout(r, 5000));
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('should deploy and run none of the fault run’s hostile diagrams when each goes to our API and straight to the engine', async () => {
    // given every construct that runs code, in every encoding and prefix, each with a timer that starts it at once
    const markers = path.join(os.tmpdir(), `hst-hostile-${randomBytes(6).toString('hex')}`);
    // when the fuzzer sends them to both doors and waits for the engine's job executor
    const result = await fuzzDiagrams(env.baseUrl, env.engine, markers, 5000);
    // then our API refused each with 422, the engine refused each, nothing was deployed and nothing ran
    expect(result.sent).toBeGreaterThan(100);
    expect(Object.keys(result.serverStatuses)).toEqual(['422']);
    expect(Object.keys(result.engineStatuses)).toEqual(['400']);
    expect(result.deployed).toEqual([]);
    expect(result.executed).toEqual([]);
  });

  it('should refuse a decision model when it is sent straight to the engine REST API', async () => {
    // given a DMN table, whose expressions the parse listener of BPMN never sees
    const dmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="urn:x">
  <decision id="dec_${randomBytes(4).toString('hex')}" name="d"><decisionTable id="t"><output id="o" typeRef="string" /></decisionTable></decision>
</definitions>`;
    // when it is deployed, then it is refused
    const outcome = await env.engine.deploy('hostile:dmn', [{ name: 'x.dmn', content: dmn }], false, 'hostile').then(
      () => null,
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(EngineError);
  });
});

/**
 * bpmnlint over every diagram of processes/, with the checked-in .bpmnlintrc, through its own CLI
 * (the command an operator or a modeller's CI would run): no error and no warning.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = path.join(root, 'node_modules', 'bpmnlint', 'bin', 'bpmnlint.js');
const diagrams = fs
  .readdirSync(path.join(root, 'processes'))
  .filter((name) => name.endsWith('.bpmn'))
  .map((name) => path.join('processes', name));

function bpmnlint(files: string[]) {
  return spawnSync(process.execPath, [cli, '--config', path.join(root, '.bpmnlintrc'), '--max-warnings=0', ...files], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('bpmnlint over processes/*.bpmn', () => {
  it('should extend the recommended rules and Camunda 7.24 compatibility, with the camunda extension loaded', () => {
    const rc = JSON.parse(fs.readFileSync(path.join(root, '.bpmnlintrc'), 'utf8')) as { extends: string[]; rules?: Record<string, string>; moddleExtensions?: Record<string, string> };
    expect(rc.extends).toEqual(['bpmnlint:recommended', 'plugin:camunda-compat/camunda-platform-7-24']);
    expect(rc.moddleExtensions?.camunda).toBe('camunda-bpmn-moddle/resources/camunda.json');
    // nothing switched off: findings are fixed in the diagrams
    expect(Object.values(rc.rules ?? {})).not.toContain('off');
  });

  it('should report no problem when every diagram is linted', () => {
    expect(diagrams.length).toBeGreaterThanOrEqual(2);
    const result = bpmnlint(diagrams);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it('should fail when a diagram breaks a recommended or a Camunda 7 rule', () => {
    // given our diagram with its history time to live and a start event's name taken away
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpmnlint-'));
    try {
      const broken = path.join(dir, 'broken.bpmn');
      const xml = fs.readFileSync(path.join(root, 'processes', 'van-ban-den-dong-gui.bpmn'), 'utf8');
      const edited = xml.replace(/ camunda:historyTimeToLive="[^"]*"/, '').replace(/(<bpmn:startEvent id="Start_AgencyHandling") name="[^"]*"/, '$1');
      expect(edited).not.toBe(xml);
      fs.writeFileSync(broken, edited);

      // when it is linted
      const result = bpmnlint([broken]);

      // then both findings are errors and the run fails
      expect(result.status).not.toBe(0);
      expect(result.stdout).toMatch(/Start_AgencyHandling\s+error\s+.*label-required/);
      expect(result.stdout).toMatch(/error\s+Property <historyTimeToLive> .*camunda-compat\/history-time-to-live/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/**
 * The linter's rules, packed by hand (what bpmnlint-pack-config would generate): the bpmnlint
 * recommended checks as warnings, Camunda 7 compatibility and historyTimeToLive as errors.
 */
import historyTimeToLive from 'bpmnlint-plugin-camunda-compat/rules/camunda-platform/history-time-to-live';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import labelRequired from 'bpmnlint/rules/label-required';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import noBpmndi from 'bpmnlint/rules/no-bpmndi';
import { camunda7Tasks } from './camunda7-tasks.ts';

type Rule = unknown;
const cache: Record<string, Rule> = {
  'bpmnlint-plugin-camunda-compat/history-time-to-live': historyTimeToLive,
  'bpmnlint/start-event-required': startEventRequired,
  'bpmnlint/end-event-required': endEventRequired,
  'bpmnlint/no-disconnected': noDisconnected,
  'bpmnlint/no-implicit-split': noImplicitSplit,
  'bpmnlint/label-required': labelRequired,
  'bpmnlint/no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'bpmnlint/conditional-flows': conditionalFlows,
  'bpmnlint/no-bpmndi': noBpmndi,
  'bpmnlint-plugin-hosotrinh/camunda7-tasks': camunda7Tasks,
};

class Resolver {
  resolveRule(pkg: string, ruleName: string): Rule {
    const rule = cache[`${pkg}/${ruleName}`];
    if (!rule) throw new Error(`cannot resolve rule <${pkg}/${ruleName}>`);
    return rule;
  }
  resolveConfig(pkg: string, configName: string): never {
    throw new Error(`cannot resolve config <${configName}> in <${pkg}>`);
  }
}

export default {
  resolver: new Resolver(),
  config: {
    rules: {
      'camunda-compat/history-time-to-live': 'error',
      'hosotrinh/camunda7-tasks': 'error',
      'start-event-required': 'error',
      'end-event-required': 'error',
      'no-disconnected': 'error',
      'no-duplicate-sequence-flows': 'error',
      'no-bpmndi': 'error',
      'no-implicit-split': 'warn',
      'label-required': 'warn',
      'conditional-flows': 'warn',
    },
  },
};

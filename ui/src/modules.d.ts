// Packages of the modeller that ship no types.
declare module 'bpmn-js-properties-panel';
declare module 'camunda-bpmn-js-behaviors/lib/camunda-platform';
declare module 'bpmn-js-bpmnlint';
declare module 'bpmnlint/rules/*';
declare module 'bpmnlint-plugin-camunda-compat/rules/camunda-platform/*';
declare module 'bpmn-js-differ';

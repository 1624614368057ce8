/** The designer's modeller: bpmn-js with the Camunda 7 properties panel, behaviours, our translations and the linter. */
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import CamundaPlatformBehaviors from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import lintModule from 'bpmn-js-bpmnlint';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import translateModule from './translate/index.ts';
import lintConfig from './lint/config.ts';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type EventBus from 'diagram-js/lib/core/EventBus';
import { APP_FONT, fontReady } from '../fonts.ts';

export type LintIssues = Record<string, { id: string; message: string; category: string; rule: string }[]>;

export function createModeler(container: HTMLElement, panel: HTMLElement, onLint: (issues: LintIssues) => void) {
  const modeler = new BpmnModeler({
    container,
    propertiesPanel: { parent: panel },
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule, CamundaPlatformBehaviors, lintModule, translateModule],
    moddleExtensions: { camunda: camundaModdle },
    linting: { bpmnlint: lintConfig, active: true },
    textRenderer: { defaultStyle: { fontFamily: APP_FONT }, externalStyle: { fontFamily: APP_FONT } },
  });
  modeler.get<EventBus>('eventBus').on('linting.completed', (e: { issues: LintIssues }) => onLint(e.issues));
  return {
    modeler,
    async open(xml: string) {
      await fontReady();
      await modeler.importXML(xml);
      modeler.get<Canvas>('canvas').zoom('fit-viewport');
    },
    async xml(): Promise<string> {
      const r = await modeler.saveXML({ format: true });
      return r.xml ?? '';
    },
    destroy: () => modeler.destroy(),
  };
}

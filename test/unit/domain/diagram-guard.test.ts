import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expressionProblems, findExecutableCode, userTaskForms } from '../../../domain/diagram-guard.ts';
import { hostileDiagrams } from '../../../scripts/faults/fuzz.ts';

const processesDir = new URL('../../../processes/', import.meta.url);

/** A minimal executable diagram with `body` inside its process. */
function diagram(body: string, namespaces = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${namespaces} id="Defs" targetNamespace="urn:x">
  <bpmn:process id="P" isExecutable="true" camunda:historyTimeToLive="1">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

const RCE = "${''.getClass().forName('java.lang.Runtime').getRuntime().exec('touch /tmp/pwned')}";

describe('diagram guard: our own diagrams', () => {
  for (const file of readdirSync(processesDir).filter((f) => f.endsWith('.bpmn'))) {
    it(`should find no executable code when given processes/${file}`, () => {
      // given one of the diagrams the system runs on
      const xml = readFileSync(new URL(file, processesDir), 'utf8');
      // when it is checked, then nothing is refused
      expect(findExecutableCode(xml)).toEqual([]);
    });
  }
});

describe('diagram guard: constructs that run code', () => {
  const cases: [string, string, string][] = [
    ['a script task', '<bpmn:scriptTask id="S" scriptFormat="javascript"><bpmn:script>java.lang.Runtime.getRuntime().exec("id")</bpmn:script></bpmn:scriptTask>', 'S'],
    ['a juel script task', '<bpmn:scriptTask id="S" scriptFormat="juel"><bpmn:script>1</bpmn:script></bpmn:scriptTask>', 'S'],
    ['a script in an execution listener', '<bpmn:startEvent id="E"><bpmn:extensionElements><camunda:executionListener event="start"><camunda:script scriptFormat="groovy">"id".execute()</camunda:script></camunda:executionListener></bpmn:extensionElements></bpmn:startEvent>', 'E'],
    ['a script in an input parameter', '<bpmn:userTask id="U"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x"><camunda:script scriptFormat="javascript">1</camunda:script></camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>', 'U'],
    ['a script condition', '<bpmn:sequenceFlow id="F" sourceRef="A" targetRef="B"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy">true</bpmn:conditionExpression></bpmn:sequenceFlow>', 'F'],
    ['camunda:class on a service task', '<bpmn:serviceTask id="T" camunda:class="com.evil.Delegate" />', 'T'],
    ['camunda:delegateExpression', '<bpmn:serviceTask id="T" camunda:delegateExpression="${evil}" />', 'T'],
    ['camunda:expression on a service task', `<bpmn:serviceTask id="T" camunda:expression="${RCE}" />`, 'T'],
    ['camunda:expression on a send task', '<bpmn:sendTask id="T" camunda:expression="${x}" />', 'T'],
    ['camunda:expression on a business rule task', '<bpmn:businessRuleTask id="T" camunda:expression="${x}" />', 'T'],
    ['an expression listener', '<bpmn:userTask id="U"><bpmn:extensionElements><camunda:taskListener event="create" expression="${task}" /></bpmn:extensionElements></bpmn:userTask>', 'U'],
    ['a class listener', '<bpmn:userTask id="U"><bpmn:extensionElements><camunda:taskListener event="create" class="com.evil.L" /></bpmn:extensionElements></bpmn:userTask>', 'U'],
    ['a connector', '<bpmn:serviceTask id="T"><bpmn:extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></bpmn:extensionElements></bpmn:serviceTask>', 'T'],
    ['a script resource', '<bpmn:scriptTask id="S" scriptFormat="groovy" camunda:resource="classpath://evil.groovy" />', 'S'],
    ['a shell task', '<bpmn:serviceTask id="T" camunda:type="shell"><bpmn:extensionElements><camunda:field name="command" stringValue="id" /></bpmn:extensionElements></bpmn:serviceTask>', 'T'],
    ['a variable mapping class', '<bpmn:callActivity id="C" calledElement="x" camunda:variableMappingClass="com.evil.M" />', 'C'],
    ['a form field validator', '<bpmn:userTask id="U"><bpmn:extensionElements><camunda:formData><camunda:formField id="f" type="string"><camunda:validation><camunda:constraint name="validator" config="com.evil.V" /></camunda:validation></camunda:formField></camunda:formData></bpmn:extensionElements></bpmn:userTask>', 'f'],
    ['a method call in a due date', `<bpmn:userTask id="U" camunda:dueDate="${RCE}" />`, 'U'],
    ['a method call in a condition', `<bpmn:sequenceFlow id="F" sourceRef="A" targetRef="B"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${RCE}</bpmn:conditionExpression></bpmn:sequenceFlow>`, 'F'],
    ['a method call in a timer', `<bpmn:startEvent id="E"><bpmn:timerEventDefinition id="E_T"><bpmn:timeDate xsi:type="bpmn:tFormalExpression">${RCE}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:startEvent>`, 'E_T'],
    ['a deferred expression', "<bpmn:userTask id=\"U\" camunda:candidateGroups=\"#{execution.getProcessEngineServices()}\" />", 'U'],
    ['a field injection expression', '<bpmn:serviceTask id="T" camunda:type="external" camunda:topic="t"><bpmn:extensionElements><camunda:field name="f"><camunda:expression>${x.getClass()}</camunda:expression></camunda:field></bpmn:extensionElements></bpmn:serviceTask>', 'T'],
  ];
  for (const [what, body, id] of cases) {
    it(`should refuse the diagram naming ${id} when it holds ${what}`, () => {
      // given a diagram with the construct
      const xml = diagram(body);
      // when it is checked
      const found = findExecutableCode(xml);
      // then the construct is named with its element and line
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]!.elementId).toBe(id);
      expect(found[0]!.line).toBe(4);
    });
  }

  it('should refuse the expression when it is entity-encoded in an attribute', () => {
    const xml = diagram('<bpmn:userTask id="U" camunda:dueDate="&#36;&#x7b;x.getClass()}" />');
    expect(findExecutableCode(xml).map((v) => v.kind)).toEqual(['EXPRESSION']);
  });

  it('should refuse the expression when it is split across text and CDATA', () => {
    const xml = diagram('<bpmn:sequenceFlow id="F" sourceRef="A" targetRef="B"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">$<![CDATA[{x.getClass()}]]></bpmn:conditionExpression></bpmn:sequenceFlow>');
    expect(findExecutableCode(xml).map((v) => v.kind)).toEqual(['EXPRESSION']);
  });

  it('should refuse a class when the camunda namespace has another prefix', () => {
    const xml = diagram('<bpmn:serviceTask id="T" c:class="com.evil.D" />', 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:c="http://camunda.org/schema/1.0/bpmn"');
    expect(findExecutableCode(xml).map((v) => v.kind)).toEqual(['JAVA_CLASS']);
  });

  it('should refuse a shell task when it is written in the operaton namespace', () => {
    const xml = diagram('<bpmn:serviceTask id="T" q:type="shell" />', 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:q="http://operaton.org/schema/1.0/bpmn"');
    expect(findExecutableCode(xml).map((v) => v.kind)).toEqual(['TASK_TYPE']);
  });

  it('should refuse a shell task when the camunda namespace is bound to the prefix xsi', () => {
    const xml = diagram('<bpmn:serviceTask xmlns:xsi="http://camunda.org/schema/1.0/bpmn" id="T" xsi:type="shell" />');
    expect(findExecutableCode(xml).map((v) => v.kind)).toEqual(['TASK_TYPE']);
  });

  it('should refuse a script when it is written in an unknown namespace', () => {
    const xml = diagram('<z:scriptTask xmlns:z="http://www.omg.org/spec/BPMN/20100524/MODEL" id="S" scriptFormat="groovy"><z:script>1</z:script></z:scriptTask>');
    expect(findExecutableCode(xml)[0]!.kind).toBe('SCRIPT');
  });

  it('should refuse the diagram when it has a DOCTYPE', () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "${x.getClass()}">]>' + diagram('').replace(/^<\?xml[^>]*>/, '');
    expect(findExecutableCode(xml).map((v) => v.kind)).toContain('DOCTYPE');
  });

  it('should refuse the diagram when it is not well-formed', () => {
    expect(findExecutableCode('<bpmn:definitions><a></b></bpmn:definitions>').map((v) => v.kind)).toContain('XML');
  });
});

describe('diagram guard: the expression grammar', () => {
  const allowed = [
    'plain text',
    '${leadAgency}_lanhdao',
    '${reviseOutcome == \'WITHDRAW\'}',
    '${!requiresAppraisal}',
    '${assignedToUbndMember ? leadHeadUserId : \',\'}',
    '${opinionAgenciesCsv.split(",")[loopCounter]}',
    '${a && (b || not c) and empty d}',
    '${n >= 3 && n lt 10 || x != null}',
    "${s == '}'}",
    '#{x}',
  ];
  for (const text of allowed) {
    it(`should allow ${text} when it stays inside the grammar`, () => {
      expect(expressionProblems(text)).toEqual([]);
    });
  }
  const refused = [
    '${x.getClass()}',
    "${''.getClass().forName('java.lang.Runtime')}",
    '${x.y}',
    '${x[0]}',
    "${x['getClass']}",
    '${execution.setVariable("a", 1)}',
    '${fn:call()}',
    '${x.split(y)[0]}',
    '${x.split(",")[0].getClass()}',
    '${x.split(",")[a.b]}',
    '${a + 1}',
    '${a',
    '${true}${x.getClass()}',
    '${\'unclosed}',
    '${a instanceof b}',
    '${ä}',
  ];
  for (const text of refused) {
    it(`should refuse ${text} when it leaves the grammar`, () => {
      expect(expressionProblems(text).length).toBe(1);
    });
  }
});

describe('diagram guard: the fault run’s hostile diagrams', () => {
  it('should refuse every hostile diagram of the fuzzer when each construct is written in every encoding and prefix', () => {
    // given every construct that runs code, plain, entity-encoded, in CDATA, under three prefixes and nested
    const diagrams = hostileDiagrams('/nonexistent', 'unit');
    expect(diagrams.length).toBeGreaterThan(100);
    // when each is checked, then none passes
    expect(diagrams.filter((d) => findExecutableCode(d.xml).length === 0).map((d) => d.what)).toEqual([]);
  });
});

describe('user task forms', () => {
  it('should read each user task and the form it names as the engine parses the XML, not as a scan of tags would', () => {
    const xml = diagram(`
    <!-- <bpmn:userTask id="InComment" camunda:formRef="ghost" camunda:formRefBinding="deployment"> -->
    <bpmn:userTask name="a > b" id="Hidden" camunda:formRef="sign" camunda:formRefBinding="latest" />
    <bpmn:userTask id="Bound" camunda:formRef="give-opinion" camunda:formRefBinding="deployment" />
    <bpmn:userTask id="Unsaid" camunda:formRef="revise" />
    <bpmn:userTask id="Old" camunda:formKey="appraise" />
    <bpmn:userTask id="None" name="&gt;" />`);
    expect(Object.fromEntries(userTaskForms(xml))).toEqual({
      Hidden: { key: 'sign', binding: 'latest' },
      Bound: { key: 'give-opinion', binding: 'deployment' },
      Unsaid: { key: 'revise', binding: 'latest' },
      Old: { key: 'appraise', binding: null },
      None: null,
    });
  });
});

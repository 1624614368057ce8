/** A process `key` of one external task on `topic`: what a worker-runtime test deploys to drive one handler. */
export const oneTaskDiagram = (key: string, topic: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_${key}" targetNamespace="http://ho-so-trinh.test">
  <bpmn:process id="${key}" isExecutable="true" camunda:historyTimeToLive="1">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_Work" />
    <bpmn:serviceTask id="Task_Work" camunda:type="external" camunda:topic="${topic}" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Work" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>`;

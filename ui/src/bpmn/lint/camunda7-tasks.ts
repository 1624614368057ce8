/** Our Camunda 7 conventions: a user task has candidate groups and a due date, a service task is external with a topic. */
type Node = { $type: string; id: string; get(name: string): unknown };
type Reporter = { report(id: string, message: string): void };

export function camunda7Tasks() {
  return {
    check(node: Node, reporter: Reporter) {
      if (node.$type === 'bpmn:UserTask') {
        if (!node.get('camunda:candidateGroups') && !node.get('camunda:assignee') && !node.get('camunda:candidateUsers')) reporter.report(node.id, 'Công việc của người dùng cần nhóm xử lý (candidateGroups)');
        if (!node.get('camunda:dueDate')) reporter.report(node.id, 'Công việc của người dùng cần hạn xử lý (dueDate, R-22)');
      }
      if (node.$type === 'bpmn:ServiceTask' || node.$type === 'bpmn:SendTask') {
        if (node.get('camunda:type') !== 'external' && !node.get('camunda:class') && !node.get('camunda:expression') && !node.get('camunda:delegateExpression')) {
          reporter.report(node.id, 'Công việc tự động cần cách thực hiện (external task với topic)');
        } else if (node.get('camunda:type') === 'external' && !node.get('camunda:topic')) reporter.report(node.id, 'External task cần chủ đề (topic)');
      }
    },
  };
}

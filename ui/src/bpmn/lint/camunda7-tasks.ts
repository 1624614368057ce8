/**
 * Our Camunda 7 conventions: a user task has candidate groups, a due date and its form, named by
 * camunda:formRef, bound by deployment and deployed beside the diagram; a service task is external with a topic.
 */
type Node = { $type: string; id: string; get(name: string): unknown };
type Reporter = { report(id: string, message: string): void };

/** The form ids the designer deploys with the diagram; null while unknown (then only the reference itself is checked). */
let deployedForms: ReadonlySet<string> | null = null;

/** Tells the rule which forms go with the diagram (the designer's page, when it loads or changes them). */
export function setDeployedForms(ids: ReadonlySet<string> | null): void {
  deployedForms = ids;
}

export function camunda7Tasks() {
  return {
    check(node: Node, reporter: Reporter) {
      if (node.$type === 'bpmn:UserTask') {
        if (!node.get('camunda:candidateGroups') && !node.get('camunda:assignee') && !node.get('camunda:candidateUsers')) reporter.report(node.id, 'Công việc của người dùng cần nhóm xử lý (candidateGroups)');
        if (!node.get('camunda:dueDate')) reporter.report(node.id, 'Công việc của người dùng cần hạn xử lý (dueDate, R-22)');
        const formRef = node.get('camunda:formRef');
        if (typeof formRef !== 'string' || !formRef) reporter.report(node.id, 'Công việc của người dùng cần biểu mẫu (formRef)');
        else {
          if (node.get('camunda:formRefBinding') !== 'deployment') reporter.report(node.id, 'Biểu mẫu phải gắn theo lần triển khai (formRefBinding = deployment), để hồ sơ đang chạy giữ phiên bản biểu mẫu của mình');
          if (deployedForms && !deployedForms.has(formRef)) reporter.report(node.id, `Biểu mẫu "${formRef}" không được triển khai cùng sơ đồ`);
        }
        if (node.get('camunda:formKey')) reporter.report(node.id, 'Dùng formRef thay cho formKey');
      }
      if (node.$type === 'bpmn:ServiceTask' || node.$type === 'bpmn:SendTask') {
        if (node.get('camunda:type') !== 'external' && !node.get('camunda:class') && !node.get('camunda:expression') && !node.get('camunda:delegateExpression')) {
          reporter.report(node.id, 'Công việc tự động cần cách thực hiện (external task với topic)');
        } else if (node.get('camunda:type') === 'external' && !node.get('camunda:topic')) reporter.report(node.id, 'External task cần chủ đề (topic)');
      }
    },
  };
}

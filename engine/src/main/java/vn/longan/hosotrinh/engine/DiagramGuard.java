package vn.longan.hosotrinh.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.operaton.bpm.engine.impl.util.xml.Element;

/**
 * Diagrams are data, never code: the same rules as the server's domain/diagram-guard.ts, applied
 * to the engine's own parse of a diagram, so one deployed straight to the REST API is refused too.
 * Elements and attributes are matched by local name in every namespace (camunda, operaton or any
 * other prefix), on text the parser has already decoded (entities, CDATA).
 */
public final class DiagramGuard {

  /** One construct that would run code: what it is, where it is, and the offending text. */
  public record Violation(String kind, String elementId, int line, String detail, Element element) {
    @Override
    public String toString() {
      return kind + " at " + (elementId == null ? "(no id)" : elementId) + ", line " + line + ": " + detail;
    }
  }

  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
  private static final Set<String> SCRIPT_ELEMENTS = Set.of("scriptTask", "script");
  private static final Set<String> CONNECTOR_ELEMENTS = Set.of("connector", "connectorId");
  private static final Set<String> SCRIPT_ATTRIBUTES = Set.of("scriptFormat", "resource", "language");
  private static final Set<String> BEAN_ATTRIBUTES = Set.of("delegateExpression", "expression", "variableMappingDelegateExpression");

  private DiagramGuard() {
  }

  /** Every construct of the diagram under {@code root} that would run code; empty when it is data only. */
  public static List<Violation> check(Element root) {
    List<Violation> found = new ArrayList<>();
    walk(root, null, found);
    return found;
  }

  private static void walk(Element element, String parentId, List<Violation> found) {
    String id = element.attribute("id");
    String where = id != null ? id : parentId;
    int line = element.getLine();
    String name = element.getTagName();
    if (SCRIPT_ELEMENTS.contains(name)) found.add(new Violation("SCRIPT", where, line, name, element));
    if (CONNECTOR_ELEMENTS.contains(name)) found.add(new Violation("CONNECTOR", where, line, name, element));
    boolean validator = false;
    for (String key : element.attributes()) {
      String value = element.attribute(key);
      // Keys are "uri:name" for a namespaced attribute, "name" otherwise; a local name holds no colon.
      int colon = key.lastIndexOf(':');
      String attr = colon < 0 ? key : key.substring(colon + 1);
      String uri = colon < 0 ? "" : key.substring(0, colon);
      if (key.startsWith("xmlns")) continue;
      String shown = key + "=\"" + value + "\"";
      if (SCRIPT_ATTRIBUTES.contains(attr)) {
        found.add(new Violation("SCRIPT", where, line, shown, element));
      } else if (attr.equals("class") || attr.endsWith("Class")) {
        found.add(new Violation("JAVA_CLASS", where, line, shown, element));
      } else if (BEAN_ATTRIBUTES.contains(attr)) {
        found.add(new Violation("BEAN_EXPRESSION", where, line, shown, element));
      } else if (attr.equals("type") && !uri.isEmpty() && !uri.equals(XSI)
          && !value.trim().toLowerCase(Locale.ROOT).equals("external")) {
        // type="shell" runs a command and "mail" sends mail; only external tasks run our workers.
        found.add(new Violation("TASK_TYPE", where, line, shown, element));
      } else {
        checkValue(value, where, line, key, element, found);
      }
      if (name.equals("constraint") && attr.equals("name") && value.trim().equals("validator")) validator = true;
    }
    if (validator) found.add(new Violation("VALIDATOR", where, line, name, element));
    String text = element.getText();
    if (!text.isEmpty()) checkValue(text, where, line, name, element, found);
    for (Element child : element.elements()) walk(child, where, found);
  }

  private static void checkValue(String value, String where, int line, String what, Element element, List<Violation> found) {
    String problem = ExpressionGrammar.problem(value);
    if (problem != null) found.add(new Violation("EXPRESSION", where, line, what + ": " + problem, element));
  }
}

package vn.longan.hosotrinh.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;

import org.operaton.bpm.engine.BpmnParseException;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.el.JuelExpressionManager;
import org.operaton.bpm.engine.impl.persistence.deploy.Deployer;
import org.operaton.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.operaton.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.operaton.bpm.engine.impl.scripting.engine.ScriptEngineResolver;
import org.operaton.bpm.engine.impl.util.xml.Element;
import org.springframework.stereotype.Component;

/**
 * Diagrams are data, never code, inside the engine too: every BPMN diagram passes DiagramGuard
 * (whoever deploys it, our server or a caller of the REST API), no script engine can be found
 * (a script task, listener or condition fails instead of running), expressions see no Spring
 * beans, queries take no expressions, and decision or case models (which carry expressions of
 * their own) are not deployed.
 */
@Component
public class NoCodePlugin extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<BpmnParseListener> listeners = configuration.getCustomPreBPMNParseListeners();
    if (listeners == null) {
      listeners = new ArrayList<>();
      configuration.setCustomPreBPMNParseListeners(listeners);
    }
    listeners.add(new GuardListener());

    List<Deployer> deployers = configuration.getCustomPreDeployers();
    if (deployers == null) {
      deployers = new ArrayList<>();
      configuration.setCustomPreDeployers(deployers);
    }
    deployers.add(new OnlyDiagrams());

    configuration.setScriptEngineResolver(new NoScriptEngines());
    configuration.setEnableFetchScriptEngineFromProcessApplication(false);
    configuration.setEnableScriptEngineLoadExternalResources(false);
    configuration.setConfigureScriptEngineHostAccess(false);
    // Spring's expression manager would expose every bean of the application to ${…}.
    configuration.setExpressionManager(new JuelExpressionManager(new HashMap<>()));
    configuration.setEnableExpressionsInAdhocQueries(false);
    configuration.setEnableExpressionsInStoredQueries(false);
    configuration.setJavaSerializationFormatEnabled(false);
  }

  /**
   * Refuses, at parse time and so before any timer is scheduled, a diagram DiagramGuard objects to:
   * as a parse error on the first offending element, which the REST API answers with 400 and its line.
   */
  static final class GuardListener implements BpmnParseListener {
    @Override
    public void parseRootElement(Element rootElement, List<ProcessDefinitionEntity> processDefinitions) {
      List<DiagramGuard.Violation> found = DiagramGuard.check(rootElement);
      if (found.isEmpty()) return;
      String all = found.stream().limit(5).map(DiagramGuard.Violation::toString).collect(Collectors.joining("; "));
      throw new BpmnParseException("BPMN_EXECUTABLE_CODE: the diagram would run code: " + all, found.get(0).element());
    }
  }

  /** A new deployment carries diagrams and data only: DMN and CMMN models evaluate expressions and scripts of their own. */
  static final class OnlyDiagrams implements Deployer {
    @Override
    public void deploy(DeploymentEntity deployment) {
      if (!deployment.isNew() || deployment.getResources() == null) return;
      for (String name : deployment.getResources().keySet()) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".dmn") || lower.endsWith(".cmmn") || lower.matches(".*\\.(dmn|cmmn)1\\d\\.xml$")) {
          throw new ProcessEngineException("BPMN_EXECUTABLE_CODE: decision and case models are not deployed here: " + name);
        }
      }
    }
  }

  /** Finds no script engine for any language, JUEL's included: a script fails instead of running. */
  static final class NoScriptEngines implements ScriptEngineResolver {
    private final ScriptEngineManager empty = new ScriptEngineManager(null);

    @Override
    public void addScriptEngineFactory(ScriptEngineFactory scriptEngineFactory) {
      // Nobody may add a script engine either.
    }

    @Override
    public ScriptEngineManager getScriptEngineManager() {
      return empty;
    }

    @Override
    public ScriptEngine getScriptEngine(String language, boolean resolveFromCache) {
      return null;
    }
  }
}

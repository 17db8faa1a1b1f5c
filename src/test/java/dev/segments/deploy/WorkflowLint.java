package dev.segments.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks actionlint would make that matter for our two workflows (actionlint itself cannot be installed
 * here): structure, pinned actions, expression contexts and step references, and cron syntax.
 */
final class WorkflowLint {

  static final Set<String> CONTEXTS =
      Set.of("github", "env", "vars", "secrets", "inputs", "steps", "needs", "matrix", "runner", "job", "strategy");
  static final Set<String> FUNCTIONS = Set.of("contains", "startsWith", "endsWith", "format", "join", "toJSON",
      "fromJSON", "hashFiles", "success", "always", "cancelled", "failure", "case");

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
  private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern REFERENCE =
      Pattern.compile("(?<![\\w.\\-])([A-Za-z_][\\w-]*)((?:\\s*\\.\\s*[\\w-]+|\\.\\*|\\[[^\\]]*])*)(\\s*\\()?");
  private static final Pattern PINNED_ACTION =
      Pattern.compile("[\\w.-]+/[\\w.-]+(/[\\w./-]+)?@(v\\d+(\\.\\d+){0,2}|[0-9a-f]{40})");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<String> problems = new ArrayList<>();

  private WorkflowLint() {
  }

  static JsonNode load(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode parse(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new AssertionError("not valid YAML: " + e.getMessage(), e);
    }
  }

  /** Every problem found in the workflow; empty when it passes. */
  static List<String> problems(JsonNode workflow) {
    WorkflowLint lint = new WorkflowLint();
    lint.check(workflow);
    return lint.problems;
  }

  private void check(JsonNode workflow) {
    if (workflow == null || !workflow.isObject()) {
      problems.add("workflow is not a mapping");
      return;
    }
    checkTriggers(workflow.get("on"));
    JsonNode jobs = workflow.get("jobs");
    if (jobs == null || !jobs.isObject() || jobs.isEmpty()) {
      problems.add("workflow has no jobs");
      return;
    }
    Set<String> jobIds = new HashSet<>();
    jobs.fieldNames().forEachRemaining(jobIds::add);
    for (Iterator<Map.Entry<String, JsonNode>> it = workflow.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getKey().equals("jobs") && !entry.getKey().equals("on")) {
        checkExpressions(entry.getValue(), "workflow " + entry.getKey(), Scope.WORKFLOW, false);
      }
    }
    jobs.fields().forEachRemaining(job -> checkJob(job.getKey(), job.getValue(), jobIds));
  }

  private void checkTriggers(JsonNode on) {
    if (on == null || on.isNull() || (on.isContainerNode() && on.isEmpty())) {
      problems.add("workflow has no 'on' triggers");
      return;
    }
    JsonNode schedule = on.path("schedule");
    if (schedule.isMissingNode()) {
      return;
    }
    if (!schedule.isArray() || schedule.isEmpty()) {
      problems.add("on.schedule must be a list of cron entries");
      return;
    }
    for (JsonNode entry : schedule) {
      if (!entry.path("cron").isTextual()) {
        problems.add("on.schedule entry without a cron: " + entry);
      } else {
        problems.addAll(CronSchedule.problems(entry.get("cron").asText()));
      }
    }
  }

  private record Scope(Set<String> stepIds, Set<String> needs, boolean stepsAllowed) {
    static final Scope WORKFLOW = new Scope(Set.of(), Set.of(), false);
  }

  private void checkJob(String jobId, JsonNode job, Set<String> jobIds) {
    String where = "job '" + jobId + "'";
    if (!job.isObject()) {
      problems.add(where + " is not a mapping");
      return;
    }
    Set<String> needs = new HashSet<>();
    JsonNode needsNode = job.path("needs");
    if (needsNode.isTextual()) {
      needs.add(needsNode.asText());
    } else {
      needsNode.forEach(n -> needs.add(n.asText()));
    }
    for (String need : needs) {
      if (!jobIds.contains(need)) {
        problems.add(where + " needs unknown job '" + need + "'");
      }
    }
    if (!job.hasNonNull("runs-on")) {
      problems.add(where + " has no runs-on");
    }
    JsonNode steps = job.path("steps");
    if (!steps.isArray() || steps.isEmpty()) {
      problems.add(where + " has no steps");
      return;
    }
    Set<String> allStepIds = new HashSet<>();
    steps.forEach(step -> {
      if (step.hasNonNull("id")) {
        allStepIds.add(step.get("id").asText());
      }
    });
    for (Iterator<Map.Entry<String, JsonNode>> it = job.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = entry.getKey();
      if (key.equals("steps")) {
        continue;
      }
      // Job outputs are read after every step has run; nothing else at job level sees the steps context.
      Scope scope = key.equals("outputs") ? new Scope(allStepIds, needs, true) : new Scope(Set.of(), needs, false);
      checkExpressions(entry.getValue(), where + " " + key, scope, key.equals("if"));
    }
    Set<String> earlierStepIds = new HashSet<>();
    for (int i = 0; i < steps.size(); i++) {
      JsonNode step = steps.get(i);
      String stepWhere = where + " step " + (i + 1) + " (" + step.path("name").asText(step.path("uses").asText("")) + ")";
      checkStep(step, stepWhere, new Scope(Set.copyOf(earlierStepIds), needs, true));
      if (step.hasNonNull("id")) {
        String id = step.get("id").asText();
        if (!earlierStepIds.add(id)) {
          problems.add(stepWhere + " repeats step id '" + id + "'");
        }
      }
    }
  }

  private void checkStep(JsonNode step, String where, Scope scope) {
    boolean uses = step.hasNonNull("uses");
    boolean run = step.hasNonNull("run");
    if (uses == run) {
      problems.add(where + " must have exactly one of 'uses' and 'run'");
    }
    if (uses) {
      String action = step.get("uses").asText();
      if (!action.startsWith("./") && !action.startsWith("docker://") && !PINNED_ACTION.matcher(action).matches()) {
        problems.add(where + " uses '" + action + "', which is not pinned to a version tag or commit sha");
      }
    }
    step.fields().forEachRemaining(
        entry -> checkExpressions(entry.getValue(), where + " " + entry.getKey(), scope, entry.getKey().equals("if")));
  }

  private void checkExpressions(JsonNode node, String where, Scope scope, boolean bareExpression) {
    if (node.isContainerNode()) {
      node.fields().forEachRemaining(entry -> checkExpressions(entry.getValue(), where, scope, false));
      if (node.isArray()) {
        node.forEach(element -> checkExpressions(element, where, scope, false));
      }
      return;
    }
    if (!node.isTextual()) {
      return;
    }
    String text = node.asText();
    Matcher m = EXPRESSION.matcher(text);
    boolean found = false;
    while (m.find()) {
      found = true;
      if (m.group(1).contains("${{")) {
        problems.add(where + " has an unclosed '${{'");
      }
      checkExpression(m.group(1), where, scope);
    }
    if (!found && bareExpression) {
      checkExpression(text, where, scope);
    }
    if (EXPRESSION.matcher(text).replaceAll("").contains("${{")) {
      problems.add(where + " has an unclosed '${{'");
    }
  }

  private void checkExpression(String expression, String where, Scope scope) {
    String code = STRING_LITERAL.matcher(expression).replaceAll("''");
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      String root = m.group(1);
      if (m.group(3) != null) {
        if (!FUNCTIONS.contains(root)) {
          problems.add(where + " calls unknown function '" + root + "' in '" + expression.trim() + "'");
        }
        continue;
      }
      if (Set.of("true", "false", "null").contains(root) || root.chars().allMatch(Character::isDigit)) {
        continue;
      }
      if (!CONTEXTS.contains(root)) {
        problems.add(where + " references unknown context '" + root + "' in '" + expression.trim() + "'");
        continue;
      }
      String property = firstProperty(m.group(2));
      if (root.equals("steps")) {
        if (!scope.stepsAllowed()) {
          problems.add(where + " uses the steps context where it is not available");
        } else if (property == null || !scope.stepIds().contains(property)) {
          problems.add(where + " references step '" + property + "', which is not an earlier step of the job");
        }
      } else if (root.equals("needs") && (property == null || !scope.needs().contains(property))) {
        problems.add(where + " references needs." + property + ", which is not in the job's needs");
      }
    }
  }

  private static String firstProperty(String path) {
    Matcher m = Pattern.compile("^\\s*\\.\\s*([\\w-]+)").matcher(path);
    return m.find() ? m.group(1) : null;
  }
}

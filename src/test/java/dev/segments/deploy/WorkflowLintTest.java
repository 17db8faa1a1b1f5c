package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our two workflows pass the lint and do what the deployment needs of them. */
class WorkflowLintTest {

  private static final Path WORKFLOWS = ScriptProcess.REPO_ROOT.resolve(".github/workflows");

  private static JsonNode workflow(String name) {
    return WorkflowLint.load(WORKFLOWS.resolve(name));
  }

  private static List<JsonNode> steps(JsonNode workflow) {
    List<JsonNode> steps = new ArrayList<>();
    workflow.path("jobs").forEach(job -> job.path("steps").forEach(steps::add));
    return steps;
  }

  private static JsonNode stepUsing(JsonNode workflow, String actionPrefix) {
    return steps(workflow).stream().filter(s -> s.path("uses").asText().startsWith(actionPrefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no step uses " + actionPrefix));
  }

  private static boolean runs(JsonNode workflow, String commandFragment) {
    return steps(workflow).stream().anyMatch(s -> s.path("run").asText().contains(commandFragment));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ci.yml", "nightly.yml"})
  void workflowPassesTheLint(String name) {
    assertEquals(List.of(), WorkflowLint.problems(workflow(name)));
  }

  @Test
  void everyWorkflowFileIsLinted() throws IOException {
    try (var files = Files.list(WORKFLOWS)) {
      assertEquals(Set.of("ci.yml", "nightly.yml"), Set.copyOf(files.map(f -> f.getFileName().toString()).toList()));
    }
  }

  @Test
  void ciVerifiesEveryPushAndPullRequestOnTemurin17() {
    JsonNode ci = workflow("ci.yml");
    assertTrue(ci.path("on").has("push") && ci.path("on").has("pull_request"), ci.path("on").toString());
    JsonNode java = stepUsing(ci, "actions/setup-java@").path("with");
    assertEquals("temurin", java.path("distribution").asText());
    assertEquals("17", java.path("java-version").asText());
    assertEquals("maven", java.path("cache").asText());
    assertTrue(runs(ci, "mvn -B verify"));
    assertTrue(runs(ci, "apt-get install -y -q shellcheck") && runs(ci, "apt-get install -y -q chromium"));
    List<String> uploaded = steps(ci).stream()
        .filter(s -> s.path("uses").asText().startsWith("actions/upload-artifact@"))
        .peek(s -> assertEquals("always()", s.path("if").asText(), s.toString()))
        .map(s -> s.path("with").path("path").asText()).toList();
    assertTrue(uploaded.contains("target/report-artifacts/") && uploaded.contains("target/surefire-reports/"),
        uploaded.toString());
  }

  @Test
  void nightlyIsScheduledDispatchableAndNeverOverlaps() {
    JsonNode nightly = workflow("nightly.yml");
    assertEquals(2, nightly.path("on").path("schedule").size());
    JsonNode asOf = nightly.path("on").path("workflow_dispatch").path("inputs").path("as_of");
    assertFalse(asOf.isMissingNode(), "workflow_dispatch has no as_of input");
    assertFalse(asOf.path("required").asBoolean(), "as_of must be optional");

    JsonNode segment = nightly.path("jobs").path("segment");
    assertEquals("nightly-segmentation", segment.path("concurrency").path("group").asText());
    assertFalse(segment.path("concurrency").path("cancel-in-progress").asBoolean(true));
    assertEquals("needs.guard.outputs.run == 'true'", segment.path("if").asText());
    nightly.path("jobs").forEach(job -> assertTrue(job.path("timeout-minutes").asInt() > 0, job.toString()));
  }

  @Test
  void nightlyAuthenticatesThroughWorkloadIdentityWithoutSecrets() throws IOException {
    JsonNode nightly = workflow("nightly.yml");
    nightly.path("jobs").forEach(job -> {
      boolean authenticates = StreamSupport.stream(job.path("steps").spliterator(), false)
          .anyMatch(s -> s.path("uses").asText().startsWith("google-github-actions/auth@"));
      // Job-level permissions replace the workflow's, so the job that authenticates must ask for the token.
      JsonNode permissions = job.has("permissions") ? job.get("permissions") : nightly.path("permissions");
      if (authenticates) {
        assertEquals("write", permissions.path("id-token").asText(), "id-token permission of " + job);
        assertEquals("read", permissions.path("contents").asText());
      }
    });
    JsonNode auth = stepUsing(nightly, "google-github-actions/auth@v2").path("with");
    assertTrue(auth.path("workload_identity_provider").asText().startsWith("${{ vars."), auth.toString());
    assertTrue(auth.path("service_account").asText().startsWith("${{ vars."), auth.toString());
    stepUsing(nightly, "google-github-actions/setup-gcloud@v2");
    assertFalse(Files.readString(WORKFLOWS.resolve("nightly.yml")).contains("secrets."), "nightly reads a secret");
  }

  @Test
  void nightlyBuildsStagesSubmitsAndLinksTheLogs() {
    JsonNode nightly = workflow("nightly.yml");
    assertTrue(runs(nightly, "mvn -B -DskipTests package"));
    assertTrue(runs(nightly, "gcloud storage cp target/customer-segments.jar \"$prefix/"));
    assertTrue(runs(nightly, "gs://$GCS_BUCKET/runs/$RUN_ID"), "the run id is not in the staging path");
    assertTrue(runs(nightly, "dataproc/submit.sh"));
    assertTrue(runs(nightly, "scripts/london-guard.sh --cron \"$SCHEDULE\""));
    JsonNode summary = steps(nightly).stream()
        .filter(s -> s.path("run").asText().contains("$GITHUB_STEP_SUMMARY")).findFirst().orElseThrow();
    assertTrue(summary.path("if").asText().startsWith("always()"), summary.toString());
    assertTrue(summary.path("env").path("LOGS_URL").asText().contains("steps.submit.outputs.logs_url"));
  }

  @Test
  void everyPlaceholderInTheProductionConfigIsFilledByTheNightly() throws IOException {
    String config = Files.readString(ScriptProcess.REPO_ROOT.resolve("dataproc/production.yaml"));
    WorkflowLint.parse(config);
    String stage = steps(workflow("nightly.yml")).stream().map(s -> s.path("run").asText())
        .filter(run -> run.contains("envsubst")).findFirst().orElseThrow();
    Matcher placeholder = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(config);
    int count = 0;
    while (placeholder.find()) {
      count++;
      assertTrue(stage.contains("${" + placeholder.group(1) + "}"), placeholder.group() + " is never filled");
    }
    assertEquals(4, count, "placeholders in production.yaml");
  }
}

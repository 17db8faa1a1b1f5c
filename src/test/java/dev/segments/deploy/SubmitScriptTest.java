package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** dataproc/submit.sh: the gcloud commands it builds, its input checks, and how it ends for each batch state. */
class SubmitScriptTest {

  private static final Map<String, String> INPUTS = Map.of(
      "GCP_PROJECT", "acme-segments",
      "DATAPROC_REGION", "europe-west2",
      "DATAPROC_SERVICE_ACCOUNT", "segments-batch@acme-segments.iam.gserviceaccount.com",
      "JAR_URI", "gs://acme-segments-runs/runs/9876-2/customer-segments.jar",
      "CONFIG_URI", "gs://acme-segments-runs/runs/9876-2/production.yaml",
      "RUN_ID", "9876-2");

  @TempDir
  Path temp;

  private static ScriptProcess submit(Map<String, String> environment, String... flags) {
    return ScriptProcess.bash("dataproc/submit.sh", environment, flags);
  }

  private static String commandLine(ScriptProcess result, String prefix) {
    return result.stdout().lines().filter(line -> line.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + result.stdout() + result.stderr()));
  }

  @Test
  void dryRunPrintsTheSubmitCommandWithEveryInput() {
    ScriptProcess result = submit(ScriptProcess.with(INPUTS, "DRY_RUN", "1", "DATAPROC_SUBNET", "segments-subnet"),
        "--as-of", "2026-10-25");
    assertEquals(0, result.exitCode(), result.toString());
    String submit = commandLine(result, "+ gcloud dataproc batches submit spark ");
    for (String expected : List.of("--project=acme-segments", "--region=europe-west2", "--version=2.3",
        "--batch=segments-9876-2", "--class=dev.segments.cli.SegmentCli",
        "--jars=gs://acme-segments-runs/runs/9876-2/customer-segments.jar",
        "--service-account=segments-batch@acme-segments.iam.gserviceaccount.com", "--subnet=segments-subnet",
        "run_id=9876-2", "as_of=2026-10-25",
        "dataproc.sparkBqConnector.uri=gs://spark-lib/bigquery/spark-3.5-bigquery-0.42.1.jar",
        "spark.sql.adaptive.enabled=true", "spark.sql.session.timeZone=UTC", "spark.segments.dataprocRuntime=2.3",
        "--async")) {
      assertTrue(submit.contains(expected), expected + " missing from " + submit);
    }
    assertFalse(submit.contains("partitionOverwriteMode"), submit);
    // --files reaches only the executors' working directories; the driver reads the config from its gs:// URI.
    assertFalse(submit.contains("--files"), submit);
    String jobArgs = submit.substring(submit.indexOf(" -- ") + 4);
    assertEquals("run --config gs://acme-segments-runs/runs/9876-2/production.yaml --source sheets --sink bigquery --set "
        + "sheets.impersonate_service_account=segments-batch@acme-segments.iam.gserviceaccount.com --as-of 2026-10-25",
        jobArgs);
    commandLine(result, "+ gcloud dataproc batches describe segments-9876-2 ");
    assertTrue(result.stdout().contains(
        "https://console.cloud.google.com/dataproc/batches/europe-west2/segments-9876-2/monitoring?project=acme-segments"),
        result.stdout());
  }

  /** A local jar is staged under its content hash, a local config under the run; the batch gets their gs:// URIs. */
  @Test
  void localFilesAreStagedAndTheJarUnderItsContentHash() throws Exception {
    Path jar = temp.resolve("customer-segments.jar");
    Files.writeString(jar, "jar bytes");
    Path config = temp.resolve("production.yaml");
    Files.writeString(config, "sink: bigquery\n");
    String sha256 = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
    String jarUri = "gs://acme-segments-runs/jars/segments-" + sha256 + ".jar";

    ScriptProcess result = submit(ScriptProcess.with(INPUTS, "DRY_RUN", "1", "JAR_URI", jar.toString(), "CONFIG_URI",
        config.toString(), "GCS_BUCKET", "acme-segments-runs"));

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(commandLine(result, "+ gcloud storage cp " + jar + " " + jarUri + " --custom-time=").length() > 0);
    commandLine(result, "+ gcloud storage cp " + config + " gs://acme-segments-runs/runs/9876-2/production.yaml");
    String submit = commandLine(result, "+ gcloud dataproc batches submit spark ");
    assertTrue(submit.contains("--jars=" + jarUri), submit);
    assertTrue(submit.contains(" -- run --config gs://acme-segments-runs/runs/9876-2/production.yaml "), submit);
  }

  /** A jar already staged is not uploaded again; its custom time moves on, so the lifecycle rule keeps it. */
  @Test
  void aJarAlreadyStagedIsNotUploadedAgain() throws IOException {
    Path jar = temp.resolve("customer-segments.jar");
    Files.writeString(jar, "jar bytes");
    Map<String, String> environment = ScriptProcess.with(fakeGcloud("SUCCEEDED"), "JAR_URI", jar.toString(),
        "GCS_BUCKET", "acme-segments-runs");

    ScriptProcess result = submit(environment);

    assertEquals(0, result.exitCode(), result.toString());
    List<String> calls = gcloudCalls();
    assertTrue(calls.get(0).startsWith("storage objects describe gs://acme-segments-runs/jars/segments-"), calls.toString());
    assertTrue(calls.get(1).startsWith("storage objects update gs://acme-segments-runs/jars/segments-")
        && calls.get(1).contains("--custom-time="), calls.toString());
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("storage cp")), calls.toString());
  }

  @Test
  void aLocalJarNeedsABucket() throws IOException {
    Path jar = temp.resolve("customer-segments.jar");
    Files.writeString(jar, "jar bytes");
    ScriptProcess result = submit(ScriptProcess.with(INPUTS, "DRY_RUN", "1", "JAR_URI", jar.toString()));

    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("--bucket/GCS_BUCKET must name the bucket"), result.stderr());
  }

  @Test
  void flagsOverrideEnvironmentAndAsOfIsOptional() {
    ScriptProcess result = submit(ScriptProcess.with(INPUTS, "DRY_RUN", "1"), "--region", "us-central1", "--run-id", "42_1");
    assertEquals(0, result.exitCode(), result.toString());
    String submit = commandLine(result, "+ gcloud dataproc batches submit spark ");
    assertTrue(submit.contains("--region=us-central1"), submit);
    assertTrue(submit.contains("--batch=segments-42-1"), submit);
    assertFalse(submit.contains("--as-of"), submit);
    assertFalse(submit.contains("--subnet"), submit);
  }

  @Test
  void missingRequiredInputsAreNamedWithTheUsage() {
    ScriptProcess result = submit(Map.of("DRY_RUN", "1", "DATAPROC_REGION", "europe-west2"));
    assertEquals(2, result.exitCode(), result.toString());
    for (String missing : List.of("--project/GCP_PROJECT", "--service-account/DATAPROC_SERVICE_ACCOUNT",
        "--jar/JAR_URI", "--config/CONFIG_URI", "--run-id/RUN_ID")) {
      assertTrue(result.stderr().contains(missing), missing + " not named in:\n" + result.stderr());
    }
    assertFalse(result.stderr().contains("--region/DATAPROC_REGION"), result.stderr());
    assertTrue(result.stderr().contains("Usage: dataproc/submit.sh"), result.stderr());
    assertFalse(result.stdout().contains("gcloud"), "printed a command despite bad input: " + result.stdout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--as-of=2026-02-30", "--jar=/tmp/app.jar", "--run-id=Run 7", "--timeout=soon", "--nope=1"})
  void badInputIsRejectedBeforeAnythingRuns(String flagAndValue) {
    String[] parts = flagAndValue.split("=", 2);
    ScriptProcess result = submit(ScriptProcess.with(INPUTS, "DRY_RUN", "1"), parts[0], parts[1]);
    assertEquals(2, result.exitCode(), result.toString());
    assertFalse(result.stdout().contains("gcloud"), result.stdout());
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    ScriptProcess result = submit(Map.of(), "--help");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("DRY_RUN=1"), result.stdout());
  }

  /** A stand-in for gcloud (not our code) that logs its arguments and reports the batch states it is given. */
  private Map<String, String> fakeGcloud(String... states) throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path statesFile = temp.resolve("states");
    Files.write(statesFile, List.of(states));
    Path gcloud = bin.resolve("gcloud");
    Files.writeString(gcloud, """
        #!/usr/bin/env bash
        printf '%s\\n' "$*" >> "$FAKE_GCLOUD_LOG"
        if [[ "$*" == "dataproc batches describe "* ]]; then
          state=$(head -n 1 "$FAKE_GCLOUD_STATES")
          # The last state stays for every later check.
          if (($(wc -l < "$FAKE_GCLOUD_STATES") > 1)); then
            tail -n +2 "$FAKE_GCLOUD_STATES" > "$FAKE_GCLOUD_STATES.rest"
            mv "$FAKE_GCLOUD_STATES.rest" "$FAKE_GCLOUD_STATES"
          fi
          if [[ "$state" == ERROR ]]; then
            echo "ERROR: (gcloud.dataproc.batches.describe) There was a problem refreshing your current auth tokens" >&2
            exit 1
          fi
          echo "$state"
        fi
        """);
    assertTrue(gcloud.toFile().setExecutable(true));
    return ScriptProcess.with(INPUTS, "PATH", bin + ":" + System.getenv("PATH"), "FAKE_GCLOUD_LOG", temp.resolve("log").toString(),
        "FAKE_GCLOUD_STATES", statesFile.toString(), "POLL_SECONDS", "0",
        "GITHUB_OUTPUT", temp.resolve("github-output").toString());
  }

  private List<String> gcloudCalls() throws IOException {
    return Files.readAllLines(temp.resolve("log"));
  }

  private String githubOutput() throws IOException {
    return Files.readString(temp.resolve("github-output"));
  }

  @Test
  void waitsThroughRunningStatesAndSucceeds() throws IOException {
    ScriptProcess result = submit(fakeGcloud("PENDING", "RUNNING", "RUNNING", "SUCCEEDED"));
    assertEquals(0, result.exitCode(), result.toString());
    List<String> calls = gcloudCalls();
    assertEquals(5, calls.size(), calls.toString());
    assertTrue(calls.get(0).startsWith("dataproc batches submit spark "), calls.get(0));
    assertTrue(calls.subList(1, 5).stream().allMatch(call -> call.startsWith("dataproc batches describe segments-9876-2")));
    assertTrue(githubOutput().contains("state=SUCCEEDED"), githubOutput());
    assertTrue(githubOutput().contains("logs_url=https://console.cloud.google.com/logs/query;"), githubOutput());
  }

  @ParameterizedTest
  @ValueSource(strings = {"FAILED", "CANCELLED"})
  void aBatchThatDoesNotSucceedFailsTheScript(String endState) throws IOException {
    ScriptProcess result = submit(fakeGcloud("RUNNING", endState));
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains(endState), result.stderr());
    assertTrue(githubOutput().contains("state=" + endState), githubOutput());
  }

  @Test
  void aBatchStillRunningAtTheTimeoutIsCancelledAndFails() throws IOException {
    ScriptProcess result = submit(ScriptProcess.with(fakeGcloud("RUNNING"), "WAIT_TIMEOUT_SECONDS", "0"));
    assertEquals(1, result.exitCode(), result.toString());
    List<String> calls = gcloudCalls();
    assertTrue(calls.get(calls.size() - 1).startsWith("dataproc batches cancel segments-9876-2 "), calls.toString());
    assertTrue(githubOutput().contains("state=TIMED_OUT"), githubOutput());
  }

  @Test
  void aFailedStateCheckIsTriedAgainAndTheWaitGoesOn() throws IOException {
    ScriptProcess result = submit(fakeGcloud("RUNNING", "ERROR", "RUNNING", "SUCCEEDED"));

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("reading the state of batch segments-9876-2 failed (attempt 1); trying again "
        + "in 2s"), result.stderr());
    assertEquals(4, gcloudCalls().stream().filter(call -> call.startsWith("dataproc batches describe")).count());
    assertFalse(gcloudCalls().stream().anyMatch(call -> call.startsWith("dataproc batches cancel")), gcloudCalls().toString());
    assertTrue(githubOutput().contains("state=SUCCEEDED"), githubOutput());
  }

  @Test
  void stateChecksThatKeepFailingCancelTheBatchAndFail() throws IOException {
    ScriptProcess result = submit(ScriptProcess.with(fakeGcloud("RUNNING", "ERROR"), "DESCRIBE_ATTEMPTS", "2"));

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("could not read the state of batch segments-9876-2 after 2 attempts"),
        result.stderr());
    List<String> calls = gcloudCalls();
    assertEquals(3, calls.stream().filter(call -> call.startsWith("dataproc batches describe")).count(), calls.toString());
    assertTrue(calls.get(calls.size() - 1).startsWith("dataproc batches cancel segments-9876-2 "), calls.toString());
    assertTrue(githubOutput().contains("state=UNKNOWN"), githubOutput());
  }

  @Test
  void aSubmitThatFailsLeavesNothingToCancel() throws IOException {
    Map<String, String> environment = fakeGcloud("RUNNING");
    Path gcloud = temp.resolve("bin/gcloud");
    Files.writeString(gcloud, Files.readString(gcloud).replace("printf '%s\\n' \"$*\" >> \"$FAKE_GCLOUD_LOG\"",
        "printf '%s\\n' \"$*\" >> \"$FAKE_GCLOUD_LOG\"; [[ \"$1 $2\" != 'dataproc batches' || \"$3\" != submit ]] || exit 1"));

    ScriptProcess result = submit(environment);

    assertEquals(1, result.exitCode(), result.toString());
    assertEquals(1, gcloudCalls().size(), gcloudCalls().toString());
  }

  /**
   * A cancelled or timed-out GitHub job signals the step's process (SIGINT, then SIGTERM: "Cancelling a workflow",
   * https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-workflow-runs/canceling-a-workflow);
   * the script cancels its batch at once, in the middle of a long poll wait.
   */
  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void aSignalFromTheRunnerCancelsTheBatch(String signal) throws Exception {
    Map<String, String> environment = ScriptProcess.with(fakeGcloud("PENDING", "RUNNING"), "POLL_SECONDS", "300");
    ProcessBuilder builder = new ProcessBuilder("bash", "dataproc/submit.sh")
        .directory(ScriptProcess.REPO_ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("out").toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(temp.resolve("log")) || gcloudCalls().stream().noneMatch(c -> c.startsWith("dataproc batches describe"))) {
        assertTrue(System.nanoTime() < until, "the script never checked the batch's state");
        Thread.sleep(50);
      }
      Thread.sleep(300); // into the poll wait
      assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());

      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the script did not stop on SIG" + signal);
      assertEquals(1, process.exitValue());
      List<String> calls = gcloudCalls();
      assertTrue(calls.get(calls.size() - 1).startsWith("dataproc batches cancel segments-9876-2 "), calls.toString());
      assertTrue(githubOutput().contains("state=STOPPED"), githubOutput());
      assertTrue(Files.readString(temp.resolve("out")).contains("received SIG" + signal), Files.readString(temp.resolve("out")));
    } finally {
      process.destroyForcibly();
    }
  }

  /** The real gcloud, with no account, parses every flag before it stops for want of credentials. */
  @Test
  void realGcloudAcceptsTheDryRunCommands() throws IOException {
    assumeTrue(ScriptProcess.onPath("gcloud"), "gcloud is not installed");
    ScriptProcess dryRun = submit(ScriptProcess.with(INPUTS, "DRY_RUN", "1", "DATAPROC_SUBNET", "default"), "--as-of", "2026-03-29");
    Map<String, String> noAccount = Map.of("CLOUDSDK_CONFIG", Files.createDirectories(temp.resolve("gcloud")).toString(),
        "CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    for (String prefix : List.of("+ gcloud dataproc batches submit spark ", "+ gcloud dataproc batches describe ")) {
      String command = commandLine(dryRun, prefix).substring(2);
      ScriptProcess parsed = ScriptProcess.run(List.of("bash", "-c", command), noAccount);
      // Exit 2 with a usage message is gcloud's answer to a bad flag; 1 with this message comes after parsing.
      assertEquals(1, parsed.exitCode(), command + "\n" + parsed);
      assertTrue(parsed.stderr().contains("You do not currently have an active account selected"), parsed.stderr());
    }
  }
}

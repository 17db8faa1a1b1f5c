package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.segments.SamplePipelineRun;
import dev.segments.sink.DuckDbReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four nights on the local sink through the command line: the sample, the same sheets exported a day later (every
 * purchase a day later: nothing changed), then the sample with half its incomes tripled, first with {@code psi} in
 * alerts.block_on (blocked: exit 4, nothing published) and then with the default block_on (published, the PSI
 * flagged); and {@code segment status} on what was published. k is fixed to keep each run short.
 */
class NightGateTest {
  private static final String NIGHT_1 = SamplePipelineRun.AS_OF;
  private static final String NIGHT_2 = LocalDate.parse(NIGHT_1).plusDays(1).toString();
  private static final String NIGHT_3 = LocalDate.parse(NIGHT_1).plusDays(2).toString();

  @TempDir static Path temp;
  private static Path out;
  private static SamplePipelineRun.Result blocked;
  private static Path currentBeforeBlock;
  private static Path currentAfterBlock;
  private static SamplePipelineRun.Result warned;
  private static List<Map<String, Object>> night2Changes;
  private static List<Map<String, Object>> night3Changes;

  @BeforeAll
  static void nights() throws IOException {
    out = temp.resolve("out");
    Path shifted = PlantedShift.incomesTripled(temp.resolve("shifted"));
    SamplePipelineRun.run(SamplePipelineRun.SAMPLE, out, NIGHT_1, "--k", "3");
    SamplePipelineRun.run(PlantedShift.oneDayLater(temp.resolve("later")), out, NIGHT_2, "--k", "3");
    night2Changes = changes(NIGHT_2);
    currentBeforeBlock = Files.readSymbolicLink(out.resolve("current"));
    blocked = SamplePipelineRun.execute(SamplePipelineRun.args(shifted, out, NIGHT_3, "--k", "3",
        "--set", "alerts.block_on=[psi]"));
    currentAfterBlock = Files.readSymbolicLink(out.resolve("current"));
    warned = SamplePipelineRun.execute(SamplePipelineRun.args(shifted, out, NIGHT_3, "--k", "3"));
    night3Changes = changes(NIGHT_3);
  }

  private static List<Map<String, Object>> changes(String date) {
    return DuckDbReader.query(out.resolve("current").resolve("segments.duckdb"),
        "SELECT kind, subject, metric, previous, current, alert, previous_run_date FROM night_changes"
            + " WHERE run_date = DATE '" + date + "'");
  }

  private static Map<String, Object> row(List<Map<String, Object>> rows, String kind, String subject, String metric) {
    return rows.stream().filter(r -> r.get("kind").equals(kind) && r.get("subject").equals(subject)
        && r.get("metric").equals(metric)).findFirst().orElseThrow(() -> new AssertionError(kind + "/" + subject
            + "/" + metric + " missing from " + rows));
  }

  private static double number(Map<String, Object> row, String column) {
    return ((Number) row.get(column)).doubleValue();
  }

  @Test
  void anUnchangedNightMovesNoCustomerAndShiftsNoFeature() {
    assertEquals(NIGHT_1, row(night2Changes, "segment", "all", "moved").get("previous_run_date").toString());
    assertEquals(0, number(row(night2Changes, "segment", "all", "moved"), "current"));
    assertEquals(0, number(row(night2Changes, "segment", "all", "new"), "current"));
    assertEquals(0, number(row(night2Changes, "segment", "all", "gone"), "current"));
    List<Map<String, Object>> psi = night2Changes.stream().filter(r -> r.get("kind").equals("feature")).toList();
    assertTrue(psi.size() >= 4, "a PSI per feature: " + psi);
    for (Map<String, Object> feature : psi) {
      assertTrue(number(feature, "current") < 0.01, "PSI of an unchanged night: " + feature);
    }
    assertTrue(night2Changes.stream().allMatch(r -> r.get("alert") == null), night2Changes.toString());
  }

  @Test
  void aShiftWhoseAlertIsInBlockOnStopsTheNightAndPublishesNothing() {
    assertEquals(4, blocked.exitCode(), blocked.printed());
    assertTrue(blocked.printed().contains("Night blocked: the night of " + NIGHT_3 + " breaches psi: psi of feature"
        + " income "), blocked.printed());
    assertTrue(blocked.printed().contains("> 0.25 against the night of " + NIGHT_2), blocked.printed());
    assertEquals(currentBeforeBlock, currentAfterBlock, "the blocked night left the current version alone");
  }

  @Test
  void theSameShiftOnlyWarnsWhenItsAlertIsNotInBlockOn() throws IOException {
    assertEquals(0, warned.exitCode(), warned.printed());
    Map<String, Object> income = row(night3Changes, "feature", "income", "psi");
    assertEquals("psi", income.get("alert"));
    assertTrue(number(income, "current") > 0.25, income.toString());
    String report = Files.readString(out.resolve("current").resolve("report.html"));
    assertTrue(report.contains("<p>Compared with the night of " + NIGHT_2 + ".</p>"), "the report's What changed");
    assertTrue(report.contains("<li><strong>psi</strong>: psi of feature income is "), "the breach in the report");
    assertTrue(report.contains("<tr class=\"breach\"><th scope=\"row\">income</th>"), "income flagged");
  }

  /**
   * The nightly workflow's job-summary step, its script as written in nightly.yml, run by bash in a folder holding
   * the production config it names (here the local sink of these nights) and a {@code bin/segment} that starts the
   * command line in a JVM of its own on the test class path.
   */
  @Test
  void theNightlyJobSummaryStepAppendsThePublishedNight() throws IOException, InterruptedException {
    JsonNode nightly = new ObjectMapper(new YAMLFactory()).readTree(Path.of(".github/workflows/nightly.yml").toFile());
    JsonNode step = null;
    for (JsonNode candidate : nightly.path("jobs").path("segment").path("steps")) {
      if (candidate.path("run").asText().contains("bin/segment status")) {
        step = candidate;
      }
    }
    assertTrue(step != null, "no step runs bin/segment status");
    Path workspace = Files.createDirectories(temp.resolve("workspace"));
    Files.createDirectories(workspace.resolve("target/deploy"));
    Files.writeString(workspace.resolve("target/deploy/production.yaml"), "sink: local\noutput: " + out + "\n");
    Path launcher = Files.createDirectories(workspace.resolve("bin")).resolve("segment");
    Files.writeString(launcher, "#!/usr/bin/env bash\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -cp '" + System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        + "' dev.segments.cli.SegmentCli \"$@\"\n");
    launcher.toFile().setExecutable(true);
    Path summary = Files.writeString(workspace.resolve("summary.md"), "### Dataproc batch `b`: SUCCEEDED\n");
    // GitHub runs a bash step as `bash --noprofile --norc -eo pipefail {0}` (docs, "Workflow syntax", shell).
    ProcessBuilder bash = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
        step.path("run").asText()).directory(workspace.toFile()).redirectErrorStream(true);
    bash.environment().put("AS_OF", NIGHT_3);
    bash.environment().put("GITHUB_STEP_SUMMARY", summary.toString());
    Process process = bash.start();
    String printed = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), printed);
    String written = Files.readString(summary);
    assertTrue(written.startsWith("### Dataproc batch `b`: SUCCEEDED\n### Segmentation night of " + NIGHT_3
        + ": published\n"), written);
    assertTrue(written.contains("- psi: psi of feature income "), written);
    assertTrue(written.contains("| Segment | Last night | Tonight | Moved in | Moved out | New | Gone |"), written);
  }

  @Test
  void statusPrintsThePublishedNightAndItsBreaches() {
    SamplePipelineRun.Result status = SamplePipelineRun.execute("status", "--output", out.toString(), "--as-of",
        NIGHT_3);
    assertEquals(0, status.exitCode(), status.printed());
    assertTrue(status.printed().startsWith("### Segmentation night of " + NIGHT_3 + ": published"), status.printed());
    assertTrue(status.printed().contains("- compared with the night of " + NIGHT_2), status.printed());
    assertTrue(status.printed().contains("- psi: psi of feature income "), status.printed());
    assertTrue(status.printed().contains("| income | "), status.printed());

    SamplePipelineRun.Result missing = SamplePipelineRun.execute("status", "--output", out.toString(), "--as-of",
        LocalDate.parse(NIGHT_1).minusDays(1).toString());
    assertEquals(1, missing.exitCode(), missing.printed());
    assertEquals("no night published for " + LocalDate.parse(NIGHT_1).minusDays(1) + "\n", missing.printed());
  }
}

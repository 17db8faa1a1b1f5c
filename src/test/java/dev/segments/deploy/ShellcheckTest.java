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
 * shellcheck over our scripts and over every workflow {@code run:} block. Where shellcheck is missing the
 * test is skipped on a workstation but fails under CI, whose set-up installs it.
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
    List<String> command = new ArrayList<>(List.of("shellcheck", "--shell=bash", "--severity=warning", "-x"));
    files.forEach(file -> command.add(file.toString()));
    ScriptProcess result = ScriptProcess.run(command, Map.of());
    return result.exitCode() == 0 ? "" : result.stdout() + result.stderr();
  }

  @Test
  void scriptsAreClean() throws IOException {
    List<Path> scripts = new ArrayList<>();
    for (String folder : List.of("scripts", "dataproc")) {
      try (Stream<Path> files = Files.list(ROOT.resolve(folder))) {
        files.filter(f -> f.toString().endsWith(".sh") || f.toString().endsWith(".env")).forEach(scripts::add);
      }
    }
    assertTrue(scripts.contains(ROOT.resolve("dataproc/submit.sh")), scripts.toString());
    assertTrue(scripts.contains(ROOT.resolve("scripts/london-guard.sh")), scripts.toString());
    assertEquals("", shellcheck(scripts));
  }

  @Test
  void workflowRunBlocksAreClean(@TempDir Path temp) throws IOException {
    List<Path> blocks = new ArrayList<>();
    for (String workflow : List.of("ci.yml", "nightly.yml")) {
      JsonNode jobs = WorkflowLint.load(ROOT.resolve(".github/workflows").resolve(workflow)).path("jobs");
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
    assertTrue(blocks.size() >= 6, "run blocks found: " + blocks);
    assertEquals("", shellcheck(blocks));
  }
}

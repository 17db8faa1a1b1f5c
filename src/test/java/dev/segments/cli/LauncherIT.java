package dev.segments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.pipeline.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a user types it: {@code bin/segment} started from another working directory, with
 * the packaged jar (an integration test, so it runs after {@code package}).
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("bin", "segment").toAbsolutePath();

  @TempDir Path workingDirectory;

  private record Exit(int code, String output) {}

  private Exit launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    Path log = workingDirectory.resolve("launcher.log");
    Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(8, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bin/segment " + String.join(" ", args) + " did not finish: "
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Exit(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void printsHelpAndTheEffectiveConfiguration() throws Exception {
    Exit help = launch("--help");
    assertEquals(0, help.code(), help.output());
    assertTrue(help.output().contains("run ") && help.output().contains("cluster "), help.output());

    Exit config = launch("config", "--k", "4", "--as-of", "2025-12-15");
    assertEquals(0, config.code(), config.output());
    assertTrue(config.output().contains("k: 4") && config.output().contains("as_of: 2025-12-15"), config.output());
  }

  @Test
  void runsTheBundledSampleFromAnyFolderIntoARelativeOutput() throws Exception {
    Exit run = launch("run", "--output", "segments-out", "--as-of", "2025-12-15", "--k", "3", "--master",
        "local[2]");

    assertEquals(0, run.code(), run.output());
    assertTrue(run.output().contains("customers in 3 segments"), run.output());
    Path current = workingDirectory.resolve("segments-out").resolve("current");
    assertTrue(Files.isRegularFile(current.resolve("segments.duckdb")), run.output());
    assertTrue(Files.isRegularFile(current.resolve(Pipeline.REPORT_FILE)), run.output());
  }
}

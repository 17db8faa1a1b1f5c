package dev.segments.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command of the deploy tooling in the repository root and captures what it said. */
record ScriptProcess(int exitCode, String stdout, String stderr) {

  static final Path REPO_ROOT = Path.of("").toAbsolutePath();

  static ScriptProcess run(List<String> command, Map<String, String> environment) {
    try {
      Path out = Files.createTempFile("deploy-out", ".txt");
      Path err = Files.createTempFile("deploy-err", ".txt");
      try {
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(REPO_ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        // GitHub variables leaking in from a CI runner would change what the scripts write.
        builder.environment().remove("GITHUB_OUTPUT");
        builder.environment().remove("GITHUB_STEP_SUMMARY");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("still running after 60 s: " + command);
        }
        return new ScriptProcess(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  /** {@code bash script flags...} with these environment variables. */
  static ScriptProcess bash(String script, Map<String, String> environment, String... flags) {
    List<String> command = new ArrayList<>(List.of("bash", script));
    command.addAll(List.of(flags));
    return run(command, environment);
  }

  /** {@code base} with the given {@code key, value, key, value...} added or replaced. */
  static Map<String, String> with(Map<String, String> base, String... keyValues) {
    Map<String, String> environment = new HashMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      environment.put(keyValues[i], keyValues[i + 1]);
    }
    return environment;
  }

  static boolean onPath(String program) {
    return run(List.of("bash", "-c", "command -v " + program), Map.of()).exitCode() == 0;
  }

  static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  /** The value of a {@code key=value} line, as the scripts write them for {@code $GITHUB_OUTPUT}. */
  String outputValue(String key) {
    return stdout.lines()
        .filter(line -> line.startsWith(key + "="))
        .map(line -> line.substring(key.length() + 1))
        .reduce((first, second) -> {
          throw new AssertionError(key + " written twice:\n" + stdout);
        })
        .orElseThrow(() -> new AssertionError("no " + key + "= line in:\n" + stdout + stderr));
  }
}

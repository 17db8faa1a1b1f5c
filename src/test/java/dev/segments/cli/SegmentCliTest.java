package dev.segments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line as users meet it: help, usage errors and the configuration it reports. No Spark. */
class SegmentCliTest {

  private record Printed(int exitCode, String out, String err) {}

  private static Printed execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = SegmentCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Printed(exitCode, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryCommandWithItsDescription() {
    Printed help = execute("--help");
    assertEquals(0, help.exitCode());
    for (String command : List.of("run", "generate", "cluster", "bench", "features", "config", "export-sheets")) {
      assertTrue(help.out().lines().anyMatch(line -> line.trim().startsWith(command + " ")
          && line.trim().length() > command.length() + 10), "no described '" + command + "' in:\n" + help.out());
    }
    assertTrue(help.out().contains("Exit codes"), help.out());
  }

  @Test
  void everyOptionOfEveryCommandIsExplainedInItsHelp() {
    for (Map.Entry<String, CommandLine> command : SegmentCli.commandLine().getSubcommands().entrySet()) {
      if (command.getKey().equals("help")) {
        continue;
      }
      Printed help = execute(command.getKey(), "--help");
      assertEquals(0, help.exitCode(), command.getKey());
      for (OptionSpec option : command.getValue().getCommandSpec().options()) {
        if (option.hidden()) {
          continue;
        }
        String description = String.join(" ", option.description());
        assertFalse(description.isBlank(), command.getKey() + " " + option.longestName() + " has no description");
        assertTrue(help.out().contains(option.longestName()),
            command.getKey() + " --help does not show " + option.longestName() + ":\n" + help.out());
      }
      assertTrue(help.out().lines().allMatch(line -> line.length() <= 80),
          command.getKey() + " --help has lines wider than the terminal:\n" + help.out());
    }
  }

  @Test
  void anUnknownOptionIsAUsageErrorThatNamesIt() {
    Printed result = execute("run", "--clusters", "4");
    assertEquals(SegmentCli.EXIT_USAGE, result.exitCode());
    assertTrue(result.err().startsWith("Usage error: Unknown options: '--clusters', '4'"), result.err());
    Printed missing = execute("generate", "--customers");
    assertEquals(SegmentCli.EXIT_USAGE, missing.exitCode());
    assertTrue(missing.err().startsWith("Usage error: Missing required parameter for option '--customers'"),
        missing.err());
  }

  @Test
  void anOutOfMemoryErrorEndsWithRunFailed() {
    StringWriter err = new StringWriter();
    CommandLine cli = SegmentCli.commandLine().setErr(new PrintWriter(err, true));
    cli.addSubcommand("exhaust", new CommandLine(new Exhaust()));
    assertEquals(SegmentCli.EXIT_FAILURE, cli.execute("exhaust"));
    assertTrue(err.toString().startsWith("Run failed: java.lang.OutOfMemoryError: Java heap space"), err.toString());
  }

  /**
   * Issue 20's probe: a hostile spark.conf value failed with only Spark's wrapper on the first line ("Error while
   * instantiating SessionStateBuilder"); the words that say what to fix were deep in the trace.
   */
  @Test
  void aWrappedFailureNamesItsInnermostCauseOnTheFirstLine() {
    StringWriter err = new StringWriter();
    CommandLine cli = SegmentCli.commandLine();
    // setErr reaches the subcommands there are when it is called.
    cli.addSubcommand("wrapped", new CommandLine(new Wrapped())).setErr(new PrintWriter(err, true));
    assertEquals(SegmentCli.EXIT_FAILURE, cli.execute("wrapped"));
    String first = err.toString().lines().findFirst().orElse("");
    assertEquals("Run failed: java.lang.IllegalArgumentException: Error while instantiating 'SessionStateBuilder':"
        + " (caused by java.lang.IllegalArgumentException: '-3' in spark.sql.shuffle.partitions is invalid)", first);
  }

  /** Stands for Spark wrapping a bad setting. */
  @CommandLine.Command(name = "wrapped")
  private static final class Wrapped implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalArgumentException("Error while instantiating 'SessionStateBuilder':",
          new IllegalStateException("reflection", new IllegalArgumentException(
              "'-3' in spark.sql.shuffle.partitions is invalid")));
    }
  }

  /** Stands for a command whose tables outgrow the heap. */
  @CommandLine.Command(name = "exhaust")
  private static final class Exhaust implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void absurdGenerateSizesAreAUsageErrorBeforeAnythingIsWritten(@TempDir Path temp) {
    Printed result = execute("generate", "--output", temp.resolve("g").toString(), "--sales", "1000000000000");
    assertEquals(SegmentCli.EXIT_USAGE, result.exitCode(), result.err());
    assertTrue(result.err().startsWith("Usage error: the files would take about "), result.err());
    assertFalse(Files.exists(temp.resolve("g")));
  }

  @Test
  void aBadConfigValueIsAUsageErrorThatNamesTheKey() {
    Printed result = execute("config", "--set", "clustering.k_min=many");
    assertEquals(SegmentCli.EXIT_USAGE, result.exitCode(), result.out() + result.err());
    assertTrue(result.err().contains("'clustering.k_min'"), result.err());
  }

  @Test
  void aRunDateBeyondTomorrowIsRefusedBeforeAnythingStarts() {
    Printed result = execute("run", "--as-of", "2999-01-01");
    assertEquals(SegmentCli.EXIT_USAGE, result.exitCode(), result.out() + result.err());
    assertTrue(result.err().startsWith("Config error: as_of 2999-01-01 is in the future"), result.err());
  }

  @Test
  void configPrintsTheEffectiveConfigurationWithFlagsApplied() {
    Printed result = execute("config", "--k", "5", "--as-of", "2025-12-15", "--set", "analysis.report_points=100");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("k: 5"), result.out());
    assertTrue(result.out().contains("report_points: 100"), result.out());
    assertTrue(result.out().contains("as_of: \"2025-12-15\"") || result.out().contains("as_of: 2025-12-15"),
        result.out());
    assertTrue(result.out().contains("Customer_ID"), "the default contract is written out:\n" + result.out());
  }
}

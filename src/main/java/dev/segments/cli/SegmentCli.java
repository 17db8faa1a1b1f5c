package dev.segments.cli;

import dev.segments.config.ConfigException;
import dev.segments.contract.ContractException;
import dev.segments.pipeline.BuildVersion;
import dev.segments.pipeline.NightBlockedException;
import dev.segments.sink.OutputFolderException;
import dev.segments.sink.OutputInUseException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code segment} command: {@code bin/segment <command> --help} explains each one. */
@Command(name = "segment", mixinStandardHelpOptions = true, versionProvider = SegmentCli.Version.class,
    description = {
        "Customer segmentation on Apache Spark: reads the customers, sales and products sheets, checks them "
            + "against the data contract, builds one feature row per customer, clusters them with K-Prototypes "
            + "and publishes segments, profiles and reporting views to a local warehouse (Parquet + DuckDB) or "
            + "BigQuery.",
        "",
        "Exit codes: 0 success, 1 failure (status: no night published for the date), 2 bad usage or config, 3 input "
            + "breaks the data contract, 4 the night was blocked by an alert in alerts.block_on (nothing published)."},
    subcommands = {RunCommand.class, GenerateCommand.class, ClusterCommand.class, BenchCommand.class,
        FeaturesCommand.class, ConfigCommand.class, ExportSheetsCommand.class, PreflightCommand.class,
        StatusCommand.class, CommandLine.HelpCommand.class})
public final class SegmentCli {

  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_CONTRACT = 3;
  static final int EXIT_BLOCKED = 4;

  public static void main(String[] args) {
    CommandLine cli = commandLine();
    int exitCode = cli.execute(args);
    // Commands print through picocli's writers, which buffer print() (only println autoflushes).
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(exitCode);
  }

  /** The command line with its error handling, for main and for tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new SegmentCli());
    // picocli's own parse errors (an unknown option, a missing value) start with the same words as ours.
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine failed = ex.getCommandLine();
      failed.getErr().println("Usage error: " + ex.getMessage());
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, failed.getErr())) {
        failed.getErr().println("See '" + failed.getCommandSpec().qualifiedName() + " --help'.");
      }
      return EXIT_USAGE;
    });
    // An Error (OutOfMemoryError) passes picocli's exception handler by; the run still ends with its one line.
    CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
    cli.setExecutionStrategy(parseResult -> {
      try {
        return runLast.execute(parseResult);
      } catch (Error error) {
        cli.getErr().println("Run failed: " + error);
        error.printStackTrace(cli.getErr());
        return EXIT_FAILURE;
      }
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable cause = rootUserError(ex);
      if (cause instanceof ContractException) {
        commandLine.getErr().println("Input error: " + cause.getMessage());
        return EXIT_CONTRACT;
      }
      if (cause instanceof ConfigException) {
        commandLine.getErr().println("Config error: " + cause.getMessage());
        return EXIT_USAGE;
      }
      if (cause instanceof CommandLine.ParameterException) {
        commandLine.getErr().println("Usage error: " + cause.getMessage());
        return EXIT_USAGE;
      }
      if (cause instanceof OutputFolderException) {
        commandLine.getErr().println("Output error: " + cause.getMessage());
        return EXIT_USAGE;
      }
      if (cause instanceof NightBlockedException) {
        commandLine.getErr().println("Night blocked: " + cause.getMessage());
        return EXIT_BLOCKED;
      }
      if (cause instanceof OutputInUseException) {
        commandLine.getErr().println("Run refused: " + cause.getMessage());
        return EXIT_FAILURE;
      }
      commandLine.getErr().println(runFailed(ex));
      ex.printStackTrace(commandLine.getErr());
      return EXIT_FAILURE;
    });
    return cli;
  }

  /**
   * Spark wraps errors thrown in tasks; the user needs the one our code raised. Only these typed errors are the
   * user's to fix, each with its exit code; anything else (an IllegalArgumentException included) is a failure of
   * the run, shown with its stack trace.
   */
  /**
   * The one line of a failed run: the exception, and its innermost cause when there is one, since libraries wrap
   * the words that say what to fix ({@code --set spark.conf.spark.sql.shuffle.partitions=-3} fails as "Error while
   * instantiating SessionStateBuilder", caused by "... must be positive").
   */
  static String runFailed(Throwable ex) {
    Throwable root = ex;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "Run failed: " + ex + (root == ex ? "" : " (caused by " + root + ")");
  }

  private static Throwable rootUserError(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof ContractException || t instanceof ConfigException || t instanceof CommandLine.ParameterException
          || t instanceof OutputFolderException || t instanceof OutputInUseException
          || t instanceof NightBlockedException) {
        return t;
      }
    }
    return ex;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"segment " + version()};
    }
  }

  /** The version from the jar's manifest; "dev" when run from classes. */
  public static String version() {
    return BuildVersion.current();
  }
}

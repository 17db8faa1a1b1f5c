package dev.segments.cli;

import dev.segments.config.ConfigException;
import dev.segments.contract.ContractException;
import dev.segments.pipeline.BuildVersion;
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
        "Exit codes: 0 success, 1 failure, 2 bad usage or config, 3 input breaks the data contract."},
    subcommands = {RunCommand.class, GenerateCommand.class, ClusterCommand.class, BenchCommand.class,
        FeaturesCommand.class, ConfigCommand.class, ExportSheetsCommand.class, PreflightCommand.class,
        CommandLine.HelpCommand.class})
public final class SegmentCli {

  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_CONTRACT = 3;

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
      if (cause instanceof OutputInUseException) {
        commandLine.getErr().println("Run refused: " + cause.getMessage());
        return EXIT_FAILURE;
      }
      commandLine.getErr().println("Run failed: " + ex);
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
  private static Throwable rootUserError(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof ContractException || t instanceof ConfigException || t instanceof CommandLine.ParameterException
          || t instanceof OutputFolderException || t instanceof OutputInUseException) {
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

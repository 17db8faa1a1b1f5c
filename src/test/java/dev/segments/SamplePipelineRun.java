package dev.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.LocalSpark;
import dev.segments.cli.SegmentCli;
import dev.segments.generate.GeneratorOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the whole pipeline on the bundled sample data, through the command line as a user starts it, shared by
 * the tests of a JVM (a run takes about a minute on 2 cores). Tests read its outputs and must not change them.
 */
public final class SamplePipelineRun {
  /** The date the sample data was generated for. */
  public static final String AS_OF = GeneratorOptions.DEFAULT_AS_OF.toString();
  /** Candidate ks kept small to keep the suite fast; the full default range runs in `bin/segment run`. */
  public static final String K_MAX = "6";
  /** The bundled sample data. */
  public static final Path SAMPLE = Path.of("data/sample");

  private static Path output;
  private static String log;

  private SamplePipelineRun() {}

  /** The output folder of the run: {@code current/} holds its tables, segments.duckdb and report.html. */
  public static synchronized Path output() {
    if (output == null) {
      try {
        Path folder = Files.createTempDirectory("sample-run");
        log = run(SAMPLE, folder, AS_OF);
        output = folder;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return output;
  }

  /** What the run printed on stdout and stderr. */
  public static synchronized String log() {
    output();
    return log;
  }

  /** The arguments of a run like the sample run, from {@code input} into {@code output} as of {@code asOf}. */
  public static String[] args(Path input, Path output, String asOf, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--input", input.toString(), "--output", output.toString(),
        "--as-of", asOf, "--master", "local[2]", "--set", "clustering.k_max=" + K_MAX));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** Runs the pipeline with {@link #args}; fails the calling test unless it exits 0. Returns what it printed. */
  public static String run(Path input, Path output, String asOf, String... extra) {
    Result result = execute(args(input, output, asOf, extra));
    assertEquals(0, result.exitCode(), () -> "the sample run failed:\n" + result.printed());
    return result.printed();
  }

  /** A command's exit code and what it printed. */
  public record Result(int exitCode, String printed) {}

  /** Runs any command line in this JVM, sharing the tests' Spark session. */
  public static Result execute(String... args) {
    LocalSpark.session();
    StringWriter printed = new StringWriter();
    PrintWriter writer = new PrintWriter(printed, true);
    int exitCode = SegmentCli.commandLine().setOut(writer).setErr(writer).execute(args);
    return new Result(exitCode, printed.toString());
  }
}

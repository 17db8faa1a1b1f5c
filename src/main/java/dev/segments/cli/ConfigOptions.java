package dev.segments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.config.ConfigLoader;
import dev.segments.config.PipelineConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags that choose and override the configuration; shared by every command that reads it. */
public final class ConfigOptions {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML config file; every key is optional (see README, \"Configuration\").")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override any config key by its dotted path, e.g. --set clustering.k=5. Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--source", paramLabel = "csv|sheets", description = "Where the sheets come from (key: source).")
  String source;

  @Option(names = {"-i", "--input"}, paramLabel = "DIR",
      description = "Folder with customers.csv, sales.csv, products.csv (key: input).")
  String input;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output folder for the local sink (key: output).")
  String output;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "Run date; default today in Europe/London (key: as_of).")
  String asOf;

  @Option(names = "--sink", paramLabel = "local|bigquery", description = "Where outputs go (key: sink).")
  String sink;

  @Option(names = "--k", paramLabel = "K|auto", description = "Number of segments, or auto (key: clustering.k).")
  String k;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed of the clustering (key: clustering.seed).")
  Long seed;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master when not given by spark-submit, e.g. local[4] (key: spark.master).")
  String master;

  @Option(names = "--spreadsheet-id", paramLabel = "ID", description = "Google spreadsheet id (key: sheets.spreadsheet_id).")
  String spreadsheetId;

  @Option(names = "--dry-run", description = "Print every table and view that would be written; write nothing (key: dry_run).")
  boolean dryRun;

  /** The overrides in the order they apply: --set first, then the named flags, which win. */
  List<String> allOverrides() {
    List<String> all = new ArrayList<>(overrides);
    addIfSet(all, "source", source);
    addIfSet(all, "input", input);
    addIfSet(all, "output", output);
    addIfSet(all, "as_of", asOf);
    addIfSet(all, "sink", sink);
    addIfSet(all, "clustering.k", k);
    addIfSet(all, "clustering.seed", seed == null ? null : seed.toString());
    addIfSet(all, "spark.master", master);
    addIfSet(all, "sheets.spreadsheet_id", spreadsheetId);
    if (dryRun) {
      all.add("dry_run=true");
    }
    return all;
  }

  ObjectNode tree() {
    return ConfigLoader.tree(configFile, allOverrides());
  }

  PipelineConfig load() {
    return ConfigLoader.load(tree(), Clock.systemUTC());
  }

  private static void addIfSet(List<String> overrides, String key, String value) {
    if (value != null) {
      // Quoted so that a value such as "local[4]" or "2026-01-01" is read as text, not as YAML structure.
      overrides.add(key + "='" + value.replace("'", "''") + "'");
    }
  }
}

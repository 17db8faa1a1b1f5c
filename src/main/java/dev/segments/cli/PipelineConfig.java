package dev.segments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segments.ingest.CsvOptions;
import dev.segments.ingest.DataContract;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of a run, parsed and validated once at the edge (see {@link ConfigLoader}); stages get
 * the typed parts they need. Every key is documented in the README and in {@code config/defaults.yaml}.
 *
 * @param csv how CSV inputs are read ({@code input_encoding}, {@code input_max_cell_lines})
 * @param features the {@code features} section as written (null for the default spec); read by the features stage
 * @param sheets the {@code sheets} section, read when {@code source} is {@code sheets}
 * @param bigquery the {@code bigquery} section, read when {@code sink} is {@code bigquery}
 */
public record PipelineConfig(
    String source,
    Path input,
    CsvOptions csv,
    Path output,
    LocalDate asOf,
    String runId,
    String sink,
    boolean dryRun,
    SparkSettings spark,
    DataContract contract,
    JsonNode features,
    ClusteringSettings clustering,
    AnalysisSettings analysis,
    JsonNode sheets,
    JsonNode bigquery) {

  static final List<String> SOURCES = List.of("csv", "sheets");
  static final List<String> SINKS = List.of("local", "bigquery");

  public PipelineConfig {
    Objects.requireNonNull(asOf, "as_of");
    Objects.requireNonNull(runId, "run_id");
    if (!SOURCES.contains(source)) {
      throw new ConfigException("source must be one of " + SOURCES + ", got '" + source + "'");
    }
    if (!SINKS.contains(sink)) {
      throw new ConfigException("sink must be one of " + SINKS + ", got '" + sink + "'");
    }
    if ("csv".equals(source) && input == null) {
      throw new ConfigException("input must name the folder of CSV files when source is csv");
    }
    if ("local".equals(sink) && output == null) {
      throw new ConfigException("output must name a folder when sink is local");
    }
  }
}

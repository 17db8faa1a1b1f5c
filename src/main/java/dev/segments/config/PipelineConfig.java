package dev.segments.config;

import dev.segments.features.FeatureSpec;
import dev.segments.ingest.CsvOptions;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.sheets.SheetsSourceConfig;
import dev.segments.sink.BigQueryConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The whole configuration of a run, parsed and validated once at the edge (see {@link ConfigLoader}); stages get
 * the typed parts they need. Every key is documented in the README and in {@code config/defaults.yaml}.
 *
 * @param csv how CSV inputs are read ({@code input_encoding}, {@code input_max_cell_lines})
 * @param features the feature spec (the default spec when the {@code features} key is unset); checked against the
 *     contract by {@link #checkedFeatures}
 * @param sheets the {@code sheets} section; null unless {@code source} is {@code sheets}
 * @param bigquery the {@code bigquery} section; null unless {@code sink} is {@code bigquery}
 */
public record PipelineConfig(
    Source source,
    Path input,
    CsvOptions csv,
    Path output,
    LocalDate asOf,
    String runId,
    Sink sink,
    boolean dryRun,
    SparkSettings spark,
    DataContract contract,
    FeatureSpec features,
    ClusteringSettings clustering,
    AnalysisSettings analysis,
    SheetsSourceConfig sheets,
    BigQueryConfig bigquery) {

  public PipelineConfig {
    Objects.requireNonNull(asOf, "as_of");
    Objects.requireNonNull(runId, "run_id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(features, "features");
    if (source == Source.CSV && input == null) {
      throw new ConfigException("input must name the folder of CSV files when source is csv");
    }
    if (sink == Sink.LOCAL && output == null) {
      throw new ConfigException("output must name a folder when sink is local");
    }
    if (source == Source.SHEETS && sheets == null) {
      throw new ConfigException("the sheets section is required when source is sheets");
    }
    if (sink == Sink.BIGQUERY && bigquery == null) {
      throw new ConfigException("the bigquery section is required when sink is bigquery");
    }
  }

  /**
   * The feature spec, checked against the contract: a spec that does not fit is a configuration error. Not checked
   * at load, because {@code features --infer} proposes a spec for a layout the configured one does not fit.
   */
  public FeatureSpec checkedFeatures() {
    try {
      return features.validateAgainst(contract);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("features: " + e.getMessage(), e);
    }
  }
}

package dev.segments.pipeline;

import dev.segments.config.PipelineConfig;
import dev.segments.ingest.CsvSheetSource;
import dev.segments.ingest.SheetSource;
import dev.segments.ingest.sheets.GoogleSheetsSource;
import dev.segments.sink.BigQueryWarehouse;
import dev.segments.sink.LocalWarehouse;
import dev.segments.sink.Warehouse;
import org.apache.spark.sql.SparkSession;

/** The run's two ends, as the config chose them: where the sheets come from and where the outputs go. */
public final class Endpoints {
  private Endpoints() {}

  /** CSV exports or the Google Sheets API. */
  public static SheetSource source(PipelineConfig config) {
    return switch (config.source()) {
      case SHEETS -> GoogleSheetsSource.withConfiguredCredentials(config.sheets());
      case CSV -> new CsvSheetSource(config.input(), config.csv());
    };
  }

  /** The local folder (Parquet, DuckDB, report) or a BigQuery dataset. */
  static Warehouse warehouse(PipelineConfig config, SparkSession spark) {
    return switch (config.sink()) {
      case BIGQUERY -> new BigQueryWarehouse(config.bigquery());
      case LOCAL -> new LocalWarehouse(config.output(), spark);
    };
  }
}

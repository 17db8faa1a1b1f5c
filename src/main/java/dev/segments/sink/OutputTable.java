package dev.segments.sink;

/** The output tables; the same names in BigQuery and locally (see the README, "Outputs"). */
public enum OutputTable {
  CUSTOMER_SEGMENTS("customer_segments"),
  SEGMENT_PROFILES("segment_profiles"),
  SALES_ENRICHED("sales_enriched"),
  MODEL_RUNS("model_runs"),
  QUARANTINE("quarantine"),
  K_SELECTION("k_selection"),
  NIGHT_CHANGES("night_changes"),
  SEGMENT_PRODUCT_AFFINITY("segment_product_affinity");

  /** The column every output table is partitioned by. */
  public static final String RUN_DATE = "run_date";

  private final String tableName;

  OutputTable(String tableName) {
    this.tableName = tableName;
  }

  public String tableName() {
    return tableName;
  }
}

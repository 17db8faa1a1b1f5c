package dev.segments.sink;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where and how the BigQuery sink writes, validated once here.
 *
 * @param project the Google Cloud project that holds the dataset and is billed for the jobs
 * @param dataset the dataset of the tables and views; created when missing
 * @param location the dataset's location ("EU", "europe-west2"); null leaves it to BigQuery's default (US)
 * @param temporaryGcsBucket bucket name (no {@code gs://}) for the indirect write method; null for direct writes
 * @param writeMethod {@code direct} (Storage Write API) or {@code indirect} (Parquet files in the bucket, then a load
 *     job); null picks indirect when a bucket is given, else direct
 * @param labels labels put on every job the sink runs (cost reports); {@code run_id} is added by the sink
 */
public record BigQueryConfig(
    String project, String dataset, String location, String temporaryGcsBucket, String writeMethod,
    Map<String, String> labels) {

  public static final String DIRECT = "direct";
  public static final String INDIRECT = "indirect";

  private static final Pattern PROJECT = Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9-]+");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");

  public BigQueryConfig {
    require(project != null && PROJECT.matcher(project).matches(), "bigquery.project",
        project, "a project id such as my-project-123");
    require(dataset != null && DATASET.matcher(dataset).matches(), "bigquery.dataset",
        dataset, "letters, digits and underscores");
    require(location == null || LOCATION.matcher(location).matches(), "bigquery.location",
        location, "a location such as EU or europe-west2");
    require(temporaryGcsBucket == null || BUCKET.matcher(temporaryGcsBucket).matches(),
        "bigquery.temporary_gcs_bucket", temporaryGcsBucket, "a bucket name without gs://");
    if (writeMethod == null) {
      writeMethod = temporaryGcsBucket == null ? DIRECT : INDIRECT;
    }
    writeMethod = writeMethod.toLowerCase(Locale.ROOT);
    require(writeMethod.equals(DIRECT) || writeMethod.equals(INDIRECT), "bigquery.write_method",
        writeMethod, "direct or indirect");
    require(!writeMethod.equals(INDIRECT) || temporaryGcsBucket != null, "bigquery.temporary_gcs_bucket",
        null, "a bucket, which the indirect write method needs");
    labels = labels == null ? Map.of() : new TreeMap<>(labels);
    for (Map.Entry<String, String> label : labels.entrySet()) {
      require(LABEL_KEY.matcher(label.getKey()).matches() && !label.getKey().equals(BigQueryWarehouse.RUN_ID_LABEL),
          "bigquery.labels", label.getKey(), "a lower-case key up to 63 characters, other than run_id");
      require(label.getValue() != null && LABEL_VALUE.matcher(label.getValue()).matches(),
          "bigquery.labels." + label.getKey(), label.getValue(), "lower-case letters, digits, _ or -, up to 63");
    }
    labels = Collections.unmodifiableMap(labels);
  }

  /** {@code project.dataset.table}, as the connector's {@code table} option takes it. */
  public String tableId(String table) {
    return project + "." + dataset + "." + table;
  }

  /** The table or view as SQL names it: {@code `project.dataset.table`}. */
  public String sqlReference(String table) {
    return "`" + tableId(table) + "`";
  }

  private static void require(boolean valid, String key, String value, String expected) {
    if (!valid) {
      throw new IllegalArgumentException(key + " is " + (value == null ? "missing" : "'" + value + "'")
          + "; expected " + expected);
    }
  }
}

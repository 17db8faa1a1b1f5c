package dev.segments.sink;

import java.net.URI;
import java.time.Duration;
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
 * @param location the dataset's location ("EU", "europe-west2"); required, and an existing dataset must be there
 * @param temporaryGcsBucket bucket name (no {@code gs://}) where the connector stages each table's rows as Parquet
 *     before its load job; required
 * @param writeMethod only {@code indirect} (Parquet files in the bucket, then a load job into a staging table);
 *     {@code direct} is refused (see README, "BigQuery out"); null means indirect
 * @param labels labels put on the dataset and every job the sink runs (cost reports); {@code run_id} is added
 * @param stagingExpiration how long a staging table lives when nothing drops it (a run that died); null = 1 day
 * @param endpoint for tests only: the root URL of a BigQuery stand-in (such as {@code http://127.0.0.1:9050}); null
 *     is Google's. Requests to another endpoint carry a placeholder token, never the machine's credentials.
 * @param publishRetry how often the publishing transaction runs again after a concurrent update aborted it; null
 *     = {@link PublishRetry}'s defaults
 * @param partitionExpirationDays how many days a run date's partition is kept in every output table; null keeps
 *     every night forever (storage grows by one night of every table each night)
 */
public record BigQueryConfig(
    String project, String dataset, String location, String temporaryGcsBucket, String writeMethod,
    Map<String, String> labels, Duration stagingExpiration, String endpoint, PublishRetry publishRetry,
    Integer partitionExpirationDays) {

  public static final String INDIRECT = "indirect";
  public static final String DIRECT = "direct";
  static final Duration DEFAULT_STAGING_EXPIRATION = Duration.ofDays(1);

  private static final Pattern PROJECT = Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern LOCATION = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");

  public BigQueryConfig {
    require(project != null && PROJECT.matcher(project).matches(), "bigquery.project",
        project, "a project id such as my-project-123");
    require(dataset != null && DATASET.matcher(dataset).matches(), "bigquery.dataset",
        dataset, "letters, digits and underscores");
    require(location != null && LOCATION.matcher(location).matches(), "bigquery.location",
        location, "the dataset's location, such as EU or europe-west2 (UK customer data stays in Europe)");
    require(temporaryGcsBucket != null && BUCKET.matcher(temporaryGcsBucket).matches(),
        "bigquery.temporary_gcs_bucket", temporaryGcsBucket,
        "a bucket name without gs://, in the dataset's location, where each table's rows are staged");
    writeMethod = writeMethod == null ? INDIRECT : writeMethod.toLowerCase(Locale.ROOT);
    require(!writeMethod.equals(DIRECT), "bigquery.write_method", writeMethod,
        "indirect: the direct (Storage Write API) method is not supported, because the sink publishes every table "
            + "of a night in one transaction from staging tables loaded from the bucket");
    require(writeMethod.equals(INDIRECT), "bigquery.write_method", writeMethod, "indirect");
    labels = labels == null ? Map.of() : new TreeMap<>(labels);
    for (Map.Entry<String, String> label : labels.entrySet()) {
      require(LABEL_KEY.matcher(label.getKey()).matches() && !label.getKey().equals(BigQueryWarehouse.RUN_ID_LABEL),
          "bigquery.labels", label.getKey(), "a lower-case key up to 63 characters, other than run_id");
      require(label.getValue() != null && LABEL_VALUE.matcher(label.getValue()).matches(),
          "bigquery.labels." + label.getKey(), label.getValue(), "lower-case letters, digits, _ or -, up to 63");
    }
    labels = Collections.unmodifiableMap(labels);
    stagingExpiration = stagingExpiration == null ? DEFAULT_STAGING_EXPIRATION : stagingExpiration;
    require(!stagingExpiration.isNegative() && stagingExpiration.compareTo(Duration.ofMinutes(10)) >= 0,
        "bigquery.staging_expiration", stagingExpiration.toString(), "at least 10m, longer than a publish takes");
    publishRetry = publishRetry == null ? PublishRetry.DEFAULT : publishRetry;
    require(partitionExpirationDays == null || partitionExpirationDays >= 1, "bigquery.partition_expiration_days",
        String.valueOf(partitionExpirationDays), "a number of days of at least 1, or null to keep every night");
    if (endpoint != null) {
      URI uri = URI.create(endpoint);
      require(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
          "bigquery.endpoint", endpoint, "an http(s) root URL such as http://127.0.0.1:9050 (tests only)");
    }
  }

  /** A config with the defaults for the optional keys. */
  public static BigQueryConfig of(String project, String dataset, String location, String temporaryGcsBucket) {
    return new BigQueryConfig(project, dataset, location, temporaryGcsBucket, null, null, null, null, null, null);
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

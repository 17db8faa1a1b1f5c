package dev.segments.sink;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.GenericData;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableId;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The BigQuery and staging-bucket edges of a night, checked for real and writing nothing: the dataset exists in the
 * configured location, every existing output table takes the night's statements (a dry run of the publish's DELETE
 * for a run date, which needs {@code bigquery.jobs.create} and {@code bigquery.tables.updateData}), and the bucket
 * holds the permissions the connector's staging needs and lies in the dataset's location.
 */
public final class BigQueryPreflight {

  /** One check's outcome: {@code passed} null means skipped. */
  public record Check(String name, Boolean passed, String detail) {}

  static final List<String> STAGING_PERMISSIONS = List.of("storage.objects.create", "storage.objects.delete",
      "storage.objects.get", "storage.objects.list");
  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
  private static final String STORAGE_ROOT = "https://storage.googleapis.com/";

  private final BigQueryConfig config;
  private final BigQuery bigQuery;
  private final GoogleCredentials credentials;
  private final String storageRoot;
  private final String account;

  BigQueryPreflight(BigQueryConfig config, BigQuery bigQuery, GoogleCredentials credentials, String storageRoot,
      String account) {
    this.config = config;
    this.bigQuery = bigQuery;
    this.credentials = credentials;
    this.storageRoot = storageRoot;
    this.account = account;
  }

  /**
   * Checks as {@code serviceAccount} (the batch's), whose cloud-platform token the Application Default Credentials
   * mint through the IAM Credentials API; as the Application Default Credentials themselves when it is null.
   */
  public static BigQueryPreflight actingAs(BigQueryConfig config, String serviceAccount) {
    if (config.endpoint() != null) {
      throw new IllegalArgumentException("bigquery.endpoint is a test server; preflight checks Google's");
    }
    GoogleCredentials credentials;
    try {
      credentials = GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new IllegalStateException("no Google Application Default Credentials: run `gcloud auth "
          + "application-default login` or set GOOGLE_APPLICATION_CREDENTIALS", e);
    }
    if (serviceAccount != null) {
      credentials = ImpersonatedCredentials.newBuilder().setSourceCredentials(credentials)
          .setTargetPrincipal(serviceAccount).setScopes(List.of(CLOUD_PLATFORM)).setLifetime(3600).build();
    } else if (credentials.createScopedRequired()) {
      credentials = credentials.createScoped(List.of(CLOUD_PLATFORM));
    }
    BigQuery client = BigQueryOptions.newBuilder().setProjectId(config.project()).setLocation(config.location())
        .setCredentials(credentials).setRetrySettings(BigQueryWarehouse.defaultRetries()).build().getService();
    return new BigQueryPreflight(config, client, credentials, STORAGE_ROOT,
        serviceAccount == null ? "the Application Default Credentials" : serviceAccount);
  }

  /** For tests: BigQuery and Cloud Storage stand-ins, with a fixed token. */
  static BigQueryPreflight onStandIns(BigQueryConfig config, BigQuery bigQuery, String storageRoot, String token,
      String account) {
    return new BigQueryPreflight(config, bigQuery, GoogleCredentials.create(new AccessToken(token, null)),
        storageRoot, account);
  }

  /** Every check, in order; a failed dataset check skips the table checks. */
  public List<Check> run(LocalDate runDate) {
    List<Check> checks = new ArrayList<>();
    Check dataset = dataset();
    checks.add(dataset);
    for (OutputTable table : OutputTable.values()) {
      checks.add(Boolean.TRUE.equals(dataset.passed()) ? table(table, runDate)
          : new Check("bigquery table " + table.tableName(), null, "the dataset is not usable"));
    }
    checks.add(bucket());
    return checks;
  }

  private String datasetName() {
    return config.project() + ":" + config.dataset();
  }

  private Check dataset() {
    String name = "bigquery dataset " + datasetName();
    try {
      Dataset dataset = bigQuery.getDataset(DatasetId.of(config.project(), config.dataset()));
      if (dataset == null) {
        return new Check(name, false, "does not exist: create it in " + config.location()
            + " (scripts/gcp-setup.sh, or `bq --project_id=" + config.project() + " mk --dataset --location="
            + config.location() + " " + datasetName() + "`)");
      }
      if (!config.location().equalsIgnoreCase(dataset.getLocation())) {
        return new Check(name, false, "is in " + dataset.getLocation() + ", but bigquery.location is "
            + config.location() + ": the night refuses a dataset elsewhere; set bigquery.location to "
            + dataset.getLocation() + " or use a dataset in " + config.location());
      }
      return new Check(name, true, "exists in " + dataset.getLocation());
    } catch (BigQueryException e) {
      return new Check(name, false, e.getCode() == 403 ? refusal(e) + grantDataEditor() : unreachable(e));
    }
  }

  private Check table(OutputTable output, LocalDate runDate) {
    String name = "bigquery table " + output.tableName();
    TableId id = TableId.of(config.project(), config.dataset(), output.tableName());
    try {
      if (bigQuery.getTable(id) == null) {
        return new Check(name, null, "does not exist yet; the first night creates it");
      }
      String delete = "DELETE FROM " + config.sqlReference(output.tableName()) + " WHERE " + OutputTable.RUN_DATE
          + " = DATE '" + runDate + "'";
      bigQuery.create(com.google.cloud.bigquery.JobInfo.of(
          QueryJobConfiguration.newBuilder(delete).setDryRun(true).setUseLegacySql(false).build()));
      return new Check(name, true, "the night's DELETE for a run date passes a dry run");
    } catch (BigQueryException e) {
      if (e.getCode() != 403) {
        return new Check(name, false, unreachable(e));
      }
      return new Check(name, false, refusal(e) + grantDataEditor() + ", and roles/bigquery.jobUser on project "
          + config.project() + ": `gcloud projects add-iam-policy-binding " + config.project()
          + " --member=serviceAccount:" + account + " --role=roles/bigquery.jobUser`");
    }
  }

  private String refusal(BigQueryException e) {
    return "refused as " + account + " (HTTP " + e.getCode() + " " + Objects.toString(e.getReason(), "") + ": "
        + e.getMessage() + ")";
  }

  /** No answer from BigQuery, or no token to ask with: nothing is known about the permissions. */
  private String unreachable(BigQueryException e) {
    return "could not be checked as " + account + " (" + (e.getCode() == 0 ? "" : "HTTP " + e.getCode() + " ")
        + e.getMessage() + "): check the Application Default Credentials (`gcloud auth application-default login`)"
        + " and that they may mint tokens for " + account + " (roles/iam.serviceAccountTokenCreator on it)";
  }

  private String grantDataEditor() {
    return ": grant roles/bigquery.dataEditor on the dataset: `bq query --use_legacy_sql=false 'GRANT "
        + "`roles/bigquery.dataEditor` ON SCHEMA `" + config.project() + "." + config.dataset() + "` TO "
        + "\"serviceAccount:" + account + "\"'`";
  }

  /**
   * The staging bucket, through the Cloud Storage JSON API: its location (BigQuery loads only from a bucket in the
   * dataset's location, https://cloud.google.com/bigquery/docs/batch-loading-data#data-locations) and
   * {@code buckets.testIamPermissions} for what the connector's staging does, which writes nothing.
   */
  private Check bucket() {
    String bucket = config.temporaryGcsBucket();
    String name = "staging bucket gs://" + bucket;
    String grant = "`gcloud storage buckets add-iam-policy-binding gs://" + bucket + " --member=serviceAccount:"
        + account + " --role=roles/storage.objectAdmin`";
    try {
      GenericData tested = get(storageRoot + "storage/v1/b/" + bucket + "/iam/testPermissions?permissions="
          + String.join("&permissions=", STAGING_PERMISSIONS));
      List<String> missing = new ArrayList<>(STAGING_PERMISSIONS);
      Object held = tested.get("permissions");
      if (held instanceof List<?> list) {
        missing.removeAll(list);
      }
      if (!missing.isEmpty()) {
        return new Check(name, false, account + " lacks " + String.join(", ", missing) + ": " + grant);
      }
      GenericData metadata = get(storageRoot + "storage/v1/b/" + bucket + "?fields=location,locationType");
      String location = Objects.toString(metadata.get("location"), "");
      if (!colocated(location, config.location())) {
        return new Check(name, false, "is in " + location + ", but the dataset is in " + config.location()
            + ": BigQuery loads only from a bucket in the dataset's location; use a bucket in "
            + config.location() + " (scripts/gcp-setup.sh creates one in the region)");
      }
      return new Check(name, true, "writable by " + account + ", in " + location);
    } catch (HttpResponseException e) {
      String answer = "HTTP " + e.getStatusCode() + " " + Objects.toString(e.getStatusMessage(), "");
      return switch (e.getStatusCode()) {
        case 404 -> new Check(name, false, "does not exist (" + answer + "): create it in " + config.location()
            + " with scripts/gcp-setup.sh, or set bigquery.temporary_gcs_bucket");
        case 401, 403 -> new Check(name, false, "refused as " + account + " (" + answer
            + "): grant roles/storage.legacyBucketReader and roles/storage.objectAdmin on the bucket: " + grant);
        default -> new Check(name, false, "could not be checked (" + answer + ")");
      };
    } catch (IOException e) {
      return new Check(name, false, "could not be checked as " + account + " (" + e.getMessage() + "): check the "
          + "Application Default Credentials and that they may mint tokens for " + account);
    }
  }

  /**
   * The Google Cloud regions in member states of the European Union, which the {@code EU} multi-region is made of
   * (BigQuery locations, https://cloud.google.com/bigquery/docs/locations, and Cloud Storage bucket locations,
   * https://cloud.google.com/storage/docs/locations: "data centers within member states of the European Union").
   * Not every {@code europe-*} region: London (europe-west2) and Zurich (europe-west6) are outside the EU.
   */
  static final Set<String> EU_REGIONS = Set.of("europe-central2", "europe-north1", "europe-north2",
      "europe-southwest1", "europe-west1", "europe-west3", "europe-west4", "europe-west8", "europe-west9",
      "europe-west10", "europe-west12");

  /**
   * Whether BigQuery loads from a bucket here into a dataset there: the same location, or, for a dataset in a
   * multi-region, a bucket in a location the multi-region contains ("Loading data from Cloud Storage", location
   * considerations, https://cloud.google.com/bigquery/docs/batch-loading-data#data-locations).
   */
  static boolean colocated(String bucketLocation, String datasetLocation) {
    String bucket = bucketLocation.toLowerCase(Locale.ROOT);
    String dataset = datasetLocation.toLowerCase(Locale.ROOT);
    return bucket.equals(dataset) || dataset.equals("eu") && EU_REGIONS.contains(bucket)
        || dataset.equals("us") && bucket.startsWith("us-");
  }

  private GenericData get(String url) throws IOException {
    HttpRequest request = new NetHttpTransport().createRequestFactory(new HttpCredentialsAdapter(credentials))
        .buildGetRequest(new GenericUrl(url));
    request.setParser(GsonFactory.getDefaultInstance().createJsonObjectParser());
    HttpResponse response = request.execute();
    try {
      return response.parseAs(GenericData.class);
    } finally {
      response.disconnect();
    }
  }

}

package dev.segments.ingest.sheets;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how to read the sheets of one Google spreadsheet. Start from {@link #forSpreadsheet(String)}, which
 * holds every default, and change what the configuration file sets.
 *
 * @param spreadsheetId the id in the spreadsheet's address, between {@code /d/} and {@code /edit}
 * @param ranges per sheet name, the A1 range to read instead of the whole tab, such as {@code A1:K} or
 *     {@code 'Clients 2024'!A3:K}; the range's first row is the header
 * @param credentialsFile a service-account key file, or null for Application Default Credentials
 * @param rootUrl the API's root address, ending with {@code /}
 * @param rowsPerRequest how many data rows of a tab one request reads; larger tabs are read in several requests
 * @param retry how failed calls are retried
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer once connected
 * @param impersonateServiceAccount the service account whose Sheets-scoped token the source reads with, minted
 *     through the IAM Credentials API by the source credentials (the key file, else Application Default
 *     Credentials); null to read with the source credentials' own token. On Dataproc Serverless, set it to the
 *     batch's own service account: the metadata server's token carries only the cloud-platform scope, which the
 *     Sheets API refuses
 * @param iamRootUrl the IAM Credentials API's root address, ending with {@code /}
 */
public record SheetsSourceConfig(
    String spreadsheetId,
    Map<String, String> ranges,
    Path credentialsFile,
    URI rootUrl,
    int rowsPerRequest,
    RetryPolicy retry,
    Duration connectTimeout,
    Duration readTimeout,
    String impersonateServiceAccount,
    URI iamRootUrl) {

  public static final URI DEFAULT_ROOT_URL = URI.create("https://sheets.googleapis.com/");
  public static final URI DEFAULT_IAM_ROOT_URL = URI.create("https://iamcredentials.googleapis.com/");
  public static final int DEFAULT_ROWS_PER_REQUEST = 50_000;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);

  private static final Pattern SPREADSHEET_ID = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern SERVICE_ACCOUNT = Pattern.compile("[^@\\s]+@[^@\\s]+\\.gserviceaccount\\.com");

  public SheetsSourceConfig {
    Objects.requireNonNull(spreadsheetId, "sheets spreadsheet_id");
    if (!SPREADSHEET_ID.matcher(spreadsheetId).matches()) {
      throw new IllegalArgumentException("sheets spreadsheet_id '" + spreadsheetId + "' is not a spreadsheet id: "
          + "give the part of the spreadsheet's address between /d/ and /edit");
    }
    ranges = Map.copyOf(Objects.requireNonNull(ranges, "sheets ranges"));
    ranges.forEach(SheetRange::parse);
    requireRoot(rootUrl, "root_url");
    requireRoot(iamRootUrl, "iam_root_url");
    if (impersonateServiceAccount != null && !SERVICE_ACCOUNT.matcher(impersonateServiceAccount).matches()) {
      throw new IllegalArgumentException("sheets impersonate_service_account must be a service account's e-mail "
          + "address such as segments-batch@my-project.iam.gserviceaccount.com, got '" + impersonateServiceAccount + "'");
    }
    if (rowsPerRequest < 1) {
      throw new IllegalArgumentException("sheets rows_per_request must be at least 1, got " + rowsPerRequest);
    }
    Objects.requireNonNull(retry, "sheets retry");
    requirePositive(connectTimeout, "connect_timeout");
    requirePositive(readTimeout, "read_timeout");
  }

  private static void requireRoot(URI root, String key) {
    Objects.requireNonNull(root, "sheets " + key);
    if (!root.isAbsolute() || !root.toString().endsWith("/")) {
      throw new IllegalArgumentException("sheets " + key + " must be an absolute address ending with /, got " + root);
    }
  }

  private static void requirePositive(Duration timeout, String key) {
    Objects.requireNonNull(timeout, "sheets " + key);
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sheets " + key + " must be positive and under 24 days, got " + timeout);
    }
  }

  /** Every tab read whole, Application Default Credentials, the public API, default retries and timeouts. */
  public static SheetsSourceConfig forSpreadsheet(String spreadsheetId) {
    return new SheetsSourceConfig(spreadsheetId, Map.of(), null, DEFAULT_ROOT_URL, DEFAULT_ROWS_PER_REQUEST,
        RetryPolicy.DEFAULT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, null, DEFAULT_IAM_ROOT_URL);
  }

  public SheetsSourceConfig withCredentialsFile(Path keyFile) {
    return new SheetsSourceConfig(spreadsheetId, ranges, keyFile, rootUrl, rowsPerRequest, retry,
        connectTimeout, readTimeout, impersonateServiceAccount, iamRootUrl);
  }

  public SheetsSourceConfig withRootUrl(URI root) {
    return new SheetsSourceConfig(spreadsheetId, ranges, credentialsFile, root, rowsPerRequest, retry,
        connectTimeout, readTimeout, impersonateServiceAccount, iamRootUrl);
  }

  public SheetsSourceConfig withImpersonation(String serviceAccount, URI iamRoot) {
    return new SheetsSourceConfig(spreadsheetId, ranges, credentialsFile, rootUrl, rowsPerRequest, retry,
        connectTimeout, readTimeout, serviceAccount, iamRoot);
  }

  /** The A1 range read for a sheet: the configured one, else the whole tab named like the sheet. */
  SheetRange rangeOf(String sheetName) {
    String configured = ranges.get(sheetName);
    return configured == null ? SheetRange.wholeTab(sheetName) : SheetRange.parse(sheetName, configured);
  }
}

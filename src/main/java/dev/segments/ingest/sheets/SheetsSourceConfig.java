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
 */
public record SheetsSourceConfig(
    String spreadsheetId,
    Map<String, String> ranges,
    Path credentialsFile,
    URI rootUrl,
    int rowsPerRequest,
    RetryPolicy retry,
    Duration connectTimeout,
    Duration readTimeout) {

  public static final URI DEFAULT_ROOT_URL = URI.create("https://sheets.googleapis.com/");
  public static final int DEFAULT_ROWS_PER_REQUEST = 50_000;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);

  private static final Pattern SPREADSHEET_ID = Pattern.compile("[A-Za-z0-9_-]+");

  public SheetsSourceConfig {
    Objects.requireNonNull(spreadsheetId, "sheets spreadsheet_id");
    if (!SPREADSHEET_ID.matcher(spreadsheetId).matches()) {
      throw new IllegalArgumentException("sheets spreadsheet_id '" + spreadsheetId + "' is not a spreadsheet id: "
          + "give the part of the spreadsheet's address between /d/ and /edit");
    }
    ranges = Map.copyOf(Objects.requireNonNull(ranges, "sheets ranges"));
    ranges.forEach(SheetRange::parse);
    Objects.requireNonNull(rootUrl, "sheets root_url");
    if (!rootUrl.isAbsolute() || !rootUrl.toString().endsWith("/")) {
      throw new IllegalArgumentException("sheets root_url must be an absolute address ending with /, got " + rootUrl);
    }
    if (rowsPerRequest < 1) {
      throw new IllegalArgumentException("sheets rows_per_request must be at least 1, got " + rowsPerRequest);
    }
    Objects.requireNonNull(retry, "sheets retry");
    requirePositive(connectTimeout, "connect_timeout");
    requirePositive(readTimeout, "read_timeout");
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
        RetryPolicy.DEFAULT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  public SheetsSourceConfig withRanges(Map<String, String> sheetRanges) {
    return new SheetsSourceConfig(spreadsheetId, sheetRanges, credentialsFile, rootUrl, rowsPerRequest, retry,
        connectTimeout, readTimeout);
  }

  public SheetsSourceConfig withCredentialsFile(Path keyFile) {
    return new SheetsSourceConfig(spreadsheetId, ranges, keyFile, rootUrl, rowsPerRequest, retry,
        connectTimeout, readTimeout);
  }

  public SheetsSourceConfig withRootUrl(URI root) {
    return new SheetsSourceConfig(spreadsheetId, ranges, credentialsFile, root, rowsPerRequest, retry,
        connectTimeout, readTimeout);
  }

  public SheetsSourceConfig withRowsPerRequest(int rows) {
    return new SheetsSourceConfig(spreadsheetId, ranges, credentialsFile, rootUrl, rows, retry,
        connectTimeout, readTimeout);
  }

  public SheetsSourceConfig withRetry(RetryPolicy policy) {
    return new SheetsSourceConfig(spreadsheetId, ranges, credentialsFile, rootUrl, rowsPerRequest, policy,
        connectTimeout, readTimeout);
  }

  public SheetsSourceConfig withTimeouts(Duration connect, Duration read) {
    return new SheetsSourceConfig(spreadsheetId, ranges, credentialsFile, rootUrl, rowsPerRequest, retry,
        connect, read);
  }

  /** The A1 range read for a sheet: the configured one, else the whole tab named like the sheet. */
  SheetRange rangeOf(String sheetName) {
    String configured = ranges.get(sheetName);
    return configured == null ? SheetRange.wholeTab(sheetName) : SheetRange.parse(sheetName, configured);
  }
}

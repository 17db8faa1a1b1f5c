package dev.segments.ingest.sheets;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.model.BatchGetValuesResponse;
import com.google.api.services.sheets.v4.model.ValueRange;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import dev.segments.ingest.MissingSheetException;
import dev.segments.ingest.sheets.BackoffRetry.TransientFailure;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads A1 ranges of one spreadsheet with {@code spreadsheets.values.batchGet}, retrying transient failures and
 * turning the others into errors that say what to fix.
 */
final class SpreadsheetValuesClient {
  private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 500, 502, 503, 504);

  private final Sheets sheets;
  private final String spreadsheetId;
  private final GoogleCredentials credentials;
  private final BackoffRetry retry;

  SpreadsheetValuesClient(SheetsSourceConfig config, GoogleCredentials credentials, BackoffRetry retry) {
    this.spreadsheetId = config.spreadsheetId();
    this.credentials = credentials;
    this.retry = retry;
    // The JDK's HTTP stack trusts the JDK's certificate store, corporate roots included.
    this.sheets = new Sheets.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(),
            new TimedCredentialsAdapter(credentials, config))
        .setRootUrl(config.rootUrl().toString())
        .setApplicationName("customer-segments")
        .build();
  }

  /**
   * The rows of each slice, in the order asked, each row a list of JSON scalars; a slice with nothing in it gives
   * an empty list.
   */
  List<List<List<?>>> batchGet(List<RowSlice> slices) {
    List<String> ranges = slices.stream().map(RowSlice::a1).toList();
    BatchGetValuesResponse response = retry.run("reading spreadsheet " + spreadsheetId, () -> attempt(slices, ranges));
    return rowsOf(response, ranges);
  }

  private BatchGetValuesResponse attempt(List<RowSlice> slices, List<String> ranges) throws TransientFailure {
    HttpResponse response;
    try {
      response = sheets.spreadsheets().values().batchGet(spreadsheetId)
          .setRanges(ranges)
          .setMajorDimension("ROWS")
          .setValueRenderOption("UNFORMATTED_VALUE")
          .setDateTimeRenderOption("SERIAL_NUMBER")
          .executeUnparsed();
    } catch (HttpResponseException e) {
      if (TRANSIENT_STATUSES.contains(e.getStatusCode())) {
        throw new TransientFailure(e.getStatusCode(), "HTTP " + e.getStatusCode() + " " + apiMessage(e), e);
      }
      throw refusal(e, slices);
    } catch (IOException e) {
      throw new TransientFailure(SheetsApiException.NO_STATUS, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    try {
      return response.parseAs(BatchGetValuesResponse.class);
    } catch (SocketTimeoutException e) {
      throw new TransientFailure(SheetsApiException.NO_STATUS, "time-out while reading the answer", e);
    } catch (IOException | RuntimeException e) {
      throw malformed(response.getStatusCode(), "a JSON object with \"valueRanges\"; it could not be parsed: "
          + e.getMessage(), e);
    }
  }

  private RuntimeException refusal(HttpResponseException e, List<RowSlice> slices) {
    int status = e.getStatusCode();
    String message = apiMessage(e);
    return switch (status) {
      case 400 -> missingTab(message, slices, e);
      case 401 -> new SheetsAccessException(status, "the Sheets API did not accept the credentials for spreadsheet "
          + spreadsheetId + " (HTTP 401: " + message + "): check sheets credentials_file or the Application Default "
          + "Credentials", e);
      case 403 -> new SheetsAccessException(status, forbidden(message), e);
      case 404 -> new SheetsAccessException(status, "spreadsheet " + spreadsheetId + " not found (HTTP 404): check "
          + "sheets spreadsheet_id, the part of the spreadsheet's address between /d/ and /edit", e);
      default -> new SheetsApiException(status, "reading spreadsheet " + spreadsheetId + " failed with HTTP " + status
          + ": " + message, e);
    };
  }

  private String forbidden(String message) {
    if (message.contains("has not been used") || message.contains("is disabled")) {
      return "the Google Sheets API is not enabled for the project of the credentials (HTTP 403: " + message
          + "): enable it with `gcloud services enable sheets.googleapis.com`";
    }
    String account = SheetsCredentials.accountOf(credentials).orElse("the account the job runs as");
    return "no permission to read spreadsheet " + spreadsheetId + " (HTTP 403: " + message + "): share the "
        + "spreadsheet " + spreadsheetId + " with " + account + " (Viewer)";
  }

  /** The real API answers a range on a tab that does not exist with 400 "Unable to parse range: 'sales'!A1:ZZ50001". */
  private RuntimeException missingTab(String message, List<RowSlice> slices, HttpResponseException e) {
    if (message.startsWith("Unable to parse range")) {
      Optional<RowSlice> named = slices.stream().filter(s -> message.contains(s.a1())).findFirst()
          .or(() -> slices.stream().filter(s -> message.contains(s.range().quotedTab())).findFirst());
      if (named.isPresent()) {
        RowSlice slice = named.get();
        String tab = slice.range().tab();
        MissingSheetException missing = new MissingSheetException(slice.sheet(), "Google spreadsheet "
            + spreadsheetId + (tab.equals(slice.sheet()) ? "" : " (looked for tab '" + tab + "')"));
        missing.initCause(e);
        return missing;
      }
    }
    return new SheetsAccessException(400, "the Sheets API rejected the request for spreadsheet " + spreadsheetId
        + " (HTTP 400: " + message + "): check sheets ranges", e);
  }

  private List<List<List<?>>> rowsOf(BatchGetValuesResponse response, List<String> ranges) {
    List<ValueRange> valueRanges = response.getValueRanges();
    if (valueRanges == null || valueRanges.size() != ranges.size()) {
      throw malformed(200, ranges.size() + " \"valueRanges\", one per range asked, got "
          + (valueRanges == null ? "none" : valueRanges.size()), null);
    }
    List<List<List<?>>> rowsPerRange = new ArrayList<>(ranges.size());
    for (int i = 0; i < ranges.size(); i++) {
      ValueRange valueRange = valueRanges.get(i);
      if (valueRange.getMajorDimension() != null && !"ROWS".equals(valueRange.getMajorDimension())) {
        throw malformed(200, "majorDimension ROWS for " + ranges.get(i) + ", got " + valueRange.getMajorDimension(), null);
      }
      rowsPerRange.add(rows(valueRange.getValues(), ranges.get(i)));
    }
    return rowsPerRange;
  }

  /** Generic types are not checked while parsing, so each row is checked to be a list here. */
  private List<List<?>> rows(Object values, String range) {
    if (values == null) {
      return List.of();
    }
    if (!(values instanceof List<?> list)) {
      throw malformed(200, "\"values\" of " + range + " to be a list of rows", null);
    }
    List<List<?>> rows = new ArrayList<>(list.size());
    for (Object row : list) {
      if (!(row instanceof List<?> cells)) {
        throw malformed(200, "each row of " + range + " to be a list of cells", null);
      }
      rows.add(cells);
    }
    return rows;
  }

  private SheetsApiException malformed(int status, String expected, Throwable cause) {
    return new SheetsApiException(status, "the Sheets API gave an unexpected answer for spreadsheet "
        + spreadsheetId + ": expected " + expected, cause);
  }

  private static String apiMessage(HttpResponseException e) {
    GoogleJsonError details = e instanceof GoogleJsonResponseException json ? json.getDetails() : null;
    if (details != null && details.getMessage() != null) {
      return details.getMessage();
    }
    return e.getStatusMessage() == null ? "no message" : e.getStatusMessage();
  }

  /** The credentials, plus this source's time-outs; still an HttpCredentialsAdapter so the client checks its universe. */
  private static final class TimedCredentialsAdapter extends HttpCredentialsAdapter {
    private final int connectMillis;
    private final int readMillis;

    TimedCredentialsAdapter(GoogleCredentials credentials, SheetsSourceConfig config) {
      super(credentials);
      this.connectMillis = (int) config.connectTimeout().toMillis();
      this.readMillis = (int) config.readTimeout().toMillis();
    }

    @Override
    public void initialize(HttpRequest request) throws IOException {
      super.initialize(request);
      request.setConnectTimeout(connectMillis);
      request.setReadTimeout(readMillis);
    }
  }
}

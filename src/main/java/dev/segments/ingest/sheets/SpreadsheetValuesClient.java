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
import com.google.api.services.sheets.v4.model.Sheet;
import com.google.api.services.sheets.v4.model.SheetProperties;
import com.google.api.services.sheets.v4.model.Spreadsheet;
import com.google.api.services.sheets.v4.model.ValueRange;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import dev.segments.ingest.MissingSheetException;
import dev.segments.ingest.sheets.BackoffRetry.TransientFailure;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads A1 ranges of one spreadsheet with {@code spreadsheets.values.batchGet}, retrying transient failures and
 * turning the others into errors that say what to fix.
 */
final class SpreadsheetValuesClient {
  private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 500, 502, 503, 504);

  /**
   * The {@code google.rpc.ErrorInfo} reason Google APIs give, with HTTP 403 PERMISSION_DENIED, for a token that
   * lacks the method's scope (https://cloud.google.com/docs/authentication/troubleshoot-auth); the same status
   * without it means the account lacks access.
   */
  static final String SCOPE_INSUFFICIENT = "ACCESS_TOKEN_SCOPE_INSUFFICIENT";

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

  Optional<String> account() {
    return SheetsCredentials.accountOf(credentials);
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

  /**
   * Each tab's title and its grid's row count ({@code gridProperties.rowCount}), the tab's true end: values.batchGet
   * leaves out trailing blank rows, so a short answer cannot tell the end of a tab from a blank stretch.
   */
  Map<String, Long> gridRowCounts() {
    Spreadsheet spreadsheet = retry.run("reading the tabs of spreadsheet " + spreadsheetId, () -> {
      HttpResponse response = send(List.of(), () -> sheets.spreadsheets().get(spreadsheetId)
          .setIncludeGridData(false)
          .setFields("sheets.properties(title,gridProperties.rowCount)")
          .executeUnparsed());
      return parse(response, Spreadsheet.class, "a JSON object with \"sheets\"");
    });
    Map<String, Long> rowCounts = new LinkedHashMap<>();
    if (spreadsheet.getSheets() != null) {
      for (Sheet sheet : spreadsheet.getSheets()) {
        SheetProperties properties = sheet.getProperties();
        if (properties == null || properties.getTitle() == null || properties.getGridProperties() == null) {
          throw malformed(200, "each sheet's title and gridProperties", null);
        }
        Integer rows = properties.getGridProperties().getRowCount();
        rowCounts.put(properties.getTitle(), rows == null ? 0L : rows.longValue());
      }
    }
    return rowCounts;
  }

  private interface Call {
    HttpResponse execute() throws IOException;
  }

  private BatchGetValuesResponse attempt(List<RowSlice> slices, List<String> ranges) throws TransientFailure {
    HttpResponse response = send(slices, () -> sheets.spreadsheets().values().batchGet(spreadsheetId)
        .setRanges(ranges)
        .setMajorDimension("ROWS")
        .setValueRenderOption("UNFORMATTED_VALUE")
        .setDateTimeRenderOption("SERIAL_NUMBER")
        .executeUnparsed());
    return parse(response, BatchGetValuesResponse.class, "a JSON object with \"valueRanges\"");
  }

  private HttpResponse send(List<RowSlice> slices, Call call) throws TransientFailure {
    try {
      return call.execute();
    } catch (HttpResponseException e) {
      if (TRANSIENT_STATUSES.contains(e.getStatusCode())) {
        throw new TransientFailure(e.getStatusCode(), "HTTP " + e.getStatusCode() + " " + apiMessage(e), e);
      }
      throw refusal(e, slices);
    } catch (IOException e) {
      Optional<SheetsAccessException> refused = credentialsRefused(e);
      if (refused.isPresent()) {
        throw refused.get();
      }
      throw new TransientFailure(SheetsApiException.NO_STATUS, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private <T> T parse(HttpResponse response, Class<T> type, String expected) throws TransientFailure {
    try {
      return response.parseAs(type);
    } catch (SocketTimeoutException e) {
      throw new TransientFailure(SheetsApiException.NO_STATUS, "time-out while reading the answer", e);
    } catch (IOException | RuntimeException e) {
      throw malformed(response.getStatusCode(), expected + "; it could not be parsed: " + e.getMessage(), e);
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
      case 403 -> new SheetsAccessException(status, forbidden(e, message), e);
      case 404 -> new SheetsAccessException(status, "spreadsheet " + spreadsheetId + " not found (HTTP 404): check "
          + "sheets spreadsheet_id, the part of the spreadsheet's address between /d/ and /edit", e);
      default -> new SheetsApiException(status, "reading spreadsheet " + spreadsheetId + " failed with HTTP " + status
          + ": " + message, e);
    };
  }

  private String forbidden(HttpResponseException e, String message) {
    if (message.contains("has not been used") || message.contains("is disabled")) {
      return "the Google Sheets API is not enabled for the project of the credentials (HTTP 403: " + message
          + "): enable it with `gcloud services enable sheets.googleapis.com`";
    }
    if (hasReason(e, SCOPE_INSUFFICIENT)) {
      return "the Sheets API refused the access token for spreadsheet " + spreadsheetId + " because it was not "
          + "minted for the Sheets scope (HTTP 403 " + SCOPE_INSUFFICIENT + ": " + message + "). On Dataproc and "
          + "other Compute Engine-based runtimes the metadata server's token has only the cloud-platform scope: set "
          + "sheets.impersonate_service_account to the batch's service account, and let that account mint tokens "
          + "for itself: `gcloud iam service-accounts add-iam-policy-binding SA --member=serviceAccount:SA "
          + "--role=roles/iam.serviceAccountTokenCreator`";
    }
    String account = SheetsCredentials.accountOf(credentials).orElse("the account the job runs as");
    return "no permission to read spreadsheet " + spreadsheetId + " (HTTP 403: " + message + "): share the "
        + "spreadsheet " + spreadsheetId + " with " + account + " (Viewer)";
  }

  private static boolean hasReason(HttpResponseException e, String reason) {
    GoogleJsonError details = e instanceof GoogleJsonResponseException json ? json.getDetails() : null;
    if (details != null && details.getDetails() != null
        && details.getDetails().stream().anyMatch(d -> reason.equals(d.getReason()))) {
      return true;
    }
    String content = e.getContent();
    return content != null && content.contains("\"" + reason + "\"");
  }

  /**
   * A token that could not be had for a reason retrying does not cure: the IAM Credentials API refused to mint
   * one (403: no roles/iam.serviceAccountTokenCreator; 404: no such service account; API disabled), or the token
   * endpoint refused the source credentials. The auth library wraps the HTTP answer in an IOException.
   */
  private Optional<SheetsAccessException> credentialsRefused(IOException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException http && !TRANSIENT_STATUSES.contains(http.getStatusCode())) {
        return Optional.of(new SheetsAccessException(http.getStatusCode(), tokenRefusal(http), e));
      }
    }
    return Optional.empty();
  }

  private String tokenRefusal(HttpResponseException http) {
    String answer = "HTTP " + http.getStatusCode() + ": " + http.getStatusMessage()
        + (http.getContent() == null ? "" : " " + http.getContent().replaceAll("\\s+", " "));
    if (!(credentials instanceof ImpersonatedCredentials impersonated)) {
      return "no access token for spreadsheet " + spreadsheetId + " (" + answer + "): check sheets "
          + "credentials_file or the Application Default Credentials (`gcloud auth application-default login`)";
    }
    String account = impersonated.getAccount();
    String prefix = "the IAM Credentials API did not mint a Sheets token for " + account + " (" + answer + "): ";
    String content = http.getContent() == null ? "" : http.getContent();
    if (content.contains("has not been used") || content.contains("is disabled")) {
      return prefix + "enable it with `gcloud services enable iamcredentials.googleapis.com`";
    }
    return switch (http.getStatusCode()) {
      case 403 -> prefix + "let the credentials the job runs with mint tokens for it: `gcloud iam service-accounts "
          + "add-iam-policy-binding " + account + " --member=serviceAccount:<the job's account> "
          + "--role=roles/iam.serviceAccountTokenCreator` (on Dataproc the job's account is " + account + " itself)";
      case 404 -> prefix + "no such service account: check sheets impersonate_service_account";
      default -> prefix + "check sheets impersonate_service_account and the credentials the job runs with";
    };
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

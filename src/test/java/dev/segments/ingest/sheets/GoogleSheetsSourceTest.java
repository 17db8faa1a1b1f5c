package dev.segments.ingest.sheets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.segments.contract.ContractException;
import dev.segments.ingest.MissingSheetException;
import dev.segments.ingest.sheets.FakeSheetsApi.Answer;
import dev.segments.ingest.sheets.RecordedSheets.RecordedRow;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GoogleSheetsSourceTest {
  private static final String ID = "1AbC-d_EfGh";
  private static final RetryPolicy THREE_TRIES =
      new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.25, Duration.ofMinutes(1));

  private FakeSheetsApi api;
  private final FakeTime time = new FakeTime();

  @BeforeEach
  void startApi() throws IOException {
    api = new FakeSheetsApi(ID);
    api.tab("customers", List.of(
        row("Customer_ID", "Age", "Income", "Gender", "City"),
        row("C001", 41, new BigDecimal("52000.5"), "F", "Leeds"),
        row("C002", null, null, "M"),
        row("C003"),
        row(),
        row(null, null, null, "F"),
        row("C004", 30, 0, "F", "York")));
    api.tab("products", List.of(
        row("Product_ID", "Product_Name", "Product_Type", "Category"),
        row("PR1", "Family Health Plus", "Health", "Family")));
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  @Test
  void readsEveryTabInOneBatchGetWithTheApiParametersAndToken() {
    RecordedSheets got = fetch(config(), "customers", "products");

    assertEquals(1, api.requests().size());
    FakeSheetsApi.Request request = api.requests().get(0);
    assertEquals("/v4/spreadsheets/" + ID + "/values:batchGet", request.path());
    assertEquals(List.of("'customers'!A1:ZZ50001", "'products'!A1:ZZ50001"), request.ranges());
    assertEquals("UNFORMATTED_VALUE", request.param("valueRenderOption"));
    assertEquals("SERIAL_NUMBER", request.param("dateTimeRenderOption"));
    assertEquals("ROWS", request.param("majorDimension"));
    assertEquals("Bearer " + FakeSheetsApi.TOKEN, request.authorization());

    assertEquals(List.of("Product_ID", "Product_Name", "Product_Type", "Category"), got.headers.get("products"));
    assertEquals(List.of(new RecordedRow(2, List.of("PR1", "Family Health Plus", "Health", "Family"))),
        got.rows.get("products"));
  }

  @Test
  void padsShortRowsToTheHeaderWidthAndSkipsBlankRows() {
    RecordedSheets got = fetch(config(), "customers");

    assertEquals(List.of("Customer_ID", "Age", "Income", "Gender", "City"), got.headers.get("customers"));
    assertEquals(List.of(
        new RecordedRow(2, List.of("C001", "41", "52000.5", "F", "Leeds")),
        new RecordedRow(3, Arrays.asList("C002", null, null, "M", null)),
        new RecordedRow(4, Arrays.asList("C003", null, null, null, null)),
        new RecordedRow(6, Arrays.asList(null, null, null, "F", null)),
        new RecordedRow(7, List.of("C004", "30", "0", "F", "York"))), got.rows.get("customers"));
  }

  @Test
  void turnsTypedValuesIntoTheirExactText() {
    api.tab("sales", List.of(
        row("Policy_ID", "Purchase_Date", "Premium", "Coverage", "Active", "Note"),
        row("P1", 44927, new BigDecimal("1204.5"), new BigDecimal("41.0"), true, "x"),
        row("P2", new BigDecimal("44927.75"), new BigDecimal("1E+21"), new BigDecimal("0.000001"), false, "£1,204.50"),
        row("P3", "3/17/2022", new BigDecimal("-3.25"), new BigInteger("12345678901234567890123"), null, " as typed ")));

    List<RecordedRow> rows = fetch(config(), "sales").rows.get("sales");

    assertEquals(List.of("P1", "44927", "1204.5", "41", "TRUE", "x"), rows.get(0).cells());
    assertEquals(List.of("P2", "44927.75", "1000000000000000000000", "0.000001", "FALSE", "£1,204.50"),
        rows.get(1).cells());
    assertEquals(Arrays.asList("P3", "3/17/2022", "-3.25", "12345678901234567890123", null, " as typed "),
        rows.get(2).cells());
  }

  @Test
  void readsALargeTabInRowRangesAndOnlyTheTabsThatFilledTheirRange() {
    int dataRows = 100_000;
    List<List<Object>> sales = new ArrayList<>(dataRows + 1);
    sales.add(row("Policy_ID", "Premium"));
    for (int r = 2; r <= dataRows + 1; r++) {
      sales.add(row("P" + r, r));
    }
    api.tab("sales", sales);

    RecordedSheets got = fetch(config().withRowsPerRequest(40_000), "customers", "sales");

    assertEquals(List.of(
        List.of("'customers'!A1:ZZ40001", "'sales'!A1:ZZ40001"),
        List.of("'sales'!A40002:ZZ80001"),
        List.of("'sales'!A80002:ZZ120001")), api.requests().stream().map(FakeSheetsApi.Request::ranges).toList());
    List<RecordedRow> rows = got.rows.get("sales");
    assertEquals(dataRows, rows.size());
    for (int i = 0; i < dataRows; i++) {
      long expectedRow = i + 2;
      RecordedRow row = rows.get(i);
      assertEquals(expectedRow, row.number());
      assertEquals(List.of("P" + expectedRow, Long.toString(expectedRow)), row.cells());
    }
    assertEquals(5, got.rows.get("customers").size());
  }

  @Test
  void aTabThatExactlyFillsItsLastRangeEndsWithItsGrid() {
    RecordedSheets got = fetch(config().withRowsPerRequest(3), "customers");

    // Rows 2..7 with row 5 blank and a grid of 7 rows: A1:A4 (the header and 3 rows), then A5:A7, the grid's end.
    assertEquals(List.of(List.of("'customers'!A1:ZZ4"), List.of("'customers'!A5:ZZ7")),
        api.requests().stream().map(FakeSheetsApi.Request::ranges).toList());
    assertEquals(List.of(2L, 3L, 4L, 6L, 7L), got.rows.get("customers").stream().map(RecordedRow::number).toList());
    assertEquals(List.of("fields=sheets.properties(title,gridProperties.rowCount)&includeGridData=false"),
        api.metadataRequests().stream().map(q -> java.net.URLDecoder.decode(q, java.nio.charset.StandardCharsets.UTF_8)).toList());
  }

  /**
   * values.batchGet leaves out trailing blank rows, so each slice that ends in blank rows comes back short; the
   * rows after them must still be read, up to the grid's last row (gridProperties.rowCount).
   */
  @Test
  void blankRowsExactlyAtSliceBoundariesDoNotEndTheTab() {
    List<List<Object>> sales = new ArrayList<>();
    sales.add(row("Policy_ID", "Premium"));
    for (int r = 2; r <= 13; r++) {
      // Slices of 3 data rows: A1:A4, A5:A7, A8:A10, A11:A13, A14:A16. Rows 4, 5 and 10..13 are blank: the first
      // slice ends blank, the second starts blank, the fourth is blank throughout.
      boolean blank = r == 4 || r == 5 || r >= 10;
      sales.add(blank ? row() : row("P" + r, r));
    }
    sales.add(row("P14", 14));
    sales.add(row("P15", 15));
    api.tab("sales", sales, 1000);

    RecordedSheets got = fetch(config().withRowsPerRequest(3), "sales");

    assertEquals(List.of(2L, 3L, 6L, 7L, 8L, 9L, 14L, 15L),
        got.rows.get("sales").stream().map(RecordedRow::number).toList());
    assertEquals(List.of("P15", "15"), got.rows.get("sales").get(7).cells());
    // The read goes on to the grid's end (row 1000), never past it.
    List<String> last = api.requests().get(api.requests().size() - 1).ranges();
    assertEquals(List.of("'sales'!A998:ZZ1000"), last);
  }

  @Test
  void aConfiguredRangeChoosesTabColumnsAndHeaderRow() {
    api.tab("Clients '24", List.of(
        row("exported 2024-05-01"),
        row(),
        row(null, "Customer_ID", "Age"),
        row(null, "C9", 52, "ignored: beyond the range")));

    RecordedSheets got = fetch(config().withRanges(Map.of("customers", "'Clients ''24'!B3:C")), "customers");

    assertEquals(List.of("'Clients ''24'!B3:C50003"), api.requests().get(0).ranges());
    assertEquals(List.of("Customer_ID", "Age"), got.headers.get("customers"));
    assertEquals(List.of(new RecordedRow(4, List.of("C9", "52"))), got.rows.get("customers"));
  }

  @Test
  void retriesAfterTooManyRequestsAndSucceeds() {
    api.script(Answer.error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests'"));

    RecordedSheets got = fetch(config(), "products");

    assertEquals(2, api.requests().size());
    assertEquals(api.requests().get(0).ranges(), api.requests().get(1).ranges());
    assertEquals(List.of(1000L), time.sleeps());
    assertEquals(1, got.rows.get("products").size());
  }

  @Test
  void failsAfterMaxAttemptsOfServerErrorsWithTheLastStatus() {
    api.script(Answer.error(500, "INTERNAL", "Internal error encountered."),
        Answer.error(503, "UNAVAILABLE", "The service is currently unavailable."),
        Answer.error(502, "UNAVAILABLE", "Bad gateway."));

    SheetsApiException e = assertThrows(SheetsApiException.class, () -> fetch(config(), "products"));

    assertEquals(3, api.requests().size());
    assertEquals(502, e.statusCode());
    assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
    assertTrue(e.getMessage().contains("after 3 attempts over 3.0 s"), e.getMessage());
    assertEquals(List.of(1000L, 2000L), time.sleeps());
  }

  @Test
  void stopsRetryingWhenTheNextWaitWouldPassTheTotalTime() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(32), 2.0, 0, Duration.ofSeconds(10));
    for (int i = 0; i < 10; i++) {
      api.script(Answer.error(503, "UNAVAILABLE", "The service is currently unavailable."));
    }

    SheetsApiException e = assertThrows(SheetsApiException.class, () -> fetch(config().withRetry(policy), "products"));

    // Waits of 1, 2 and 4 s take 7 s; the next, 8 s, would end at 15 s, past the 10 s allowed.
    assertEquals(List.of(1000L, 2000L, 4000L), time.sleeps());
    assertEquals(4, api.requests().size());
    assertEquals(503, e.statusCode());
  }

  @Test
  void forbiddenTellsToShareTheSpreadsheetAndDoesNotRetry() {
    api.script(Answer.error(403, "PERMISSION_DENIED", "The caller does not have permission"));

    SheetsAccessException e = assertThrows(SheetsAccessException.class, () -> fetch(config(), "products"));

    assertEquals(403, e.statusCode());
    assertEquals(1, api.requests().size());
    assertTrue(e.getMessage().contains("share the spreadsheet " + ID + " with the account the job runs as (Viewer)"),
        e.getMessage());
    assertTrue(e instanceof ContractException);
  }

  @Test
  void aDisabledApiTellsToEnableIt() {
    api.script(Answer.error(403, "PERMISSION_DENIED", "Google Sheets API has not been used in project 123 before or "
        + "it is disabled."));

    SheetsAccessException e = assertThrows(SheetsAccessException.class, () -> fetch(config(), "products"));

    assertTrue(e.getMessage().contains("gcloud services enable sheets.googleapis.com"), e.getMessage());
  }

  @Test
  void anUnknownSpreadsheetNamesItsId() {
    SheetsSourceConfig wrongId = new SheetsSourceConfig("NoSuchSheet", Map.of(), null, api.rootUrl(), 50_000,
        THREE_TRIES, Duration.ofSeconds(5), Duration.ofSeconds(5), null, SheetsSourceConfig.DEFAULT_IAM_ROOT_URL);

    SheetsAccessException e = assertThrows(SheetsAccessException.class, () -> fetch(wrongId, "products"));

    assertEquals(404, e.statusCode());
    assertEquals(1, api.requests().size() + api.metadataRequests().size());
    assertTrue(e.getMessage().contains("spreadsheet NoSuchSheet not found"), e.getMessage());
  }

  @Test
  void aMissingTabIsAMissingSheet() {
    MissingSheetException e = assertThrows(MissingSheetException.class,
        () -> fetch(config(), "customers", "sales", "products"));

    assertEquals("sheet 'sales' not found in Google spreadsheet " + ID, e.getMessage());
    // Found from the spreadsheet's list of tabs, before any values are asked for.
    assertEquals(1, api.metadataRequests().size());
    assertEquals(0, api.requests().size());
  }

  @Test
  void brokenJsonIsAClearErrorAndNotRetried() {
    api.script(Answer.body("{\"spreadsheetId\": \"" + ID + "\", \"valueRanges\": [{\"range\": "));

    SheetsApiException e = assertThrows(SheetsApiException.class, () -> fetch(config(), "products"));

    assertEquals(1, api.requests().size());
    assertTrue(e.getMessage().startsWith("the Sheets API gave an unexpected answer for spreadsheet " + ID
        + ": expected a JSON object with \"valueRanges\""), e.getMessage());
  }

  @Test
  void anAnswerWithoutOneValueRangePerRangeIsAClearError() {
    api.script(Answer.body("{\"spreadsheetId\": \"" + ID + "\", \"valueRanges\": []}"));

    SheetsApiException e = assertThrows(SheetsApiException.class, () -> fetch(config(), "customers", "products"));

    assertTrue(e.getMessage().endsWith("expected 2 \"valueRanges\", one per range asked, got 0"), e.getMessage());
  }

  @Test
  void aSlowAnswerIsRetriedAndTheNextOneRead() {
    api.script(Answer.dataAfter(3_000));

    RecordedSheets got = fetch(config().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)), "products");

    assertEquals(2, api.requests().size());
    assertEquals(List.of(1000L), time.sleeps());
    assertEquals(1, got.rows.get("products").size());
  }

  @Test
  void answersSlowerThanTheReadTimeoutEveryTimeFail() {
    api.script(Answer.dataAfter(3_000), Answer.dataAfter(3_000), Answer.dataAfter(3_000));

    SheetsApiException e = assertThrows(SheetsApiException.class,
        () -> fetch(config().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)), "products"));

    assertEquals(3, api.requests().size());
    assertEquals(SheetsApiException.NO_STATUS, e.statusCode());
    assertTrue(e.getMessage().contains("SocketTimeoutException"), e.getMessage());
  }

  @Test
  void aHeaderNamingTwoColumnsAlikeIsRejected() {
    api.tab("sales", List.of(row("Policy_ID", "Premium", "Premium"), row("P1", 1, 2)));

    ContractException e = assertThrows(ContractException.class, () -> fetch(config(), "sales"));

    assertEquals("sheet 'sales': the header (row 1) names two columns 'Premium': rename one", e.getMessage());
  }

  private SheetsSourceConfig config() {
    return SheetsSourceConfig.forSpreadsheet(ID)
        .withRootUrl(api.rootUrl())
        .withRetry(THREE_TRIES)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private RecordedSheets fetch(SheetsSourceConfig config, String... sheets) {
    RecordedSheets got = new RecordedSheets();
    // A jitter draw of 0.5 scales each wait by exactly 1, so the waits can be checked.
    new GoogleSheetsSource(config, testCredentials(), new BackoffRetry(config.retry(), time, time, () -> 0.5))
        .fetch(List.of(sheets), got);
    return got;
  }

  static GoogleCredentials testCredentials() {
    return GoogleCredentials.create(new AccessToken(FakeSheetsApi.TOKEN, Date.from(Instant.now().plusSeconds(3600))));
  }

  static List<Object> row(Object... cells) {
    return Arrays.asList(cells);
  }
}

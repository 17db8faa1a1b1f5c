package dev.segments.ingest.sheets;

import static dev.segments.ingest.sheets.GoogleSheetsSourceTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.cli.SegmentCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code segment preflight} against the loopback Sheets and IAM Credentials servers, with the production shape of
 * credentials: a source credential (here a key file standing for the workflow's Workload Identity Federation or the
 * batch's metadata server) that mints the batch account's Sheets-scoped token.
 */
class PreflightCommandTest {
  private static final String BATCH = "segments-batch@acme-segments.iam.gserviceaccount.com";

  @TempDir Path dir;

  private record Result(int exit, List<String> lines) {}

  private Result preflight(FakeSheetsApi api, String... flags) throws Exception {
    return preflightWithSheetsKey(api, "impersonate_service_account: " + BATCH, flags);
  }

  /** {@code sheetsKey} is one more line of the sheets section. */
  private Result preflightWithSheetsKey(FakeSheetsApi api, String sheetsKey, String... flags) throws Exception {
    Path key = TestServiceAccountKey.write(dir, api.tokenUrl());
    Path config = dir.resolve("production.yaml");
    Files.writeString(config, """
        source: sheets
        sink: local
        sheets:
          spreadsheet_id: %s
          credentials_file: %s
          %s
          root_url: %s
          iam_root_url: %s
          retry:
            max_attempts: 2
            initial_backoff: 1ms
            max_backoff: 1ms
        """.formatted(api.spreadsheetId, key, sheetsKey, api.rootUrl(), api.rootUrl()));
    StringWriter out = new StringWriter();
    CommandLine cli = SegmentCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    List<String> args = new java.util.ArrayList<>(List.of("preflight", "--config", config.toString()));
    args.addAll(List.of(flags));
    int exit = cli.execute(args.toArray(String[]::new));
    return new Result(exit, out.toString().lines().toList());
  }

  private static FakeSheetsApi spreadsheet() throws Exception {
    FakeSheetsApi api = new FakeSheetsApi("prod1");
    api.tab("customers", List.of(row("Customer_ID", "Age"), row("C1", 40)));
    api.tab("sales", List.of(row("Policy_ID", "Customer_ID", "Product_ID"), row("P1", "C1", "PR1")));
    api.tab("products", List.of(row("Product_ID", "Product_Type"), row("PR1", "Health")));
    api.shareWith(BATCH);
    return api;
  }

  @Test
  void everyTabsHeaderIsReadWithTheBatchAccountsSheetsToken() throws Exception {
    try (FakeSheetsApi api = spreadsheet()) {
      api.grantTokenCreator(BATCH, TestServiceAccountKey.EMAIL);

      Result result = preflight(api);

      assertEquals(0, result.exit(), result.lines().toString());
      assertEquals(List.of(
          "PASS  sheets: spreadsheet prod1 is readable as " + BATCH + " (tabs: customers, sales, products)",
          "PASS  sheets tab for 'customers': header row readable, 2 columns (Customer_ID, Age)",
          "PASS  sheets tab for 'products': header row readable, 2 columns (Product_ID, Product_Type)",
          "PASS  sheets tab for 'sales': header row readable, 3 columns (Policy_ID, Customer_ID, Product_ID)",
          "SKIP  bigquery: sink is local, not bigquery",
          "preflight: 4 passed, 0 failed"), result.lines());
      // Only header rows were asked for, each with the minted Sheets-scoped token of the batch account.
      for (FakeSheetsApi.Request request : api.requests()) {
        assertEquals(new FakeSheetsApi.Minted(BATCH, List.of(SheetsCredentials.READONLY_SCOPE)),
            api.tokenInfo(request.authorization()));
        assertTrue(request.ranges().get(0).endsWith("!A1:ZZ1"), request.ranges().toString());
      }
    }
  }

  @Test
  void asTheBatchAccountAppliesToSheetsWhenTheConfigNamesNoAccount() throws Exception {
    try (FakeSheetsApi api = spreadsheet()) {
      api.grantTokenCreator(BATCH, TestServiceAccountKey.EMAIL);

      Result withoutAs = preflightWithSheetsKey(api, "rows_per_request: 50000");
      Result withAs = preflightWithSheetsKey(api, "rows_per_request: 50000", "--as", BATCH);

      // The key's own account is not shared on the spreadsheet; the batch's is.
      assertTrue(withoutAs.lines().get(0).startsWith("FAIL  sheets: no permission to read spreadsheet prod1"),
          withoutAs.lines().get(0));
      assertEquals(0, withAs.exit(), withAs.lines().toString());
      assertTrue(withAs.lines().get(0).startsWith("PASS  sheets: spreadsheet prod1 is readable as " + BATCH),
          withAs.lines().get(0));
    }
  }

  @Test
  void aTokenTheIamCredentialsApiRefusesFailsWithTheBindingToAdd() throws Exception {
    try (FakeSheetsApi api = spreadsheet()) {
      api.serviceAccount(BATCH);

      Result result = preflight(api);

      assertEquals(1, result.exit());
      String failure = result.lines().get(0);
      assertTrue(failure.startsWith("FAIL  sheets: the IAM Credentials API did not mint a Sheets token for " + BATCH),
          failure);
      assertTrue(failure.contains("gcloud iam service-accounts add-iam-policy-binding " + BATCH), failure);
      assertTrue(result.lines().contains("SKIP  sheets tab for 'sales': the spreadsheet is not readable"),
          result.lines().toString());
      assertEquals("preflight: 0 passed, 1 failed", result.lines().get(result.lines().size() - 1));
    }
  }

  /** The BigQuery checks run on Google's service only (BigQueryPreflightTest runs them on the loopback servers). */
  @Test
  void aBigQuerySinkIsCheckedAndATestEndpointIsRefused() throws Exception {
    try (FakeSheetsApi api = spreadsheet()) {
      api.grantTokenCreator(BATCH, TestServiceAccountKey.EMAIL);

      Result result = preflight(api, "--set", "sink=bigquery", "--set", "bigquery.project=acme-segments",
          "--set", "bigquery.location=europe-west2", "--set", "bigquery.temporary_gcs_bucket=acme-segments-runs",
          "--set", "bigquery.endpoint=http://127.0.0.1:9/", "--as", BATCH);

      assertEquals(1, result.exit());
      assertTrue(result.lines().contains("FAIL  bigquery: bigquery.endpoint is a test server; preflight checks "
          + "Google's"), result.lines().toString());
      assertEquals("preflight: 4 passed, 1 failed", result.lines().get(result.lines().size() - 1));
    }
  }

  @Test
  void aMissingTabAndAnEmptyHeaderEachFailWithTheirFix() throws Exception {
    try (FakeSheetsApi api = new FakeSheetsApi("prod2")) {
      api.tab("customers", List.of(row("Customer_ID")));
      api.tab("products", List.of(row(), row("PR1", "Health")));
      api.grantTokenCreator(BATCH, TestServiceAccountKey.EMAIL);

      Result result = preflight(api);

      assertEquals(1, result.exit());
      assertTrue(result.lines().contains("FAIL  sheets tab for 'sales': sheet 'sales' not found in Google spreadsheet "
          + "prod2: add the tab, or set sheets.ranges.sales to 'Tab name'!A1:Z"), result.lines().toString());
      assertTrue(result.lines().contains("FAIL  sheets tab for 'products': the header row is empty: put the column "
          + "names in the first row, or set sheets.ranges.products to the range whose first row holds them"),
          result.lines().toString());
      assertEquals("preflight: 2 passed, 2 failed", result.lines().get(result.lines().size() - 1));
    }
  }
}

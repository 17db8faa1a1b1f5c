package dev.segments.cli;

import dev.segments.config.ConfigException;
import dev.segments.config.PipelineConfig;
import dev.segments.config.Sink;
import dev.segments.config.Source;
import dev.segments.contract.ContractException;
import dev.segments.ingest.MissingSheetException;
import dev.segments.ingest.SheetContract;
import dev.segments.ingest.sheets.GoogleSheetsSource;
import dev.segments.ingest.sheets.SheetsApiException;
import dev.segments.ingest.sheets.SheetsSourceConfig;
import dev.segments.sink.BigQueryConfig;
import dev.segments.sink.BigQueryPreflight;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Checks every production edge for real, writing nothing, so that a broken set-up costs seconds and not a batch. */
@Command(name = "preflight", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Check the production set-up without writing anything: with source sheets, that the spreadsheet "
        + "is readable with the token the batch will use (sheets.impersonate_service_account minted through the IAM "
        + "Credentials API, or the credentials themselves) and that each sheet's tab has a header row; with sink "
        + "bigquery, that the dataset is in bigquery.location, that each existing output table takes the night's "
        + "statements (a dry run), and that the staging bucket is writable and in the dataset's location.",
        "Prints one line per check, PASS or FAIL with the exact fix, and exits 1 when any check fails.",
        "The nightly workflow runs it before it submits the batch."})
public final class PreflightCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(names = "--as", paramLabel = "SERVICE_ACCOUNT",
      description = "Check as this service account (the batch's), whose tokens the credentials mint through the IAM "
          + "Credentials API: for Sheets unless sheets.impersonate_service_account names one, and for BigQuery and "
          + "the bucket. Default: as the credentials themselves.")
  String checkAs;

  private int failed;
  private int passed;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    if (config.source() == Source.SHEETS) {
      checkSheets(config, out);
    } else {
      out.println("SKIP  sheets: source is " + config.source() + ", not sheets");
    }
    if (config.sink() == Sink.BIGQUERY) {
      checkBigQuery(config, out);
    } else {
      out.println("SKIP  bigquery: sink is " + config.sink() + ", not bigquery");
    }
    out.printf("preflight: %d passed, %d failed%n", passed, failed);
    return failed == 0 ? 0 : SegmentCli.EXIT_FAILURE;
  }

  private void checkSheets(PipelineConfig config, PrintWriter out) {
    List<String> sheetNames = config.contract().sheets().stream().map(SheetContract::name).toList();
    GoogleSheetsSource source;
    List<String> tabs;
    try {
      SheetsSourceConfig sheets = config.sheets();
      if (checkAs != null && sheets.impersonateServiceAccount() == null) {
        sheets = sheets.withImpersonation(checkAs, sheets.iamRootUrl());
      }
      source = GoogleSheetsSource.withConfiguredCredentials(sheets);
      tabs = source.tabs();
      pass(out, "sheets: spreadsheet " + sheets.spreadsheetId() + " is readable as "
          + source.account().orElse("the Application Default Credentials") + " (tabs: " + String.join(", ", tabs) + ")");
    } catch (ContractException | SheetsApiException | IllegalArgumentException | IllegalStateException e) {
      fail(out, "sheets: " + e.getMessage());
      sheetNames.forEach(sheet -> out.println("SKIP  sheets tab for '" + sheet + "': the spreadsheet is not readable"));
      return;
    }
    for (String sheet : sheetNames) {
      try {
        List<String> header = source.headers(List.of(sheet)).get(sheet);
        if (header.isEmpty()) {
          fail(out, "sheets tab for '" + sheet + "': the header row is empty: put the column names in the first row, "
              + "or set sheets.ranges." + sheet + " to the range whose first row holds them");
        } else {
          pass(out, "sheets tab for '" + sheet + "': header row readable, " + header.size() + " columns ("
              + String.join(", ", header) + ")");
        }
      } catch (MissingSheetException e) {
        fail(out, "sheets tab for '" + sheet + "': " + e.getMessage() + ": add the tab, or set sheets.ranges." + sheet
            + " to 'Tab name'!A1:Z");
      } catch (ContractException | SheetsApiException | IllegalArgumentException e) {
        fail(out, "sheets tab for '" + sheet + "': " + e.getMessage());
      }
    }
  }

  private void checkBigQuery(PipelineConfig config, PrintWriter out) {
    List<BigQueryPreflight.Check> checks;
    try {
      BigQueryConfig bigquery = config.bigquery();
      checks = BigQueryPreflight.actingAs(bigquery, checkAs).run(config.asOf());
    } catch (IllegalArgumentException | IllegalStateException | ConfigException e) {
      fail(out, "bigquery: " + e.getMessage());
      return;
    }
    for (BigQueryPreflight.Check check : checks) {
      String line = check.name() + ": " + check.detail();
      if (check.passed() == null) {
        out.println("SKIP  " + line);
      } else if (check.passed()) {
        pass(out, line);
      } else {
        fail(out, line);
      }
    }
  }

  private void pass(PrintWriter out, String line) {
    passed++;
    out.println("PASS  " + line);
  }

  private void fail(PrintWriter out, String line) {
    failed++;
    out.println("FAIL  " + line);
  }
}

package dev.segments.cli;

import dev.segments.contract.ContractException;
import dev.segments.ingest.sheets.GoogleSheetsSource;
import dev.segments.ingest.sheets.SheetCsvExport;
import dev.segments.ingest.sheets.SheetsApiException;
import dev.segments.ingest.sheets.SheetsSourceConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Snapshots the tabs of a Google spreadsheet as CSV files that the CSV source reads. */
@Command(
    name = "export-sheets",
    mixinStandardHelpOptions = true,
    description = "Downloads tabs of a Google spreadsheet through the Sheets API and writes each as <output>/<tab>.csv "
        + "(UTF-8, header first), ready for source: csv.")
public final class ExportSheetsCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--spreadsheet-id", required = true,
      description = "The spreadsheet's id: the part of its address between /d/ and /edit.")
  private String spreadsheetId;

  @Option(names = "--credentials", paramLabel = "FILE",
      description = "A service-account key file; without it, Application Default Credentials.")
  private Path credentials;

  @Option(names = "--sheets", split = ",", paramLabel = "TAB",
      description = "The tabs to export, comma-separated (default: ${DEFAULT-VALUE}).",
      defaultValue = "customers,sales,products")
  private List<String> sheets;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "The folder the CSV files go to.")
  private Path output;

  @Option(names = "--root-url", hidden = true, description = "The Sheets API root address (tests).")
  private URI rootUrl = SheetsSourceConfig.DEFAULT_ROOT_URL;

  @Override
  public Integer call() throws IOException {
    try {
      SheetsSourceConfig config = SheetsSourceConfig.forSpreadsheet(spreadsheetId)
          .withCredentialsFile(credentials)
          .withRootUrl(rootUrl);
      GoogleSheetsSource source = GoogleSheetsSource.withConfiguredCredentials(config);
      Map<String, Long> rows = SheetCsvExport.write(source, sheets, output);
      rows.forEach((sheet, count) -> spec.commandLine().getOut()
          .printf("%s: %d rows -> %s%n", sheet, count, output.resolve(sheet + ".csv")));
      return 0;
    } catch (ContractException | SheetsApiException | IllegalArgumentException | IllegalStateException e) {
      spec.commandLine().getErr().println("export-sheets: " + e.getMessage());
      return 1;
    }
  }
}

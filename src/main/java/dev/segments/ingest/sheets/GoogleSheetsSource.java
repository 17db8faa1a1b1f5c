package dev.segments.ingest.sheets;

import com.google.api.client.util.NanoClock;
import com.google.api.client.util.Sleeper;
import com.google.auth.oauth2.GoogleCredentials;
import dev.segments.contract.ContractException;
import dev.segments.ingest.MissingSheetException;
import dev.segments.ingest.SheetSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sheets as tabs of one Google spreadsheet, read through the Sheets API v4.
 *
 * <p>Each batchGet asks for a slice of every tab still being read: first each tab's header and its first
 * {@code rowsPerRequest} rows, then the next rows of the tabs that filled their slice. Cells come unformatted
 * (numbers as numbers, dates as serial numbers) and become text by {@link CellText}; rows the API returns short
 * are padded to the header's width, and rows with no value at all are skipped, as a CSV reader skips blank lines.
 * A header cell left blank names its column {@code _c<index>} (from 0), as Spark's CSV reader does.
 */
public final class GoogleSheetsSource implements SheetSource {
  private static final Logger LOG = LoggerFactory.getLogger(GoogleSheetsSource.class);

  private final SheetsSourceConfig config;
  private final SpreadsheetValuesClient client;

  /** Reads with the given credentials, which need the {@value SheetsCredentials#READONLY_SCOPE} scope. */
  public GoogleSheetsSource(SheetsSourceConfig config, GoogleCredentials credentials) {
    this(config, credentials, new BackoffRetry(config.retry(), Sleeper.DEFAULT, NanoClock.SYSTEM,
        () -> ThreadLocalRandom.current().nextDouble()));
  }

  GoogleSheetsSource(SheetsSourceConfig config, GoogleCredentials credentials, BackoffRetry retry) {
    this.config = config;
    this.client = new SpreadsheetValuesClient(config, Objects.requireNonNull(credentials, "credentials"), retry);
  }

  /** Reads with the configured credentials: see {@link SheetsCredentials#load(SheetsSourceConfig)}. */
  public static GoogleSheetsSource withConfiguredCredentials(SheetsSourceConfig config) {
    return new GoogleSheetsSource(config, SheetsCredentials.load(config));
  }

  @Override
  public Map<String, Dataset<Row>> read(SparkSession spark, List<String> sheetNames) {
    RawSheetBuilder sheets = new RawSheetBuilder();
    fetch(sheetNames, sheets);
    return sheets.build(spark, sheetNames);
  }

  @Override
  public String describe() {
    return "Google spreadsheet " + config.spreadsheetId();
  }

  /**
   * Fetches the sheets as text, passing each header and row to the consumer as they arrive.
   *
   * @throws dev.segments.ingest.MissingSheetException when a tab does not exist
   * @throws SheetsAccessException when the spreadsheet cannot be read for a reason the user can fix
   * @throws SheetsApiException when the API keeps failing or answers something unexpected
   */
  void fetch(List<String> sheetNames, SheetRowsConsumer consumer) {
    if (new HashSet<>(sheetNames).size() != sheetNames.size()) {
      throw new IllegalArgumentException("sheet names must be distinct, got " + sheetNames);
    }
    int rowsPerRequest = config.rowsPerRequest();
    Map<String, Long> gridRows = client.gridRowCounts();
    List<RowSlice> pending = new ArrayList<>();
    for (String sheet : sheetNames) {
      pending.add(RowSlice.first(sheet, existingRange(sheet, gridRows), rowsPerRequest));
    }
    Map<String, Integer> widths = new HashMap<>();
    Map<String, Long> rowsRead = new HashMap<>();
    while (!pending.isEmpty()) {
      List<List<List<?>>> answers = client.batchGet(pending);
      List<RowSlice> next = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        RowSlice slice = pending.get(i);
        List<List<?>> rows = answers.get(i);
        int firstDataRow = 0;
        if (slice.isFirst()) {
          List<String> header = header(slice, rows.isEmpty() ? List.of() : rows.get(0));
          widths.put(slice.sheet(), header.size());
          consumer.header(slice.sheet(), header);
          firstDataRow = 1;
        }
        int width = widths.get(slice.sheet());
        long kept = 0;
        for (int r = firstDataRow; r < rows.size(); r++) {
          String[] cells = cells(slice, slice.fromRow() + r, rows.get(r), width);
          if (cells != null) {
            consumer.row(slice.sheet(), slice.fromRow() + r, cells);
            kept++;
          }
        }
        rowsRead.merge(slice.sheet(), kept, Long::sum);
        LOG.info("{}: sheet '{}' range {}: {} rows", describe(), slice.sheet(), slice.a1(), kept);
        slice.next(gridRows.get(slice.range().tab()), rowsPerRequest).ifPresent(next::add);
      }
      pending = next;
    }
    sheetNames.forEach(s -> LOG.info("{}: sheet '{}': {} rows read", describe(), s, rowsRead.get(s)));
  }

  /** The titles of the spreadsheet's tabs: one call that needs the token, read access and the right id. */
  public List<String> tabs() {
    return List.copyOf(client.gridRowCounts().keySet());
  }

  /** The account the source reads as, when the credentials name it without a secret. */
  public Optional<String> account() {
    return client.account();
  }

  /** Each tab's header row, read with the credentials the source reads with; nothing below it. */
  public Map<String, List<String>> headers(List<String> sheetNames) {
    Map<String, Long> gridRows = client.gridRowCounts();
    List<RowSlice> slices = sheetNames.stream()
        .map(sheet -> RowSlice.first(sheet, existingRange(sheet, gridRows), 0)).toList();
    List<List<List<?>>> answers = client.batchGet(slices);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 0; i < slices.size(); i++) {
      List<List<?>> rows = answers.get(i);
      headers.put(slices.get(i).sheet(), header(slices.get(i), rows.isEmpty() ? List.of() : rows.get(0)));
    }
    return headers;
  }

  private SheetRange existingRange(String sheet, Map<String, Long> gridRows) {
    SheetRange range = config.rangeOf(sheet);
    if (!gridRows.containsKey(range.tab())) {
      throw new MissingSheetException(sheet, "Google spreadsheet " + config.spreadsheetId()
          + (range.tab().equals(sheet) ? "" : " (looked for tab '" + range.tab() + "')"));
    }
    return range;
  }

  private static List<String> header(RowSlice slice, List<?> row) {
    List<String> header = new ArrayList<>(row.size());
    Set<String> seen = new HashSet<>();
    seen.add(ROW_NUMBER);
    for (int c = 0; c < row.size(); c++) {
      String text = cellText(slice, slice.fromRow(), c, row.get(c));
      String name = text == null || text.isBlank() ? "_c" + c : text;
      if (!seen.add(name)) {
        throw new ContractException("sheet '" + slice.sheet() + "': the header (row " + slice.fromRow()
            + ") names two columns '" + name + "'" + (name.equals(ROW_NUMBER) ? ", a name the pipeline keeps for "
            + "row numbers" : "") + ": rename one");
      }
      header.add(name);
    }
    return header;
  }

  /** The row's text padded to the header's width, or null when the row has no value at all. */
  private static String[] cells(RowSlice slice, long rowNumber, List<?> row, int width) {
    if (width == 0 && row.stream().anyMatch(v -> !"".equals(v))) {
      throw new ContractException("sheet '" + slice.sheet() + "' has values in row " + rowNumber
          + " but no header in row " + slice.range().headerRow());
    }
    String[] cells = new String[width];
    boolean blank = true;
    for (int c = 0; c < Math.min(width, row.size()); c++) {
      cells[c] = cellText(slice, rowNumber, c, row.get(c));
      blank &= cells[c] == null;
    }
    return blank ? null : cells;
  }

  private static String cellText(RowSlice slice, long rowNumber, int column, Object value) {
    try {
      return CellText.of(value);
    } catch (IllegalArgumentException e) {
      throw new SheetsApiException(200, "the Sheets API gave an unexpected answer for sheet '" + slice.sheet()
          + "' row " + rowNumber + " column " + (column + 1) + ": " + e.getMessage(), e);
    }
  }
}

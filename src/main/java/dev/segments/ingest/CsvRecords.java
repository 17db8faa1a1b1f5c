package dev.segments.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Turns the lines of a CSV file into records, accounting for every line: each record is either read into cells or
 * reported broken with the line it starts on, and a broken record never swallows the lines after it.
 *
 * <p>Cells are split by Apache Commons CSV (RFC 4180: {@code ,} between cells, {@code "} around a cell that holds
 * commas, quotes or line breaks, a quote inside such a cell doubled; a quote inside an unquoted cell is an ordinary
 * character). What this class adds is where a record ends. A record is one line unless a quoted cell is still open at
 * the line's end; then it runs on until the quote closes. Such a multi-line record is taken as written only when
 * <ol>
 *   <li>its quote closes within {@link CsvOptions#maxCellLines()} lines,</li>
 *   <li>it then has exactly as many cells as the header, and</li>
 *   <li>none of the lines after its first would, read on its own, be a row of the header's width (a swallowed row).</li>
 * </ol>
 * Otherwise the quote is taken for a stray one: the record's first line is reported as an unclosed quote, with the
 * lines the quote ran over, and reading starts again at the next line, so the rows after it are read as written and
 * keep their own line numbers. A one-line record with more cells than the header is reported broken too (an unquoted
 * comma would shift every later cell); one with fewer cells has the missing cells at its end read as blank. Empty
 * lines hold no cells and are skipped.
 */
final class CsvRecords {
  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).build();

  /**
   * One record: the line it starts on, and either its cells (exactly the header's width, blank cells as read) or the
   * problem that kept it from being read, as the reason for the sheet's keeper and the rule for counts. A broken
   * record's cells are those its first line holds before the problem (before its first quote; every cell of a row
   * too wide), so the key of a row quarantined whole is still known.
   */
  record Record(long line, String[] cells, String problem, String rule) {
    boolean broken() {
      return problem != null;
    }
  }

  private final CsvLines lines;
  private final int width;
  private final int maxCellLines;
  private long skippedEmptyLines;

  /** @param width the header's number of cells; 0 while reading the header itself */
  CsvRecords(CsvLines lines, int width, int maxCellLines) {
    this.lines = lines;
    this.width = width;
    this.maxCellLines = maxCellLines;
  }

  long skippedEmptyLines() {
    return skippedEmptyLines;
  }

  /** The next record, or null at the end of the file. */
  Record next() throws IOException {
    CsvLines.Line first = lines.next();
    while (first != null && first.text().isEmpty()) {
      skippedEmptyLines++;
      first = lines.next();
    }
    if (first == null) {
      return null;
    }
    QuoteState quotes = new QuoteState();
    quotes.scan(first.text());
    if (!quotes.open()) {
      return oneLine(first);
    }
    List<CsvLines.Line> taken = new ArrayList<>();
    taken.add(first);
    StringBuilder text = new StringBuilder(first.text());
    boolean swallowedRow = false;
    CsvLines.Line next = null;
    while (quotes.open() && taken.size() < maxCellLines && (next = lines.next()) != null) {
      taken.add(next);
      text.append('\n').append(next.text());
      quotes.scan("\n");
      quotes.scan(next.text());
      swallowedRow |= width >= 2 && looksLikeRow(next.text());
    }
    long last = taken.get(taken.size() - 1).number();
    if (!quotes.open()) {
      String[] cells = split(text.toString());
      if (cells != null && cells.length == width && !swallowedRow) {
        return new Record(first.number(), cells, null, null);
      }
    }
    lines.pushBack(taken.subList(1, taken.size()));
    String where = !quotes.open()
        ? "the row would run from line " + first.number() + " to line " + last
        : next == null
            ? "no closing quote between line " + first.number() + " and the end of the file"
            : "no closing quote within " + maxCellLines + " lines of line " + first.number();
    return broken(first.number(), cellsBeforeQuote(first.text()), "unclosed quote: " + where + "; the lines after line " + first.number()
        + " are read as rows of their own", "unclosed quote");
  }

  private Record oneLine(CsvLines.Line line) {
    String[] cells = split(line.text());
    if (cells == null) {
      return broken(line.number(), cellsBeforeQuote(line.text()), "the row cannot be read: text follows a quoted cell's closing quote",
          "text after a closing quote");
    }
    if (width > 0 && cells.length > width) {
      int extra = cells.length - width;
      return broken(line.number(), cells, "the row has " + cells.length + " cells, " + extra + " more than the header's "
          + width + " (an unquoted comma in a cell?)", "more cells than the header");
    }
    if (width > cells.length) {
      String[] padded = new String[width];
      System.arraycopy(cells, 0, padded, 0, cells.length);
      return new Record(line.number(), padded, null, null);
    }
    return new Record(line.number(), cells, null, null);
  }

  private static Record broken(long line, String[] cellsRead, String problem, String rule) {
    return new Record(line, cellsRead, problem, rule);
  }

  /** The cells a line holds before its first quote: plain cells, split at each comma (the cell with the quote left out). */
  private static String[] cellsBeforeQuote(String line) {
    int quote = line.indexOf('"');
    String[] cells = (quote < 0 ? line : line.substring(0, quote)).split(",", -1);
    return quote < 0 ? cells : Arrays.copyOf(cells, cells.length - 1);
  }

  private boolean looksLikeRow(String line) {
    QuoteState quotes = new QuoteState();
    quotes.scan(line);
    if (quotes.open()) {
      return false;
    }
    String[] cells = split(line);
    return cells != null && cells.length == width;
  }

  /** The cells of one complete record's text, or null when the parser refuses it. */
  private static String[] split(String text) {
    if (text.indexOf('"') < 0 && text.indexOf('\r') < 0) {
      // No quotes: RFC 4180 cells are exactly the text between commas, as the parser would return them.
      return text.split(",", -1);
    }
    try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      return records.size() == 1 ? records.get(0).values() : null;
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }

  /**
   * Whether a record's text so far ends inside a quoted cell, by the rules the parser splits by: a cell that starts
   * with a quote is quoted until a quote that is not doubled.
   */
  private static final class QuoteState {
    private boolean inQuotes;
    private boolean quoteSeen;
    private boolean atCellStart = true;

    void scan(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (inQuotes) {
          if (quoteSeen) {
            quoteSeen = false;
            if (c == '"') {
              continue;
            }
            inQuotes = false;
          } else {
            if (c == '"') {
              quoteSeen = true;
            }
            continue;
          }
        }
        if (c == ',') {
          atCellStart = true;
        } else if (c == '"' && atCellStart) {
          inQuotes = true;
          atCellStart = false;
        } else {
          atCellStart = false;
        }
      }
    }

    boolean open() {
      return inQuotes && !quoteSeen;
    }
  }
}

package dev.segments.ingest.sheets;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The block of a tab that holds one sheet: columns {@code firstColumn..lastColumn}, rows from {@code headerRow}
 * (the header) down to {@code lastRow} at most. Read in slices of rows, each written as an A1 range.
 *
 * @param tab the tab's name in the spreadsheet
 * @param firstColumn column letters, upper case
 * @param lastColumn column letters, upper case
 * @param headerRow the header's row number in the tab, from 1
 * @param lastRow the last row to read, {@link Long#MAX_VALUE} for all
 */
record SheetRange(String tab, String firstColumn, String lastColumn, long headerRow, long lastRow) {

  /** The widest block read when no range is configured: columns A to ZZ (702 columns). */
  static final String LAST_DEFAULT_COLUMN = "ZZ";

  private static final Pattern A1 =
      Pattern.compile("(?:('(?:[^']|'')+'|[^'!]+)!)?([A-Za-z]{1,3})([0-9]*):([A-Za-z]{1,3})([0-9]*)");

  static SheetRange wholeTab(String tab) {
    return new SheetRange(tab, "A", LAST_DEFAULT_COLUMN, 1, Long.MAX_VALUE);
  }

  /**
   * Reads a configured range such as {@code A1:K}, {@code B3:K500} or {@code 'Clients 2024'!A:K}. Without a tab
   * name the tab is the sheet's name; without a first row the header is row 1.
   */
  static SheetRange parse(String sheetName, String a1) {
    Matcher m = A1.matcher(a1.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("sheets range for '" + sheetName + "' must look like A1:K, A:K or "
          + "'Tab name'!A1:K500, got '" + a1 + "'");
    }
    String tab = m.group(1) == null ? sheetName : unquote(m.group(1));
    long headerRow = m.group(3).isEmpty() ? 1 : Long.parseLong(m.group(3));
    long lastRow = m.group(5).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(5));
    String first = m.group(2).toUpperCase(Locale.ROOT);
    String last = m.group(4).toUpperCase(Locale.ROOT);
    if (headerRow < 1 || lastRow < headerRow || columnNumber(last) < columnNumber(first)) {
      throw new IllegalArgumentException("sheets range for '" + sheetName + "' is empty or reversed: '" + a1 + "'");
    }
    return new SheetRange(tab, first, last, headerRow, lastRow);
  }

  /** The A1 range of rows {@code fromRow} onwards, at most {@code rowCount} of them and none after {@link #lastRow}. */
  String rows(long fromRow, long rowCount) {
    long toRow = Math.min(lastRow, fromRow + rowCount - 1);
    return quotedTab() + "!" + firstColumn + fromRow + ":" + lastColumn + toRow;
  }

  /** How many rows {@link #rows(long, long)} covers. */
  long rowCount(long fromRow, long rowCount) {
    return Math.min(lastRow, fromRow + rowCount - 1) - fromRow + 1;
  }

  String quotedTab() {
    return "'" + tab.replace("'", "''") + "'";
  }

  private static String unquote(String tab) {
    return tab.startsWith("'") ? tab.substring(1, tab.length() - 1).replace("''", "'") : tab;
  }

  private static int columnNumber(String letters) {
    int n = 0;
    for (int i = 0; i < letters.length(); i++) {
      n = n * 26 + (letters.charAt(i) - 'A' + 1);
    }
    return n;
  }
}

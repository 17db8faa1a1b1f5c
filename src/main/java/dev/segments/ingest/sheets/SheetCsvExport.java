package dev.segments.ingest.sheets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes sheets fetched from Google Sheets as CSV files ({@code <dir>/<sheet>.csv}, UTF-8, header first, RFC 4180:
 * CRLF line ends, a field with a comma, quote or line break in double quotes, quotes doubled; an empty cell is an
 * empty field). The files are what the CSV source reads, so a spreadsheet can be snapshotted and replayed offline.
 */
public final class SheetCsvExport {
  private SheetCsvExport() {}

  /**
   * Fetches the sheets and writes one file each. Files are written under a temporary name and renamed only once
   * every sheet has been read, so a failed export leaves no partial file behind.
   *
   * @return data rows written per sheet, in the order asked
   */
  public static Map<String, Long> write(GoogleSheetsSource source, List<String> sheetNames, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, Path> targets = new LinkedHashMap<>();
    for (String sheet : sheetNames) {
      Path target = dir.resolve(sheet + ".csv");
      if (sheet.isBlank() || !dir.equals(target.getParent())) {
        throw new IllegalArgumentException("sheet name '" + sheet + "' cannot be a file name in " + dir);
      }
      targets.put(sheet, target);
    }
    Map<String, Path> parts = new LinkedHashMap<>();
    Map<String, Writer> writers = new LinkedHashMap<>();
    Map<String, Long> rows = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Path> target : targets.entrySet()) {
        Path part = target.getValue().resolveSibling(target.getValue().getFileName() + ".part");
        parts.put(target.getKey(), part);
        writers.put(target.getKey(), Files.newBufferedWriter(part, StandardCharsets.UTF_8));
        rows.put(target.getKey(), 0L);
      }
      source.fetch(sheetNames, new SheetRowsConsumer() {
        @Override
        public void header(String sheet, List<String> columns) {
          writeLine(writers.get(sheet), columns.toArray(String[]::new));
        }

        @Override
        public void row(String sheet, long rowNumber, String[] cells) {
          writeLine(writers.get(sheet), cells);
          rows.merge(sheet, 1L, Long::sum);
        }
      });
      closeAll(writers);
      for (String sheet : sheetNames) {
        Files.move(parts.get(sheet), targets.get(sheet), StandardCopyOption.REPLACE_EXISTING);
      }
      return rows;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      closeAll(writers);
      for (Path part : parts.values()) {
        Files.deleteIfExists(part);
      }
    }
  }

  private static void writeLine(Writer writer, String[] fields) {
    try {
      for (int i = 0; i < fields.length; i++) {
        if (i > 0) {
          writer.write(',');
        }
        writeField(writer, fields[i]);
      }
      writer.write("\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeField(Writer writer, String field) throws IOException {
    if (field == null) {
      return;
    }
    boolean quote = false;
    for (int i = 0; i < field.length() && !quote; i++) {
      char c = field.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
      writer.write(field);
      return;
    }
    writer.write('"');
    writer.write(field.replace("\"", "\"\""));
    writer.write('"');
  }

  private static void closeAll(Map<String, Writer> writers) throws IOException {
    IOException first = null;
    for (Writer writer : writers.values()) {
      try {
        writer.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

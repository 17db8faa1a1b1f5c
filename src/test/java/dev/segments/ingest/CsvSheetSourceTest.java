package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.contract.ContractException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSheetSourceTest {

  @TempDir
  Path folder;

  @Test
  void readsTextCellsWithSheetRowNumbers() throws IOException {
    Files.writeString(folder.resolve("people.csv"),
        "\uFEFFid,note,amount\n"
            + "a,\"says \"\"hi\"\", twice\",\"£1,204.50\"\n"
            + "b,   ,007\n"
            + "c,\"\",41.0\n",
        StandardCharsets.UTF_8);
    Dataset<Row> sheet = new CsvSheetSource(folder).read(LocalSpark.session(), List.of("people")).get("people");

    assertArrayEquals(new String[] {"id", "note", "amount", SheetSource.ROW_NUMBER, SheetSource.RECORD_PROBLEM,
        SheetSource.RECORD_RULE}, sheet.columns());
    List<Row> rows = sheet.orderBy(SheetSource.ROW_NUMBER).collectAsList();
    assertEquals(3, rows.size());
    assertEquals(Row.class.cast(rows.get(0)).getString(1), "says \"hi\", twice");
    assertEquals("£1,204.50", rows.get(0).getString(2));
    assertEquals("007", rows.get(1).getString(2));
    assertNull(rows.get(1).get(1));
    assertNull(rows.get(2).get(1));
    assertEquals(List.of(2L, 3L, 4L), rows.stream().map(r -> r.getLong(3)).toList());
  }

  @Test
  void aQuotedCellWithLineBreaksStaysInItsRowAndEveryRowIsNumberedByTheLineItStartsOn() throws IOException {
    Files.writeString(folder.resolve("customers.csv"),
        "id,address,age\n"
            + "a,\"1 High St\nFlat 2\nLeeds\",40\n"
            + "b,\"2 Low Rd\",51\n",
        StandardCharsets.UTF_8);
    List<Row> rows = new CsvSheetSource(folder).read(LocalSpark.session(), List.of("customers")).get("customers")
        .orderBy(SheetSource.ROW_NUMBER).collectAsList();

    assertEquals(2, rows.size());
    assertEquals("1 High St\nFlat 2\nLeeds", rows.get(0).getString(1));
    assertEquals("40", rows.get(0).getString(2));
    assertEquals(List.of(2L, 5L), rows.stream().map(r -> r.getLong(3)).toList());
  }

  @Test
  void everyLineIsARowOrABrokenRecordThatNamesItsLines() throws IOException {
    Files.writeString(folder.resolve("sales.csv"),
        "id,amount,date\r\n"
            + "a,\"12,1/2/2020\r\n" // 2: the quote never closes
            + "b,13,1/2/2020\r\n" // 3
            + "\r\n" // 4: empty, skipped
            + "c,14\r\n" // 5: a missing last cell reads as blank
            + "d,15,1/2/2020,x,y\r\n" // 6: two cells too many
            + "e,\"16\"x,1/2/2020\r\n" // 7: text after a closing quote
            + "f,\"note\n" // 8: a cell with a line break, closed on the next line
            + "more\",1/2/2020\n"
            + "g,\"1\n" // 10: a quote that swallows a row-shaped line (11) before it closes
            + "h,2,3\n"
            + "i\",4,5\n",
        StandardCharsets.UTF_8);
    List<Row> rows = new CsvSheetSource(folder, new CsvOptions("UTF-8", 3))
        .read(LocalSpark.session(), List.of("sales")).get("sales").orderBy(SheetSource.ROW_NUMBER).collectAsList();

    List<String> read = rows.stream().map(r -> r.getLong(3) + " " + r.getString(0) + " " + r.getString(1) + " "
        + r.getString(2) + " " + r.getString(5)).toList();
    assertEquals(List.of(
        "2 null null null unclosed quote",
        "3 b 13 1/2/2020 null",
        "5 c 14 null null",
        "6 null null null more cells than the header",
        "7 null null null text after a closing quote",
        "8 f note\nmore 1/2/2020 null",
        "10 null null null unclosed quote",
        "11 h 2 3 null",
        "12 i\" 4 5 null"), read);
    assertEquals("unclosed quote: no closing quote within 3 lines of line 2; the lines after line 2 are read as rows"
        + " of their own", rows.get(0).getString(4));
    assertEquals("unclosed quote: the row would run from line 10 to line 12; the lines after line 10 are read as"
        + " rows of their own", rows.get(6).getString(4));
  }

  @Test
  void aHeaderOnlyFileHasNoRowsAndAnEmptyFileIsRefused() throws IOException {
    Files.writeString(folder.resolve("sales.csv"), "id,amount\n", StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("empty.csv"), "", StandardCharsets.UTF_8);
    assertEquals(0, new CsvSheetSource(folder).read(LocalSpark.session(), List.of("sales")).get("sales").count());
    ContractException error = assertThrows(ContractException.class,
        () -> new CsvSheetSource(folder).read(LocalSpark.session(), List.of("empty")));
    assertEquals("sheet 'empty': file empty.csv is empty; it needs at least a header row", error.getMessage());
  }

  @Test
  void anEncodingThatCannotSplitLinesIsRefused() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new CsvOptions("UTF-16", 10));
    assertTrue(error.getMessage().contains("not ASCII-compatible"), error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CsvOptions("no-such-encoding", 10));
  }

  @Test
  void aMissingFileNamesTheSheetAndTheFolder() {
    MissingSheetException error = assertThrows(MissingSheetException.class,
        () -> new CsvSheetSource(folder).read(LocalSpark.session(), List.of("sales")));
    assertTrue(error.getMessage().contains("sheet 'sales' not found in folder " + folder), error.getMessage());
  }
}

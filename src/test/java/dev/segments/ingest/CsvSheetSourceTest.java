package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
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
    // A broken record keeps the cells its first line holds before the problem (so its key is known), no others.
    assertEquals(List.of(
        "2 a null null unclosed quote",
        "3 b 13 1/2/2020 null",
        "5 c 14 null null",
        "6 d 15 1/2/2020 more cells than the header",
        "7 e null null text after a closing quote",
        "8 f note\nmore 1/2/2020 null",
        "10 g null null unclosed quote",
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
  void eachSheetMayHaveItsOwnEncoding() throws IOException {
    Files.writeString(folder.resolve("customers.csv"), "id,city\na,Malmö\n", StandardCharsets.ISO_8859_1);
    Files.writeString(folder.resolve("sales.csv"), "id,amount\ns1,£12\n", StandardCharsets.UTF_8);
    CsvSheetSource source = new CsvSheetSource(folder, new CsvOptions("UTF-8", Map.of("customers", "ISO-8859-1"), 10));
    var sheets = source.read(LocalSpark.session(), List.of("customers", "sales"));
    assertEquals("Malmö", sheets.get("customers").first().getString(1));
    assertEquals("£12", sheets.get("sales").first().getString(1));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new CsvOptions("UTF-8", Map.of("sales", "UTF-16"), 10));
    assertTrue(error.getMessage().startsWith("input_encodings.sales 'UTF-16' is not ASCII-compatible"),
        error.getMessage());
  }

  @Test
  void onlyFilesInsideTheInputFolderAreRead(@TempDir Path elsewhere) throws IOException {
    Path secret = Files.writeString(elsewhere.resolve("secret.csv"), "root:x:0:0,secret line\n");
    Files.createSymbolicLink(folder.resolve("customers.csv"), secret);
    ContractException outside = assertThrows(ContractException.class,
        () -> new CsvSheetSource(folder).read(LocalSpark.session(), List.of("customers")));
    assertTrue(outside.getMessage().contains("customers.csv is a symbolic link to a file outside the input folder"),
        outside.getMessage());
    assertFalse(outside.getMessage().contains("root"), outside.getMessage());

    Files.createDirectories(elsewhere.resolve("outside"));
    Files.copy(secret, elsewhere.resolve("outside/customers.csv"));
    Path input = Files.createDirectories(elsewhere.resolve("input"));
    ContractException path = assertThrows(ContractException.class,
        () -> new CsvSheetSource(input).read(LocalSpark.session(), List.of("../outside/customers")));
    assertTrue(path.getMessage().contains("cannot hold a path"), path.getMessage());

    Files.writeString(folder.resolve("sales-2024.csv"), "id,amount\ns1,12\n");
    Files.createSymbolicLink(folder.resolve("sales.csv"), folder.resolve("sales-2024.csv"));
    assertEquals("s1", new CsvSheetSource(folder).read(LocalSpark.session(), List.of("sales")).get("sales").first()
        .getString(0));
  }

  @Test
  void aMissingFileNamesTheSheetAndTheFolder() {
    MissingSheetException error = assertThrows(MissingSheetException.class,
        () -> new CsvSheetSource(folder).read(LocalSpark.session(), List.of("sales")));
    assertTrue(error.getMessage().contains("sheet 'sales' not found in folder " + folder), error.getMessage());
  }
}

package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
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

    assertArrayEquals(new String[] {"id", "note", "amount", SheetSource.ROW_NUMBER}, sheet.columns());
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
  void aQuotedCellWithLineBreaksStaysInItsRowAndLaterRowsKeepTheirNumbers() throws IOException {
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
    assertEquals(List.of(2L, 3L), rows.stream().map(r -> r.getLong(3)).toList());
  }

  @Test
  void aMissingFileNamesTheSheetAndTheFolder() {
    MissingSheetException error = assertThrows(MissingSheetException.class,
        () -> new CsvSheetSource(folder).read(LocalSpark.session(), List.of("sales")));
    assertTrue(error.getMessage().contains("sheet 'sales' not found in folder " + folder), error.getMessage());
  }
}

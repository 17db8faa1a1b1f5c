package dev.segments.ingest.sheets;

import static dev.segments.ingest.sheets.GoogleSheetsSourceTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.cli.ExportSheetsCommand;
import dev.segments.ingest.sheets.FakeSheetsApi.Answer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportSheetsCommandTest {

  @Test
  void writesEachTabAsAnRfc4180CsvThatSparkReadsBack(@TempDir Path dir) throws Exception {
    try (FakeSheetsApi api = new FakeSheetsApi("export1")) {
      api.tab("products", List.of(
          row("Product_ID", "Product_Name", "Product_Type", "Category"),
          row("PR1", "Health, Family \"Plus\"", "Health", "Family"),
          row("PR2", "Life\nTerm", "Life"),
          row("PR3", 2024, "Auto", "Individual")));
      api.tab("sales", List.of(
          row("Policy_ID", "Purchase_Date", "Premium"),
          row("P1", 44927, new BigDecimal("1204.5"))));
      Path key = TestServiceAccountKey.write(dir, api.tokenUrl());
      Path out = dir.resolve("export");
      StringWriter stdout = new StringWriter();

      int exit = new CommandLine(new ExportSheetsCommand()).setOut(new PrintWriter(stdout)).execute(
          "--spreadsheet-id", "export1", "--credentials", key.toString(), "--sheets", "products,sales",
          "--output", out.toString(), "--root-url", api.rootUrl().toString());

      assertEquals(0, exit);
      assertEquals(List.of("'products'!A1:ZZ50001", "'sales'!A1:ZZ50001"), api.requests().get(0).ranges());
      assertEquals("Product_ID,Product_Name,Product_Type,Category\r\n"
          + "PR1,\"Health, Family \"\"Plus\"\"\",Health,Family\r\n"
          + "PR2,\"Life\nTerm\",Life,\r\n"
          + "PR3,2024,Auto,Individual\r\n", Files.readString(out.resolve("products.csv"), StandardCharsets.UTF_8));
      assertEquals("Policy_ID,Purchase_Date,Premium\r\nP1,44927,1204.5\r\n",
          Files.readString(out.resolve("sales.csv"), StandardCharsets.UTF_8));
      assertTrue(stdout.toString().contains("products: 3 rows -> " + out.resolve("products.csv")), stdout.toString());

      List<Row> back = LocalSpark.session().read().option("header", "true").option("multiLine", "true")
          .option("escape", "\"").csv(out.resolve("products.csv").toString()).collectAsList();
      assertEquals(3, back.size());
      assertEquals(Arrays.asList("PR1", "Health, Family \"Plus\"", "Health", "Family"), values(back.get(0)));
      assertEquals(Arrays.asList("PR2", "Life\nTerm", "Life", null), values(back.get(1)));
    }
  }

  @Test
  void aRefusalIsReportedAndLeavesNoFile(@TempDir Path dir) throws Exception {
    try (FakeSheetsApi api = new FakeSheetsApi("export2")) {
      api.tab("products", List.of(row("Product_ID")));
      api.script(Answer.error(403, "PERMISSION_DENIED", "The caller does not have permission"));
      Path key = TestServiceAccountKey.write(dir, api.tokenUrl());
      Path out = dir.resolve("export");
      StringWriter stderr = new StringWriter();

      int exit = new CommandLine(new ExportSheetsCommand()).setErr(new PrintWriter(stderr)).execute(
          "--spreadsheet-id", "export2", "--credentials", key.toString(), "--sheets", "products",
          "--output", out.toString(), "--root-url", api.rootUrl().toString());

      assertEquals(1, exit);
      assertTrue(stderr.toString().contains("share the spreadsheet export2 with " + TestServiceAccountKey.EMAIL
          + " (Viewer)"), stderr.toString());
      try (Stream<Path> files = Files.list(out)) {
        assertEquals(List.of(), files.toList());
      }
    }
  }

  private static List<Object> values(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    return Arrays.asList(values);
  }
}

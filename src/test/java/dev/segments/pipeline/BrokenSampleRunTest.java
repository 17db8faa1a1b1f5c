package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.SamplePipelineRun;
import dev.segments.ingest.SampleCopy;
import dev.segments.sink.DuckDbReader;
import dev.segments.sink.OutputTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the sample broken as issue 13's probe broke it: the customers sheet carries e-mail and phone
 * columns and a Gender quote opened on one row and closed five rows later, and sales line 4001 has an unclosed
 * quote. One run, shared by the tests: it must publish, count every line, and write no contact detail anywhere.
 */
class BrokenSampleRunTest {
  /** Every planted address ends so and every planted number starts so (SampleCopy.email, phone). */
  private static final List<String> CONTACT_MARKS = List.of("@example.org", "+44 7700 ");

  @TempDir static Path temp;

  private static SampleCopy input;
  private static Path current;
  private static int unclosedCustomerLine;
  private static SamplePipelineRun.Result run;

  @BeforeAll
  static void runOnTheBrokenSample() {
    input = SampleCopy.into(temp.resolve("input")).withContactColumns();
    List<String> customers = input.lines("customers");
    unclosedCustomerLine = 200;
    while (!(customers.get(unclosedCustomerLine - 1).contains(",Male,")
        && customers.get(unclosedCustomerLine + 4).contains(",Male,"))) {
      unclosedCustomerLine++;
    }
    input.editLine("customers", unclosedCustomerLine, line -> line.replaceFirst(",Male,", ",\"Male,"))
        .editLine("customers", unclosedCustomerLine + 5, line -> line.replaceFirst(",Male,", ",Male\","))
        .editLine("sales", 4001, line -> line.replace(",3977.21,", ",\"3977.21,"));
    Path output = temp.resolve("out");
    run = SamplePipelineRun.execute(SamplePipelineRun.args(input.folder(), output, SamplePipelineRun.AS_OF));
    current = output.resolve("current");
  }

  @Test
  void theRunPublishesAndCountsEveryLine() {
    assertEquals(0, run.exitCode(), run.printed());
    Path db = current.resolve("segments.duckdb");
    long lines = SampleCopy.SHEETS.stream().mapToLong(input::dataLines).sum();
    assertEquals(lines, DuckDbReader.count(db, "SELECT rows_read FROM model_runs"));
    assertEquals(1, DuckDbReader.count(db, "SELECT COUNT(*) FROM quarantine WHERE sheet = 'customers' AND \"row\" = "
        + unclosedCustomerLine + " AND \"column\" = '(whole row)' AND reason LIKE 'unclosed quote: %'"));
    assertEquals(1, DuckDbReader.count(db, "SELECT COUNT(*) FROM quarantine WHERE sheet = 'sales' AND \"row\" = 4001"
        + " AND \"column\" = '(whole row)' AND reason LIKE 'unclosed quote: %'"));
  }

  @Test
  void noContactDetailIsInAnyParquetTable() {
    assertEquals(0, run.exitCode(), run.printed());
    for (OutputTable table : OutputTable.values()) {
      for (Row row : LocalSpark.session().read().parquet("file://" + current.resolve(table.tableName()))
          .collectAsList()) {
        assertNoContact(table.tableName(), row.mkString("|"));
      }
    }
  }

  @Test
  void noContactDetailIsInAnyDuckDbTableOrView() {
    assertEquals(0, run.exitCode(), run.printed());
    Path db = current.resolve("segments.duckdb");
    List<Map<String, Object>> relations = DuckDbReader.query(db,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'");
    assertTrue(relations.size() >= OutputTable.values().length, relations.toString());
    for (Map<String, Object> relation : relations) {
      String name = (String) relation.get("table_name");
      for (Map<String, Object> row : DuckDbReader.query(db, "SELECT * FROM \"" + name + "\"")) {
        assertNoContact(name, row.values().toString());
      }
    }
  }

  @Test
  void noContactDetailIsInTheReport() throws IOException {
    assertEquals(0, run.exitCode(), run.printed());
    assertNoContact("report.html", Files.readString(current.resolve("report.html")));
  }

  private static void assertNoContact(String where, String text) {
    for (String mark : CONTACT_MARKS) {
      assertFalse(text.contains(mark), () -> "personal data in " + where + ": " + text.substring(0,
          Math.min(300, text.length())));
    }
  }
}

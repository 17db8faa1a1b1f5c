package dev.segments.sink.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GoogleSQL to DuckDB rendering the loopback BigQuery runs, on the constructs the product sends. */
class GoogleSqlTest {
  private static final Instant NOW = Instant.parse("2026-11-30T02:00:00Z");

  private static String duck(String sql) {
    return GoogleSql.toDuckDb(GoogleSql.tokenize(sql), path -> "<" + path + ">", NOW);
  }

  @Test
  void tableNamesBecomeDuckDbNamesAndColumnPathsStayColumns() {
    assertEquals("SELECT \"s\".\"run_date\" FROM <p.d.t> s JOIN <d.u> USING (x)",
        duck("SELECT s.run_date FROM `p.d.t` s JOIN d.u USING (x)"));
    assertEquals("SELECT * FROM <my-project.d.t>", duck("SELECT * FROM `my-project`.d.`t`"));
    assertEquals("SELECT \"order\" FROM <p.d.t>", duck("SELECT `order` FROM `p.d.t`"));
  }

  @Test
  void stringLiteralsAreDecodedAndReEncoded() {
    assertEquals("SELECT 'it''s', 'a\"b', 'x\\y', 'line\nnext'",
        duck("SELECT 'it\\'s', \"a\\\"b\", r'x\\y', '''line\nnext'''"));
  }

  @Test
  void functionsWhoseArgumentsDifferAreReordered() {
    assertEquals("SELECT date_diff('day', b, a), CAST(date_trunc('month', d) AS DATE), "
            + "CAST((d) + INTERVAL 1 DAY AS DATE), TIMESTAMPTZ '2026-11-30T02:00:00Z', DATE '2026-11-30'",
        duck("SELECT DATE_DIFF(a, b, DAY), DATE_TRUNC(d, MONTH), DATE_ADD(d, INTERVAL 1 DAY), "
            + "CURRENT_TIMESTAMP( ), CURRENT_DATE"));
    assertEquals("SELECT CAST(x AS BIGINT), CAST(y AS DOUBLE), * EXCLUDE (z) FROM <d.t>",
        duck("SELECT CAST(x AS INT64), CAST(y AS FLOAT64), * EXCEPT (z) FROM d.t"));
  }

  @Test
  void dmlKeywordsBigQueryLeavesOutAreAdded() {
    assertEquals("INSERT INTO <d.t> (a) VALUES (1)", duck("INSERT d.t (a) VALUES (1)"));
    assertEquals("DELETE FROM <d.t> WHERE TRUE", duck("DELETE d.t WHERE TRUE"));
    assertEquals("MERGE INTO <d.t> USING (SELECT * FROM <d.s>) ON FALSE WHEN NOT MATCHED THEN INSERT * "
            + "WHEN NOT MATCHED BY SOURCE THEN DELETE",
        duck("MERGE `d.t` USING (SELECT * FROM `d.s`) ON FALSE WHEN NOT MATCHED THEN INSERT ROW "
            + "WHEN NOT MATCHED BY SOURCE THEN DELETE"));
  }

  @Test
  void scriptsSplitIntoStatementsAndBlocks() {
    List<GoogleSql.Node> nodes = GoogleSql.parseScript("-- night\nBEGIN TRANSACTION;\nDELETE FROM d.t WHERE x = ';';"
        + "\nBEGIN\n  SELECT 1;\nEXCEPTION WHEN ERROR THEN\n  ROLLBACK TRANSACTION;\nEND;\nCOMMIT TRANSACTION;");
    assertEquals(4, nodes.size());
    assertEquals("BEGIN TRANSACTION", ((GoogleSql.Statement) nodes.get(0)).text());
    assertEquals("DELETE FROM d.t WHERE x = ';'", ((GoogleSql.Statement) nodes.get(1)).text());
    GoogleSql.Block block = assertInstanceOf(GoogleSql.Block.class, nodes.get(2));
    assertEquals(1, block.body().size());
    assertEquals("ROLLBACK TRANSACTION", ((GoogleSql.Statement) block.handler().get(0)).text());
    assertThrows(BigQueryError.class, () -> GoogleSql.parseScript("SELECT 'unclosed"));
  }
}

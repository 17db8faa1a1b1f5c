package dev.segments.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.segments.contract.SheetCounts;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One sheet after every rule: each row with its typed cells and the list of rules it broke (empty when good). The
 * data behind it is persisted, since kept rows, quarantine, counts and the key lookups of other sheets all read it.
 *
 * @param columns the contract columns carried, in contract order
 */
record CheckedSheet(SheetContract sheet, List<ColumnRule> columns, Dataset<Row> assessed) {

  private static final String ROW = SheetSource.ROW_NUMBER;

  private Column broken() {
    return size(col(CellChecker.VIOLATIONS)).gt(0);
  }

  /** Good rows, typed as {@link IngestResult} describes. */
  Dataset<Row> kept() {
    Column[] typed = columns.stream()
        .map(rule -> rule.type() == ColumnType.DATE
            ? expr("date_from_unix_date(" + ContractValidator.quoted(rule.name()) + ")").as(rule.name())
            : ContractValidator.column(rule.name()))
        .toArray(Column[]::new);
    return assessed.filter(size(col(CellChecker.VIOLATIONS)).equalTo(0)).select(typed);
  }

  /** One row per broken rule, shaped as {@link Quarantine#SCHEMA}. */
  Dataset<Row> quarantine() {
    return assessed.filter(broken())
        .select(lit(sheet.name()).as("sheet"), col(ROW).as("row"), explode(col(CellChecker.VIOLATIONS)).as("v"))
        .select(col("sheet"), col("row"), col("v.column").as("column"), col("v.value").as("value"),
            col("v.reason").as("reason"), col("v.rule").as("rule"));
  }

  /**
   * Every key of the sheet, whether a good row carries it, and the first quarantined row that carries it (null when
   * none): what references to this sheet are checked against.
   */
  Dataset<Row> keyStatus() {
    Column key = ContractValidator.column(sheet.key());
    return assessed.filter(key.isNotNull())
        .groupBy(key)
        .agg(max(size(col(CellChecker.VIOLATIONS)).equalTo(0)).as("valid"),
            min(when(broken(), col(ROW))).as("quarantined_row"));
  }

  /**
   * Rows read, kept and quarantined of every sheet, in the order given, from one Spark job: the sheets' totals are
   * one union, not a job per sheet (the first of them also fills the persisted sheets).
   */
  static List<SheetCounts> counts(List<CheckedSheet> sheets) {
    Dataset<Row> totals = null;
    for (int i = 0; i < sheets.size(); i++) {
      CheckedSheet checked = sheets.get(i);
      Dataset<Row> sheetTotals = checked.assessed()
          .agg(count(lit(1)).as("read"), sum(when(checked.broken(), 1L).otherwise(0L)).as("quarantined"))
          .select(lit(i).as("index"), col("read"), col("quarantined"));
      totals = totals == null ? sheetTotals : totals.union(sheetTotals);
    }
    SheetCounts[] counts = new SheetCounts[sheets.size()];
    for (Row row : totals.collectAsList()) {
      int i = row.getInt(0);
      long read = row.getLong(1);
      long quarantined = row.isNullAt(2) ? 0 : row.getLong(2);
      counts[i] = new SheetCounts(sheets.get(i).sheet().name(), read, read - quarantined, quarantined);
    }
    return List.of(counts);
  }

  /** The most broken rules, most rows first: "Premium must be greater than 0 (812 rows)". */
  String topRules(int howMany) {
    return assessed.filter(broken())
        .select(explode(col(CellChecker.VIOLATIONS)).as("v"))
        .groupBy(col("v.rule")).count()
        .orderBy(desc("count"), col("rule"))
        .limit(howMany)
        .collectAsList().stream()
        .map(r -> r.getString(0) + " (" + r.getLong(1) + " rows)")
        .collect(Collectors.joining("; "));
  }
}

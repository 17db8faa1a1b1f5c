package dev.segments.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
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

  /** Every key of the sheet and whether a good row carries it: what references to this sheet are checked against. */
  Dataset<Row> keyStatus() {
    Column key = ContractValidator.column(sheet.key());
    return assessed.filter(key.isNotNull())
        .groupBy(key)
        .agg(max(size(col(CellChecker.VIOLATIONS)).equalTo(0)).as("valid"));
  }

  SheetCounts counts() {
    Row totals = assessed.agg(count(lit(1)), sum(when(broken(), 1L).otherwise(0L))).first();
    long read = totals.getLong(0);
    long quarantined = totals.isNullAt(1) ? 0 : totals.getLong(1);
    return new SheetCounts(sheet.name(), read, read - quarantined, quarantined);
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

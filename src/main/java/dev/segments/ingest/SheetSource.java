package dev.segments.ingest;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where the sheets come from (CSV exports, Google Sheets). A source only reads: it returns each sheet as raw text,
 * and every source's output then goes through the same contract checks.
 *
 * <p>The raw form of a sheet: one string column per header cell, named by the header text (a cell the source left
 * empty is null), plus {@link #ROW_NUMBER}, the row's number as a person sees it in the sheet (the header is row 1,
 * so the first data row is 2). Numbers and dates arrive as text: a spreadsheet serial date as its number
 * ({@code "44927"}), an amount as written ({@code "£1,204.50"} or {@code "1204.5"}).
 *
 * <p>A source whose records can be malformed (a CSV file with an unclosed quote) adds {@link #RECORD_PROBLEM} and
 * {@link #RECORD_RULE}: null for a row read as written; for a record that could not be read into the header's shape,
 * why (with line numbers, never cell values) and the same without the numbers, and only the cells that could be
 * read before the problem (others null). Such a row is quarantined as a whole, so it is counted among the rows read
 * and nothing is lost silently; only its key is kept from its cells, so a row that names it learns why it is missing.
 */
public interface SheetSource {

  /** Name of the column holding the sheet row number in a raw sheet. */
  String ROW_NUMBER = "_row";

  /** Name of the optional column saying why a record could not be read; null for a good row. */
  String RECORD_PROBLEM = "_record_problem";

  /** Name of the optional column holding {@link #RECORD_PROBLEM} without its line numbers, to count by rule. */
  String RECORD_RULE = "_record_rule";

  /**
   * Reads the named sheets.
   *
   * @return raw sheets by sheet name, in the order asked
   * @throws MissingSheetException when a sheet does not exist in the source
   */
  Map<String, Dataset<Row>> read(SparkSession spark, List<String> sheetNames);

  /** A short description for the log, with no credentials in it ("csv folder data/sample"). */
  String describe();
}

package dev.segments.ingest;

import dev.segments.contract.SheetCounts;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The three sheets after the contract: only rows that pass every rule, with typed columns named as in the contract
 * (string for STRING, CATEGORY and LABEL, int for INTEGER, double for DECIMAL, date for DATE; a blank CATEGORY is
 * {@code "unknown"}, a blank optional number is null), personal-data columns removed.
 *
 * @param quarantine one row per broken rule, with the columns of {@link Quarantine#SCHEMA}
 * @param counts rows read, kept and quarantined per sheet, in contract order (customers, products, sales)
 */
public record IngestResult(
    Dataset<Row> customers,
    Dataset<Row> products,
    Dataset<Row> sales,
    Dataset<Row> quarantine,
    List<SheetCounts> counts) {

  public IngestResult {
    counts = List.copyOf(counts);
  }

  public long rowsRead() {
    return counts.stream().mapToLong(SheetCounts::read).sum();
  }

  public long rowsQuarantined() {
    return counts.stream().mapToLong(SheetCounts::quarantined).sum();
  }
}

package dev.segments.ingest;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** One quarantine row, read back for assertions. */
record QuarantinedCell(String sheet, long row, String column, String value, String reason) {

  static List<QuarantinedCell> of(Dataset<Row> quarantine) {
    return quarantine.collectAsList().stream()
        .map(r -> new QuarantinedCell(r.getAs("sheet"), r.<Long>getAs("row"), r.getAs("column"), r.getAs("value"),
            r.getAs("reason")))
        .toList();
  }
}

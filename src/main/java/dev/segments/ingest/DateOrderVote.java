package dev.segments.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how a date column's ambiguous values ({@code 5/4/2022}) are read under {@link DateOrder#AUTO}: by the
 * majority of its unambiguous ones ({@code 14/04/2007} votes day-first, {@code 3/17/2022} month-first), counted
 * over the whole column in one Spark pass. A tie, or no votes, leaves it undecided ({@link DateOrder#AUTO}), and the
 * ambiguous values are then quarantined.
 */
final class DateOrderVote {
  private static final Logger LOG = LoggerFactory.getLogger(DateOrderVote.class);

  private DateOrderVote() {}

  /** @param sheet a raw sheet whose columns are named as in the contract */
  static DateOrder decide(String sheetName, Dataset<Row> sheet, String column) {
    Dataset<String> cells = sheet.select(ContractValidator.column(column)).as(Encoders.STRING());
    long[] votes = cells.javaRDD().aggregate(new long[2], (counts, cell) -> {
      if (cell != null) {
        switch (DateResolver.unambiguousOrder(TextCells.cleaned(cell))) {
          case DAY_FIRST -> counts[0]++;
          case MONTH_FIRST -> counts[1]++;
          case AUTO -> { }
        }
      }
      return counts;
    }, (left, right) -> new long[] {left[0] + right[0], left[1] + right[1]});
    DateOrder order = votes[0] > votes[1] ? DateOrder.DAY_FIRST
        : votes[1] > votes[0] ? DateOrder.MONTH_FIRST : DateOrder.AUTO;
    LOG.info("sheet '{}' column '{}': {} day-first and {} month-first dates, ambiguous dates read as {}",
        sheetName, column, votes[0], votes[1], order == DateOrder.AUTO ? "nothing (quarantined)" : order);
    return order;
  }
}

package dev.segments.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the analysis steps read of the whole customer table, from one aggregation shared by them (segment-id
 * matching, profiles, FAMD) instead of one each: the number of customers, their total revenue, and each numeric
 * feature's mean (NaN when it holds only nulls) and population standard deviation (0 when undefined).
 */
public record CustomerTotals(long customers, double revenue, double[] means, double[] stds) {

  public CustomerTotals {
    means = means.clone();
    stds = stds.clone();
  }

  @Override
  public double[] means() {
    return means.clone();
  }

  @Override
  public double[] stds() {
    return stds.clone();
  }

  /** These totals for {@code subset} of the {@code numericCols} they were computed over, in the subset's order. */
  public CustomerTotals restrictedTo(List<String> numericCols, List<String> subset) {
    double[] subsetMeans = new double[subset.size()];
    double[] subsetStds = new double[subset.size()];
    for (int i = 0; i < subset.size(); i++) {
      int at = numericCols.indexOf(subset.get(i));
      if (at < 0) {
        throw new IllegalArgumentException("no totals for " + subset.get(i) + " among " + numericCols);
      }
      subsetMeans[i] = means[at];
      subsetStds[i] = stds[at];
    }
    return new CustomerTotals(customers, revenue, subsetMeans, subsetStds);
  }

  /**
   * @param revenueCol each customer's revenue, or null where no step reads revenue (the total is then 0)
   */
  public static CustomerTotals of(Dataset<Row> customers, List<String> numericCols, String revenueCol) {
    List<Column> stats = new ArrayList<>();
    stats.add(revenueCol == null ? lit(0.0) : sum(col(revenueCol).cast("double")));
    for (String f : numericCols) {
      stats.add(mean(col(f)));
      stats.add(stddev_pop(col(f)));
    }
    Row row = customers.agg(count(lit(1)), stats.toArray(Column[]::new)).first();
    double[] means = new double[numericCols.size()];
    double[] stds = new double[numericCols.size()];
    for (int f = 0; f < means.length; f++) {
      means[f] = row.isNullAt(2 + 2 * f) ? Double.NaN : row.getDouble(2 + 2 * f);
      stds[f] = row.isNullAt(3 + 2 * f) ? 0 : row.getDouble(3 + 2 * f);
    }
    return new CustomerTotals(row.getLong(0), row.isNullAt(1) ? 0 : row.getDouble(1), means, stds);
  }
}

package dev.segments.cluster;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.skewness;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What one aggregation pass over the input tells the fit: the row count, each numeric column's mean, population
 * standard deviation, range and skewness (for the scaler and for gamma; the skewness is 0 for a constant column),
 * each categorical column's dictionary, and whether any feature or weight is missing, NaN or infinite, which fails
 * the fit naming the column and the first such row.
 */
record FeatureStatistics(long rows, double[] means, double[] stddevs, double[] minima, double[] maxima,
                         double[] skews, CategoryDictionaries dictionaries) {

  static FeatureStatistics of(Dataset<?> data, String[] numericCols, String[] categoricalCols, String weightCol) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    for (String name : numericCols) {
      Column c = column(name).cast("double");
      aggregates.addAll(List.of(count(c), sum(when(InvalidRows.badNumber(c).and(c.isNotNull()), 1).otherwise(0)),
          avg(c), stddev_pop(c), min(c), max(c), skewness(c)));
    }
    for (String name : categoricalCols) {
      Column c = column(name).cast("string");
      aggregates.addAll(List.of(count(c), collect_set(c)));
    }
    if (weightCol != null) {
      Column w = column(weightCol).cast("double");
      aggregates.addAll(List.of(count(w), sum(when(InvalidRows.badWeight(w).and(w.isNotNull()), 1).otherwise(0)),
          sum(w)));
    }
    Row row = data.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0])).first();
    long rows = row.getLong(0);
    if (rows == 0) {
      throw new IllegalArgumentException("K-Prototypes needs at least one row; the input is empty");
    }
    int d = numericCols.length;
    double[] means = new double[d];
    double[] stddevs = new double[d];
    double[] minima = new double[d];
    double[] maxima = new double[d];
    double[] skews = new double[d];
    int at = 1;
    for (int f = 0; f < d; f++, at += 7) {
      requireComplete(data, "numeric", numericCols[f], rows, row.getLong(at), row.getLong(at + 1));
      means[f] = row.getDouble(at + 2);
      stddevs[f] = row.getDouble(at + 3);
      minima[f] = row.getDouble(at + 4);
      maxima[f] = row.getDouble(at + 5);
      skews[f] = row.isNullAt(at + 6) || Double.isNaN(row.getDouble(at + 6)) ? 0 : row.getDouble(at + 6);
    }
    String[][] dictionaries = new String[categoricalCols.length][];
    for (int f = 0; f < categoricalCols.length; f++, at += 2) {
      requireComplete(data, "categorical", categoricalCols[f], rows, row.getLong(at), 0);
      String[] values = row.<String>getList(at + 1).toArray(new String[0]);
      Arrays.sort(values);
      dictionaries[f] = values;
    }
    if (weightCol != null) {
      requireComplete(data, "weight", weightCol, rows, row.getLong(at), 0);
      if (row.getLong(at + 1) > 0) {
        throw new IllegalArgumentException("weight column '" + weightCol + "' has " + row.getLong(at + 1)
            + " negative, NaN or infinite values (the first in " + InvalidRows.firstAt(data,
            InvalidRows.badWeight(column(weightCol).cast("double"))) + "); weights must be finite numbers >= 0");
      }
      // Every row weighing 0 leaves every cluster empty: no mean, no mode, no cost to minimise.
      if (!(row.getDouble(at + 2) > 0)) {
        throw new IllegalArgumentException("weight column '" + weightCol + "' is 0 in all " + rows
            + " rows; at least one row needs a positive weight");
      }
    }
    return new FeatureStatistics(rows, means, stddevs, minima, maxima, skews, new CategoryDictionaries(dictionaries));
  }

  /** A column by its exact name, even when the name holds dots or spaces. */
  static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  private static void requireComplete(Dataset<?> data, String kind, String name, long rows, long present,
                                      long notFinite) {
    Column value = column(name);
    if (present < rows) {
      throw new IllegalArgumentException(kind + " column '" + name + "' has " + (rows - present)
          + " null values in " + rows + " rows (the first in " + InvalidRows.firstAt(data, value.isNull())
          + "); K-Prototypes needs a value in every row (impute them first, or set handleInvalid to skip or keep)");
    }
    if (notFinite > 0) {
      throw new IllegalArgumentException(kind + " column '" + name + "' has " + notFinite
          + " NaN or infinite values (the first in " + InvalidRows.firstAt(data,
          InvalidRows.badNumber(value.cast("double"))) + "); K-Prototypes needs a finite number in every row"
          + " (impute them first, or set handleInvalid to skip or keep)");
    }
  }
}

package dev.segments.cluster;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows K-Prototypes cannot use ({@link KPrototypesParams#newHandleInvalid}) and how an error names one: by its
 * position in the input, which is what a DataFrame without a declared key has. The position comes from {@code
 * monotonically_increasing_id}: the input partition in the upper 31 bits, the row's index within it in the lower 33.
 */
final class InvalidRows {
  private InvalidRows() {}

  /** A numeric value the distance cannot use: null, NaN or ±Infinity. */
  static Column badNumber(Column value) {
    return value.isNull().or(isnan(value)).or(abs(value).equalTo(lit(Double.POSITIVE_INFINITY)));
  }

  /** A weight the fit cannot use: null, NaN, ±Infinity or negative. */
  static Column badWeight(Column weight) {
    return badNumber(weight).or(weight.lt(0));
  }

  /** Whether a row has any feature (or, when {@code weight} is not null, a weight) K-Prototypes cannot use. */
  static Column any(String[] numeric, String[] categorical, String weight) {
    Column invalid = lit(false);
    for (String name : numeric) {
      invalid = invalid.or(badNumber(FeatureStatistics.column(name).cast("double")));
    }
    for (String name : categorical) {
      invalid = invalid.or(FeatureStatistics.column(name).isNull());
    }
    if (weight != null) {
      invalid = invalid.or(badWeight(FeatureStatistics.column(weight).cast("double")));
    }
    return invalid;
  }

  /** The expression whose value {@link #describe} turns into a row's position. */
  static Column position() {
    return monotonically_increasing_id();
  }

  /** A position from {@link #position} in words, 0-based as Spark's partitions are. */
  static String describe(long position) {
    return "row " + (position & ((1L << 33) - 1)) + " of input partition " + (position >>> 33);
  }

  /** Where the first row (in partition order) that {@code invalid} is true of sits in {@code data}. */
  static String firstAt(Dataset<?> data, Column invalid) {
    List<Row> first = data.select(position().as("position"), invalid.as("invalid")).filter("invalid")
        .select("position").limit(1).collectAsList();
    return first.isEmpty() ? "an unknown row" : describe(first.get(0).getLong(0));
  }
}

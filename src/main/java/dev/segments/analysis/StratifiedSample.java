package dev.segments.analysis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A seeded sample stratified by segment, drawn without a shuffle of the full data.
 *
 * <p>Each row gets a pseudo-random key u in [0, 1) hashed from the seed and the row's sampled values, so the
 * sample does not depend on partitioning. The first segment column stratifies: its segment s of n_s rows out of N
 * contributes the q_s rows with the smallest u, q_s = round(sampleSize × n_s / N) but at least min(n_s, 2). Every
 * segment of every further segment column also keeps its min(n, 2) smallest-u rows, so each segment of each
 * assignment has a within-segment distance. When N ≤ sampleSize the sample is all rows.
 *
 * <p>Only rows whose u lies below a per-segment bound are brought to the driver, a bound chosen so that a
 * segment falls short of its quota with probability below about 1e-9 (the quota's mean plus six standard
 * deviations and ten rows).
 */
final class StratifiedSample {
  private StratifiedSample() {}

  private static final String KEY = "__sample_key";

  /**
   * @param columns the columns to return, which include the segment columns
   * @return the sampled rows, holding {@code columns} in that order
   */
  static List<Row> draw(Dataset<Row> rows, List<String> columns, List<String> segmentCols, int sampleSize,
      long seed) {
    if (sampleSize < 2) {
      throw new IllegalArgumentException("sample size must be at least 2, got " + sampleSize);
    }
    Column[] hashed = new Column[columns.size() + 1];
    hashed[0] = lit(seed);
    for (int c = 0; c < columns.size(); c++) {
      hashed[c + 1] = col(columns.get(c));
    }
    Column key = shiftrightunsigned(xxhash64(hashed), 11).cast("double").multiply(1.0 / (1L << 53));
    Column[] selected = new Column[columns.size() + 1];
    for (int c = 0; c < columns.size(); c++) {
      selected[c] = col(columns.get(c));
    }
    selected[columns.size()] = key.as(KEY);
    Dataset<Row> keyed = rows.select(selected);

    List<Map<Integer, Long>> sizes = segmentSizes(rows, segmentCols);
    long total = sizes.get(0).values().stream().mapToLong(Long::longValue).sum();
    if (total <= sampleSize) {
      return stripKey(keyed.collectAsList());
    }

    Map<Integer, Integer> quota = new HashMap<>();
    sizes.get(0).forEach((segment, n) ->
        quota.put(segment, (int) Math.min(n, Math.max(Math.min(n, 2), Math.round((double) sampleSize * n / total)))));
    Column candidate = lit(false);
    for (int s = 0; s < segmentCols.size(); s++) {
      Column bound = lit(0.0);
      for (Map.Entry<Integer, Long> segment : sizes.get(s).entrySet()) {
        int wanted = s == 0 ? quota.get(segment.getKey()) : (int) Math.min(segment.getValue(), 2);
        double fraction = Math.min(1.0, (wanted + 6 * Math.sqrt(wanted) + 10) / segment.getValue());
        bound = when(col(segmentCols.get(s)).equalTo(segment.getKey()), fraction).otherwise(bound);
      }
      candidate = candidate.or(col(KEY).lt(bound));
    }
    List<Row> candidates = new ArrayList<>(keyed.filter(candidate).collectAsList());
    int keyIndex = columns.size();
    candidates.sort(Comparator.comparingDouble(r -> r.getDouble(keyIndex)));

    // By position, not Row equality: two customers may share every sampled value.
    boolean[] chosen = new boolean[candidates.size()];
    for (int s = 0; s < segmentCols.size(); s++) {
      int segmentIndex = columns.indexOf(segmentCols.get(s));
      Map<Integer, Integer> taken = new HashMap<>();
      for (int r = 0; r < candidates.size(); r++) {
        int segment = candidates.get(r).getInt(segmentIndex);
        int wanted = s == 0 ? quota.get(segment) : 2;
        if (taken.merge(segment, 1, Integer::sum) <= wanted) {
          chosen[r] = true;
        }
      }
    }
    List<Row> sample = new ArrayList<>();
    for (int r = 0; r < candidates.size(); r++) {
      if (chosen[r]) {
        sample.add(candidates.get(r));
      }
    }
    return stripKey(sample);
  }

  /** Per segment column, the number of rows in each segment, counted in one pass. */
  private static List<Map<Integer, Long>> segmentSizes(Dataset<Row> rows, List<String> segmentCols) {
    Column[] pairs = new Column[segmentCols.size()];
    for (int s = 0; s < segmentCols.size(); s++) {
      pairs[s] = struct(lit(s).as("assignment"), col(segmentCols.get(s)).as("segment"));
    }
    List<Row> counts = rows.select(explode(array(pairs)).as("p"))
        .groupBy(col("p.assignment"), col("p.segment")).count().collectAsList();
    List<Map<Integer, Long>> sizes = new ArrayList<>();
    for (int s = 0; s < segmentCols.size(); s++) {
      sizes.add(new HashMap<>());
    }
    for (Row r : counts) {
      if (r.isNullAt(1)) {
        throw new IllegalArgumentException("segment column " + segmentCols.get(r.getInt(0)) + " holds nulls");
      }
      sizes.get(r.getInt(0)).put(r.getInt(1), r.getLong(2));
    }
    return sizes;
  }

  private static List<Row> stripKey(List<Row> keyed) {
    List<Row> out = new ArrayList<>(keyed.size());
    for (Row r : keyed) {
      Object[] values = new Object[r.length() - 1];
      for (int i = 0; i < values.length; i++) {
        values[i] = r.get(i);
      }
      out.add(RowFactory.create(values));
    }
    return out;
  }
}

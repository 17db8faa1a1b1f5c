package dev.segments.cluster;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns the training rows into {@link FeatureBlock}s, once: numeric values scaled, categories encoded, weights
 * copied, content keys hashed. This is the only place the fit reads Spark Rows.
 */
final class BlockPacker {
  private BlockPacker() {}

  /**
   * @param features numeric columns as double, then categorical columns as string, then the weight if weighted
   * @param hintSlots the runs whose last assignments each block keeps as search hints ({@link FeatureBlock#hints})
   */
  static JavaRDD<FeatureBlock> pack(Dataset<Row> features, int numeric, int categorical, boolean weighted,
                                    NumericScaler scaler, CategoryDictionaries dictionaries, int hintSlots) {
    return features.javaRDD().mapPartitions(rows -> new Blocks(rows, numeric, categorical, weighted, scaler,
        dictionaries, hintSlots));
  }

  private static final class Blocks implements Iterator<FeatureBlock> {
    private final Iterator<Row> rows;
    private final int numeric;
    private final int categorical;
    private final boolean weighted;
    private final NumericScaler scaler;
    private final CategoryDictionaries dictionaries;
    private final int hintSlots;

    Blocks(Iterator<Row> rows, int numeric, int categorical, boolean weighted, NumericScaler scaler,
           CategoryDictionaries dictionaries, int hintSlots) {
      this.rows = rows;
      this.numeric = numeric;
      this.categorical = categorical;
      this.weighted = weighted;
      this.scaler = scaler;
      this.dictionaries = dictionaries;
      this.hintSlots = hintSlots;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public FeatureBlock next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      double[] values = new double[FeatureBlock.ROWS * numeric];
      int[] codes = new int[FeatureBlock.ROWS * categorical];
      double[] weights = weighted ? new double[FeatureBlock.ROWS] : null;
      long[] keys = new long[FeatureBlock.ROWS];
      int n = 0;
      while (n < FeatureBlock.ROWS && rows.hasNext()) {
        Row row = rows.next();
        long key = RowKeys.EMPTY;
        for (int f = 0; f < numeric; f++) {
          double raw = row.getDouble(f);
          values[n * numeric + f] = scaler.scaled(f, raw);
          key = RowKeys.with(key, Double.doubleToLongBits(raw));
        }
        for (int f = 0; f < categorical; f++) {
          int code = dictionaries.code(f, row.getString(numeric + f));
          codes[n * categorical + f] = code;
          key = RowKeys.with(key, code);
        }
        if (weighted) {
          weights[n] = row.getDouble(numeric + categorical);
        }
        keys[n] = key;
        n++;
      }
      if (n < FeatureBlock.ROWS) {
        values = Arrays.copyOf(values, n * numeric);
        codes = Arrays.copyOf(codes, n * categorical);
        weights = weighted ? Arrays.copyOf(weights, n) : null;
        keys = Arrays.copyOf(keys, n);
      }
      return new FeatureBlock(n, numeric, categorical, values, codes, weights, keys, hintSlots);
    }
  }
}

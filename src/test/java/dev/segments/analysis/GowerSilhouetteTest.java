package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class GowerSilhouetteTest {
  private static final StructType SCHEMA = new StructType()
      .add("x", DataTypes.DoubleType, false)
      .add("y", DataTypes.DoubleType, false)
      .add("colour", DataTypes.StringType, false)
      .add("shape", DataTypes.StringType, false)
      .add("k2", DataTypes.IntegerType, false)
      .add("k3", DataTypes.IntegerType, false)
      .add("k4", DataTypes.IntegerType, false);
  private static final List<String> NUMERIC = List.of("x", "y");
  private static final List<String> CATEGORICAL = List.of("colour", "shape");

  @Test
  void distanceIsTheMeanOfRangeScaledGapsAndMismatches() {
    // age |30-40|/50 = 0.2, income |50k-20k|/100k = 0.3, Married/Single 1, Life/Life 0: (0.2+0.3+1+0)/4 = 0.375.
    double[] ranges = {50, 100_000};
    double d = GowerSilhouette.distance(new double[] {30, 50_000}, new String[] {"Married", "Life"},
        new double[] {40, 20_000}, new String[] {"Single", "Life"}, ranges);
    assertEquals(0.375, d, 1e-12);
    // Weights 2,1,1,0: (2×0.2 + 0.3 + 1 + 0) / 4 = 0.425.
    double weighted = GowerSilhouette.distance(new double[] {30, 50_000}, new String[] {"Married", "Life"},
        new double[] {40, 20_000}, new String[] {"Single", "Life"}, ranges, new double[] {2, 1, 1, 0});
    assertEquals(0.425, weighted, 1e-12);
    // A zero range contributes 0 but keeps its weight: (0 + 0.3 + 1 + 0)/4.
    assertEquals(0.325, GowerSilhouette.distance(new double[] {30, 50_000}, new String[] {"Married", "Life"},
        new double[] {40, 20_000}, new String[] {"Single", "Life"}, new double[] {0, 100_000}), 1e-12);
  }

  @Test
  void silhouetteOfATinyTableMatchesTheHandCalculation() {
    // One numeric feature (range 10) and one categorical; d = (|x-x'|/10 + mismatch) / 2.
    //   A(0,a) B(2,a) C(8,b) D(10,a)
    //   d(A,B)=0.1 d(A,C)=0.9 d(A,D)=0.5 d(B,C)=0.8 d(B,D)=0.4 d(C,D)=0.6
    // Assignment {A,B} {C,D}:
    //   s(A): a=0.1, b=(0.9+0.5)/2=0.70 -> 0.6/0.7;   s(B): a=0.1, b=(0.8+0.4)/2=0.60 -> 0.5/0.6
    //   s(C): a=0.6, b=(0.9+0.8)/2=0.85 -> 0.25/0.85; s(D): a=0.6, b=(0.5+0.4)/2=0.45 -> -0.15/0.6
    // Assignment {A,B,C} {D}: D is alone -> 0;
    //   s(A): a=(0.1+0.9)/2=0.5, b=0.5 -> 0; s(B): a=0.45, b=0.4 -> -0.05/0.45; s(C): a=0.85, b=0.6 -> -0.25/0.85
    StructType schema = new StructType().add("v", DataTypes.DoubleType).add("c", DataTypes.StringType)
        .add("pairs", DataTypes.IntegerType).add("lonely", DataTypes.IntegerType);
    Dataset<Row> rows = LocalSpark.session().createDataFrame(List.of(
        RowFactory.create(0.0, "a", 1, 7), RowFactory.create(2.0, "a", 1, 7),
        RowFactory.create(8.0, "b", 2, 7), RowFactory.create(10.0, "a", 2, 9)), schema);
    double[] means = GowerSilhouette.meanSilhouettes(rows, List.of("v"), List.of("c"), List.of("pairs", "lonely"),
        100, 1L);
    double pairs = (0.6 / 0.7 + 0.5 / 0.6 + 0.25 / 0.85 - 0.15 / 0.6) / 4;
    double lonely = (0 - 0.05 / 0.45 - 0.25 / 0.85 + 0) / 4;
    assertArrayEquals(new double[] {pairs, lonely}, means, 1e-12);
  }

  @Test
  void sparkSilhouetteEqualsAPlainQuadraticSilhouette() {
    List<Row> data = blobs(300, 11L);
    Dataset<Row> rows = LocalSpark.session().createDataFrame(data, SCHEMA).repartition(3);
    double[] spark = GowerSilhouette.meanSilhouettes(rows, NUMERIC, CATEGORICAL, List.of("k2", "k3", "k4"),
        GowerSilhouette.DEFAULT_SAMPLE_SIZE, 5L);
    double[] plain = {plainSilhouette(data, 4), plainSilhouette(data, 5), plainSilhouette(data, 6)};
    assertArrayEquals(plain, spark, 1e-9);
    // The planted three blobs score best with three segments.
    assertTrue(spark[1] > spark[0] && spark[1] > spark[2], () -> Arrays.toString(spark));
    assertEquals(plain[1],
        GowerSilhouette.meanSilhouettes(rows, NUMERIC, CATEGORICAL, List.of("k3"), GowerSilhouette.DEFAULT_SAMPLE_SIZE,
            9L)[0],
        1e-9);
  }

  @Test
  void sampleIsStratifiedSeededAndKeepsTwoRowsOfEverySegment() {
    List<Row> data = new ArrayList<>(blobs(3_000, 3L));
    // A tiny segment of three rows in k3, and a k4 segment of three rows inside k3's segment 0.
    for (int i = 0; i < 3; i++) {
      Row r = data.get(i);
      data.set(i, RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), 99, 77));
    }
    Dataset<Row> rows = LocalSpark.session().createDataFrame(data, SCHEMA);
    List<String> columns = List.of("x", "colour", "k3", "k4");
    List<Row> sample = StratifiedSample.draw(rows, columns, List.of("k3", "k4"), 300, 21L);

    Map<Integer, Integer> population = counts(data, 5);
    Map<Integer, Integer> sampled = counts(sample, 2);
    assertEquals(population.keySet(), sampled.keySet());
    for (Map.Entry<Integer, Integer> segment : population.entrySet()) {
      int n = segment.getValue();
      long quota = Math.min(n, Math.max(Math.min(n, 2), Math.round(300.0 * n / 3_000)));
      int extra = segment.getKey() == 99 ? 0 : 2;  // k4's floor may add up to two rows of another k3 segment
      int got = sampled.get(segment.getKey());
      assertTrue(got >= quota && got <= quota + extra, segment + " sampled " + got + ", quota " + quota);
    }
    assertTrue(counts(sample, 3).get(77) >= 2);
    assertEquals(sample, StratifiedSample.draw(rows.repartition(5), columns, List.of("k3", "k4"), 300, 21L));
    assertNotEquals(sample, StratifiedSample.draw(rows, columns, List.of("k3", "k4"), 300, 22L));
  }

  private static Map<Integer, Integer> counts(List<Row> rows, int column) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Row r : rows) {
      counts.merge(r.getInt(column), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Three blobs in (x, y) with a colour mostly tied to the blob and a random shape; k3 is the true blob, k2 merges
   * two blobs, k4 splits one blob by shape.
   */
  private static List<Row> blobs(int n, long seed) {
    Random random = new Random(seed);
    String[] colours = {"red", "green", "blue"};
    String[] shapes = {"round", "square"};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int blob = i % 3;
      double x = blob * 5 + random.nextGaussian();
      double y = (blob == 1 ? 4 : 0) + random.nextGaussian() * 0.5;
      String colour = random.nextDouble() < 0.8 ? colours[blob] : colours[random.nextInt(3)];
      String shape = shapes[random.nextInt(2)];
      int k4 = blob == 2 && shape.equals("round") ? 3 : blob;
      rows.add(RowFactory.create(x, y, colour, shape, Math.min(blob, 1), blob, k4));
    }
    return rows;
  }

  /** Silhouette over all rows by the textbook definition, with its own Gower distance. */
  private static double plainSilhouette(List<Row> rows, int labelColumn) {
    int n = rows.size();
    double[] range = new double[2];
    for (int f = 0; f < 2; f++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Row r : rows) {
        lo = Math.min(lo, r.getDouble(f));
        hi = Math.max(hi, r.getDouble(f));
      }
      range[f] = hi - lo;
    }
    double[][] d = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        Row a = rows.get(i);
        Row b = rows.get(j);
        double sum = Math.abs(a.getDouble(0) - b.getDouble(0)) / range[0]
            + Math.abs(a.getDouble(1) - b.getDouble(1)) / range[1]
            + (a.getString(2).equals(b.getString(2)) ? 0 : 1)
            + (a.getString(3).equals(b.getString(3)) ? 0 : 1);
        d[i][j] = sum / 4;
      }
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      Map<Integer, double[]> perSegment = new HashMap<>();  // label -> {sum of distances, count}
      for (int j = 0; j < n; j++) {
        if (j != i) {
          double[] acc = perSegment.computeIfAbsent(rows.get(j).getInt(labelColumn), l -> new double[2]);
          acc[0] += d[i][j];
          acc[1]++;
        }
      }
      int own = rows.get(i).getInt(labelColumn);
      double[] mine = perSegment.get(own);
      if (mine == null) {
        continue;  // alone in its segment: s = 0
      }
      double a = mine[0] / mine[1];
      double b = Double.POSITIVE_INFINITY;
      for (Map.Entry<Integer, double[]> e : perSegment.entrySet()) {
        if (e.getKey() != own) {
          b = Math.min(b, e.getValue()[0] / e.getValue()[1]);
        }
      }
      total += (b - a) / Math.max(a, b);
    }
    return total / n;
  }
}

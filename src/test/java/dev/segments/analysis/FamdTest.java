package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segments.LocalSpark;
import java.util.ArrayList;
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

class FamdTest {
  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType)
      .add("age", DataTypes.DoubleType)
      .add("income", DataTypes.DoubleType)
      .add("marital", DataTypes.StringType)
      .add("product", DataTypes.StringType);
  private static final String[] MARITAL = {"Married", "Single", "Divorced"};
  /** Planted frequencies 40 %, 30 %, 20 %, 10 %, so the top two are Life and Auto. */
  private static final String[] PRODUCTS = {"Life", "Auto", "Health", "Property"};

  @Test
  void coordinatesAndInertiaMatchAnIndependentEigenDecomposition() {
    List<Row> data = customers(60, 8L);
    check(data, Integer.MAX_VALUE, Famd.compute(frame(data), List.of("age", "income"), List.of("marital", "product")));
  }

  @Test
  void rareCategoriesBeyondTheCapShareOneLevel() {
    List<Row> data = customers(60, 9L);
    check(data, 2, Famd.compute(frame(data), List.of("age", "income"), List.of("marital", "product"), 2));
  }

  @Test
  void refusesATableThatEncodesToOneColumn() {
    assertThrows(IllegalArgumentException.class,
        () -> Famd.compute(frame(customers(10, 1L)), List.of("age"), List.of()));
  }

  private static Dataset<Row> frame(List<Row> data) {
    return LocalSpark.session().createDataFrame(data, SCHEMA).repartition(2);
  }

  private static void check(List<Row> data, int maxCategories, Famd.Result result) {
    // The encoded matrix, built here from the definition.
    int n = data.size();
    List<double[]> columns = new ArrayList<>();
    for (int f = 1; f <= 2; f++) {
      double[] x = new double[n];
      double mean = 0;
      for (int i = 0; i < n; i++) {
        x[i] = data.get(i).getDouble(f);
        mean += x[i] / n;
      }
      double var = 0;
      for (double v : x) {
        var += (v - mean) * (v - mean) / n;
      }
      double sd = Math.sqrt(var);
      for (int i = 0; i < n; i++) {
        x[i] = (x[i] - mean) / sd;
      }
      columns.add(x);
    }
    for (int c = 3; c <= 4; c++) {
      Map<String, Integer> counts = new HashMap<>();
      for (Row r : data) {
        counts.merge(r.getString(c), 1, Integer::sum);
      }
      List<String> byFrequency = new ArrayList<>(counts.keySet());
      byFrequency.sort((a, b) -> counts.get(a).equals(counts.get(b)) ? a.compareTo(b) : counts.get(b) - counts.get(a));
      List<String> kept = byFrequency.subList(0, Math.min(maxCategories, byFrequency.size()));
      int levels = kept.size() < byFrequency.size() ? kept.size() + 1 : kept.size();
      for (int j = 0; j < levels; j++) {
        double[] indicator = new double[n];
        for (int i = 0; i < n; i++) {
          String v = data.get(i).getString(c);
          int level = kept.contains(v) ? kept.indexOf(v) : kept.size();
          indicator[i] = level == j ? 1 : 0;
        }
        double share = 0;
        for (double v : indicator) {
          share += v / n;
        }
        for (int i = 0; i < n; i++) {
          indicator[i] = indicator[i] / Math.sqrt(share) - Math.sqrt(share);
        }
        columns.add(indicator);
      }
    }
    int d = columns.size();
    double[][] covariance = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        for (int i = 0; i < n; i++) {
          covariance[a][b] += columns.get(a)[i] * columns.get(b)[i] / n;
        }
      }
    }
    JacobiEigen eigen = JacobiEigen.of(covariance);
    double trace = 0;
    for (int a = 0; a < d; a++) {
      trace += covariance[a][a];
    }
    double[] shares = result.inertiaShares();
    assertEquals(eigen.value(0) / trace, shares[0], 1e-9);
    assertEquals(eigen.value(1) / trace, shares[1], 1e-9);

    Map<String, double[]> expected = new HashMap<>();
    for (int i = 0; i < n; i++) {
      double[] coordinate = new double[2];
      for (int axis = 0; axis < 2; axis++) {
        double[] v = eigen.vector(axis);
        int largest = 0;
        for (int a = 0; a < d; a++) {
          largest = Math.abs(v[a]) > Math.abs(v[largest]) ? a : largest;
        }
        double sign = Math.signum(v[largest]);
        for (int a = 0; a < d; a++) {
          coordinate[axis] += sign * v[a] * columns.get(a)[i];
        }
      }
      expected.put(data.get(i).getString(0), coordinate);
    }
    List<Row> out = result.rows().select("id", "age", Famd.FIRST_COORDINATE, Famd.SECOND_COORDINATE).collectAsList();
    assertEquals(n, out.size());
    for (Row r : out) {
      double[] e = expected.get(r.getString(0));
      assertEquals(e[0], r.getDouble(2), 1e-7, "famd_1 of " + r.getString(0));
      assertEquals(e[1], r.getDouble(3), 1e-7, "famd_2 of " + r.getString(0));
    }
  }

  /** Age and income correlated, marital status tied to age, product independent. */
  private static List<Row> customers(int n, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double age = 20 + random.nextInt(50);
      double income = 800 * age + 15_000 * random.nextGaussian();
      String marital = age > 45 ? MARITAL[random.nextInt(2) == 0 ? 0 : 2] : MARITAL[random.nextInt(2)];
      String product = PRODUCTS[i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : i % 10 < 9 ? 2 : 3];
      rows.add(RowFactory.create("c" + i, age, income, marital, product));
    }
    return rows;
  }
}

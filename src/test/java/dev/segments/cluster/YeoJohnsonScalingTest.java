package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The skew-aware scaling: Yeo-Johnson where a column is strongly skewed, z-score elsewhere, kept in the model.
 * The transform and the likelihood follow Yeo and Johnson (2000), as scipy.stats.yeojohnson implements them.
 */
class YeoJohnsonScalingTest {
  private static final SparkSession SPARK = LocalSpark.session();

  @Test
  void inverseUndoesTheTransformOnBothSidesOfZero() {
    for (double lambda : new double[] {-1.5, 0, 0.5, 2, 3}) {
      for (double x : new double[] {-50, -1, -0.2, 0, 0.3, 7, 12_000}) {
        assertEquals(x, YeoJohnson.inverse(YeoJohnson.transform(x, lambda), lambda), 1e-6 * Math.max(1, Math.abs(x)),
            "x=" + x + " lambda=" + lambda);
      }
    }
  }

  @Test
  void lambdaOfLogNormalValuesIsNearZero() {
    // For x >= 0, log1p(x) is the Yeo-Johnson transform at lambda 0; for x = exp(N(3, 0.5)) - 1 (positive in
    // practice) it gives normal values back, so the likelihood peaks near 0.
    Random random = new Random(3);
    double[] values = new double[20_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.expm1(3 + 0.5 * random.nextGaussian());
    }
    assertEquals(0.0, YeoJohnson.fitLambda(values), 0.05);
    // and a normal column needs none: lambda near 1 (the identity).
    for (int i = 0; i < values.length; i++) {
      values[i] = 10 + random.nextGaussian();
    }
    assertEquals(1.0, YeoJohnson.fitLambda(values), 0.3);
  }

  @Test
  void onlyTheSkewedColumnIsTransformedAndTheModelKeepsItThroughSaveAndLoad(@TempDir Path dir) throws Exception {
    Dataset<Row> frame = customers(600, 9);
    KPrototypesModel model = new KPrototypes().setK(3).setSeed(2).setScaling("yeo-johnson")
        .setNumericCols(new String[] {"spend", "age"}).setCategoricalCols(new String[] {"channel"}).fit(frame);
    List<ColumnScaling> columns = model.columnScalings();
    ColumnScaling spend = columns.get(0);
    ColumnScaling age = columns.get(1);
    assertTrue(spend.transformed(), "spend is log-normal: " + spend);
    assertTrue(spend.skewBefore() > 2 && Math.abs(spend.skewAfter()) < 0.5, spend.toString());
    assertEquals("yeo-johnson + zscore", spend.method());
    assertFalse(age.transformed(), "age is symmetric: " + age);
    assertEquals("zscore", age.method());

    // Centres in original units lie inside the column's range (the inverse transform is applied).
    for (double[] centre : MixedRows.centres(model)) {
      assertTrue(centre[0] > 0 && centre[0] < 1e6, "spend centre " + centre[0]);
    }
    String path = dir.resolve("model").toString();
    model.write().save(path);
    KPrototypesModel loaded = KPrototypesModel.load(path);
    assertEquals(columns, loaded.columnScalings());
    assertEquals(model.transform(frame).select("prediction", "distance").collectAsList(),
        loaded.transform(frame).select("prediction", "distance").collectAsList());
  }

  @Test
  void zscoreLeavesEveryColumnUntransformedButReportsItsSkew() {
    KPrototypesModel model = new KPrototypes().setK(2).setSeed(2).setScaling("zscore")
        .setNumericCols(new String[] {"spend", "age"}).setCategoricalCols(new String[] {"channel"})
        .fit(customers(300, 4));
    for (ColumnScaling column : model.columnScalings()) {
      assertFalse(column.transformed());
      assertEquals("zscore", column.method());
      assertEquals(column.skewBefore(), column.skewAfter());
    }
    assertTrue(model.columnScalings().get(0).skewBefore() > 2);
  }

  /** Customers with a log-normal spend (a few large ones far out), a normal age and a channel. */
  private static Dataset<Row> customers(int n, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int group = i % 3;
      rows.add(RowFactory.create(Math.exp(4 + group + random.nextGaussian()), 30 + 10 * group + 5 * random.nextGaussian(),
          group == 0 ? "web" : random.nextBoolean() ? "phone" : "branch"));
    }
    StructType schema = new StructType().add("spend", DataTypes.DoubleType).add("age", DataTypes.DoubleType)
        .add("channel", DataTypes.StringType);
    return SPARK.createDataFrame(rows, schema);
  }
}

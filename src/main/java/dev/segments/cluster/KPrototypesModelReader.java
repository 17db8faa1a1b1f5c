package dev.segments.cluster;

import java.util.List;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import scala.Option;

/** Loads what {@link KPrototypesModelWriter} saved, refusing metadata written for another class. */
final class KPrototypesModelReader extends MLReader<KPrototypesModel> {

  @Override
  public KPrototypesModel load(String path) {
    DefaultParamsReader.Metadata metadata =
        DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), KPrototypesModel.class.getName());
    Row training = sparkSession().read().parquet(path + "/training").first();
    List<Row> prototypeRows = sparkSession().read().parquet(path + "/prototypes").orderBy("cluster").collectAsList();
    List<Row> dictionaryRows = sparkSession().read().parquet(path + "/dictionaries")
        .orderBy("feature", "code").collectAsList();

    double[] shift = unboxed(training.getList(0));
    int k = prototypeRows.size();
    int d = shift.length;
    int c = prototypeRows.get(0).getList(2).size();
    double[] centers = new double[k * d];
    int[] modes = new int[k * c];
    long[] sizes = new long[k];
    for (int j = 0; j < k; j++) {
      Row row = prototypeRows.get(j);
      System.arraycopy(unboxed(row.getList(1)), 0, centers, j * d, d);
      List<Integer> codes = row.getList(2);
      for (int f = 0; f < c; f++) {
        modes[j * c + f] = codes.get(f);
      }
      sizes[j] = row.getLong(3);
    }
    String[][] values = new String[c][];
    for (int f = 0; f < c; f++) {
      int feature = f;
      values[f] = dictionaryRows.stream().filter(r -> r.getInt(0) == feature).map(r -> r.getString(2))
          .toArray(String[]::new);
    }
    KPrototypesSummary summary = new KPrototypesSummary(training.getDouble(3), training.getInt(4),
        unboxed(training.getList(5)), sizes, training.getDouble(6), training.getDouble(7), training.getDouble(8),
        training.getInt(9), training.getLong(10));
    KPrototypesModel.State state = new KPrototypesModel.State(new NumericScaler(training.getAs("scaling"),
        unboxed(training.getList(training.fieldIndex("lambda"))), shift, unboxed(training.getList(1)),
        unboxed(training.getList(training.fieldIndex("transformedStddev"))),
        unboxed(training.getList(training.fieldIndex("skewBefore"))),
        unboxed(training.getList(training.fieldIndex("skewAfter")))),
        new CategoryDictionaries(values), new Prototypes(k, d, c, training.getDouble(2), centers, modes), summary);
    KPrototypesModel model = new KPrototypesModel(metadata.uid(), state);
    metadata.getAndSetParams(model, Option.empty());
    return model;
  }

  private static double[] unboxed(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}

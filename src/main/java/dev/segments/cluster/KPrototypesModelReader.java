package dev.segments.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import scala.Option;

/**
 * Loads what {@link KPrototypesModelWriter} saved, refusing metadata written for another class or in a format version
 * newer than this build knows. Columns are read by name, so their order in the files does not matter.
 */
final class KPrototypesModelReader extends MLReader<KPrototypesModel> {

  @Override
  public KPrototypesModel load(String path) {
    DefaultParamsReader.Metadata metadata =
        DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), KPrototypesModel.class.getName());
    int version = formatVersion(metadata.metadataJson());
    if (version > KPrototypesModelWriter.FORMAT_VERSION || version < 1) {
      throw new IllegalArgumentException("the K-Prototypes model at " + path + " was saved in format version "
          + version + "; this build reads format versions 1 to " + KPrototypesModelWriter.FORMAT_VERSION
          + ": load it with the release that saved it, or fit the model again");
    }
    Row training = sparkSession().read().parquet(path + "/training").first();
    List<Row> prototypeRows = sparkSession().read().parquet(path + "/prototypes").orderBy("cluster").collectAsList();
    List<Row> dictionaryRows = sparkSession().read().parquet(path + "/dictionaries")
        .orderBy("feature", "code").collectAsList();

    double[] shift = doubles(training, "shift");
    int k = prototypeRows.size();
    int d = shift.length;
    int c = prototypeRows.get(0).getList(prototypeRows.get(0).fieldIndex("modeCodes")).size();
    double[] centers = new double[k * d];
    int[] modes = new int[k * c];
    long[] sizes = new long[k];
    for (int j = 0; j < k; j++) {
      Row row = prototypeRows.get(j);
      System.arraycopy(doubles(row, "scaledCenter"), 0, centers, j * d, d);
      List<Integer> codes = row.getList(row.fieldIndex("modeCodes"));
      for (int f = 0; f < c; f++) {
        modes[j * c + f] = codes.get(f);
      }
      sizes[j] = row.<Long>getAs("size");
    }
    String[][] values = new String[c][];
    for (int f = 0; f < c; f++) {
      int feature = f;
      values[f] = dictionaryRows.stream().filter(r -> r.<Integer>getAs("feature") == feature)
          .map(r -> r.<String>getAs("value")).toArray(String[]::new);
    }
    KPrototypesSummary summary = new KPrototypesSummary(training.<Double>getAs("cost"),
        training.<Integer>getAs("numIter"), doubles(training, "costHistory"), sizes,
        training.<Double>getAs("packSeconds"), training.<Double>getAs("initSeconds"),
        training.<Double>getAs("iterateSeconds"), training.<Integer>getAs("passes"),
        training.<Long>getAs("cacheBytes"));
    KPrototypesModel.State state = new KPrototypesModel.State(scaler(training, shift, metadata.metadataJson()),
        new CategoryDictionaries(values), new Prototypes(k, d, c, training.<Double>getAs("gamma"), centers, modes),
        summary);
    KPrototypesModel model = new KPrototypesModel(metadata.uid(), state);
    metadata.getAndSetParams(model, Option.empty());
    return model.withFittedParams();
  }

  /** The version in the metadata; models saved before it was recorded have version 1's layout. */
  private static int formatVersion(String metadataJson) {
    try {
      JsonNode version = new ObjectMapper().readTree(metadataJson).path(KPrototypesModelWriter.FORMAT_VERSION_KEY);
      return version.isMissingNode() ? 1 : version.asInt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The scaler. Models saved before skew-aware scaling have no transform columns: no column was transformed, and
   * the scaling is the one in their params.
   */
  private static NumericScaler scaler(Row training, double[] shift, String metadataJson) {
    double[] divisor = doubles(training, "divisor");
    if (!List.of(training.schema().fieldNames()).contains("scaling")) {
      double[] none = new double[shift.length];
      java.util.Arrays.fill(none, Double.NaN);
      return new NumericScaler(paramScaling(metadataJson), none, shift, divisor, none, none, none);
    }
    return new NumericScaler(training.getAs("scaling"), doubles(training, "lambda"), shift, divisor,
        doubles(training, "transformedStddev"), doubles(training, "skewBefore"), doubles(training, "skewAfter"));
  }

  private static String paramScaling(String metadataJson) {
    try {
      JsonNode params = new ObjectMapper().readTree(metadataJson);
      JsonNode scaling = params.path("paramMap").path("scaling");
      if (scaling.isMissingNode()) {
        scaling = params.path("defaultParamMap").path("scaling");
      }
      return scaling.isMissingNode() ? "zscore" : scaling.asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double[] doubles(Row row, String column) {
    return row.<Double>getList(row.fieldIndex(column)).stream().mapToDouble(Double::doubleValue).toArray();
  }
}

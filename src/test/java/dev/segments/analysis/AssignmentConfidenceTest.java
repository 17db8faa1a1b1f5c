package dev.segments.analysis;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.cluster.KPrototypes;
import dev.segments.cluster.KPrototypesModel;
import dev.segments.features.FeatureSpec;
import dev.segments.features.FeatureTable;
import dev.segments.features.FeatureTableBuilder;
import dev.segments.features.FeatureTableChecks;
import dev.segments.generate.GeneratorOptions;
import dev.segments.generate.SheetGenerator;
import dev.segments.ingest.ContractValidator;
import dev.segments.ingest.CsvSheetSource;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.SheetContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Confidence, borderline and reasons: the formula and its edge cases, the words, and what confidence is worth. */
class AssignmentConfidenceTest {
  private static final SparkSession SPARK = LocalSpark.session();

  @Test
  void confidenceIsTheMarginBetweenTheTwoDistancesWithItsEdgeCases() {
    StructType schema = new StructType().add("d1", DataTypes.DoubleType).add("d2", DataTypes.DoubleType);
    Dataset<Row> distances = SPARK.createDataFrame(List.of(RowFactory.create(1.0, 3.0), RowFactory.create(2.0, 2.0),
        RowFactory.create(0.0, 5.0), RowFactory.create(0.0, 0.0), RowFactory.create(1.0, null),
        RowFactory.create(9.0, 11.0)), schema);
    List<Row> rows = distances.select(AssignmentConfidence.confidence(col("d1"), col("d2")).as("c"))
        .select(col("c"), AssignmentConfidence.borderline(col("c"), 0.1)).collectAsList();
    // (3 - 1) / (3 + 1); a tie; on its own prototype; two identical prototypes; one segment; (11 - 9) / 20.
    double[] expected = {0.5, 0, 1, 0, 1, 0.1};
    boolean[] borderline = {false, true, false, true, false, false};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], rows.get(i).getDouble(0), 1e-12, "row " + i);
      assertEquals(borderline[i], rows.get(i).getBoolean(1), "row " + i);
    }
  }

  @Test
  void amountsAreShort() {
    assertEquals("95k", AssignmentConfidence.amount(95_000));
    assertEquals("1.2M", AssignmentConfidence.amount(1_200_000));
    assertEquals("1,302", AssignmentConfidence.amount(1_302));
    assertEquals("34", AssignmentConfidence.amount(34));
    assertEquals("2.35", AssignmentConfidence.amount(2.35));
    assertEquals("preferred channel", AssignmentConfidence.label("preferred_channel"));
  }

  /**
   * Two groups that differ in income (about 20k against 95k) and mostly in channel (Text against Email), with the
   * same ages: income pulls every customer toward its segment most, then the channel where it matches the segment's.
   */
  @Test
  void reasonsNameWhatPullsTowardTheOwnSegmentWithTheTypicalValues() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("income", DataTypes.DoubleType)
        .add("age", DataTypes.DoubleType).add("channel", DataTypes.StringType);
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean high = i % 2 == 0;
      String channel = random.nextDouble() < 0.9 ? (high ? "Email" : "Text") : (high ? "Text" : "Email");
      rows.add(RowFactory.create(i, (high ? 95_000 : 20_000) + 2_000 * random.nextGaussian(),
          30 + 30 * random.nextDouble(), channel));
    }
    Dataset<Row> frame = SPARK.createDataFrame(rows, schema);
    KPrototypesModel model = new KPrototypes().setK(2).setSeed(1).setNumericCols(new String[] {"income", "age"})
        .setCategoricalCols(new String[] {"channel"}).fit(frame)
        .setPredictionCol("cluster").setRunnerUpCol("second");
    List<Row> out = model.transform(frame).select(col("id"), col("income"), col("channel"),
        AssignmentConfidence.reasons(model, "cluster", "second")).orderBy("id").collectAsList();
    int channelReasons = 0;
    for (Row row : out) {
      String reasons = row.getString(3);
      boolean high = row.getInt(0) % 2 == 0;
      assertTrue(reasons.startsWith("income " + AssignmentConfidence.amount(row.getDouble(1)) + " (segment ~"
          + (high ? "9" : "2")), reasons);
      assertTrue(reasons.contains(high ? ", runner-up ~2" : ", runner-up ~9"), reasons);
      String channel = row.getString(2);
      if (channel.equals(high ? "Email" : "Text")) {
        assertTrue(reasons.contains("channel: " + channel + " (segment: " + channel + ", runner-up: "
            + (high ? "Text" : "Email") + ")"), reasons);
        channelReasons++;
      } else {
        assertTrue(!reasons.contains("channel:"), "a channel that is not the segment's pulls away: " + reasons);
      }
      assertTrue(reasons.split(AssignmentConfidence.SEPARATOR).length <= AssignmentConfidence.MAX_REASONS, reasons);
    }
    assertTrue(channelReasons > 150, "most customers share their segment's channel: " + channelReasons);
    KPrototypesModel single = new KPrototypes().setK(1).setNumericCols(new String[] {"income"}).fit(frame)
        .setPredictionCol("cluster").setRunnerUpCol("second");
    assertNull(single.transform(frame).select(AssignmentConfidence.reasons(single, "cluster", "second")).first()
        .get(0), "no runner-up, no reasons");
  }

  /**
   * On generated sheets with 5 planted groups and heavy tails (skew 1, so that groups overlap), clustered with k = 5
   * as a night clusters them: customers in the top confidence decile are in their planted group's segment (the
   * segment holding most of the group) far more often than those in the bottom decile. The figures go to
   * QUALITY.md, "Confidence".
   */
  @Test
  void confidentCustomersAreInTheirPlantedGroupsSegmentFarMoreOftenThanBorderlineOnes(@TempDir Path folder)
      throws Exception {
    LocalDate asOf = GeneratorOptions.DEFAULT_AS_OF;
    SheetGenerator.generate(folder, new GeneratorOptions(2_000, 4_000, 20, 7, 0, asOf, 1.0, 1, true));
    DataContract contract = DataContract.defaultLayout();
    List<String> sheets = contract.sheets().stream().map(SheetContract::name).toList();
    IngestResult ingested = ContractValidator.validate(new CsvSheetSource(folder).read(SPARK, sheets), contract, asOf);
    FeatureTable table = FeatureTableBuilder.build(ingested, contract, FeatureSpec.defaultSpec(), asOf);
    FeatureTableChecks.Checked checked =
        FeatureTableChecks.checked(table, FeatureTableChecks.summarise(table, 0.95), 50, 0.5, 0.95);
    Dataset<Row> rows = table.rows().localCheckpoint();
    KPrototypesModel model = new KPrototypes().setK(5).setSeed(7)
        .setNumericCols(checked.clusteredNumeric().toArray(String[]::new))
        .setCategoricalCols(checked.table().categoricalFeatures().toArray(String[]::new)).fit(rows)
        .setPredictionCol("cluster").setRunnerUpDistanceCol("d2");
    List<Row> assigned = model.transform(rows).select(col(FeatureTable.CUSTOMER_ID), col("cluster"),
        AssignmentConfidence.confidence(col("distance"), col("d2"))).collectAsList();

    Map<String, String> groups = new HashMap<>();
    List<String> lines = Files.readAllLines(folder.resolve(SheetGenerator.GROUPS_FILE));
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      groups.put(cells[0], cells[1]);
    }
    Map<String, Map<Integer, Integer>> clustersOfGroup = new HashMap<>();
    for (Row row : assigned) {
      clustersOfGroup.computeIfAbsent(groups.get(row.getString(0)), g -> new HashMap<>())
          .merge(row.getInt(1), 1, Integer::sum);
    }
    Map<String, Integer> segmentOfGroup = new HashMap<>();
    clustersOfGroup.forEach((group, counts) -> segmentOfGroup.put(group,
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey()));

    Row[] byConfidence = assigned.toArray(Row[]::new);
    Arrays.sort(byConfidence, (a, b) -> Double.compare(a.getDouble(2), b.getDouble(2)));
    int decile = byConfidence.length / 10;
    double bottom = agreement(Arrays.copyOfRange(byConfidence, 0, decile), groups, segmentOfGroup);
    double top = agreement(Arrays.copyOfRange(byConfidence, byConfidence.length - decile, byConfidence.length),
        groups, segmentOfGroup);
    double all = agreement(byConfidence, groups, segmentOfGroup);
    long borderline = Arrays.stream(byConfidence).filter(r -> r.getDouble(2) < 0.1).count();
    System.out.printf(Locale.ROOT, "confidence deciles: top %.3f, bottom %.3f, all %.3f of %d customers;"
            + " confidence below 0.1: %.3f; median confidence %.3f%n", top, bottom, all, byConfidence.length,
        (double) borderline / byConfidence.length, byConfidence[byConfidence.length / 2].getDouble(2));
    assertTrue(top >= 0.85, "top decile: " + top);
    assertTrue(top - bottom >= 0.3, "top " + top + " against bottom " + bottom);
  }

  private static double agreement(Row[] rows, Map<String, String> groups, Map<String, Integer> segmentOfGroup) {
    long agree = Arrays.stream(rows).filter(r -> segmentOfGroup.get(groups.get(r.getString(0))) == r.getInt(1))
        .count();
    return (double) agree / rows.length;
  }
}

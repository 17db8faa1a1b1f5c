package dev.segments.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.SharedDatasets;
import dev.segments.cluster.KPrototypes;
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
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names on real feature tables: the users' own sheets (where a name once read "Low premium · low premium · Text")
 * and generated sheets, segmented for several k. Every name is distinct, repeats no phrase, and every phrase is
 * backed by a figure of its segment's profile that stands out (checked against the profile, not the namer's text).
 */
class SegmentNamesOnSheetsTest {
  private static final SparkSession SPARK = LocalSpark.session();

  @Test
  void namesOnTheUsersSheetsAreDistinctUnrepeatedAndBacked() {
    checkNames(features(SharedDatasets.folder("seed_project"), LocalDate.of(2025, 12, 14)), List.of(3, 4, 5, 6));
  }

  @Test
  void namesOnGeneratedSheetsAreDistinctUnrepeatedAndBacked(@TempDir Path folder) throws Exception {
    LocalDate asOf = GeneratorOptions.DEFAULT_AS_OF;
    SheetGenerator.generate(folder, new GeneratorOptions(600, 1_200, 20, 5, 0, asOf, 1.0, 1, false));
    checkNames(features(folder, asOf), List.of(5, 7));
  }

  /**
   * The users' sheets with every category column the inference keeps (contact channel, time and language
   * included) and the numeric features the clustering keeps: no phrase is a bare contact channel, time or language
   * value, and none says "lapsed" (to an insurer, a policy no longer paid).
   */
  @Test
  void namesOnTheUsersSheetsSayWhatEachPhraseMeasures() {
    Path folder = SharedDatasets.folder("seed_project");
    LocalDate asOf = LocalDate.of(2025, 12, 14);
    IngestResult ingested = ingest(folder, asOf);
    DataContract contract = DataContract.defaultLayout();
    FeatureTable table = FeatureTableBuilder.build(ingested, contract,
        FeatureSpec.inferFrom(contract, ingested.customers()), asOf);
    FeatureTableChecks.Checked checked =
        FeatureTableChecks.checked(table, FeatureTableChecks.summarise(table, 0.95), 50, 0.5, 0.95);
    List<String> unclear = checked.table().categoricalFeatures().stream()
        .filter(f -> f.contains("channel") || f.contains("time") || f.contains("language")).toList();
    assertTrue(unclear.size() >= 2, "the inferred spec keeps the contact columns: " + unclear);
    Dataset<Row> rows = table.rows().withColumn("_revenue", functions.lit(1.0)).localCheckpoint();
    for (int k : List.of(3, 4)) {
      Dataset<Row> segmented = new KPrototypes().setK(k).setSeed(42).setNumInits(3)
          .setNumericCols(checked.clusteredNumeric().toArray(String[]::new))
          .setCategoricalCols(checked.table().categoricalFeatures().toArray(String[]::new))
          .setPredictionCol("segment").fit(rows).transform(rows);
      List<SegmentProfile> profiles = SegmentProfiles.compute(segmented, "segment", checked.clusteredNumeric(),
          checked.table().categoricalFeatures(), "_revenue").profiles();
      Set<String> bareValues = new HashSet<>();
      for (SegmentProfile profile : profiles) {
        profile.categorical().stream().filter(c -> unclear.contains(c.feature()))
            .forEach(c -> c.top().forEach(v -> bareValues.add(v.value().toLowerCase(Locale.ROOT))));
      }
      for (SegmentNamer.SegmentName name : SegmentNamer.explain(profiles).values()) {
        assertFalse(name.name().toLowerCase(Locale.ROOT).contains("lapsed"), name.name());
        for (String phrase : name.name().replaceAll(" \\(\\d+\\)$", "").split(" · ")) {
          assertFalse(bareValues.contains(phrase.toLowerCase(Locale.ROOT)), "k=" + k + ": '" + phrase + "' in "
              + name.name() + " is a bare contact value");
        }
      }
    }
  }

  private static IngestResult ingest(Path folder, LocalDate asOf) {
    DataContract contract = DataContract.defaultLayout();
    List<String> sheets = contract.sheets().stream().map(SheetContract::name).toList();
    return ContractValidator.validate(new CsvSheetSource(folder).read(SPARK, sheets), contract, asOf);
  }

  private static FeatureTable features(Path folder, LocalDate asOf) {
    return FeatureTableBuilder.build(ingest(folder, asOf), DataContract.defaultLayout(), FeatureSpec.defaultSpec(),
        asOf);
  }

  private static void checkNames(FeatureTable table, List<Integer> ks) {
    Dataset<Row> rows = table.rows().withColumn("_revenue", functions.col("total_premium")).localCheckpoint();
    List<String> numeric = table.numericFeatures();
    List<String> categorical = table.categoricalFeatures();
    for (int k : ks) {
      Dataset<Row> segmented = new KPrototypes().setK(k).setSeed(42).setNumInits(3)
          .setNumericCols(numeric.toArray(String[]::new)).setCategoricalCols(categorical.toArray(String[]::new))
          .setPredictionCol("segment").fit(rows).transform(rows);
      List<SegmentProfile> profiles = SegmentProfiles.compute(segmented, "segment", numeric, categorical, "_revenue")
          .profiles();
      Map<Integer, SegmentNamer.SegmentName> names = SegmentNamer.explain(profiles);
      assertEquals(profiles.size(), new HashSet<>(names.values().stream().map(SegmentNamer.SegmentName::name)
          .toList()).size(), "k=" + k + ": names not distinct: " + names.values());
      for (SegmentProfile profile : profiles) {
        SegmentNamer.SegmentName name = names.get(profile.segmentId());
        String plain = name.name().replaceAll(" \\(\\d+\\)$", "");
        List<String> phrases = List.of(plain.split(" · "));
        Set<String> distinct = new HashSet<>();
        phrases.forEach(p -> distinct.add(p.toLowerCase(Locale.ROOT)));
        assertEquals(phrases.size(), distinct.size(), "k=" + k + ": a phrase repeats in " + name.name());
        if (!name.traits().isEmpty()) {
          assertEquals(phrases.size(), name.traits().size(), name.name());
        }
        for (SegmentNamer.Trait trait : name.traits()) {
          assertTrue(standsOut(profile, trait), "k=" + k + ": '" + trait.phrase() + "' in " + name.name()
              + " is not backed by " + profile);
        }
      }
    }
  }

  private static boolean standsOut(SegmentProfile profile, SegmentNamer.Trait trait) {
    for (SegmentProfile.Numeric n : profile.numeric()) {
      if (n.feature().equals(trait.feature())) {
        return Math.abs(n.z()) >= 0.5;
      }
    }
    for (SegmentProfile.Categorical c : profile.categorical()) {
      if (c.feature().equals(trait.feature())) {
        return c.top().stream().anyMatch(v -> v.value().equals(trait.value()) && v.lift() >= 1.3
            && v.share() >= 0.4);
      }
    }
    return false;
  }
}

package dev.segments.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.SamplePipelineRun;
import dev.segments.sink.DuckDbReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On generated sheets whose planted groups prefer different product types, the whole pipeline, with k the number of
 * planted groups, finds each group's preference as the highest-lift product type of the segment most of the group
 * lands in (QUALITY.md, "What to offer", gives the figures this test logs).
 */
class PlantedProductPreferenceTest {
  @TempDir
  Path temp;

  @Test
  void eachGroupsPreferredTypeIsItsSegmentsHighestLiftType() throws IOException {
    Path sheets = temp.resolve("sheets");
    SheetGenerator.generate(sheets, new GeneratorOptions(2000, 5000, GeneratorOptions.DEFAULT_PRODUCTS, 42, 0.01,
        GeneratorOptions.DEFAULT_AS_OF, GeneratorOptions.DEFAULT_SKEW, GeneratorOptions.DEFAULT_IMBALANCE, true));
    Path output = temp.resolve("out");
    // k = the planted groups: with k chosen freely the night merged groups of different preferences (young urban
    // starters, Auto, with group scheme members, Health, at k = 3), and one segment has one highest lift.
    SamplePipelineRun.run(sheets, output, SamplePipelineRun.AS_OF, "--k", String.valueOf(CustomerGroup.PLANTED.size()));
    Path database = output.resolve("current").resolve("segments.duckdb");

    Map<String, String> groupOf = new HashMap<>();
    for (String line : Files.readAllLines(sheets.resolve(SheetGenerator.GROUPS_FILE)).subList(1,
        Files.readAllLines(sheets.resolve(SheetGenerator.GROUPS_FILE)).size())) {
      String[] cells = line.split(",", 2);
      groupOf.put(cells[0], cells[1]);
    }
    Map<String, Map<Integer, Integer>> segmentsOfGroup = new LinkedHashMap<>();
    for (Map<String, Object> row : DuckDbReader.query(database, "SELECT customer_id, segment_id FROM "
        + "customer_segments")) {
      String group = groupOf.get((String) row.get("customer_id"));
      segmentsOfGroup.computeIfAbsent(group, g -> new HashMap<>())
          .merge(((Number) row.get("segment_id")).intValue(), 1, Integer::sum);
    }
    Map<Integer, Map<String, Double>> lifts = new HashMap<>();
    for (Map<String, Object> row : DuckDbReader.query(database, "SELECT segment_id, value, lift FROM "
        + "segment_product_affinity WHERE attribute = 'product_type'")) {
      lifts.computeIfAbsent(((Number) row.get("segment_id")).intValue(), s -> new LinkedHashMap<>())
          .put((String) row.get("value"), ((Number) row.get("lift")).doubleValue());
    }

    StringBuilder figures = new StringBuilder();
    for (CustomerGroup group : CustomerGroup.PLANTED) {
      Map<Integer, Integer> segments = segmentsOfGroup.get(group.name());
      int members = segments.values().stream().mapToInt(Integer::intValue).sum();
      Map.Entry<Integer, Integer> majority = segments.entrySet().stream().max(Map.Entry.comparingByValue())
          .orElseThrow();
      Map<String, Double> segmentLifts = lifts.get(majority.getKey());
      String highest = segmentLifts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      figures.append(String.format(java.util.Locale.ROOT, "%s: %d of %d in segment %d, whose lifts are %s; "
          + "planted %s%n", group.name(), majority.getValue(), members, majority.getKey(), rounded(segmentLifts),
          group.preferredProductType()));
      assertTrue(majority.getValue() > members / 2, () -> "most of a group shares a segment:\n" + figures);
      assertEquals(group.preferredProductType(), highest, () -> group.name() + "\n" + figures);
    }
    System.out.println("planted product preferences:\n" + figures);
  }

  private static Map<String, String> rounded(Map<String, Double> lifts) {
    Map<String, String> out = new LinkedHashMap<>();
    lifts.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), String.format(java.util.Locale.ROOT, "%.2f", e.getValue())));
    return out;
  }
}

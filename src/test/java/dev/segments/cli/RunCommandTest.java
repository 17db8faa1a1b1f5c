package dev.segments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.SamplePipelineRun;
import dev.segments.sink.DuckDbReader;
import dev.segments.sink.OutputTable;
import dev.segments.sink.View;
import dev.segments.sink.ViewCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `segment run` end to end on the bundled sample data: what a user gets, and what a failed run leaves behind. */
class RunCommandTest {
  private static final Path SAMPLE = SamplePipelineRun.SAMPLE;

  @TempDir Path temp;

  @Test
  void theSampleRunPublishesEveryTableAndViewAndItsCountsAddUp() throws IOException {
    Path current = SamplePipelineRun.output().resolve("current");
    Path db = current.resolve("segments.duckdb");

    for (OutputTable table : OutputTable.values()) {
      assertTrue(DuckDbReader.count(db, "SELECT COUNT(*) FROM " + table.tableName()) > 0, table.tableName());
      assertTrue(Files.isDirectory(current.resolve(table.tableName()).resolve("run_date=" + SamplePipelineRun.AS_OF)),
          "Parquet partition of " + table.tableName());
    }
    for (View view : ViewCatalog.load().views()) {
      long rows = DuckDbReader.count(db, "SELECT COUNT(*) FROM " + view.name());
      // A first run has no previous run date to migrate from; every other view has rows.
      assertTrue(view.name().equals("segment_migration") ? rows == 0 : rows > 0, view.name() + ": " + rows);
    }

    Map<String, Object> run = DuckDbReader.query(db, "SELECT * FROM model_runs").get(0);
    long customersRead = dataLines(SAMPLE.resolve("customers.csv"));
    long salesRead = dataLines(SAMPLE.resolve("sales.csv"));
    long productsRead = dataLines(SAMPLE.resolve("products.csv"));
    assertEquals(customersRead + salesRead + productsRead, ((Number) run.get("rows_read")).longValue());
    assertEquals(quarantinedRows(db, null), ((Number) run.get("rows_quarantined")).longValue());

    long customers = DuckDbReader.count(db, "SELECT COUNT(*) FROM customer_segments");
    assertEquals(customersRead, customers + quarantinedRows(db, "customers"), "customers kept + quarantined");
    assertEquals(salesRead, DuckDbReader.count(db, "SELECT COUNT(*) FROM sales_enriched")
        + quarantinedRows(db, "sales"), "sales kept + quarantined");
    assertTrue(quarantinedRows(db, "customers") > 0 && quarantinedRows(db, "sales") > 0,
        "the sample plants bad rows in both sheets");

    int k = ((Number) run.get("k")).intValue();
    assertEquals(k, DuckDbReader.count(db, "SELECT COUNT(DISTINCT segment_id) FROM customer_segments"));
    assertEquals(k, DuckDbReader.count(db, "SELECT COUNT(*) FROM segment_profiles"));
    assertEquals(customers, DuckDbReader.count(db, "SELECT SUM(size) FROM segment_profiles"));
    assertEquals(0, DuckDbReader.count(db, "SELECT COUNT(*) FROM customer_segments WHERE segment_name IS NULL"
        + " OR famd_1 IS NULL OR famd_2 IS NULL OR distance IS NULL OR distance < 0"));
    assertEquals(0, DuckDbReader.count(db, "SELECT COUNT(*) FROM sales_enriched s LEFT JOIN customer_segments c"
        + " USING (customer_id) WHERE c.segment_id IS DISTINCT FROM s.segment_id"),
        "every sale carries its customer's segment");
    assertEquals(Integer.parseInt(SamplePipelineRun.K_MAX) - 1,
        DuckDbReader.count(db, "SELECT COUNT(*) FROM k_selection"), "k = 2.." + SamplePipelineRun.K_MAX);
    assertEquals(k, DuckDbReader.count(db, "SELECT k FROM k_selection WHERE chosen"));

    String report = Files.readString(current.resolve("report.html"));
    assertTrue(report.contains((String) run.get("run_id")), "the report names its run");
    assertTrue(SamplePipelineRun.log().contains(customers + " customers in " + k + " segments"),
        SamplePipelineRun.log());
  }

  @Test
  void aMissingColumnNamesSheetAndColumnAndLeavesThePreviousOutputsUntouched() throws IOException {
    Path input = copyOfSample(temp.resolve("input"));
    Path sales = input.resolve("sales.csv");
    List<String> lines = Files.readAllLines(sales);
    lines.set(0, lines.get(0).replace("Premium", "Amount"));
    Files.write(sales, lines);
    Path output = copyOfOutputs(SamplePipelineRun.output(), temp.resolve("out"));
    Map<String, String> before = snapshot(output);

    SamplePipelineRun.Result result = SamplePipelineRun.execute(
        SamplePipelineRun.args(input, output, SamplePipelineRun.AS_OF, "--k", "2"));

    assertEquals(SegmentCli.EXIT_CONTRACT, result.exitCode(), result.printed());
    assertTrue(result.printed().contains("sheet 'sales' has no column 'Premium'"), result.printed());
    assertEquals(before, snapshot(output), "a failed run must not change the published outputs");
  }

  @Test
  void aSecondRunOnChangedDataKeepsTheIdsOfSegmentsItFindsAgain() throws IOException {
    Path first = SamplePipelineRun.output();
    Path firstDb = first.resolve("current").resolve("segments.duckdb");
    long k = DuckDbReader.count(firstDb, "SELECT k FROM model_runs");
    Path input = copyOfSample(temp.resolve("input"));
    Path sales = input.resolve("sales.csv");
    List<String> lines = Files.readAllLines(sales);
    Files.write(sales, lines.subList(0, lines.size() - lines.size() / 20));
    Path output = copyOfOutputs(first, temp.resolve("out"));

    // Another seed starts the clustering elsewhere, so the same groups can come out under other cluster numbers.
    SamplePipelineRun.run(input, output, "2025-12-16", "--k", String.valueOf(k), "--seed", "7");

    Path db = output.resolve("current").resolve("segments.duckdb");
    List<Map<String, Object>> moves = DuckDbReader.query(db, "SELECT from_segment_id, to_segment_id, customers"
        + " FROM segment_migration ORDER BY customers DESC");
    long customersBoth = DuckDbReader.count(db, "SELECT COUNT(*) FROM customer_segments a JOIN customer_segments b"
        + " USING (customer_id) WHERE a.run_date = DATE '2025-12-15' AND b.run_date = DATE '2025-12-16'");
    assertEquals(customersBoth, moves.stream().mapToLong(m -> ((Number) m.get("customers")).longValue()).sum());

    Map<Integer, Long> fromSizes = new HashMap<>();
    Map<Integer, Long> toSizes = new HashMap<>();
    for (Map<String, Object> move : moves) {
      fromSizes.merge(((Number) move.get("from_segment_id")).intValue(), count(move), Long::sum);
      toSizes.merge(((Number) move.get("to_segment_id")).intValue(), count(move), Long::sum);
    }
    int foundAgain = 0;
    for (Map<String, Object> move : moves) {
      int from = ((Number) move.get("from_segment_id")).intValue();
      int to = ((Number) move.get("to_segment_id")).intValue();
      boolean sameGroup = count(move) >= 0.8 * fromSizes.get(from) && count(move) >= 0.8 * toSizes.get(to);
      if (sameGroup) {
        foundAgain++;
        assertEquals(from, to, "segment " + from + " was found again (" + count(move) + " of its customers) but"
            + " got id " + to + "; moves: " + moves);
      }
    }
    assertTrue(foundAgain > 0, "no segment was found again, so the test proves nothing: " + moves);
  }

  private static long count(Map<String, Object> move) {
    return ((Number) move.get("customers")).longValue();
  }

  private static long quarantinedRows(Path db, String sheet) {
    return DuckDbReader.count(db, "SELECT COUNT(*) FROM (SELECT DISTINCT sheet, \"row\" FROM quarantine"
        + (sheet == null ? "" : " WHERE sheet = '" + sheet + "'") + ")");
  }

  private static long dataLines(Path csv) throws IOException {
    try (Stream<String> lines = Files.lines(csv)) {
      return lines.count() - 1;
    }
  }

  private static Path copyOfSample(Path target) throws IOException {
    Files.createDirectories(target);
    for (String sheet : List.of("customers.csv", "products.csv", "sales.csv")) {
      Files.copy(SAMPLE.resolve(sheet), target.resolve(sheet));
    }
    return target;
  }

  /** Copies a published output folder, keeping the `current` link a link. */
  static Path copyOfOutputs(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isSymbolicLink(path)) {
          Files.createSymbolicLink(copy, Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy);
        }
      }
    }
    return target;
  }

  /** Every file and link under a folder, with a digest of its content or its link target. */
  static Map<String, String> snapshot(Path folder) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.forEach(path -> entries.put(folder.relativize(path).toString(), describe(path)));
    }
    return entries;
  }

  private static String describe(Path path) {
    try {
      if (Files.isSymbolicLink(path)) {
        return "-> " + Files.readSymbolicLink(path);
      }
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        return "dir";
      }
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

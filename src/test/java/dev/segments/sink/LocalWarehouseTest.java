package dev.segments.sink;

import static dev.segments.sink.SampleRun.sale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWarehouseTest {
  private static final LocalDate MARCH = LocalDate.parse("2024-03-31");
  private static final LocalDate JUNE = LocalDate.parse("2024-06-30");
  private static final List<String> TABLES = List.of("customer_segments", "segment_profiles", "sales_enriched",
      "model_runs", "quarantine", "k_selection");

  @TempDir
  Path temp;
  Path out;

  @BeforeEach
  void outputFolderWithASpace() {
    // Spaces in the folder must survive Spark's paths and DuckDB's globs.
    out = temp.resolve("out folder");
  }

  private static SampleRun run(String runId, LocalDate date, int sales) {
    List<SampleRun.Sale> lines = Stream.iterate(1, i -> i + 1).limit(sales)
        .map(i -> sale(runId + "-p" + i, "c" + i, i % 2 == 0 ? "P1" : "P2", "2023-01-0" + (1 + i % 9), 10.0 * i,
            null, 30 + i, i % 2))
        .toList();
    return SampleRun.of(runId, date, lines, List.of());
  }

  private Path database() {
    return out.resolve("current").resolve(DuckDbSnapshot.FILE_NAME);
  }

  private Map<String, Long> salesRowsByDate() {
    Map<String, Long> rows = new TreeMap<>();
    DuckDbReader.query(database(), "SELECT run_date, COUNT(*) AS n FROM sales_enriched GROUP BY run_date")
        .forEach(r -> rows.put(r.get("run_date").toString(), ((Number) r.get("n")).longValue()));
    return rows;
  }

  private Set<String> versionFolders() throws IOException {
    try (Stream<Path> folders = Files.list(out.resolve("versions"))) {
      return folders.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void firstPublishLaysOutEveryTableViewAndFileBehindTheCurrentLink() throws IOException {
    new LocalWarehouse(out, LocalSpark.session()).publish(run("r1", MARCH, 3).outputs());

    assertTrue(Files.isSymbolicLink(out.resolve("current")));
    assertEquals(Path.of("versions", "r1"), Files.readSymbolicLink(out.resolve("current")));
    Path version = out.resolve("versions/r1");
    for (String table : TABLES) {
      Path partition = version.resolve(table).resolve("run_date=2024-03-31");
      try (Stream<Path> files = Files.list(partition)) {
        assertTrue(files.anyMatch(f -> f.toString().endsWith(".parquet")), table);
      }
    }
    assertEquals("<html>r1</html>", Files.readString(version.resolve("report.html"), StandardCharsets.UTF_8));
    assertTrue(Files.readString(version.resolve(PublishManifest.FILE_NAME)).contains("\"runId\" : \"r1\""));

    Set<String> objects = DuckDbReader.query(database(), "SELECT table_name FROM information_schema.tables").stream()
        .map(r -> (String) r.get("table_name")).collect(Collectors.toSet());
    assertTrue(objects.containsAll(TABLES), objects.toString());
    for (View view : ViewCatalog.load().views()) {
      assertTrue(objects.contains(view.name()), view.name());
      DuckDbReader.query(database(), "SELECT * FROM " + view.name());
    }
    assertEquals(Map.of("2024-03-31", 3L), salesRowsByDate());
    // No quarantined rows, yet the table is there with its columns.
    assertEquals(0, DuckDbReader.count(database(), "SELECT COUNT(*) FROM quarantine"));
    assertEquals(List.of("run_date", "run_id", "sheet", "row", "column", "value", "reason"),
        DuckDbReader.query(database(), "SELECT column_name FROM information_schema.columns "
            + "WHERE table_name = 'quarantine' ORDER BY ordinal_position").stream()
            .map(r -> (String) r.get("column_name")).toList());
  }

  @Test
  void anotherDateKeepsEarlierDatesAndARerunReplacesOnlyItsDateAndOldVersionsGo() throws IOException {
    LocalWarehouse warehouse = new LocalWarehouse(out, LocalSpark.session(), 2);
    warehouse.publish(run("r1", MARCH, 3).outputs());
    warehouse.publish(run("r2", JUNE, 5).outputs());
    assertEquals(Map.of("2024-03-31", 3L, "2024-06-30", 5L), salesRowsByDate());

    warehouse.publish(run("r3", JUNE, 2).outputs());
    assertEquals(Map.of("2024-03-31", 3L, "2024-06-30", 2L), salesRowsByDate());
    assertEquals(Set.of("r1", "r3"), DuckDbReader.query(database(), "SELECT DISTINCT run_id FROM customer_segments")
        .stream().map(r -> (String) r.get("run_id")).collect(Collectors.toSet()));
    // Two versions retained; March's files, written by r1, live on through their hard links.
    assertEquals(Set.of("r2", "r3"), versionFolders());
  }

  @Test
  void aFailingTableLeavesTheCurrentVersionAsItWas() throws IOException {
    LocalWarehouse warehouse = new LocalWarehouse(out, LocalSpark.session());
    warehouse.publish(run("r1", MARCH, 3).outputs());
    Map<String, Long> before = salesRowsByDate();

    UserDefinedFunction explode = functions.udf(
        (UDF1<Integer, Integer>) segment -> {
          throw new IllegalStateException("injected failure while computing segment " + segment);
        }, DataTypes.IntegerType);
    SampleRun failing = run("r2", JUNE, 4);
    Dataset<Row> sales = failing.outputs().tables().get("sales_enriched");
    Dataset<Row> broken = sales.withColumn("segment_id", explode.apply(sales.col("segment_id")));

    assertThrows(RuntimeException.class,
        () -> warehouse.publish(failing.outputs(Map.of("sales_enriched", broken))));

    assertEquals(Path.of("versions", "r1"), Files.readSymbolicLink(out.resolve("current")));
    assertEquals(before, salesRowsByDate());
    assertEquals(Set.of("r1"), versionFolders());
  }

  @Test
  void aHalfWrittenVersionFromAKilledRunIsIgnoredThenRemoved() throws IOException {
    LocalWarehouse warehouse = new LocalWarehouse(out, LocalSpark.session());
    warehouse.publish(run("r1", MARCH, 3).outputs());

    // What a run killed mid-write leaves: a version folder with partial files, no manifest, never linked.
    Path crashed = out.resolve("versions/r-killed/sales_enriched/run_date=2024-06-30");
    Files.createDirectories(crashed);
    Files.createFile(out.resolve("versions/r-killed").resolve(VersionFolders.MARKER));
    Files.write(crashed.resolve("part-00000.parquet"), new byte[] {'P', 'A', 'R', '1', 0, 0});
    assertEquals(Map.of("2024-03-31", 3L), salesRowsByDate());

    warehouse.publish(run("r2", JUNE, 4).outputs());
    assertEquals(Map.of("2024-03-31", 3L, "2024-06-30", 4L), salesRowsByDate());
    assertFalse(Files.exists(out.resolve("versions/r-killed")));
    assertEquals(Set.of("r1", "r2"), versionFolders());
  }

  @Test
  void aFolderNoRunMadeIsNeverDeletedAndDotRunIdsAreRefused() throws IOException {
    LocalWarehouse warehouse = new LocalWarehouse(out, LocalSpark.session());
    warehouse.publish(run("r1", MARCH, 3).outputs());
    Path usersFile = out.resolve("notes.txt");
    Files.writeString(usersFile, "mine");
    Path foreign = out.resolve("versions/r2");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("keep.txt"), "mine too");

    for (String runId : List.of(".", "..")) {
      assertThrows(IllegalArgumentException.class, () -> warehouse.publish(run(runId, JUNE, 4).outputs()), runId);
    }
    OutputFolderException refused =
        assertThrows(OutputFolderException.class, () -> warehouse.publish(run("r2", JUNE, 4).outputs()));
    assertTrue(refused.getMessage().contains("no run made it"), refused.getMessage());
    warehouse.publish(run("r3", JUNE, 4).outputs());

    assertEquals("mine", Files.readString(usersFile));
    assertEquals("mine too", Files.readString(foreign.resolve("keep.txt")));
    assertEquals(Set.of("r1", "r2", "r3"), versionFolders());
    assertEquals(Map.of("2024-03-31", 3L, "2024-06-30", 4L), salesRowsByDate());
  }

  @Test
  void aTableWithoutRunDateIsRejectedBeforeAnythingIsWritten() {
    SampleRun sample = run("r1", MARCH, 2);
    Dataset<Row> noRunDate = sample.outputs().tables().get("k_selection").drop("run_date");
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new LocalWarehouse(out, LocalSpark.session()).publish(sample.outputs(Map.of("k_selection", noRunDate))));
    assertTrue(error.getMessage().contains("k_selection"), error.getMessage());
    assertFalse(Files.exists(out.resolve("current")));
  }
}

package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.config.AlertSettings;
import dev.segments.config.ConfigException;
import dev.segments.report.NightChange;
import dev.segments.report.NightChanges;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The night's comparison with the one before on small hand-made nights whose answers can be counted by hand. */
class OvernightChangesTest {
  private static final StructType CUSTOMERS = new StructType()
      .add("customer_id", DataTypes.StringType)
      .add("segment_id", DataTypes.IntegerType)
      .add("income", DataTypes.DoubleType)
      .add("city", DataTypes.StringType);
  private static final StructType RUNS = new StructType()
      .add("run_date", DataTypes.DateType)
      .add("k", DataTypes.IntegerType)
      .add("cost", DataTypes.DoubleType)
      .add("silhouette", DataTypes.DoubleType)
      .add("rows_read", DataTypes.LongType)
      .add("rows_quarantined", DataTypes.LongType);
  private static final AlertSettings ALERTS = new AlertSettings(0.2, 0.25, 3.0, 0.005, 7, 0.02,
      List.of("moved_share"));

  /** 200 customers c0..c199: segment 1 for the first half, 2 for the rest; income 1000 + i; city by i mod 4. */
  private static List<Row> night(int movedToTwo, double incomeFactor, int incomeChanged) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int segment = i < 100 - movedToTwo ? 1 : 2;
      double income = (1000 + i) * (i < incomeChanged ? incomeFactor : 1);
      rows.add(RowFactory.create("c" + i, segment, income, List.of("Leeds", "York", "Hull", "Bath").get(i % 4)));
    }
    return rows;
  }

  private static Dataset<Row> frame(List<Row> rows) {
    return LocalSpark.session().createDataFrame(rows, CUSTOMERS);
  }

  private static Row run(String date, long read, long quarantined) {
    return new GenericRowWithSchema(new Object[] {java.sql.Date.valueOf(date), 2, 50.0, 0.4, read, quarantined},
        RUNS);
  }

  private static OvernightChanges.Tonight tonight(Dataset<Row> customers, long read, long quarantined) {
    return new OvernightChanges.Tonight(customers, List.of("income"), List.of("city"), read, quarantined, 2, 55.0,
        0.45);
  }

  private static double current(NightChanges changes, String kind, String subject, String metric) {
    return changes.find(kind, subject, metric).orElseThrow().current();
  }

  @Test
  void anUnchangedNightMovesNobodyAndShiftsNoFeature() {
    List<Row> rows = night(0, 1, 0);
    NightChanges changes = OvernightChanges.compute(tonight(frame(rows), 1000, 10),
        new OvernightChanges.Before(Optional.of(frame(rows)), List.of(run("2026-11-23", 1000, 10))), ALERTS);
    assertEquals(LocalDate.of(2026, 11, 23), changes.previousRunDate());
    assertEquals(0, current(changes, "segment", "all", "moved"));
    assertEquals(200, current(changes, "segment", "all", "returning"));
    assertEquals(0, current(changes, "segment", "all", "moved_share"));
    assertEquals(0, current(changes, "feature", "income", "psi"), 1e-12);
    assertEquals(0, current(changes, "feature", "city", "psi"), 1e-12);
    assertEquals(List.of(), changes.breaches());
    assertEquals(5.0, changes.find("model", "all", "cost").orElseThrow().change());
  }

  @Test
  void movesNewAndGoneCustomersAreCountedPerSegment() {
    List<Row> before = night(0, 1, 0);
    // Tonight: 30 customers move from segment 1 to 2, c0 and c1 are gone, c200 is new in segment 2.
    List<Row> after = new ArrayList<>(night(30, 1, 0).subList(2, 200));
    after.add(RowFactory.create("c200", 2, 1200.0, "Leeds"));
    NightChanges changes = OvernightChanges.compute(tonight(frame(after), 1000, 10),
        new OvernightChanges.Before(Optional.of(frame(before)), List.of()), ALERTS);
    assertEquals(100, changes.find("segment", "1", "customers").orElseThrow().previous());
    assertEquals(68, current(changes, "segment", "1", "customers"));
    assertEquals(30, current(changes, "segment", "1", "moved_out"));
    assertEquals(30, current(changes, "segment", "2", "moved_in"));
    assertEquals(2, current(changes, "segment", "1", "gone"));
    assertEquals(1, current(changes, "segment", "2", "new"));
    assertEquals(198, current(changes, "segment", "all", "returning"));
    assertEquals(30.0 / 198, current(changes, "segment", "all", "moved_share"), 1e-12);
    // 15 % of the returning customers moved: within max_moved_share 0.2.
    assertNull(changes.find("segment", "all", "moved_share").orElseThrow().alert());
    OvernightChanges.requireNotBlocked(changes, ALERTS, LocalDate.of(2026, 11, 24));
  }

  @Test
  void aBreachBlocksOnlyWhenItsAlertIsListed() {
    List<Row> before = night(0, 1, 0);
    NightChanges changes = OvernightChanges.compute(tonight(frame(night(60, 1, 0)), 1000, 10),
        new OvernightChanges.Before(Optional.of(frame(before)), List.of()), ALERTS);
    NightBlockedException blocked = assertThrows(NightBlockedException.class,
        () -> OvernightChanges.requireNotBlocked(changes, ALERTS, LocalDate.of(2026, 11, 24)));
    assertTrue(blocked.getMessage().contains("moved_share: moved_share 0.3 > 0.2"), blocked.getMessage());
    AlertSettings warnOnly = new AlertSettings(0.2, 0.25, 3.0, 0.005, 7, 0.02, List.of("psi"));
    OvernightChanges.requireNotBlocked(changes, warnOnly, LocalDate.of(2026, 11, 24));
    assertTrue(OvernightChanges.logBlock(changes, warnOnly).contains("WARNING moved_share: moved_share 0.3 > 0.2"),
        OvernightChanges.logBlock(changes, warnOnly));
  }

  @Test
  void tripledIncomesOfAThirdOfTheCustomersShiftTheIncomeDistribution() {
    NightChanges changes = OvernightChanges.compute(tonight(frame(night(0, 3, 60)), 1000, 10),
        new OvernightChanges.Before(Optional.of(frame(night(0, 1, 0))), List.of()), ALERTS);
    NightChange income = changes.find("feature", "income", "psi").orElseThrow();
    assertTrue(income.current() > 0.25, "PSI " + income.current());
    assertEquals("psi", income.alert());
    assertEquals(0, current(changes, "feature", "city", "psi"), 1e-12);
  }

  @Test
  void psiFollowsItsFormulaWithEmptyBinsAtEpsilon() {
    // Last night 50/50 over two bins, tonight 80/20: (0.8-0.5)ln(0.8/0.5) + (0.2-0.5)ln(0.2/0.5).
    assertEquals(0.3 * Math.log(1.6) + -0.3 * Math.log(0.4),
        OvernightChanges.psi(List.of(new long[] {50, 80}, new long[] {50, 20})), 1e-12);
    // A bin empty tonight counts as 1e-4.
    assertEquals((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(1 / 0.5),
        OvernightChanges.psi(List.of(new long[] {5, 0}, new long[] {5, 10})), 1e-12);
  }

  @Test
  void theFirstNightSaysThereIsNothingToCompareAndDoesNotFail() {
    NightChanges changes = OvernightChanges.compute(tonight(frame(night(0, 1, 0)), 1000, 10),
        new OvernightChanges.Before(Optional.empty(), List.of()), ALERTS);
    assertNull(changes.previousRunDate());
    assertNull(changes.find("segment", "all", "moved_share").orElseThrow().current());
    assertNull(changes.find("segment", "1", "customers").orElseThrow().previous());
    assertEquals(100, current(changes, "segment", "1", "customers"));
    assertNull(changes.find("feature", "income", "psi").orElseThrow().current());
    assertNull(changes.find("quarantine", "all", "jump").orElseThrow().current());
    assertNull(changes.find("model", "all", "cost").orElseThrow().previous());
    OvernightChanges.requireNotBlocked(changes, ALERTS, LocalDate.of(2026, 11, 24));
    Dataset<Row> table = OvernightChanges.toDataset(changes, LocalSpark.session());
    assertEquals(changes.rows().size(), table.count());
  }

  @Test
  void theQuarantineJumpIsAgainstTheMedianOfThePreviousNightsWithAFloor() {
    List<Row> rows = night(0, 1, 0);
    List<Row> runs = List.of(run("2026-11-20", 1000, 10), run("2026-11-21", 1000, 100), run("2026-11-22", 1000, 12),
        run("2026-11-23", 1000, 11));
    // Median of 1 %, 10 %, 1.2 %, 1.1 %: 1.15 %. Tonight 4 %: 3.48 times it.
    NightChanges jump = OvernightChanges.compute(tonight(frame(rows), 1000, 40),
        new OvernightChanges.Before(Optional.of(frame(rows)), runs), ALERTS);
    assertEquals(0.0115, jump.find("quarantine", "all", "rate").orElseThrow().previous(), 1e-12);
    assertEquals(0.04 / 0.0115, current(jump, "quarantine", "all", "jump"), 1e-9);
    assertEquals("quarantine_jump", jump.find("quarantine", "all", "jump").orElseThrow().alert());
    // After clean nights, 0.1 % is measured against the 0.5 % floor: no jump.
    NightChanges clean = OvernightChanges.compute(tonight(frame(rows), 1000, 1),
        new OvernightChanges.Before(Optional.of(frame(rows)), List.of(run("2026-11-23", 1000, 0))), ALERTS);
    assertEquals(0.2, current(clean, "quarantine", "all", "jump"), 1e-12);
    assertNull(clean.find("quarantine", "all", "jump").orElseThrow().alert());
  }

  @Test
  void blockOnNamesOnlyKnownAlerts() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> new AlertSettings(0.2, 0.25, 3.0, 0.005, 7, 0.02, List.of("moved")));
    assertTrue(error.getMessage().contains("alerts.block_on lists 'moved'"), error.getMessage());
  }
}

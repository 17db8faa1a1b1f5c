package dev.segments.report;

import dev.segments.analysis.KSelection;
import dev.segments.contract.SheetCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Report inputs for tests, shaped like a real run of the insurer's policy book; seeded, so every run is the same. */
final class SampleReports {
  private SampleReports() {}

  static final String HOSTILE_NAME = "Young <script>alert('x')</script> & \"urban\" {{data}}";
  static final int FAMD_POINTS = 3_000;
  static final int MONTHS = 24;
  static final YearMonth FIRST_MONTH = YearMonth.of(2024, 12);

  /** Five segments (one with a name that tries to inject markup), 3,000 FAMD points, 24 months, three bad reasons. */
  static ReportData realistic() {
    Random random = new Random(20261124L);
    List<SegmentInfo> segments = List.of(
        new SegmentInfo(0, "Established families", 1_840, 0.3067, 0.4120, "", Double.NaN),
        new SegmentInfo(1, HOSTILE_NAME, 1_210, 0.2017, 0.1180, "", Double.NaN),
        new SegmentInfo(2, "Retired savers", 1_105, 0.1842, 0.2310, "", Double.NaN),
        new SegmentInfo(3, "Small-business owners", 980, 0.1633, 0.1790, "", Double.NaN),
        new SegmentInfo(4, "Lapsed single-policy", 865, 0.1441, 0.0600, "", Double.NaN));
    double[][] centres = {{-1.8, 0.6}, {1.4, 1.9}, {0.3, -2.1}, {2.6, -0.4}, {-0.5, -0.2}};

    List<ScatterPoint> famd = new ArrayList<>(FAMD_POINTS);
    for (int i = 0; i < FAMD_POINTS; i++) {
      int segment = random.nextInt(segments.size());
      famd.add(new ScatterPoint(centres[segment][0] + random.nextGaussian() * 0.7,
          centres[segment][1] + random.nextGaussian() * 0.6, segment));
    }

    List<MonthlyPremium> premium = new ArrayList<>();
    for (int m = 0; m < MONTHS; m++) {
      for (SegmentInfo segment : segments) {
        double base = 40_000 * segment.revenueShare() * (1 + 0.15 * Math.sin(m / 2.0));
        premium.add(new MonthlyPremium(FIRST_MONTH.plusMonths(m), segment.id(), base * (0.9 + 0.2 * random.nextDouble())));
      }
    }

    List<String> features = List.of("Age", "Income", "Policies", "Total premium", "Mean premium / coverage",
        "Recency (days)", "Tenure (days)");
    double[][] z = new double[segments.size()][features.size()];
    double[][] means = new double[segments.size()][features.size()];
    double[] overallMean = {46, 52_000, 2.4, 3_100, 0.021, 210, 1_900};
    // Spreads small enough that a segment mean 2.5 standard deviations below average is still positive.
    double[] overallSd = {10, 16_000, 0.8, 1_000, 0.006, 70, 600};
    for (int s = 0; s < segments.size(); s++) {
      for (int f = 0; f < features.size(); f++) {
        z[s][f] = Math.max(-2.5, Math.min(2.5, random.nextGaussian() * 1.1));
        means[s][f] = overallMean[f] + z[s][f] * overallSd[f];
      }
    }
    ProfileHeatmap profile = new ProfileHeatmap(features, List.of(0, 1, 2, 3, 4), z, means);

    List<KSelection.KRow> kSelection = new ArrayList<>();
    double[] silhouettes = {0.31, 0.36, 0.39, 0.44, 0.41, 0.38, 0.35};
    for (int k = 2; k <= 8; k++) {
      kSelection.add(new KSelection.KRow(k, 48_000.0 / Math.pow(k, 0.8), silhouettes[k - 2], 0.9, k == 5,
          k == 5 ? "highest Gower silhouette" : "silhouette below the best"));
    }

    List<SheetCounts> sheets = List.of(
        new SheetCounts("customers", 6_000, 5_973, 27),
        new SheetCounts("products", 42, 42, 0),
        new SheetCounts("sales", 18_450, 18_391, 59));
    List<QuarantineReasonCount> quarantine = List.of(
        new QuarantineReasonCount("sales", "Purchase_Date", "date is after the run date", 31),
        new QuarantineReasonCount("sales", "Premium", "premium is not a positive amount", 28),
        new QuarantineReasonCount("customers", "Age", "age is outside 16-120", 27));

    RunSummary summary = new RunSummary("run-20261124-0200", LocalDate.of(2026, 11, 24),
        Instant.parse("2026-11-24T02:00:00Z"), "0.1.0", 5, 0.84, 21_310.5, 0.44, 17, 6_000, Duration.ofSeconds(192),
        sheets);
    return new ReportData(summary, kSelection, famd,
        new double[] {0.214, 0.137}, segments, profile, premium, quarantine, List.of(), NightChanges.none(), List.of());
  }

  /** The least a run can have: one k, one segment, nothing quarantined, no sales, no FAMD sample. */
  static ReportData sparse() {
    List<SegmentInfo> segments = List.of(new SegmentInfo(7, "Everyone", 12, 1.0, 1.0, "", Double.NaN));
    ProfileHeatmap profile = new ProfileHeatmap(List.of("Age"), List.of(7), new double[][] {{0}}, new double[][] {{40}});
    RunSummary summary = new RunSummary("run-sparse", LocalDate.of(2026, 1, 2), Instant.parse("2026-01-02T02:00:00Z"),
        "0.1.0", 1, 0.5, 3.0, Double.NaN, 1, 12, Duration.ofMillis(800),
        List.of(new SheetCounts("customers", 12, 12, 0)));
    return new ReportData(summary,
        List.of(new KSelection.KRow(1, 3.0, Double.NaN, Double.NaN, true, "the only k fitted")), List.of(), new double[0], segments, profile, List.of(),
        List.of(), List.of(), NightChanges.none(), List.of());
  }
}

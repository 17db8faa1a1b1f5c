package dev.segments.report;

import dev.segments.analysis.KSelection;
import dev.segments.cluster.ColumnScaling;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the HTML report shows about one run, in plain values: the analysis fills it, {@link HtmlReport}
 * renders it. Segment ids used anywhere in the tree must be among {@link #segments()}, so every chart can colour a
 * segment the same way.
 *
 * @param summary the run: which one, the chosen model and the rows read
 * @param kSelection the candidate k's tried, one of them chosen; may be empty when k was fixed by config
 * @param famd customers projected on the first two FAMD dimensions, already sampled to a few thousand
 * @param famdInertia share of inertia (0..1) explained by each FAMD dimension, first two at least when known
 * @param segments the segments of the chosen model, in display order
 * @param profile mean of each numeric feature per segment
 * @param premiumByMonth premium per segment and calendar month; months without sales may be absent
 * @param quarantine rows quarantined, grouped by sheet, column and reason; empty when none were
 * @param scaling how each numeric feature was scaled before clustering, in feature order
 * @param changes what changed since the previous night; {@link NightChanges#none()} when not compared
 * @param actions the action card of each segment, in display order; empty when the run has none
 */
public record ReportData(
    RunSummary summary,
    List<KSelection.KRow> kSelection,
    List<ScatterPoint> famd,
    double[] famdInertia,
    List<SegmentInfo> segments,
    ProfileHeatmap profile,
    List<MonthlyPremium> premiumByMonth,
    List<QuarantineReasonCount> quarantine,
    List<ColumnScaling> scaling,
    NightChanges changes,
    List<SegmentAction> actions) {

  public ReportData {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(changes, "changes");
    kSelection = List.copyOf(kSelection);
    famd = List.copyOf(famd);
    famdInertia = famdInertia.clone();
    segments = List.copyOf(segments);
    premiumByMonth = List.copyOf(premiumByMonth);
    quarantine = List.copyOf(quarantine);
    scaling = List.copyOf(scaling);
    actions = List.copyOf(actions);

    Set<Integer> ids = new HashSet<>();
    for (SegmentInfo segment : segments) {
      if (!ids.add(segment.id())) {
        throw new IllegalArgumentException("segment id " + segment.id() + " is listed twice in the report's segments");
      }
    }
    for (ScatterPoint point : famd) {
      requireKnown(ids, point.segmentId(), "FAMD point");
    }
    for (int id : profile.segmentIds()) {
      requireKnown(ids, id, "profile row");
    }
    for (MonthlyPremium premium : premiumByMonth) {
      requireKnown(ids, premium.segmentId(), "premium of " + premium.month());
    }
    for (SegmentAction action : actions) {
      requireKnown(ids, action.segmentId(), "action card");
    }
  }

  @Override
  public double[] famdInertia() {
    return famdInertia.clone();
  }

  private static void requireKnown(Set<Integer> ids, int segmentId, String where) {
    if (!ids.contains(segmentId)) {
      throw new IllegalArgumentException(where + " names segment " + segmentId + ", which is not among the report's "
          + "segments " + ids);
    }
  }
}

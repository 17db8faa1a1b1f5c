package dev.segments.config;

import dev.segments.analysis.KSelection;

/**
 * The {@code analysis} section of the config.
 *
 * @param minSegmentShare a k whose smallest segment holds less of the customers is not chosen ({@link KSelection})
 * @param borderlineConfidence a customer whose confidence is below this is borderline (README, "Segments")
 * @param crossSellMinLift a product type is offered to a segment only when its holders are at least this many times
 *     as common in the segment as among all customers
 * @param crossSellMinShare ... and when at least this share of the segment holds it
 */
public record AnalysisSettings(int silhouetteSample, double silhouetteTolerance, double minStability,
    double stabilityMargin, int reportPoints, double minSegmentShare, double borderlineConfidence,
    double crossSellMinLift, double crossSellMinShare) {

  public AnalysisSettings {
    if (silhouetteSample < 10) {
      throw new ConfigException("analysis.silhouette_sample must be at least 10, got " + silhouetteSample);
    }
    if (!(silhouetteTolerance >= 0)) {
      throw new ConfigException("analysis.silhouette_tolerance must be at least 0");
    }
    if (!(minStability >= -1 && minStability <= 1)) {
      throw new ConfigException("analysis.min_stability must be within -1..1 (an adjusted Rand index), got "
          + minStability);
    }
    if (!(stabilityMargin >= 0)) {
      throw new ConfigException("analysis.stability_margin must be at least 0, got " + stabilityMargin);
    }
    if (reportPoints < 0) {
      throw new ConfigException("analysis.report_points must be at least 0");
    }
    if (!(minSegmentShare >= 0 && minSegmentShare < 1)) {
      throw new ConfigException("analysis.min_segment_share must be within 0..1 (0 = no minimum), got "
          + minSegmentShare);
    }
    if (!(borderlineConfidence >= 0 && borderlineConfidence <= 1)) {
      throw new ConfigException("analysis.borderline_confidence must be within 0..1, got " + borderlineConfidence);
    }
    if (!(crossSellMinLift >= 1 && Double.isFinite(crossSellMinLift))) {
      throw new ConfigException("analysis.cross_sell_min_lift must be a finite number of at least 1 (a lift below 1 "
          + "is a product the segment holds less than everyone), got " + crossSellMinLift);
    }
    if (!(crossSellMinShare > 0 && crossSellMinShare <= 1)) {
      throw new ConfigException("analysis.cross_sell_min_share must be within (0, 1], got " + crossSellMinShare);
    }
  }

  /** The rule that chooses k. */
  public KSelection.Rules rules() {
    return new KSelection.Rules(silhouetteTolerance, minStability, stabilityMargin, minSegmentShare);
  }
}

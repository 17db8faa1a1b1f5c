package dev.segments.config;

import dev.segments.analysis.KSelection;

/**
 * The {@code analysis} section of the config.
 *
 * @param minSegmentShare a k whose smallest segment holds less of the customers is not chosen ({@link KSelection})
 * @param borderlineConfidence a customer whose confidence is below this is borderline (README, "Segments")
 */
public record AnalysisSettings(int silhouetteSample, double silhouetteTolerance, double minStability,
    double stabilityMargin, int reportPoints, double minSegmentShare, double borderlineConfidence) {

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
  }

  /** The rule that chooses k. */
  public KSelection.Rules rules() {
    return new KSelection.Rules(silhouetteTolerance, minStability, stabilityMargin, minSegmentShare);
  }
}

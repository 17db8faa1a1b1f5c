package dev.segments.config;

import dev.segments.analysis.KSelection;

/** The {@code analysis} section of the config. */
public record AnalysisSettings(int silhouetteSample, double silhouetteTolerance, double minStability,
    double stabilityMargin, int reportPoints) {

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
  }

  /** The rule that chooses k. */
  public KSelection.Rules rules() {
    return new KSelection.Rules(silhouetteTolerance, minStability, stabilityMargin);
  }
}

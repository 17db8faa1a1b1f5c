package dev.segments.cli;

/** The {@code analysis} section of the config. */
public record AnalysisSettings(int silhouetteSample, double silhouetteTolerance, int reportPoints) {

  public AnalysisSettings {
    if (silhouetteSample < 10) {
      throw new ConfigException("analysis.silhouette_sample must be at least 10, got " + silhouetteSample);
    }
    if (!(silhouetteTolerance >= 0)) {
      throw new ConfigException("analysis.silhouette_tolerance must be at least 0");
    }
    if (reportPoints < 0) {
      throw new ConfigException("analysis.report_points must be at least 0");
    }
  }
}

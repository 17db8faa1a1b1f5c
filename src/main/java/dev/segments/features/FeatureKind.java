package dev.segments.features;

/** How the clustering treats a feature: a number (scaled, Euclidean distance) or a category (mismatch count). */
public enum FeatureKind {
  /** A double in the feature table. */
  NUMERIC,
  /** A string in the feature table. */
  CATEGORICAL
}

package dev.segments.report;

/**
 * One candidate k tried during k selection.
 *
 * @param silhouette mean silhouette at this k; {@code NaN} when not computed
 * @param chosen whether this k is the one the run kept
 */
public record KPoint(int k, double cost, double silhouette, boolean chosen) {}

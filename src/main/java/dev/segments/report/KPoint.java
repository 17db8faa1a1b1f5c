package dev.segments.report;

/**
 * One candidate k tried during k selection.
 *
 * @param silhouette mean silhouette at this k; {@code NaN} when not computed
 * @param stability agreement (adjusted Rand index) between this k's fits from different seeds; {@code NaN} when not
 *     measured
 * @param chosen whether this k is the one the run kept
 * @param reason why this k was or was not chosen
 */
public record KPoint(int k, double cost, double silhouette, double stability, boolean chosen, String reason) {}

package dev.segments.report;

import java.util.Objects;

/**
 * How one numeric feature was scaled before clustering.
 *
 * @param method e.g. {@code yeo-johnson + zscore} or {@code zscore}
 * @param lambda the Yeo-Johnson λ, NaN when the feature was not transformed
 * @param skewBefore the feature's skewness on the customers clustered
 * @param skewAfter its skewness after the transform (the same when not transformed)
 */
public record ScalingRow(String feature, String method, double lambda, double skewBefore, double skewAfter) {
  public ScalingRow {
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(method, "method");
  }
}

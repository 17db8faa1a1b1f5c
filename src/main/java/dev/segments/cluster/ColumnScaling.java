package dev.segments.cluster;

import java.util.Objects;

/**
 * What a model does to one numeric column before distances: its skewness on the training data, the Yeo-Johnson λ
 * when the column was transformed (NaN otherwise), the skewness after that transform, and the affine step.
 *
 * @param method {@code yeo-johnson + zscore}, {@code yeo-johnson + minmax}, {@code zscore}, {@code minmax} or
 *     {@code none}
 */
public record ColumnScaling(String feature, String method, double lambda, double skewBefore, double skewAfter) {
  public ColumnScaling {
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(method, "method");
  }

  public boolean transformed() {
    return !Double.isNaN(lambda);
  }
}

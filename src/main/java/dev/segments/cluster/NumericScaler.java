package dev.segments.cluster;

import java.io.Serializable;

/**
 * The map from original numeric units to the scaled axes the distance is taken on: an optional Yeo-Johnson transform
 * ({@code lambda[f]} NaN when none), then (t(x) − shift) / divisor. The skewness of each column before and after
 * (on the training data) is kept for the log, the report and the saved model, and the transformed column's
 * standard deviation for Huang's gamma.
 *
 * @param scaling the {@link Scaling} it was made by, by name
 */
record NumericScaler(String scaling, double[] lambda, double[] shift, double[] divisor, double[] transformedStddev,
                     double[] skewBefore, double[] skewAfter) implements Serializable {

  boolean transformed(int feature) {
    return !Double.isNaN(lambda[feature]);
  }

  double scaled(int feature, double value) {
    double t = transformed(feature) ? YeoJohnson.transform(value, lambda[feature]) : value;
    return (t - shift[feature]) / divisor[feature];
  }

  double original(int feature, double scaledValue) {
    double t = scaledValue * divisor[feature] + shift[feature];
    return transformed(feature) ? YeoJohnson.inverse(t, lambda[feature]) : t;
  }

  /**
   * Standard deviation on the scaled axis of a feature with this original standard deviation; for a transformed
   * column, the transformed column's standard deviation, kept at fit time.
   */
  double scaledStddev(int feature, double stddev) {
    return transformed(feature) ? transformedStddev[feature] / divisor[feature] : stddev / divisor[feature];
  }
}

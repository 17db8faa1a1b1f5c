package dev.segments.cluster;

import java.io.Serializable;

/** The affine map from original numeric units to the scaled axes the distance is taken on: (x − shift) / divisor. */
record NumericScaler(double[] shift, double[] divisor) implements Serializable {

  double scaled(int feature, double value) {
    return (value - shift[feature]) / divisor[feature];
  }

  double original(int feature, double scaledValue) {
    return scaledValue * divisor[feature] + shift[feature];
  }

  /** Standard deviation on the scaled axis of a feature with this original standard deviation. */
  double scaledStddev(int feature, double stddev) {
    return stddev / divisor[feature];
  }
}

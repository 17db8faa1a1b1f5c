package dev.segments.cluster;

import java.util.Locale;

/** How numeric features are put on comparable axes before distances are taken. */
enum Scaling {
  /** (x − mean) / population standard deviation. */
  ZSCORE,
  /** (x − min) / (max − min). */
  MINMAX,
  /** Values used as they are. */
  NONE;

  static final String[] NAMES = {"zscore", "minmax", "none"};

  static Scaling of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The scaler for columns with these statistics; a constant column is shifted but not divided. */
  NumericScaler scalerFor(FeatureStatistics stats) {
    int d = stats.means().length;
    double[] shift = new double[d];
    double[] divisor = new double[d];
    for (int f = 0; f < d; f++) {
      double spread = switch (this) {
        case ZSCORE -> stats.stddevs()[f];
        case MINMAX -> stats.maxima()[f] - stats.minima()[f];
        case NONE -> 1.0;
      };
      shift[f] = switch (this) {
        case ZSCORE -> stats.means()[f];
        case MINMAX -> stats.minima()[f];
        case NONE -> 0.0;
      };
      divisor[f] = spread > 0 ? spread : 1.0;
    }
    return new NumericScaler(shift, divisor);
  }
}

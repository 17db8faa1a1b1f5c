package dev.segments.cluster;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * The Yeo-Johnson power transform (Yeo and Johnson 2000, "A new family of power transformations to improve normality
 * or symmetry", Biometrika 87(4)): Box-Cox extended to zero and negative values. For x ≥ 0 it is
 * ((x + 1)^λ − 1) / λ (log1p(x) at λ = 0); for x &lt; 0, −((1 − x)^(2 − λ) − 1) / (2 − λ) (−log1p(−x) at λ = 2). It
 * is monotone in x for every λ, so it keeps the order of customers and can be inverted. λ is fitted by maximum
 * likelihood, as scikit-learn's {@code PowerTransformer} and scipy's {@code stats.yeojohnson} do.
 */
final class YeoJohnson {
  private YeoJohnson() {}

  /** The search interval for λ; scipy's optimiser is unbounded, but estimates outside it are rare and unstable. */
  static final double LAMBDA_MIN = -4;
  static final double LAMBDA_MAX = 4;
  private static final double EPS = 1e-12;

  static double transform(double x, double lambda) {
    if (x >= 0) {
      return Math.abs(lambda) < EPS ? Math.log1p(x) : (Math.pow(x + 1, lambda) - 1) / lambda;
    }
    return Math.abs(lambda - 2) < EPS ? -Math.log1p(-x) : -(Math.pow(1 - x, 2 - lambda) - 1) / (2 - lambda);
  }

  /** The inverse of {@link #transform}; values beyond the transform's range map to its limit. */
  static double inverse(double y, double lambda) {
    if (y >= 0) {
      return Math.abs(lambda) < EPS ? Math.expm1(y) : Math.pow(Math.max(0, lambda * y + 1), 1 / lambda) - 1;
    }
    return Math.abs(lambda - 2) < EPS ? -Math.expm1(-y)
        : 1 - Math.pow(Math.max(0, 1 - (2 - lambda) * y), 1 / (2 - lambda));
  }

  /** The same transform as a Spark column expression, for one aggregation pass over the input. */
  static Column transform(Column x, double lambda) {
    Column positive = Math.abs(lambda) < EPS ? log1p(x) : pow(x.plus(1), lambda).minus(1).divide(lambda);
    Column negative = Math.abs(lambda - 2) < EPS ? negate(log1p(negate(x)))
        : negate(pow(lit(1).minus(x), 2 - lambda).minus(1).divide(2 - lambda));
    return when(x.geq(0), positive).otherwise(negative);
  }

  /**
   * The λ that maximises the profile log-likelihood of a normal model for the transformed values,
   * −n/2 · ln σ²(λ) + (λ − 1) · Σ sign(x) ln(|x| + 1) (Yeo and Johnson 2000, section 3), by golden-section search
   * on [{@value #LAMBDA_MIN}, {@value #LAMBDA_MAX}].
   */
  static double fitLambda(double[] values) {
    double jacobian = 0;
    for (double x : values) {
      jacobian += Math.signum(x) * Math.log1p(Math.abs(x));
    }
    double a = LAMBDA_MIN;
    double b = LAMBDA_MAX;
    double ratio = (Math.sqrt(5) - 1) / 2;
    double c = b - ratio * (b - a);
    double d = a + ratio * (b - a);
    double fc = logLikelihood(values, c, jacobian);
    double fd = logLikelihood(values, d, jacobian);
    while (b - a > 1e-6) {
      if (fc > fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - ratio * (b - a);
        fc = logLikelihood(values, c, jacobian);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + ratio * (b - a);
        fd = logLikelihood(values, d, jacobian);
      }
    }
    return (a + b) / 2;
  }

  static double logLikelihood(double[] values, double lambda, double jacobian) {
    double mean = 0;
    for (double x : values) {
      mean += transform(x, lambda);
    }
    mean /= values.length;
    double variance = 0;
    for (double x : values) {
      double deviation = transform(x, lambda) - mean;
      variance += deviation * deviation;
    }
    variance /= values.length;
    if (!(variance > 0) || Double.isInfinite(variance)) {
      return Double.NEGATIVE_INFINITY;
    }
    return -values.length / 2.0 * Math.log(variance) + (lambda - 1) * jacobian;
  }
}

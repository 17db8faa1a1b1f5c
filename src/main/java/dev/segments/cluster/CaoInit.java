package dev.segments.cluster;

/**
 * Cao, Liang and Bai (2009): the first prototype is the densest row (the mean frequency of its categories), or, for
 * the starts after the first, a row drawn with probability proportional to its density, since the densest row would
 * make every start the same; each next one maximises density × distance to the nearest prototype chosen so far.
 * For the starts after the first, the numeric part of each prototype is then drawn around the sample's mean with its
 * standard deviation, as Python kmodes' k-prototypes does for every start (its {@code init_centroids}: Cao for the
 * categories, mean + N(0, 1) × sd for the numbers), so the starts differ where the numbers matter too. The numeric part of
 * a prototype is its row's values, and the distance is the full K-Prototypes distance; without categorical features
 * every row has the same density and this becomes farthest-first traversal. Works on the driver sample.
 */
final class CaoInit {
  /** The {@code firstDraw} that takes the densest row first, as Cao et al. do. */
  static final Long DENSEST_FIRST = null;

  private CaoInit() {}

  /** @param firstDraw the seed of the density-weighted draw of the first prototype, or {@link #DENSEST_FIRST} */
  static Prototypes choose(FeatureBlock sample, int k, double gamma, int[] cardinalities, Long firstDraw) {
    int d = sample.numeric;
    int c = sample.categorical;
    double[][] frequencies = CategoryFrequencies.of(sample, cardinalities);
    double[] density = new double[sample.size];
    int first = 0;
    for (int i = 0; i < sample.size; i++) {
      double sum = 0;
      for (int f = 0; f < c; f++) {
        sum += frequencies[f][sample.codes[i * c + f]];
      }
      density[i] = c == 0 ? 1.0 : sum / (c * (double) sample.size);
      if (density[i] > density[first]) {
        first = i;
      }
    }
    if (firstDraw != null) {
      first = drawByDensity(density, new java.util.Random(firstDraw));
    }
    int[] chosen = new int[k];
    chosen[0] = first;
    double[] nearest = new double[sample.size];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int j = 1; j < k; j++) {
      Prototypes last = DriverSample.prototypesOf(sample, new int[] {chosen[j - 1]}, gamma);
      int next = -1;
      double best = 0;
      for (int i = 0; i < sample.size; i++) {
        nearest[i] = Math.min(nearest[i], last.distance(sample.values, i * d, sample.codes, i * c, 0));
        double score = density[i] * nearest[i];
        if (score > best) {
          best = score;
          next = i;
        }
      }
      if (next < 0) {
        throw DriverSample.fewerDistinct(k, j, sample.size);
      }
      chosen[j] = next;
    }
    Prototypes rows = DriverSample.prototypesOf(sample, chosen, gamma);
    return firstDraw == null ? rows : withNumericDrawn(rows, sample, new java.util.Random(firstDraw ^ 0x5DEECE66DL));
  }

  private static Prototypes withNumericDrawn(Prototypes rows, FeatureBlock sample, java.util.Random random) {
    int d = sample.numeric;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int i = 0; i < sample.size; i++) {
      for (int f = 0; f < d; f++) {
        mean[f] += sample.values[i * d + f] / sample.size;
      }
    }
    for (int i = 0; i < sample.size; i++) {
      for (int f = 0; f < d; f++) {
        double diff = sample.values[i * d + f] - mean[f];
        sd[f] += diff * diff / sample.size;
      }
    }
    double[] centers = new double[rows.k * d];
    for (int j = 0; j < rows.k; j++) {
      for (int f = 0; f < d; f++) {
        centers[j * d + f] = mean[f] + random.nextGaussian() * Math.sqrt(sd[f]);
      }
    }
    return new Prototypes(rows.k, d, rows.categorical, rows.gamma, centers, rows.modes);
  }

  private static int drawByDensity(double[] density, java.util.Random random) {
    double total = 0;
    for (double d : density) {
      total += d;
    }
    double target = random.nextDouble() * total;
    for (int i = 0; i < density.length; i++) {
      target -= density[i];
      if (target < 0) {
        return i;
      }
    }
    return density.length - 1;
  }
}

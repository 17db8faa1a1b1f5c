package dev.segments.cluster;

/** How often each code of each categorical feature occurs in a set of rows. */
final class CategoryFrequencies {
  private CategoryFrequencies() {}

  static double[][] of(FeatureBlock rows, int[] cardinalities) {
    int c = rows.categorical;
    double[][] counts = new double[c][];
    for (int f = 0; f < c; f++) {
      counts[f] = new double[cardinalities[f]];
    }
    for (int i = 0; i < rows.size; i++) {
      for (int f = 0; f < c; f++) {
        counts[f][rows.codes[i * c + f]] += rows.weight(i);
      }
    }
    return counts;
  }
}

package dev.segments.config;

import dev.segments.cluster.KPrototypes;
import java.time.Clock;
import java.util.List;

/**
 * The {@code clustering} section of the config.
 *
 * @param k the number of segments, or null to choose it within {@code kMin..kMax}
 * @param gamma the weight of a categorical mismatch, or null for Huang's rule
 * @param maxLevels a categorical feature with more distinct values is left out of the clustering
 * @param maxLevelShare so is one with more distinct values than this share of the customers
 * @param maxCorrelation of two numeric features whose correlation (|Pearson r| over the customers) is above this, the
 *     later is left out of the clustering
 * @param warmStartMargin the previous night's segments, one more start of their k, are kept unless a seeded start ends
 *     cheaper by more than this share of their cost
 */
public record ClusteringSettings(
    Integer k,
    int kMin,
    int kMax,
    String init,
    int initSteps,
    int numInits,
    int maxIter,
    double tol,
    long seed,
    Double gamma,
    String scaling,
    int maxLevels,
    double maxLevelShare,
    int stabilityStarts,
    double maxCorrelation,
    double warmStartMargin) {

  public ClusteringSettings {
    if (k != null && k < 1) {
      throw new ConfigException("clustering.k must be auto or at least 1, got " + k);
    }
    if (kMin < 2 || kMax < kMin) {
      throw new ConfigException("clustering.k_min must be at least 2 and k_max at least k_min, got "
          + kMin + ".." + kMax);
    }
    if (!KPrototypes.INIT_MODES.contains(init)) {
      throw new ConfigException("clustering.init must be one of " + KPrototypes.INIT_MODES + ", got '" + init + "'");
    }
    if (!KPrototypes.SCALINGS.contains(scaling)) {
      throw new ConfigException("clustering.scaling must be one of " + KPrototypes.SCALINGS + ", got '" + scaling
          + "'");
    }
    if (numInits < 1 || maxIter < 1 || initSteps < 1 || stabilityStarts < 1) {
      throw new ConfigException("clustering.num_inits, max_iter, init_steps and stability_starts must be at least 1");
    }
    if (!(tol >= 0)) {
      throw new ConfigException("clustering.tol must be at least 0, got " + tol);
    }
    if (maxLevels < 2 || !(maxLevelShare > 0 && maxLevelShare <= 1)) {
      throw new ConfigException("clustering.max_levels must be at least 2 and max_level_share within (0, 1], got "
          + maxLevels + " and " + maxLevelShare);
    }
    if (!(maxCorrelation > 0 && maxCorrelation <= 1)) {
      throw new ConfigException("clustering.max_correlation must be within (0, 1] (1 keeps every feature), got "
          + maxCorrelation);
    }
    if (!(warmStartMargin >= 0 && warmStartMargin < 1)) {
      throw new ConfigException("clustering.warm_start_margin must be within [0, 1), got " + warmStartMargin);
    }
    if (gamma != null && !(gamma >= 0)) {
      throw new ConfigException("clustering.gamma must be auto or at least 0, got " + gamma);
    }
  }

  /** The clustering section of the bundled defaults. */
  public static ClusteringSettings defaults() {
    return ConfigLoader.load(ConfigLoader.tree(null, List.of()), Clock.systemUTC()).clustering();
  }

  /**
   * The estimator these settings describe, on the given feature columns: the night's k search, and the benches that
   * measure it, fit with it. The fixed k is set when there is one ({@link KPrototypes#fitRange} ignores it).
   */
  public KPrototypes estimator(List<String> numeric, List<String> categorical) {
    KPrototypes estimator = new KPrototypes()
        .setSeed(seed)
        .setInitMode(init)
        .setInitSteps(initSteps)
        .setNumInits(numInits)
        .setStabilityStarts(stabilityStarts)
        .setWarmStartMargin(warmStartMargin)
        .setMaxIter(maxIter)
        .setTol(tol)
        .setScaling(scaling)
        .setNumericCols(numeric.toArray(String[]::new))
        .setCategoricalCols(categorical.toArray(String[]::new));
    if (k != null) {
      estimator.setK(k);
    }
    if (gamma != null) {
      estimator.setGamma(gamma);
    }
    return estimator;
  }

  /** The values of k to fit: the fixed k, or the configured range. */
  public int[] candidateKs() {
    if (k != null) {
      return new int[] {k};
    }
    int[] ks = new int[kMax - kMin + 1];
    for (int i = 0; i < ks.length; i++) {
      ks[i] = kMin + i;
    }
    return ks;
  }
}

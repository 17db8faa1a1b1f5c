package dev.segments.cluster;

import java.io.Serializable;

/**
 * One run's sufficient statistics from one pass: cost, rows and weight per cluster, weighted numeric sums and
 * weighted category counts (flat: cluster × all categories of all features), plus the farthest rows of positive
 * weight for empty clusters. Everything is additive, so partitions are merged in any order.
 */
final class ClusterStats implements Serializable {
  private static final long serialVersionUID = 1L;

  final int k;
  final int numeric;
  final int categorical;
  /** Start of each categorical feature's codes in a cluster's slice of {@link #categoryWeights}. */
  final int[] offsets;
  final int categories;
  double cost;
  final long[] rows;
  final double[] weights;
  final double[] sums;
  final double[] categoryWeights;
  final FarthestRows farthest;
  /** Per cluster, the cost of its rows, and its row farthest from the prototype (a split point for a larger k). */
  final double[] clusterCosts;
  final FarthestRows[] farthestInCluster;
  /** A hint is an unsigned byte. */
  static final int MAX_HINTED_K = 256;

  ClusterStats(int k, int numeric, int[] cardinalities) {
    this.k = k;
    this.numeric = numeric;
    this.categorical = cardinalities.length;
    this.offsets = new int[categorical];
    int total = 0;
    for (int f = 0; f < categorical; f++) {
      offsets[f] = total;
      total += cardinalities[f];
    }
    this.categories = total;
    this.rows = new long[k];
    this.weights = new double[k];
    this.sums = new double[k * numeric];
    this.categoryWeights = new double[k * total];
    this.farthest = new FarthestRows(k, numeric, categorical);
    this.clusterCosts = new double[k];
    this.farthestInCluster = new FarthestRows[k];
    for (int j = 0; j < k; j++) {
      farthestInCluster[j] = new FarthestRows(1, numeric, categorical);
    }
  }

  void add(FeatureBlock block, Prototypes prototypes) {
    add(block, prototypes, -1);
  }

  /**
   * @param slot the block's hint slot of this run ({@link FeatureBlock#hints}), or -1 to neither read nor write hints
   */
  void add(FeatureBlock block, Prototypes prototypes, int slot) {
    NearestPrototype nearest = new NearestPrototype(prototypes);
    double[] values = block.values;
    int[] codes = block.codes;
    byte[] hints = slot >= 0 && slot < block.hintSlots && k <= MAX_HINTED_K ? block.hints : null;
    int hintBase = hints == null ? 0 : slot * block.size;
    for (int i = 0; i < block.size; i++) {
      int valueOffset = i * numeric;
      int codeOffset = i * categorical;
      int hint = hints == null ? 0 : Byte.toUnsignedInt(hints[hintBase + i]);
      int j = nearest.find(values, valueOffset, block.norms[i], codes, codeOffset, hint < k ? hint : 0);
      if (hints != null) {
        hints[hintBase + i] = (byte) j;
      }
      double distance = nearest.distance();
      double w = block.weight(i);
      cost += w * distance;
      clusterCosts[j] += w * distance;
      farthestInCluster[j].offer(distance, values, valueOffset, codes, codeOffset);
      rows[j]++;
      weights[j] += w;
      for (int f = 0, s = j * numeric; f < numeric; f++, s++) {
        sums[s] += w * values[valueOffset + f];
      }
      int base = j * categories;
      for (int f = 0; f < categorical; f++) {
        categoryWeights[base + offsets[f] + codes[codeOffset + f]] += w;
      }
      // A row that weighs nothing cannot hold a cluster: re-seeded at it, an empty cluster would stay empty.
      if (w > 0) {
        farthest.offer(distance, values, valueOffset, codes, codeOffset);
      }
    }
  }

  ClusterStats merge(ClusterStats other) {
    cost += other.cost;
    for (int j = 0; j < k; j++) {
      rows[j] += other.rows[j];
      weights[j] += other.weights[j];
      clusterCosts[j] += other.clusterCosts[j];
      farthestInCluster[j].merge(other.farthestInCluster[j]);
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.sums[i];
    }
    for (int i = 0; i < categoryWeights.length; i++) {
      categoryWeights[i] += other.categoryWeights[i];
    }
    farthest.merge(other.farthest);
    return this;
  }

  /** The mode of feature {@code f} in cluster {@code j}: the heaviest code, the lowest code on a tie. */
  private int mode(int j, int f, int cardinality) {
    int base = j * categories + offsets[f];
    int best = 0;
    for (int code = 1; code < cardinality; code++) {
      if (categoryWeights[base + code] > categoryWeights[base + best]) {
        best = code;
      }
    }
    return best;
  }

  /**
   * The prototypes plus one more: the row farthest from its prototype in the cluster that costs the most (the widest
   * segment, split in two), or null when every row sits on its prototype. Adding a prototype can only lower each
   * row's distance to its nearest, so Lloyd from these starts ends at a cost no higher than these statistics'.
   */
  Prototypes withWidestSplit(Prototypes current) {
    int widest = -1;
    for (int j = 0; j < k; j++) {
      if (farthestInCluster[j].count > 0 && farthestInCluster[j].distances[0] > 0
          && (widest < 0 || clusterCosts[j] > clusterCosts[widest])) {
        widest = j;
      }
    }
    if (widest < 0) {
      return null;
    }
    FarthestRows split = farthestInCluster[widest];
    double[] centers = java.util.Arrays.copyOf(current.centers, (k + 1) * numeric);
    int[] modes = java.util.Arrays.copyOf(current.modes, (k + 1) * categorical);
    System.arraycopy(split.values, 0, centers, k * numeric, numeric);
    System.arraycopy(split.codes, 0, modes, k * categorical, categorical);
    return new Prototypes(k + 1, numeric, categorical, current.gamma, centers, modes);
  }

  int emptyClusters() {
    int empty = 0;
    for (int j = 0; j < k; j++) {
      if (weights[j] == 0) {
        empty++;
      }
    }
    return empty;
  }

  /**
   * New means and modes from these statistics; an empty cluster takes the next row farthest from its prototype, or
   * keeps its prototype when no such row is left.
   */
  Prototypes nextPrototypes(Prototypes old) {
    double[] centers = new double[k * numeric];
    int[] modes = new int[k * categorical];
    int nextFarthest = 0;
    for (int j = 0; j < k; j++) {
      if (weights[j] > 0) {
        for (int f = 0; f < numeric; f++) {
          centers[j * numeric + f] = sums[j * numeric + f] / weights[j];
        }
        for (int f = 0; f < categorical; f++) {
          int cardinality = (f + 1 < categorical ? offsets[f + 1] : categories) - offsets[f];
          modes[j * categorical + f] = mode(j, f, cardinality);
        }
      } else if (nextFarthest < farthest.count) {
        System.arraycopy(farthest.values, nextFarthest * numeric, centers, j * numeric, numeric);
        System.arraycopy(farthest.codes, nextFarthest * categorical, modes, j * categorical, categorical);
        nextFarthest++;
      } else {
        System.arraycopy(old.centers, j * numeric, centers, j * numeric, numeric);
        System.arraycopy(old.modes, j * categorical, modes, j * categorical, categorical);
      }
    }
    return new Prototypes(k, numeric, categorical, old.gamma, centers, modes);
  }
}

package dev.segments.cluster;

import java.io.Serializable;

/** The statistics of every run still iterating, gathered in one pass over the blocks. */
final class PassStats implements Serializable {
  private static final long serialVersionUID = 1L;

  final ClusterStats[] runs;

  /** @param prototypes each run's prototypes: the runs may differ in k (the k search advances every k together) */
  PassStats(Prototypes[] prototypes, int[] cardinalities) {
    this.runs = new ClusterStats[prototypes.length];
    for (int r = 0; r < runs.length; r++) {
      this.runs[r] = new ClusterStats(prototypes[r].k, prototypes[r].numeric, cardinalities);
    }
  }

  /** @param slots each run's hint slot in the blocks ({@link FeatureBlock#hints}) */
  PassStats add(FeatureBlock block, Prototypes[] prototypes, int[] slots) {
    for (int r = 0; r < runs.length; r++) {
      runs[r].add(block, prototypes[r], slots[r]);
    }
    return this;
  }

  PassStats merge(PassStats other) {
    for (int r = 0; r < runs.length; r++) {
      runs[r].merge(other.runs[r]);
    }
    return this;
  }
}

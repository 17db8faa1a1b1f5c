package dev.segments.cluster;

import java.io.Serializable;

/** The statistics of every run still iterating, gathered in one pass over the blocks. */
final class PassStats implements Serializable {
  private static final long serialVersionUID = 1L;

  final ClusterStats[] runs;

  PassStats(int runs, int k, int numeric, int[] cardinalities) {
    this.runs = new ClusterStats[runs];
    for (int r = 0; r < runs; r++) {
      this.runs[r] = new ClusterStats(k, numeric, cardinalities);
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

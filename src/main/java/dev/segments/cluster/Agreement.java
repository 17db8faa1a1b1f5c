package dev.segments.cluster;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * How well pairs of clusterings of the same rows agree, as the {@link AdjustedRandIndex} of their contingency table:
 * 1 for the same partition, about 0 for partitions no closer than chance. Every pair's table is filled in one pass
 * over the cached blocks.
 */
final class Agreement {
  private Agreement() {}

  /** The adjusted Rand index between the assignments to {@code a[p]} and to {@code b[p]}, for every pair p. */
  static double[] adjustedRandIndices(JavaRDD<FeatureBlock> blocks, Prototypes[] a, Prototypes[] b) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<Prototypes[][]> shared = sc.broadcast(new Prototypes[][] {a, b});
    long[][] zero = new long[a.length][];
    for (int p = 0; p < a.length; p++) {
      zero[p] = new long[a[p].k * b[p].k];
    }
    long[][] tables;
    try {
      tables = blocks.treeAggregate(zero, (acc, block) -> {
        Prototypes[][] both = shared.value();
        for (int p = 0; p < acc.length; p++) {
          NearestPrototype first = new NearestPrototype(both[0][p]);
          NearestPrototype second = new NearestPrototype(both[1][p]);
          int kb = both[1][p].k;
          for (int i = 0; i < block.size; i++) {
            int x = first.find(block.values, i * block.numeric, block.norms[i], block.codes, i * block.categorical);
            int y = second.find(block.values, i * block.numeric, block.norms[i], block.codes, i * block.categorical);
            acc[p][x * kb + y]++;
          }
        }
        return acc;
      }, (x, y) -> {
        for (int p = 0; p < x.length; p++) {
          for (int i = 0; i < x[p].length; i++) {
            x[p][i] += y[p][i];
          }
        }
        return x;
      }, LloydIterations.aggregationDepth(blocks));
    } finally {
      shared.destroy();
    }
    double[] indices = new double[a.length];
    for (int p = 0; p < a.length; p++) {
      indices[p] = AdjustedRandIndex.ofTable(tables[p], a[p].k, b[p].k);
    }
    return indices;
  }
}

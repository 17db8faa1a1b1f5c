package dev.segments.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * k-prototypes||, the k-means|| of Bahmani et al. (2012) with the K-Prototypes distance, as MLlib does it: one random
 * row, then {@code initSteps} rounds that each keep every row with probability 2k × its cost / total cost, then the
 * candidates weighted by the rows nearest to them are reduced to k by k-prototypes++ and Lloyd on the driver.
 */
final class ParallelInit {
  private final InitMode.Inputs in;
  private final long seed;
  /** Destroyed only at the end: a cost RDD's lineage keeps its broadcast until every later RDD built on it is done. */
  private final List<Broadcast<Prototypes>> broadcasts = new ArrayList<>();

  ParallelInit(InitMode.Inputs in, long seed) {
    this.in = in;
    this.seed = seed;
  }

  Prototypes choose() {
    JavaRDD<FeatureBlock> blocks = in.blocks();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    FeatureBlock sample = DriverSample.of(blocks, in.rows(), seed);
    List<FeatureBlock> candidates = new ArrayList<>();
    candidates.add(DriverSample.subset(sample, pickOne(sample.size)));
    JavaRDD<double[]> costs = null;
    try {
      FeatureBlock added = candidates.get(0);
      double total = 0;
      for (int step = 0; step < in.initSteps(); step++) {
        if (added != null) {
          // The costs with the candidates added last, and their total, in one job that also fills their cache (as
          // MLlib does; no costs are computed after the last step, since nothing would read them).
          JavaRDD<double[]> next = costs(blocks, costs, added, sc);
          total = next.map(ParallelInit::sum).reduce(Double::sum);
          if (costs != null) {
            costs.unpersist(false);
          }
          costs = next;
          added = null;
        }
        if (total == 0) {
          break;
        }
        double factor = 2.0 * in.k() / total;
        long stepSeed = seed + 7919L * (step + 1);
        List<FeatureBlock> picked = blocks.zip(costs).map(pair -> {
          boolean[] keep = new boolean[pair._1.size];
          for (int i = 0; i < keep.length; i++) {
            keep[i] = RowKeys.uniform(stepSeed, pair._1.keys[i]) < factor * pair._2[i];
          }
          return DriverSample.subset(pair._1, keep);
        }).collect();
        FeatureBlock chosen = DriverSample.concat(picked);
        if (chosen.size == 0) {
          continue;
        }
        candidates.add(chosen);
        added = chosen;
      }
    } finally {
      if (costs != null) {
        costs.unpersist(false);
      }
      broadcasts.forEach(Broadcast::destroy);
    }
    // The local k-prototypes++ draws candidates by position: their order must not be the order of the partitions.
    FeatureBlock all = DriverSample.inSeededOrder(DriverSample.concat(candidates), seed, Integer.MAX_VALUE);
    double[] weights = weightsOf(blocks, all, sc);
    FeatureBlock weighted = new FeatureBlock(all.size, all.numeric, all.categorical, all.values, all.codes, weights,
        all.keys);
    return LocalKPrototypes.cluster(weighted, in.k(), in.gamma(), in.cardinalities(), seed);
  }

  private boolean[] pickOne(int size) {
    boolean[] keep = new boolean[size];
    keep[new Random(seed).nextInt(size)] = true;
    return keep;
  }

  /**
   * Each row's distance to its nearest centre among {@code added}, or the previous cost when that is lower; persisted,
   * filled by the caller's first job on it.
   */
  private JavaRDD<double[]> costs(JavaRDD<FeatureBlock> blocks, JavaRDD<double[]> previous, FeatureBlock added,
                                  JavaSparkContext sc) {
    Broadcast<Prototypes> centres = sc.broadcast(asPrototypes(added));
    broadcasts.add(centres);
    JavaRDD<double[]> next = previous == null
        ? blocks.map(block -> distances(block, centres.value(), null))
        : blocks.zip(previous).map(pair -> distances(pair._1, centres.value(), pair._2));
    next.persist(StorageLevel.MEMORY_AND_DISK());
    return next;
  }

  private static double[] distances(FeatureBlock block, Prototypes centres, double[] previous) {
    NearestPrototype nearest = new NearestPrototype(centres);
    double[] out = new double[block.size];
    for (int i = 0; i < block.size; i++) {
      nearest.find(block.values, i * block.numeric, block.norms[i], block.codes, i * block.categorical);
      double cost = block.weight(i) * nearest.distance();
      out[i] = previous == null ? cost : Math.min(previous[i], cost);
    }
    return out;
  }

  /** The weight of the rows nearest to each candidate. */
  private double[] weightsOf(JavaRDD<FeatureBlock> blocks, FeatureBlock candidates, JavaSparkContext sc) {
    Broadcast<Prototypes> centres = sc.broadcast(asPrototypes(candidates));
    try {
      return blocks.treeAggregate(new double[candidates.size], (acc, block) -> {
        NearestPrototype nearest = new NearestPrototype(centres.value());
        for (int i = 0; i < block.size; i++) {
          acc[nearest.find(block.values, i * block.numeric, block.norms[i], block.codes, i * block.categorical)] +=
              block.weight(i);
        }
        return acc;
      }, (a, b) -> {
        for (int i = 0; i < a.length; i++) {
          a[i] += b[i];
        }
        return a;
      }, LloydIterations.aggregationDepth(blocks));
    } finally {
      centres.destroy();
    }
  }

  private Prototypes asPrototypes(FeatureBlock rows) {
    return new Prototypes(rows.size, rows.numeric, rows.categorical, in.gamma(), rows.values, rows.codes);
  }

  private static double sum(double[] values) {
    double total = 0;
    for (double v : values) {
      total += v;
    }
    return total;
  }
}

package dev.segments.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    JavaRDD<BlockCosts> costs = null;
    Broadcast<Prototypes> everything = null;
    try {
      FeatureBlock added = candidates.get(0);
      double total = 0;
      for (int step = 0; step < in.initSteps(); step++) {
        if (added != null) {
          // The costs with the candidates added last, and their total, in one job that also fills their cache (as
          // MLlib does; no costs are computed after the last step, since nothing would read them).
          everything = sc.broadcast(asPrototypes(DriverSample.concat(candidates)));
          broadcasts.add(everything);
          JavaRDD<BlockCosts> next = costs(blocks, costs, added, everything, sc);
          total = next.map(entry -> sum(entry.costs)).reduce(Double::sum);
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
        Broadcast<Prototypes> all = everything;
        List<FeatureBlock> picked = blocks.zipPartitions(costs, (rows, known) -> {
          Map<Long, double[]> byFingerprint = BlockCosts.byFingerprint(known);
          List<FeatureBlock> kept = new ArrayList<>();
          rows.forEachRemaining(block -> {
            double[] cost = byFingerprint.get(BlockCosts.fingerprint(block));
            if (cost == null) {
              cost = distances(block, all.value(), null);
            }
            boolean[] keep = new boolean[block.size];
            for (int i = 0; i < keep.length; i++) {
              keep[i] = RowKeys.uniform(stepSeed, block.keys[i]) < factor * cost[i];
            }
            kept.add(DriverSample.subset(block, keep));
          });
          return kept.iterator();
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
   * filled by the caller's first job on it. A block whose previous costs are not found ({@link BlockCosts}) has its
   * costs computed from {@code everything}, all the candidates so far.
   */
  private JavaRDD<BlockCosts> costs(JavaRDD<FeatureBlock> blocks, JavaRDD<BlockCosts> previous, FeatureBlock added,
                                    Broadcast<Prototypes> everything, JavaSparkContext sc) {
    Broadcast<Prototypes> centres = sc.broadcast(asPrototypes(added));
    broadcasts.add(centres);
    JavaRDD<BlockCosts> next = previous == null
        ? blocks.map(block -> new BlockCosts(BlockCosts.fingerprint(block), distances(block, centres.value(), null)))
        : blocks.zipPartitions(previous, (rows, known) -> {
          Map<Long, double[]> byFingerprint = BlockCosts.byFingerprint(known);
          List<BlockCosts> updated = new ArrayList<>();
          rows.forEachRemaining(block -> {
            long fingerprint = BlockCosts.fingerprint(block);
            double[] before = byFingerprint.get(fingerprint);
            updated.add(new BlockCosts(fingerprint, before == null
                ? distances(block, everything.value(), null) : distances(block, centres.value(), before)));
          });
          return updated.iterator();
        });
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

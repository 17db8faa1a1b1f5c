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
 *
 * <p>Every requested start (each k of a k search, each seed) advances in the same jobs: each round is one job that
 * updates every start's costs and their totals and one job that draws every start's candidates, so the k search's
 * initialisation costs the passes of one start. Each start's draws depend only on its own k, seed and costs, so it
 * comes out the same whether it is chosen alone or with others.
 */
final class ParallelInit {
  private final InitMode.Inputs in;
  private final List<InitMode.Request> requests;
  private final Map<Long, FeatureBlock> samples;
  /** Destroyed only at the end: a cost RDD's lineage keeps its broadcast until every later RDD built on it is done. */
  private final List<Broadcast<Prototypes[]>> broadcasts = new ArrayList<>();

  /** @param samples the driver sample of every request's seed ({@link DriverSample}) */
  ParallelInit(InitMode.Inputs in, List<InitMode.Request> requests, Map<Long, FeatureBlock> samples) {
    this.in = in;
    this.requests = requests;
    this.samples = samples;
  }

  /** The starting prototypes of every request, or the failure of a request that has too few distinct rows. */
  List<InitMode.Chosen> choose() {
    int n = requests.size();
    JavaRDD<FeatureBlock> blocks = in.blocks();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    List<List<FeatureBlock>> candidates = new ArrayList<>();
    FeatureBlock[] added = new FeatureBlock[n];
    double[] totals = new double[n];
    boolean[] finished = new boolean[n];
    for (int r = 0; r < n; r++) {
      FeatureBlock sample = samples.get(requests.get(r).seed());
      added[r] = DriverSample.subset(sample, pickOne(sample.size, requests.get(r).seed()));
      candidates.add(new ArrayList<>(List.of(added[r])));
    }
    JavaRDD<BlockCosts> costs = null;
    Broadcast<Prototypes[]> everything = null;
    try {
      for (int step = 0; step < in.initSteps(); step++) {
        boolean anyAdded = false;
        for (int r = 0; r < n; r++) {
          anyAdded |= added[r] != null && !finished[r];
        }
        if (anyAdded) {
          // Every start's costs with the candidates it added last, and their totals, in one job that also fills
          // their cache (as MLlib does; no costs are computed after the last step, since nothing would read them).
          everything = sc.broadcast(allCandidates(candidates));
          broadcasts.add(everything);
          JavaRDD<BlockCosts> next = costs(blocks, costs, added, everything, sc);
          double[] sums = next.map(entry -> sums(entry.costs)).reduce(ParallelInit::plus);
          for (int r = 0; r < n; r++) {
            if (added[r] != null) {
              totals[r] = sums[r];
            }
          }
          if (costs != null) {
            costs.unpersist(false);
          }
          costs = next;
          java.util.Arrays.fill(added, null);
        }
        double[] factors = new double[n];
        long[] stepSeeds = new long[n];
        boolean anyDrawing = false;
        for (int r = 0; r < n; r++) {
          finished[r] |= totals[r] == 0;
          factors[r] = finished[r] ? 0 : 2.0 * requests.get(r).k() / totals[r];
          stepSeeds[r] = requests.get(r).seed() + 7919L * (step + 1);
          anyDrawing |= !finished[r];
        }
        if (!anyDrawing) {
          break;
        }
        Broadcast<Prototypes[]> all = everything;
        List<FeatureBlock[]> picked = blocks.zipPartitions(costs, (rows, known) -> {
          Map<Long, double[][]> byFingerprint = BlockCosts.byFingerprint(known);
          List<FeatureBlock[]> keptBlocks = new ArrayList<>();
          rows.forEachRemaining(block -> {
            double[][] cost = byFingerprint.get(BlockCosts.fingerprint(block));
            if (cost == null) {
              cost = distances(block, all.value(), null);
            }
            FeatureBlock[] kept = new FeatureBlock[factors.length];
            for (int r = 0; r < factors.length; r++) {
              if (factors[r] > 0) {
                boolean[] keep = new boolean[block.size];
                for (int i = 0; i < keep.length; i++) {
                  keep[i] = RowKeys.uniform(stepSeeds[r], block.keys[i]) < factors[r] * cost[r][i];
                }
                kept[r] = DriverSample.subset(block, keep);
              }
            }
            keptBlocks.add(kept);
          });
          return keptBlocks.iterator();
        }).collect();
        for (int r = 0; r < n; r++) {
          if (finished[r]) {
            continue;
          }
          int request = r;
          FeatureBlock chosen = DriverSample.concat(picked.stream().map(p -> p[request]).toList());
          if (chosen.size > 0) {
            candidates.get(r).add(chosen);
            added[r] = chosen;
          }
        }
      }
    } finally {
      if (costs != null) {
        costs.unpersist(false);
      }
      broadcasts.forEach(Broadcast::destroy);
    }
    // The local k-prototypes++ draws candidates by position: their order must not be the order of the partitions.
    FeatureBlock[] all = new FeatureBlock[n];
    for (int r = 0; r < n; r++) {
      all[r] = DriverSample.inSeededOrder(DriverSample.concat(candidates.get(r)), requests.get(r).seed(),
          Integer.MAX_VALUE);
    }
    double[][] weights = weightsOf(blocks, all, sc);
    List<InitMode.Chosen> chosen = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      FeatureBlock weighted = new FeatureBlock(all[r].size, all[r].numeric, all[r].categorical, all[r].values,
          all[r].codes, weights[r], all[r].keys);
      try {
        chosen.add(InitMode.Chosen.of(LocalKPrototypes.cluster(weighted, requests.get(r).k(), in.gamma(),
            in.cardinalities(), requests.get(r).seed())));
      } catch (IllegalArgumentException tooFewDistinct) {
        chosen.add(InitMode.Chosen.failed(tooFewDistinct));
      }
    }
    return chosen;
  }

  private static boolean[] pickOne(int size, long seed) {
    boolean[] keep = new boolean[size];
    keep[new Random(seed).nextInt(size)] = true;
    return keep;
  }

  /**
   * Each row's distance, per start, to its nearest centre among those the start {@code added}, or the previous cost
   * when that is lower (or when the start added none); persisted, filled by the caller's first job on it. A block
   * whose previous costs are not found ({@link BlockCosts}: it was rebuilt, perhaps in another row order) has its costs
   * computed from {@code everything}, every start's candidates so far, which gives the same numbers.
   */
  private JavaRDD<BlockCosts> costs(JavaRDD<FeatureBlock> blocks, JavaRDD<BlockCosts> previous, FeatureBlock[] added,
                                    Broadcast<Prototypes[]> everything, JavaSparkContext sc) {
    Prototypes[] centres = new Prototypes[added.length];
    for (int r = 0; r < added.length; r++) {
      centres[r] = added[r] == null ? null : asPrototypes(added[r]);
    }
    Broadcast<Prototypes[]> shared = sc.broadcast(centres);
    broadcasts.add(shared);
    JavaRDD<BlockCosts> next = previous == null
        ? blocks.map(block -> new BlockCosts(BlockCosts.fingerprint(block), distances(block, shared.value(), null)))
        : blocks.zipPartitions(previous, (rows, known) -> {
          Map<Long, double[][]> byFingerprint = BlockCosts.byFingerprint(known);
          List<BlockCosts> updated = new ArrayList<>();
          rows.forEachRemaining(block -> {
            long fingerprint = BlockCosts.fingerprint(block);
            double[][] before = byFingerprint.get(fingerprint);
            updated.add(new BlockCosts(fingerprint, before == null
                ? distances(block, everything.value(), null) : distances(block, shared.value(), before)));
          });
          return updated.iterator();
        });
    next.persist(StorageLevel.MEMORY_AND_DISK());
    return next;
  }

  /** Every start's candidates so far, as prototypes. */
  private Prototypes[] allCandidates(List<List<FeatureBlock>> candidates) {
    Prototypes[] all = new Prototypes[candidates.size()];
    for (int r = 0; r < all.length; r++) {
      all[r] = asPrototypes(DriverSample.concat(candidates.get(r)));
    }
    return all;
  }

  private static double[][] distances(FeatureBlock block, Prototypes[] centres, double[][] previous) {
    double[][] out = new double[centres.length][];
    for (int r = 0; r < centres.length; r++) {
      if (centres[r] == null) {
        out[r] = previous[r];
        continue;
      }
      NearestPrototype nearest = new NearestPrototype(centres[r]);
      out[r] = new double[block.size];
      for (int i = 0; i < block.size; i++) {
        nearest.find(block.values, i * block.numeric, block.norms[i], block.codes, i * block.categorical);
        double cost = block.weight(i) * nearest.distance();
        out[r][i] = previous == null ? cost : Math.min(previous[r][i], cost);
      }
    }
    return out;
  }

  /** The weight of the rows nearest to each candidate, per start. */
  private double[][] weightsOf(JavaRDD<FeatureBlock> blocks, FeatureBlock[] candidates, JavaSparkContext sc) {
    Prototypes[] centres = new Prototypes[candidates.length];
    double[][] zero = new double[candidates.length][];
    for (int r = 0; r < candidates.length; r++) {
      centres[r] = asPrototypes(candidates[r]);
      zero[r] = new double[candidates[r].size];
    }
    Broadcast<Prototypes[]> shared = sc.broadcast(centres);
    try {
      return blocks.treeAggregate(zero, (acc, block) -> {
        for (int r = 0; r < acc.length; r++) {
          NearestPrototype nearest = new NearestPrototype(shared.value()[r]);
          for (int i = 0; i < block.size; i++) {
            acc[r][nearest.find(block.values, i * block.numeric, block.norms[i], block.codes,
                i * block.categorical)] += block.weight(i);
          }
        }
        return acc;
      }, (a, b) -> {
        for (int r = 0; r < a.length; r++) {
          for (int i = 0; i < a[r].length; i++) {
            a[r][i] += b[r][i];
          }
        }
        return a;
      }, LloydIterations.aggregationDepth(blocks));
    } finally {
      shared.destroy();
    }
  }

  private Prototypes asPrototypes(FeatureBlock rows) {
    return new Prototypes(rows.size, rows.numeric, rows.categorical, in.gamma(), rows.values, rows.codes);
  }

  private static double[] sums(double[][] costs) {
    double[] sums = new double[costs.length];
    for (int r = 0; r < costs.length; r++) {
      for (double v : costs[r]) {
        sums[r] += v;
      }
    }
    return sums;
  }

  private static double[] plus(double[] a, double[] b) {
    double[] sum = new double[a.length];
    for (int r = 0; r < a.length; r++) {
      sum[r] = a[r] + b[r];
    }
    return sum;
  }
}

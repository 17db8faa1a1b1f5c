package dev.segments.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch (Lloyd) K-Prototypes over cached blocks: each pass broadcasts the prototypes of every run still iterating,
 * assigns every row in one {@code treeAggregate}, and computes new means and modes on the driver. Several runs
 * share each pass; a run leaves the pass as soon as it has converged. Each row's search starts from the prototype it
 * was nearest to in the run's previous pass ({@link FeatureBlock#hints}), which after the first few passes is
 * usually the answer, so the triangle-inequality bounds skip most other prototypes.
 *
 * <p>A run stops when an update leaves its prototypes unchanged (which is exactly when no row would be reassigned),
 * when the relative fall in cost is below {@code tol}, or after {@code maxIter} passes. A run that stopped on tol or
 * maxIter gets one more pass to measure the cost and sizes of the prototypes it returns.
 */
final class LloydIterations {
  private static final Logger LOG = LoggerFactory.getLogger(LloydIterations.class);

  /**
   * One run's outcome. {@code cost}, {@code sizes} and {@code last} (the statistics of the pass that measured them)
   * belong to {@code prototypes}.
   */
  record Run(Prototypes prototypes, double cost, long[] sizes, int iterations, double[] costHistory,
             ClusterStats last) {}

  private final JavaRDD<FeatureBlock> blocks;
  private final int[] cardinalities;
  private final int maxIter;
  private final double tol;
  private int passes;

  LloydIterations(JavaRDD<FeatureBlock> blocks, int[] cardinalities, int maxIter, double tol) {
    this.blocks = blocks;
    this.cardinalities = cardinalities;
    this.maxIter = maxIter;
    this.tol = tol;
  }

  List<Run> run(List<Prototypes> starts) {
    int[] slots = new int[starts.size()];
    for (int r = 0; r < slots.length; r++) {
      slots[r] = r;
    }
    return run(starts, slots);
  }

  /**
   * Iterates every start in the same passes until each has stopped; the starts may differ in k.
   *
   * @param hintSlots each start's hint slot in the blocks ({@link FeatureBlock#hints}); a slot past the blocks'
   *     slots (or shared by two starts) costs speed, never correctness
   */
  List<Run> run(List<Prototypes> starts, int[] hintSlots) {
    int runs = starts.size();
    Prototypes[] current = starts.toArray(new Prototypes[0]);
    List<List<Double>> history = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      history.add(new ArrayList<>());
    }
    Run[] done = new Run[runs];
    List<Integer> active = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      active.add(r);
    }
    List<Integer> toEvaluate = new ArrayList<>();
    for (int iteration = 1; !active.isEmpty() && iteration <= maxIter; iteration++) {
      PassStats stats = pass(select(current, active), slots(active, hintSlots));
      List<Integer> still = new ArrayList<>();
      for (int p = 0; p < active.size(); p++) {
        int r = active.get(p);
        ClusterStats s = stats.runs[p];
        List<Double> costs = history.get(r);
        double previous = costs.isEmpty() ? Double.NaN : costs.get(costs.size() - 1);
        costs.add(s.cost);
        Prototypes next = s.nextPrototypes(current[r]);
        if (s.emptyClusters() > 0) {
          LOG.warn("K-Prototypes run {} iteration {}: {} empty clusters re-seeded from the rows farthest from their"
              + " prototypes", r, iteration, s.emptyClusters());
        }
        int changed = next.changedFrom(current[r]);
        LOG.info("K-Prototypes run {} (k={}) iteration {}: cost {} ({} prototypes changed)", r, current[r].k,
            iteration, s.cost, changed);
        if (changed == 0) {
          done[r] = new Run(current[r], s.cost, s.rows, iteration, toArray(costs), s);
          continue;
        }
        current[r] = next;
        double fall = previous == 0 ? 0 : (previous - s.cost) / previous;
        if (iteration == maxIter || fall < tol) {
          toEvaluate.add(r);
        } else {
          still.add(r);
        }
      }
      active = still;
    }
    if (!toEvaluate.isEmpty()) {
      PassStats stats = pass(select(current, toEvaluate), slots(toEvaluate, hintSlots));
      for (int p = 0; p < toEvaluate.size(); p++) {
        int r = toEvaluate.get(p);
        List<Double> costs = history.get(r);
        done[r] = new Run(current[r], stats.runs[p].cost, stats.runs[p].rows, costs.size(), toArray(costs),
            stats.runs[p]);
        LOG.info("K-Prototypes run {} stopped after {} iterations; final cost {}", r, costs.size(),
            stats.runs[p].cost);
      }
    }
    return Arrays.asList(done);
  }

  /** Passes over the blocks so far. */
  int passes() {
    return passes;
  }

  /**
   * One pass over the blocks for the given prototypes (one set per run); {@code slots} are the runs' hint slots in
   * the blocks, where each row's nearest prototype is kept for the run's next pass to try first.
   */
  PassStats pass(Prototypes[] prototypes, int[] slots) {
    passes++;
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<Prototypes[]> shared = sc.broadcast(prototypes);
    try {
      PassStats zero = new PassStats(prototypes, cardinalities);
      return blocks.treeAggregate(zero, (acc, block) -> acc.add(block, shared.value(), slots), PassStats::merge,
          aggregationDepth(blocks));
    } finally {
      shared.destroy();
    }
  }

  private static Prototypes[] select(Prototypes[] all, List<Integer> runs) {
    Prototypes[] chosen = new Prototypes[runs.size()];
    for (int p = 0; p < chosen.length; p++) {
      chosen[p] = all[runs.get(p)];
    }
    return chosen;
  }

  /** Up to this many partitions, the driver merges the partitions' statistics itself. */
  static final int DRIVER_MERGE_PARTITIONS = 64;

  /**
   * The depth of a pass's {@code treeAggregate}: 1 (every partition's result merged on the driver, one stage) up to
   * {@link #DRIVER_MERGE_PARTITIONS} partitions, else 2. Depth 2 adds a shuffle stage as soon as there are more than 6
   * partitions, which costs far more than merging a few dozen small results on the driver.
   */
  static int aggregationDepth(JavaRDD<?> rdd) {
    return rdd.getNumPartitions() <= DRIVER_MERGE_PARTITIONS ? 1 : 2;
  }

  private static int[] slots(List<Integer> runs, int[] hintSlots) {
    return runs.stream().mapToInt(r -> hintSlots[r]).toArray();
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}

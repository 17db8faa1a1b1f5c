package dev.segments.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits several k on the same cached blocks in shared passes: every start of every k is chosen in the same
 * initialisation jobs, then all of them advance together, one Lloyd pass over the blocks updating every run still
 * iterating ({@link LloydIterations}); converged runs drop out. Each run is exactly the run a fit of its k alone would
 * make with the same seed, since no run reads another's state.
 *
 * <p>A warm start (the previous night's prototypes, {@link KPrototypes#setWarmStart}) runs in the same passes as one
 * more start of its k.
 *
 * <p>Then two rules no single fit has:
 * <ul>
 *   <li>The cost never rises with k: a k whose best start ends above the cost of the k below is refitted from the
 *       k below's solution plus its widest segment's farthest row as a new prototype. Adding a prototype can only
 *       lower every row's distance and Lloyd never raises the cost, so the refit ends at most at the cost below.
 *       All k that need it are refitted in the same passes, round after round until no cost rises.</li>
 *   <li>Stability: one more pass fills, per k, the contingency table of the returned model against every other start
 *       of that k, giving their adjusted Rand indices ({@link Agreement}).</li>
 * </ul>
 */
final class SharedPassSearch {
  private static final Logger LOG = LoggerFactory.getLogger(SharedPassSearch.class);
  /** Two final costs within this relative distance are taken for the same local optimum. */
  private static final double SAME_OPTIMUM = 1e-9;

  /** The start number that marks the warm start among the seeded starts (numbered from 0). */
  private static final int WARM = -1;

  /**
   * One k's runs: its best run, whether it was refitted from the k below or is the warm start's, and every seeded run
   * that competed.
   */
  record KRuns(LloydIterations.Run best, boolean refitted, List<LloydIterations.Run> others, int distinctOptima,
               boolean warmStarted) {}

  /**
   * A start for the k equal to its size that competes with the seeded starts and is kept unless one of them ends
   * cheaper by more than {@code margin} of its cost ({@link KPrototypes#setWarmStart}); {@code prototypes} null for
   * none.
   */
  record WarmStart(Prototypes prototypes, double margin) {}

  record Outcome(Map<Integer, KRuns> fits, Map<Integer, Double> stability, Map<Integer, String> skipped,
                 int passes, double initSeconds) {}

  private SharedPassSearch() {}

  /**
   * @param ks the k to fit, in increasing order
   * @param competing starts per k whose lowest cost wins
   * @param stabilityStarts starts per k compared for stability (more than {@code competing} adds starts used only
   *     for stability); at most 1 skips the stability pass
   * @param fixedStart the only start, bypassing {@code mode}, or null
   * @param warmStart one more start for its k (ignored with a {@code fixedStart})
   */
  static Outcome fit(JavaRDD<FeatureBlock> blocks, InitMode.Inputs inputs, InitMode mode, int[] ks, int competing,
                     int stabilityStarts, long seed, Prototypes fixedStart, WarmStart warmStart, int maxIter,
                     double tol) {
    int perK = fixedStart != null ? 1 : Math.max(competing, stabilityStarts);
    List<InitMode.Request> requests = new ArrayList<>();
    for (int k : ks) {
      for (int start = 0; start < perK; start++) {
        requests.add(new InitMode.Request(k, seed + start, start));
      }
    }
    long initStarted = System.nanoTime();
    List<InitMode.Chosen> chosen = fixedStart != null
        ? List.of(InitMode.Chosen.of(fixedStart))
        : mode.chooseAll(inputs, requests);

    Map<Integer, String> skipped = new LinkedHashMap<>();
    List<Prototypes> starts = new ArrayList<>();
    List<InitMode.Request> started = new ArrayList<>();
    for (int r = 0; r < requests.size(); r++) {
      InitMode.Chosen c = chosen.get(r);
      if (c.prototypes() == null) {
        skipped.putIfAbsent(requests.get(r).k(), c.failure().getMessage());
      } else if (!skipped.containsKey(requests.get(r).k())) {
        starts.add(c.prototypes());
        started.add(requests.get(r));
      }
    }
    if (fixedStart == null && warmStart.prototypes() != null && !skipped.containsKey(warmStart.prototypes().k)
        && Arrays.binarySearch(ks, warmStart.prototypes().k) >= 0) {
      starts.add(warmStart.prototypes());
      started.add(new InitMode.Request(warmStart.prototypes().k, seed, WARM));
    }
    double initSeconds = (System.nanoTime() - initStarted) / 1e9;
    LloydIterations iterations = new LloydIterations(blocks, inputs.cardinalities(), maxIter, tol);
    List<LloydIterations.Run> runs = iterations.run(starts);

    Map<Integer, KRuns> fits = new TreeMap<>();
    Map<Integer, Integer> slotOfBest = new TreeMap<>();
    for (int k : ks) {
      if (skipped.containsKey(k)) {
        continue;
      }
      LloydIterations.Run best = null;
      int bestSlot = -1;
      LloydIterations.Run warm = null;
      int warmSlot = -1;
      List<LloydIterations.Run> all = new ArrayList<>();
      List<Double> optima = new ArrayList<>();
      for (int r = 0; r < runs.size(); r++) {
        if (started.get(r).k() != k) {
          continue;
        }
        LloydIterations.Run run = runs.get(r);
        if (started.get(r).start() == WARM) {
          warm = run;
          warmSlot = r;
          continue;
        }
        all.add(run);
        if (started.get(r).start() < competing || fixedStart != null) {
          if (optima.stream().noneMatch(cost -> sameOptimum(cost, run.cost()))) {
            optima.add(run.cost());
          }
          // Starts that reach the same optimum (often with the segments numbered differently) tie, and the earlier
          // start wins: which of two equal costs comes out lower in the last bits depends on the order of the
          // floating-point sums, not on the segments, and must not change the answer.
          if (best == null || (run.cost() < best.cost() && !sameOptimum(run.cost(), best.cost()))) {
            best = run;
            bestSlot = r;
          }
        }
      }
      LOG.info("k={}: best cost {} of {} starts, which reached {} distinct local optima", k, best.cost(),
          Math.min(competing, perK), optima.size());
      boolean keepWarm = warm != null && !(best.cost() < warm.cost() * (1 - warmStart.margin()));
      if (warm != null) {
        LOG.info("k={}: the warm start ended at cost {}: {}", k, warm.cost(), keepWarm
            ? "kept (no seeded start is cheaper by more than " + warmStart.margin() + " of it)"
            : "replaced by the seeded start's " + best.cost() + ", cheaper by more than " + warmStart.margin());
      }
      if (keepWarm) {
        best = warm;
        bestSlot = warmSlot;
      } else {
        all.remove(best);
      }
      fits.put(k, new KRuns(best, false, all, optima.size(), keepWarm));
      slotOfBest.put(k, bestSlot);
    }
    refitWhereCostRises(fits, slotOfBest, iterations);

    Map<Integer, Double> stability = new TreeMap<>();
    if (stabilityStarts > 1 && fixedStart == null) {
      List<Prototypes> a = new ArrayList<>();
      List<Prototypes> b = new ArrayList<>();
      List<Integer> pairK = new ArrayList<>();
      fits.forEach((k, fit) -> fit.others().forEach(other -> {
        a.add(fit.best().prototypes());
        b.add(other.prototypes());
        pairK.add(k);
      }));
      if (!a.isEmpty()) {
        double[] indices = Agreement.adjustedRandIndices(blocks, a.toArray(new Prototypes[0]),
            b.toArray(new Prototypes[0]));
        Map<Integer, double[]> sums = new TreeMap<>();
        for (int p = 0; p < indices.length; p++) {
          double[] sum = sums.computeIfAbsent(pairK.get(p), k -> new double[2]);
          sum[0] += indices[p];
          sum[1]++;
        }
        sums.forEach((k, sum) -> stability.put(k, sum[0] / sum[1]));
        stability.forEach((k, ari) -> LOG.info("k={}: stability (mean adjusted Rand index against {} other starts)"
            + " {}", k, fits.get(k).others().size(), ari));
      }
    }
    int passes = iterations.passes() + (stability.isEmpty() ? 0 : 1);
    return new Outcome(fits, stability, skipped, passes, initSeconds);
  }

  /**
   * Refits, in shared passes, every k whose cost is above the cost of the k below, from the k below's solution plus
   * a split of its widest segment; repeated while a refit below changes what the k above must beat.
   */
  private static void refitWhereCostRises(Map<Integer, KRuns> fits, Map<Integer, Integer> slotOfBest,
                                          LloydIterations iterations) {
    for (int round = 1; round <= fits.size(); round++) {
      List<Integer> toRefit = new ArrayList<>();
      List<Prototypes> starts = new ArrayList<>();
      KRuns below = null;
      int belowK = -1;
      for (Map.Entry<Integer, KRuns> fit : fits.entrySet()) {
        KRuns current = fit.getValue();
        // The split gives the k below one more prototype: it refits k only when k - 1 was fitted.
        if (below != null && fit.getKey() == belowK + 1 && current.best().cost() > below.best().cost()) {
          Prototypes split = below.best().last().withWidestSplit(below.best().prototypes());
          if (split != null) {
            LOG.info("k={}: cost {} is above k={}'s {}: refitting from k={}'s segments with its widest split",
                fit.getKey(), current.best().cost(), belowK, below.best().cost(), belowK);
            toRefit.add(fit.getKey());
            starts.add(split);
          }
        }
        below = current;
        belowK = fit.getKey();
      }
      if (toRefit.isEmpty()) {
        return;
      }
      int[] slots = toRefit.stream().mapToInt(slotOfBest::get).toArray();
      List<LloydIterations.Run> refits = iterations.run(starts, slots);
      for (int i = 0; i < toRefit.size(); i++) {
        int k = toRefit.get(i);
        KRuns old = fits.get(k);
        LloydIterations.Run refit = refits.get(i);
        LOG.info("k={}: refitted to cost {} (was {})", k, refit.cost(), old.best().cost());
        if (refit.cost() < old.best().cost()) {
          List<LloydIterations.Run> others = new ArrayList<>(old.others());
          others.add(old.best());
          fits.put(k, new KRuns(refit, true, others, old.distinctOptima(), false));
        }
      }
    }
  }

  private static boolean sameOptimum(double a, double b) {
    return Math.abs(a - b) <= SAME_OPTIMUM * Math.max(Math.abs(a), Math.abs(b));
  }

}

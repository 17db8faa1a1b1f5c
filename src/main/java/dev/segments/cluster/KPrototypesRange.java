package dev.segments.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link KPrototypes#fitRange} fitted: one {@link KFit} per k that could be fitted, and the k that could not be
 * fitted ({@code skipped}), with the reason (fewer distinct rows than k). {@code passes} counts the Lloyd passes over
 * the cached blocks of the whole search (every k and start share each pass), refits and the stability pass included
 * (choosing the starts is not in it: its jobs are shared too).
 */
public record KPrototypesRange(SortedMap<Integer, KFit> fits, Map<Integer, String> skipped, int passes) {

  /**
   * One fitted k.
   *
   * @param model the k's best start
   * @param stability the mean adjusted Rand index between the assignments of {@code model} and of every other start
   *     of that k (other seeds), on all rows; 1 when they all find the same segments, NaN with one start
   * @param distinctOptima how many different local optima (final costs) the competing starts reached
   * @param refittedFromBelow whether all its starts ended above the cost of the k below, so that it was refitted from
   *     the k below's solution plus a split of its widest segment (the cost never rises with k)
   * @param warmStarted whether {@code model} is the run from the warm start ({@link KPrototypes#setWarmStart}), kept
   *     because no seeded start was cheaper by more than the warm start margin
   */
  public record KFit(KPrototypesModel model, double stability, int distinctOptima, boolean refittedFromBelow,
                     boolean warmStarted) {}

  public KPrototypesRange {
    fits = Collections.unmodifiableSortedMap(new TreeMap<>(fits));
    skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
  }

  /** The model of every fitted k, in increasing k. */
  public SortedMap<Integer, KPrototypesModel> models() {
    SortedMap<Integer, KPrototypesModel> models = new TreeMap<>();
    fits.forEach((k, fit) -> models.put(k, fit.model()));
    return Collections.unmodifiableSortedMap(models);
  }
}

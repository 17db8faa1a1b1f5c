package dev.segments.cluster;

import java.util.Map;
import java.util.SortedMap;

/**
 * What {@link KPrototypes#fitRange} fitted: one model per k that could be fitted, and for each k
 * <ul>
 *   <li>{@code stability}: the mean adjusted Rand index between the assignments of the returned model and of every
 *       other start of that k (other seeds), on all rows; 1 when they all find the same segments, NaN with one
 *       start;</li>
 *   <li>{@code distinctOptima}: how many different local optima (final costs) the competing starts reached;</li>
 *   <li>{@code refittedFromBelow}: the k whose starts all ended above the cost of the k below and were refitted
 *       from the k below's solution plus a split of its widest segment, so the cost never rises with k;</li>
 *   <li>{@code skipped}: the k that could not be fitted, with the reason (fewer distinct rows than k).</li>
 * </ul>
 * {@code passes} counts the Lloyd passes over the cached blocks of the whole search (every k and start share each
 * pass), refits and the stability pass included (choosing the starts is not in it: its jobs are shared too).
 */
public record KPrototypesRange(SortedMap<Integer, KPrototypesModel> models, Map<Integer, Double> stability,
                               Map<Integer, Integer> distinctOptima, Map<Integer, Boolean> refittedFromBelow,
                               Map<Integer, String> skipped, int passes) {}

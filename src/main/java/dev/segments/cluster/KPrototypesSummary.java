package dev.segments.cluster;

import java.io.Serializable;

/**
 * What the training run of a model did: the final cost (of the returned prototypes), the iterations run, the cost at
 * the start of each iteration, the rows per cluster, and where the time went: reading and packing the input into
 * cached blocks, choosing the starting prototypes, and the {@code passes} over the blocks (all runs share a pass; a
 * run stopped by tol or maxIter takes one more to measure its final cost). {@code cacheBytes} is what the cached
 * blocks took in the block manager.
 */
public record KPrototypesSummary(double cost, int numIter, double[] costHistory, long[] clusterSizes,
                                 double packSeconds, double initSeconds, double iterateSeconds, int passes,
                                 long cacheBytes) implements Serializable {}

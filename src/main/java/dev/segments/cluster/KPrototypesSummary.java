package dev.segments.cluster;

import java.io.Serializable;

/**
 * What the training run of a model did: the final cost (of the returned prototypes), the iterations run, the cost at
 * the start of each iteration, the rows per cluster, and where the time went.
 */
public record KPrototypesSummary(double cost, int numIter, double[] costHistory, long[] clusterSizes,
                                 double packSeconds, double initSeconds, double iterateSeconds)
    implements Serializable {}

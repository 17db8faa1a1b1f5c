package dev.segments.cluster;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The k-prototypes|| costs of one block's rows (per start: {@code costs[start][row]}), tied to those rows by a fingerprint of their content keys in order.
 * A cached block can be evicted or lost with its executor and rebuilt from the input's lineage, possibly with its rows
 * in another order (a partition read through a shuffle), while the costs computed from the old block stay cached:
 * pairing the two by position (as {@code zip} does) would then give rows each other's costs, silently. Costs are
 * looked up by fingerprint instead, and a block whose costs are not found has them computed afresh from all the
 * candidates so far, which gives the same numbers bit for bit (each cost is the minimum of the same distances).
 */
final class BlockCosts implements Serializable {
  private static final long serialVersionUID = 1L;

  final long fingerprint;
  final double[][] costs;

  BlockCosts(long fingerprint, double[][] costs) {
    this.fingerprint = fingerprint;
    this.costs = costs;
  }

  /** Equal for two blocks with the same rows in the same order (identical rows share a key, and so every cost). */
  static long fingerprint(FeatureBlock block) {
    long key = RowKeys.with(RowKeys.EMPTY, block.size);
    for (int i = 0; i < block.size; i++) {
      key = RowKeys.with(key, block.keys[i]);
    }
    return key;
  }

  /** The costs of a partition's blocks by fingerprint. */
  static Map<Long, double[][]> byFingerprint(Iterator<BlockCosts> partition) {
    Map<Long, double[][]> costs = new HashMap<>();
    partition.forEachRemaining(entry -> costs.put(entry.fingerprint, entry.costs));
    return costs;
  }
}

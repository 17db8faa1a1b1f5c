package dev.segments.cluster;

/**
 * Seeded pseudo-random draws per row that depend on the seed and the row's content only, never on the partition a row
 * sits in or its position there: local mode and a cluster spread the same rows differently, and one seed must give
 * one model either way. A row's content key hashes its unscaled numeric values and its category codes; the scaled
 * values would not do, as the scaler's mean moves in its last bits with the order Spark sums the rows in. Identical
 * rows share a key, and so every draw.
 */
final class RowKeys {
  /** The key of a row before any of its values is added. */
  static final long EMPTY = 0x9E3779B97F4A7C15L;

  private RowKeys() {}

  /** {@code key} extended by one more value of the row (a double's bits, or a category code). */
  static long with(long key, long value) {
    return mix(key ^ value);
  }

  /** The draw of the row with content key {@code key} for {@code seed}: 64 uniformly distributed bits. */
  static long draw(long seed, long key) {
    return mix(key ^ mix(seed));
  }

  /** The draw as a number uniformly distributed in [0, 1). */
  static double uniform(long seed, long key) {
    return (draw(seed, key) >>> 11) * 0x1.0p-53;
  }

  /** The SplitMix64 finaliser: a bijection of 64-bit values that spreads every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

package dev.segments.cluster;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The rows farthest from their assigned prototypes, kept so an empty cluster can be re-seeded without another pass.
 * Held in descending distance; equal distances are ordered by the row's content, so the choice does not depend on
 * how the data is partitioned.
 */
final class FarthestRows implements Serializable {
  private static final long serialVersionUID = 1L;

  final int capacity;
  final int numeric;
  final int categorical;
  final double[] distances;
  final double[] values;
  final int[] codes;
  int count;

  FarthestRows(int capacity, int numeric, int categorical) {
    this.capacity = capacity;
    this.numeric = numeric;
    this.categorical = categorical;
    this.distances = new double[capacity];
    this.values = new double[capacity * numeric];
    this.codes = new int[capacity * categorical];
  }

  void offer(double distance, double[] rowValues, int valueOffset, int[] rowCodes, int codeOffset) {
    if (count == capacity && distance < distances[count - 1]) {
      return;
    }
    int at = count;
    while (at > 0 && before(distance, rowValues, valueOffset, rowCodes, codeOffset, at - 1)) {
      at--;
    }
    if (at == capacity) {
      return;
    }
    int last = Math.min(count, capacity - 1);
    System.arraycopy(distances, at, distances, at + 1, last - at);
    System.arraycopy(values, at * numeric, values, (at + 1) * numeric, (last - at) * numeric);
    System.arraycopy(codes, at * categorical, codes, (at + 1) * categorical, (last - at) * categorical);
    distances[at] = distance;
    System.arraycopy(rowValues, valueOffset, values, at * numeric, numeric);
    System.arraycopy(rowCodes, codeOffset, codes, at * categorical, categorical);
    count = Math.min(count + 1, capacity);
  }

  FarthestRows merge(FarthestRows other) {
    for (int i = 0; i < other.count; i++) {
      offer(other.distances[i], other.values, i * numeric, other.codes, i * categorical);
    }
    return this;
  }

  /** Whether the candidate row goes before the kept row {@code i}. */
  private boolean before(double distance, double[] rowValues, int valueOffset, int[] rowCodes, int codeOffset, int i) {
    if (distance != distances[i]) {
      return distance > distances[i];
    }
    int byValues = Arrays.compare(rowValues, valueOffset, valueOffset + numeric, values, i * numeric, (i + 1) * numeric);
    if (byValues != 0) {
      return byValues < 0;
    }
    return Arrays.compare(rowCodes, codeOffset, codeOffset + categorical, codes, i * categorical,
        (i + 1) * categorical) < 0;
  }
}

package dev.segments.analysis;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A sample of rows as primitive arrays with one or more segment assignments, small enough to broadcast; computes
 * silhouette values of any slice of its rows against all of them.
 */
final class SilhouetteSample implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final double[] numeric;
  private final int[] codes;
  /** Row-major, one dense label 0..k-1 per assignment. */
  private final int[] labels;
  private final int assignments;
  /** Per assignment, the sample's row count in each segment. */
  private final int[][] segmentSizes;
  private final GowerKernel kernel;

  SilhouetteSample(int size, double[] numeric, int[] codes, int[] labels, int[][] segmentSizes, GowerKernel kernel) {
    this.size = size;
    this.numeric = numeric;
    this.codes = codes;
    this.labels = labels;
    this.assignments = segmentSizes.length;
    this.segmentSizes = segmentSizes;
    this.kernel = kernel;
  }

  int size() {
    return size;
  }

  int[][] segmentSizes() {
    return segmentSizes;
  }

  /**
   * The sum over rows {@code from} (inclusive) to {@code to} of each assignment's silhouette s(i): a(i) the mean
   * distance to the other members of its segment, b(i) the smallest mean distance to another segment's members,
   * s(i) = (b - a) / max(a, b); 0 for a segment's only member and when a = b = 0, as scikit-learn.
   */
  double[] silhouetteSums(int from, int to) {
    double[] sums = new double[assignments];
    double[][] distanceToSegment = new double[assignments][];
    for (int a = 0; a < assignments; a++) {
      distanceToSegment[a] = new double[segmentSizes[a].length];
    }
    for (int i = from; i < to; i++) {
      for (double[] d : distanceToSegment) {
        Arrays.fill(d, 0);
      }
      for (int j = 0; j < size; j++) {
        if (j != i) {
          double d = kernel.distance(numeric, codes, i, j);
          for (int a = 0, row = j * assignments; a < assignments; a++) {
            distanceToSegment[a][labels[row + a]] += d;
          }
        }
      }
      for (int a = 0; a < assignments; a++) {
        sums[a] += silhouette(labels[i * assignments + a], distanceToSegment[a], segmentSizes[a]);
      }
    }
    return sums;
  }

  private static double silhouette(int own, double[] distanceToSegment, int[] segmentSize) {
    if (segmentSize[own] <= 1) {
      return 0;
    }
    double within = distanceToSegment[own] / (segmentSize[own] - 1);
    double nearestOther = Double.POSITIVE_INFINITY;
    for (int s = 0; s < segmentSize.length; s++) {
      if (s != own && segmentSize[s] > 0) {
        nearestOther = Math.min(nearestOther, distanceToSegment[s] / segmentSize[s]);
      }
    }
    double scale = Math.max(within, nearestOther);
    return scale > 0 ? (nearestOther - within) / scale : 0;
  }
}

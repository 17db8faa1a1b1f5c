package dev.segments.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * K-Prototypes written straight from Huang (1998) with plain loops over rows, as an independent check of the
 * distributed implementation: assign every row to its nearest prototype (lowest index on ties), recompute weighted
 * means and modes (alphabetically first value on ties), repeat until no row changes cluster. An empty cluster takes
 * the row of positive weight farthest from its prototype (ties: smallest numeric values, then smallest category
 * values).
 */
final class ReferenceKPrototypes {
  record Result(int[] assignment, double[][] centers, String[][] modes, double cost) {}

  private final double[][] x;
  private final String[][] cats;
  private final double[] w;
  private final double gamma;

  ReferenceKPrototypes(double[][] x, String[][] cats, double[] w, double gamma) {
    this.x = x;
    this.cats = cats;
    this.w = w;
    this.gamma = gamma;
  }

  double distance(int i, double[] center, String[] mode) {
    double numericPart = 0;
    for (int f = 0; f < center.length; f++) {
      double diff = x[i][f] - center[f];
      numericPart += diff * diff;
    }
    int mismatches = 0;
    for (int f = 0; f < mode.length; f++) {
      if (!cats[i][f].equals(mode[f])) {
        mismatches++;
      }
    }
    return numericPart + gamma * mismatches;
  }

  Result fit(double[][] initialCenters, String[][] initialModes, int maxIter) {
    int k = initialCenters.length;
    double[][] centers = deepCopy(initialCenters);
    String[][] modes = Arrays.stream(initialModes).map(String[]::clone).toArray(String[][]::new);
    int[] assignment = assign(centers, modes);
    for (int iteration = 0; iteration < maxIter; iteration++) {
      update(assignment, centers, modes, k);
      int[] next = assign(centers, modes);
      boolean changed = !Arrays.equals(next, assignment);
      assignment = next;
      if (!changed) {
        break;
      }
    }
    double cost = 0;
    for (int i = 0; i < x.length; i++) {
      cost += w[i] * distance(i, centers[assignment[i]], modes[assignment[i]]);
    }
    return new Result(assignment, centers, modes, cost);
  }

  private int[] assign(double[][] centers, String[][] modes) {
    int[] assignment = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < centers.length; j++) {
        double d = distance(i, centers[j], modes[j]);
        if (d < best) {
          best = d;
          assignment[i] = j;
        }
      }
    }
    return assignment;
  }

  private void update(int[] assignment, double[][] centers, String[][] modes, int k) {
    double[][] oldCenters = deepCopy(centers);
    String[][] oldModes = Arrays.stream(modes).map(String[]::clone).toArray(String[][]::new);
    List<Integer> farthest = farthestFirst(assignment, oldCenters, oldModes);
    int nextFarthest = 0;
    for (int j = 0; j < k; j++) {
      double weight = 0;
      double[] sum = new double[centers[j].length];
      List<TreeMap<String, Double>> counts = new ArrayList<>();
      for (int f = 0; f < modes[j].length; f++) {
        counts.add(new TreeMap<>());
      }
      for (int i = 0; i < x.length; i++) {
        if (assignment[i] == j) {
          weight += w[i];
          for (int f = 0; f < sum.length; f++) {
            sum[f] += w[i] * x[i][f];
          }
          for (int f = 0; f < modes[j].length; f++) {
            counts.get(f).merge(cats[i][f], w[i], Double::sum);
          }
        }
      }
      if (weight == 0) {
        int row = farthest.get(nextFarthest++);
        centers[j] = x[row].clone();
        modes[j] = cats[row].clone();
        continue;
      }
      for (int f = 0; f < sum.length; f++) {
        centers[j][f] = sum[f] / weight;
      }
      for (int f = 0; f < modes[j].length; f++) {
        String best = null;
        for (var entry : counts.get(f).entrySet()) {
          if (best == null || entry.getValue() > counts.get(f).get(best)) {
            best = entry.getKey();
          }
        }
        modes[j][f] = best;
      }
    }
  }

  private List<Integer> farthestFirst(int[] assignment, double[][] centers, String[][] modes) {
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (w[i] > 0) {
        rows.add(i);
      }
    }
    Comparator<Integer> byDistance = Comparator.comparingDouble(
        i -> -distance(i, centers[assignment[i]], modes[assignment[i]]));
    rows.sort(byDistance.thenComparing((a, b) -> Arrays.compare(x[a], x[b]))
        .thenComparing((a, b) -> Arrays.compare(cats[a], cats[b])));
    return rows;
  }

  private static double[][] deepCopy(double[][] values) {
    return Arrays.stream(values).map(double[]::clone).toArray(double[][]::new);
  }
}

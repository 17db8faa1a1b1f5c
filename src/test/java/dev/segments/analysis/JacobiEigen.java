package dev.segments.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: the tests' independent reference. */
final class JacobiEigen {
  private final double[] values;
  private final double[][] vectors;  // vectors[k] is the k-th eigenvector, by decreasing eigenvalue

  private JacobiEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  double value(int k) {
    return values[k];
  }

  double[] vector(int k) {
    return vectors[k].clone();
  }

  static JacobiEigen of(double[][] symmetric) {
    int n = symmetric.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = symmetric[i].clone();
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-30) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {  // A <- A J (columns p, q)
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {  // A <- J^T A (rows p, q)
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < n; k++) {  // V <- V J
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    double[][] diagonal = a;
    Arrays.sort(order, Comparator.comparingDouble(i -> -diagonal[i][i]));
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int k = 0; k < n; k++) {
      values[k] = a[order[k]][order[k]];
      for (int i = 0; i < n; i++) {
        vectors[k][i] = v[i][order[k]];
      }
    }
    return new JacobiEigen(values, vectors);
  }
}

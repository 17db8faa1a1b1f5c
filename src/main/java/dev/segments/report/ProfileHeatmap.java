package dev.segments.report;

import java.util.List;

/**
 * Numeric features per segment: {@code zScores[s][f]} is how far segment {@code s}'s mean of feature {@code f} lies
 * from the overall mean, in overall standard deviations; {@code means[s][f]} is that mean in the feature's original
 * unit. Rows follow {@code segmentIds}, columns follow {@code features}.
 */
public record ProfileHeatmap(List<String> features, List<Integer> segmentIds, double[][] zScores, double[][] means) {

  public ProfileHeatmap {
    features = List.copyOf(features);
    segmentIds = List.copyOf(segmentIds);
    zScores = copyChecked(zScores, segmentIds.size(), features.size(), "z-scores");
    means = copyChecked(means, segmentIds.size(), features.size(), "means");
  }

  @Override
  public double[][] zScores() {
    return copyChecked(zScores, zScores.length, features.size(), "z-scores");
  }

  @Override
  public double[][] means() {
    return copyChecked(means, means.length, features.size(), "means");
  }

  double zScore(int segmentRow, int feature) {
    return zScores[segmentRow][feature];
  }

  double mean(int segmentRow, int feature) {
    return means[segmentRow][feature];
  }

  private static double[][] copyChecked(double[][] matrix, int rows, int columns, String what) {
    if (matrix.length != rows) {
      throw new IllegalArgumentException("profile " + what + " has " + matrix.length + " rows for " + rows + " segments");
    }
    double[][] copy = new double[rows][];
    for (int r = 0; r < rows; r++) {
      if (matrix[r].length != columns) {
        throw new IllegalArgumentException("profile " + what + " row " + r + " has " + matrix[r].length
            + " values for " + columns + " features");
      }
      copy[r] = matrix[r].clone();
    }
    return copy;
  }
}

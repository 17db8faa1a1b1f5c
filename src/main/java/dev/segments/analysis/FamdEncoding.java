package dev.segments.analysis;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The FAMD row encoding: numeric features as z-scores (population standard deviation; a constant feature is 0),
 * then for each categorical feature one column per level holding indicator / sqrt(p) - sqrt(p), p the level's
 * share. Both kinds have mean 0; a numeric feature has variance 1 and a categorical feature with J levels total
 * variance J - 1, the weighting under which PCA of the encoded table is FAMD (Pagès, 2004).
 */
final class FamdEncoding implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A categorical feature's levels: each kept value's index, and the share of every level by index. */
  record Levels(Map<String, Integer> index, double[] shares, boolean hasOtherLevel) implements Serializable {
    int otherIndex() {
      return shares.length - 1;
    }
  }

  private final double[] means;
  private final double[] stds;
  private final List<Levels> levels;
  private final int width;

  FamdEncoding(double[] means, double[] stds, List<Levels> levels) {
    this.means = means;
    this.stds = stds;
    this.levels = List.copyOf(levels);
    this.width = means.length + levels.stream().mapToInt(l -> l.shares().length).sum();
  }

  int width() {
    return width;
  }

  double mean(int f) {
    return means[f];
  }

  double std(int f) {
    return stds[f];
  }

  Levels levels(int c) {
    return levels.get(c);
  }

  /** Encodes a row holding the numeric features (as doubles) and then the categorical ones (as strings). */
  double[] encode(Row row) {
    double[] out = new double[width];
    int p = means.length;
    for (int f = 0; f < p; f++) {
      out[f] = stds[f] > 0 ? (row.getDouble(f) - means[f]) / stds[f] : 0;
    }
    int offset = p;
    for (int c = 0; c < levels.size(); c++) {
      Levels l = levels.get(c);
      double[] shares = l.shares();
      for (int j = 0; j < shares.length; j++) {
        out[offset + j] = -Math.sqrt(shares[j]);
      }
      Integer level = l.index().get(row.getString(p + c));
      int j = level != null ? level : l.otherIndex();
      out[offset + j] += 1 / Math.sqrt(shares[j]);
      offset += shares.length;
    }
    return out;
  }
}

package dev.segments.analysis;

import dev.segments.cluster.Prototype;
import java.util.List;

/**
 * What a segment looks like: its size, its share of customers and of revenue, each numeric feature's mean and
 * median in original units with the mean's z-score against the whole population, and each categorical feature's
 * most common values.
 */
public record SegmentProfile(int segmentId, long size, double share, double revenueShare, List<Numeric> numeric,
    List<Categorical> categorical) {

  public SegmentProfile {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
  }

  /** The segment's centre: numeric means in original units and each categorical feature's most common value. */
  public Prototype prototype() {
    return new Prototype(numeric.stream().mapToDouble(Numeric::mean).toArray(),
        categorical.stream().map(Categorical::mode).toArray(String[]::new));
  }

  /** z = (segment mean - population mean) / population standard deviation; 0 for a constant feature. */
  public record Numeric(String feature, double mean, double median, double z) {}

  /** The most common values, most common first (ties by value). */
  public record Categorical(String feature, List<CategoryShare> top) {
    public Categorical {
      top = List.copyOf(top);
    }

    /** The most common value. */
    public String mode() {
      return top.get(0).value();
    }

    /** The values with their shares as whole percentages, e.g. "Married 62% · Single 30% · Divorced 8%". */
    public String summary() {
      StringBuilder out = new StringBuilder();
      for (CategoryShare value : top) {
        if (out.length() > 0) {
          out.append(" · ");
        }
        out.append(value.value()).append(' ').append(Math.round(value.share() * 100)).append('%');
      }
      return out.toString();
    }
  }

  /** A value's share of the segment and of the whole population. */
  public record CategoryShare(String value, double share, double populationShare) {
    /** How over-represented the value is in the segment: share / population share. */
    public double lift() {
      return share / populationShare;
    }
  }
}

package dev.segments.features;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a feature's value for one customer comes from. Column names are those of the data contract; which sheet a
 * name refers to is fixed by the source (customer columns from the customers sheet, amounts from the sales sheet,
 * attributes from the products sheet).
 */
public sealed interface FeatureSource {

  /** The kind this source always yields, or empty when it follows the column's type (customer columns). */
  Optional<FeatureKind> impliedKind();

  /** A customers-sheet column as it is: a number column gives a numeric feature, a category column a categorical one. */
  record CustomerColumn(String column) implements FeatureSource {
    public CustomerColumn {
      requireName(column, "column");
    }

    @Override
    public Optional<FeatureKind> impliedKind() {
      return Optional.empty();
    }
  }

  /** The number of the customer's sales lines. */
  record SalesCount() implements FeatureSource {
    @Override
    public Optional<FeatureKind> impliedKind() {
      return Optional.of(FeatureKind.NUMERIC);
    }
  }

  /**
   * A statistic over the customer's sales lines of {@code amount}, or of {@code amount / divisor} when a divisor is
   * given, times {@code scale}. A line whose value is missing (blank amount, blank or zero divisor) is left out.
   *
   * @param divisor a sales column, or null for a plain amount
   */
  record SalesStatistic(Statistic statistic, String amount, String divisor, double scale) implements FeatureSource {
    public SalesStatistic {
      Objects.requireNonNull(statistic, "statistic");
      requireName(amount, "amount column");
      if (divisor != null) {
        requireName(divisor, "divisor column");
      }
      if (!(scale > 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException("scale must be a positive number, got " + scale);
      }
    }

    public static SalesStatistic of(Statistic statistic, String amount) {
      return new SalesStatistic(statistic, amount, null, 1);
    }

    public static SalesStatistic ratio(Statistic statistic, String amount, String divisor, double scale) {
      return new SalesStatistic(statistic, amount, divisor, scale);
    }

    @Override
    public Optional<FeatureKind> impliedKind() {
      return Optional.of(FeatureKind.NUMERIC);
    }
  }

  /** Days from a purchase to the run date, from the contract's sales date column. */
  record PurchaseDays(DateMeasure measure) implements FeatureSource {
    public PurchaseDays {
      Objects.requireNonNull(measure, "date measure");
    }

    @Override
    public Optional<FeatureKind> impliedKind() {
      return Optional.of(FeatureKind.NUMERIC);
    }
  }

  /**
   * The value of a products-sheet attribute the customer bought most often, counted in sales lines; a tie goes to
   * the value first in alphabetical order, so the result never depends on the order of the data.
   */
  record Favourite(String attribute) implements FeatureSource {
    public Favourite {
      requireName(attribute, "attribute");
    }

    @Override
    public Optional<FeatureKind> impliedKind() {
      return Optional.of(FeatureKind.CATEGORICAL);
    }
  }

  /** The share (0..1) of the customer's sales lines whose product has {@code attribute} equal to {@code value}. */
  record Share(String attribute, String value) implements FeatureSource {
    public Share {
      requireName(attribute, "attribute");
      Objects.requireNonNull(value, "share value");
    }

    @Override
    public Optional<FeatureKind> impliedKind() {
      return Optional.of(FeatureKind.NUMERIC);
    }
  }

  /** What a {@link SalesStatistic} computes over a customer's lines. */
  enum Statistic { SUM, MEAN, MIN, MAX }

  /** Which purchase a {@link PurchaseDays} counts from. */
  enum DateMeasure {
    /** Days from the customer's last purchase to the run date. */
    RECENCY,
    /** Days from the customer's first purchase to the run date. */
    TENURE
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " must be a column name, got " + (name == null ? "nothing" : "'" + name + "'"));
    }
  }
}

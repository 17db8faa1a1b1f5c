package dev.segments.generate;

import java.time.LocalDate;

/**
 * What to generate.
 *
 * @param customers good customer rows (bad rows come on top)
 * @param sales good sales lines (bad lines come on top)
 * @param products product rows, all good
 * @param seed the same seed and options give byte-identical files
 * @param badShare bad rows planted per sheet, as a share of its good rows (customers and sales); keep it under the
 *     contract's quarantine threshold (5 %) for a run to pass
 * @param asOf the newest purchase date; bad "future" dates lie 6 to 9 years after it
 * @param skew spread of a per-customer log-normal factor (mean 1) on income and on every premium: 0 (the sample's
 *     setting) keeps each group's amounts uniform within its range; 1 gives heavy right tails, as real books have
 * @param imbalance group shares are the planted shares raised to this power, renormalised: 1 keeps them, 0 makes
 *     the groups equal, 3 makes the two largest groups hold most customers
 * @param writeGroups also write {@value SheetGenerator#GROUPS_FILE} (each good customer's planted group), to
 *     measure how well a segmentation recovers the groups
 */
public record GeneratorOptions(int customers, long sales, int products, long seed, double badShare, LocalDate asOf,
    double skew, double imbalance, boolean writeGroups) {

  public static final int DEFAULT_CUSTOMERS = 3500;
  public static final long DEFAULT_SALES = 8000;
  public static final int DEFAULT_PRODUCTS = 20;
  public static final long DEFAULT_SEED = 42;
  public static final double DEFAULT_BAD_SHARE = 0.01;
  public static final LocalDate DEFAULT_AS_OF = LocalDate.of(2025, 12, 15);

  public static final double DEFAULT_SKEW = 0;
  public static final double DEFAULT_IMBALANCE = 1;

  /** The sample's shape (no extra skew, the planted shares) without the groups file. */
  public GeneratorOptions(int customers, long sales, int products, long seed, double badShare, LocalDate asOf) {
    this(customers, sales, products, seed, badShare, asOf, DEFAULT_SKEW, DEFAULT_IMBALANCE, false);
  }

  public GeneratorOptions {
    if (customers < 1) {
      throw new IllegalArgumentException("customers must be at least 1, got " + customers);
    }
    if (sales < 0) {
      throw new IllegalArgumentException("sales must be 0 or more, got " + sales);
    }
    if (products < 1) {
      throw new IllegalArgumentException("products must be at least 1, got " + products);
    }
    if (!(badShare >= 0 && badShare <= 0.5)) {
      throw new IllegalArgumentException("bad share must be within 0..0.5, got " + badShare);
    }
    if (!(skew >= 0 && skew <= 3)) {
      throw new IllegalArgumentException("skew must be within 0..3, got " + skew);
    }
    if (!(imbalance >= 0 && imbalance <= 10)) {
      throw new IllegalArgumentException("imbalance must be within 0..10, got " + imbalance);
    }
  }

  /** The bundled sample's options: 3,500 customers, 8,000 sales lines, 20 products, 1 % bad rows, seed 42. */
  public static GeneratorOptions defaults() {
    return new GeneratorOptions(DEFAULT_CUSTOMERS, DEFAULT_SALES, DEFAULT_PRODUCTS, DEFAULT_SEED, DEFAULT_BAD_SHARE,
        DEFAULT_AS_OF);
  }
}

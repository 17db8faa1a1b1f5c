package dev.segments.features;

import dev.segments.features.FeatureSource.CustomerColumn;
import dev.segments.features.FeatureSource.Favourite;
import dev.segments.features.FeatureSource.SalesStatistic;
import dev.segments.features.FeatureSource.Share;
import dev.segments.ingest.ColumnRule;
import dev.segments.ingest.ColumnType;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.SheetContract;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Whether one feature can be computed from the sheets a contract describes. */
final class FeatureContractCheck {
  private FeatureContractCheck() {}

  private static final Set<ColumnType> NUMBERS = EnumSet.of(ColumnType.INTEGER, ColumnType.DECIMAL);
  /** Labels are display text (the contract says so) and dates are only read through recency and tenure. */
  private static final Set<ColumnType> CATEGORIES = EnumSet.of(ColumnType.CATEGORY, ColumnType.STRING);

  static void check(Feature feature, DataContract contract) {
    FeatureSource source = feature.source();
    if (source instanceof CustomerColumn c) {
      ColumnRule rule = column(feature, contract, contract.customers(), c.column());
      if (c.column().equals(contract.customers().key())) {
        throw new IllegalArgumentException(where(feature, contract.customers(), c.column())
            + " is the customer key; it identifies customers and cannot be a feature");
      }
      requireType(feature, contract.customers(), rule,
          feature.kind() == FeatureKind.NUMERIC ? NUMBERS : CATEGORIES, feature.kind() == FeatureKind.NUMERIC
              ? "a numeric feature needs a number column" : "a categorical feature needs a category column");
    } else if (source instanceof SalesStatistic s) {
      requireType(feature, contract.sales(), column(feature, contract, contract.sales(), s.amount()), NUMBERS,
          "a sales aggregate needs a number column");
      if (s.divisor() != null) {
        requireType(feature, contract.sales(), column(feature, contract, contract.sales(), s.divisor()), NUMBERS,
            "a ratio needs a number column");
      }
    } else if (source instanceof Favourite f) {
      requireAttribute(feature, contract, f.attribute());
    } else if (source instanceof Share s) {
      requireAttribute(feature, contract, s.attribute());
    }
    // Counts and date measures read only columns the contract itself guarantees.
  }

  private static void requireAttribute(Feature feature, DataContract contract, String attribute) {
    requireType(feature, contract.products(), column(feature, contract, contract.products(), attribute), CATEGORIES,
        "a product attribute must be a category column");
  }

  private static ColumnRule column(Feature feature, DataContract contract, SheetContract sheet, String column) {
    if (contract.personalColumns().stream().anyMatch(p -> p.equalsIgnoreCase(column))) {
      throw new IllegalArgumentException(where(feature, sheet, column) + " holds personal data and may never be a feature");
    }
    return sheet.column(column).orElseThrow(() -> new IllegalArgumentException(
        where(feature, sheet, column) + " is not in the contract; the sheet's columns are "
            + sheet.columns().stream().map(ColumnRule::name).toList()));
  }

  private static void requireType(Feature feature, SheetContract sheet, ColumnRule rule, Set<ColumnType> allowed,
      String expectation) {
    if (!allowed.contains(rule.type())) {
      throw new IllegalArgumentException(where(feature, sheet, rule.name()) + " is of type "
          + rule.type().name().toLowerCase(Locale.ROOT) + "; " + expectation);
    }
  }

  private static String where(Feature feature, SheetContract sheet, String column) {
    return "feature '" + feature.name() + "': column '" + column + "' of sheet '" + sheet.name() + "'";
  }
}

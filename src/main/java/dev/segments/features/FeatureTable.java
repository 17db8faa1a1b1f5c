package dev.segments.features;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The features of every customer, ready for clustering: one row per customer of the customers sheet, those without
 * sales included, and no missing values (see {@link FeatureTableBuilder} for how gaps are filled).
 *
 * @param rows {@value #CUSTOMER_ID} (string), then each feature by name in spec order (double for numeric, string
 *     for categorical), then {@value #HAS_SALES} (boolean); built on a persisted per-customer table
 * @param numericFeatures names of the numeric feature columns, in spec order
 * @param categoricalFeatures names of the categorical feature columns, in spec order
 * @param customerKey the name of the column that identifies the customer, {@value #CUSTOMER_ID}
 */
public record FeatureTable(
    Dataset<Row> rows, List<String> numericFeatures, List<String> categoricalFeatures, String customerKey) {

  public static final String CUSTOMER_ID = "customer_id";
  public static final String HAS_SALES = "has_sales";

  public FeatureTable {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(customerKey, "customer key");
    numericFeatures = List.copyOf(numericFeatures);
    categoricalFeatures = List.copyOf(categoricalFeatures);
  }
}

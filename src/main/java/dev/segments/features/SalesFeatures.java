package dev.segments.features;

import static dev.segments.features.ContractColumns.column;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.segments.features.FeatureSource.DateMeasure;
import dev.segments.features.FeatureSource.Favourite;
import dev.segments.features.FeatureSource.PurchaseDays;
import dev.segments.features.FeatureSource.SalesCount;
import dev.segments.features.FeatureSource.SalesStatistic;
import dev.segments.features.FeatureSource.Share;
import dev.segments.ingest.DataContract;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The sales-derived features of the customers that have sales, keyed by {@link FeatureTable#CUSTOMER_ID}: every
 * count, statistic, date measure and share in one aggregation over the sales lines, and all favourites from one
 * further count of lines per customer and product attributes (so two passes over sales, whatever the spec).
 */
final class SalesFeatures {

  private static final String COUNT_COLUMN = "lines";

  private final DataContract contract;
  private final Column runDate;
  /** Product attribute (contract name) to the name it carries on a sales line, in first-use order. */
  private final Map<String, String> attributeAliases = new LinkedHashMap<>();

  SalesFeatures(DataContract contract, FeatureSpec spec, LocalDate runDate) {
    this.contract = contract;
    this.runDate = to_date(lit(runDate.toString()));
    for (Feature feature : spec.features()) {
      String attribute = feature.source() instanceof Favourite f ? f.attribute()
          : feature.source() instanceof Share s ? s.attribute() : null;
      if (attribute != null) {
        attributeAliases.putIfAbsent(attribute, "product_attribute_" + attributeAliases.size());
      }
    }
  }

  /** One row per customer with sales: {@link FeatureTable#HAS_SALES} (true) and every aggregate feature. */
  Dataset<Row> aggregates(Dataset<Row> lines, FeatureSpec spec) {
    List<Column> aggregates = new ArrayList<>();
    for (Feature feature : spec.features()) {
      Column aggregate = aggregate(feature.source());
      if (aggregate != null) {
        aggregates.add(aggregate.cast(DataTypes.DoubleType).as(feature.name()));
      }
    }
    return lines.groupBy(col(FeatureTable.CUSTOMER_ID))
        .agg(lit(true).as(FeatureTable.HAS_SALES), aggregates.toArray(Column[]::new));
  }

  /** One table per favourite feature: customers with sales and their favourite value, by feature. */
  List<Dataset<Row>> favourites(Dataset<Row> lines, FeatureSpec spec) {
    List<Feature> favourites = spec.features().stream().filter(f -> f.source() instanceof Favourite).toList();
    if (favourites.isEmpty()) {
      return List.of();
    }
    List<Column> keys = new ArrayList<>();
    keys.add(col(FeatureTable.CUSTOMER_ID));
    favourites.stream().map(f -> attributeAliases.get(((Favourite) f.source()).attribute())).distinct()
        .forEach(alias -> keys.add(col(alias)));
    // Spark reuses this one shuffle for every favourite below, as their plans share it.
    Dataset<Row> counts = lines.groupBy(keys.toArray(Column[]::new)).agg(count(lit(1)).as(COUNT_COLUMN));
    List<Dataset<Row>> tables = new ArrayList<>();
    for (Feature feature : favourites) {
      String alias = attributeAliases.get(((Favourite) feature.source()).attribute());
      // The smallest (-count, value) is the most bought value, ties going to the first in alphabetical order.
      tables.add(counts.where(col(alias).isNotNull())
          .groupBy(col(FeatureTable.CUSTOMER_ID), col(alias))
          .agg(sum(col(COUNT_COLUMN)).as(COUNT_COLUMN))
          .groupBy(col(FeatureTable.CUSTOMER_ID))
          .agg(min(struct(col(COUNT_COLUMN).multiply(-1).as("rank"), col(alias).as("value"))).getField("value")
              .as(feature.name())));
    }
    return tables;
  }

  /** The sales lines with the customer as {@link FeatureTable#CUSTOMER_ID} and the product attributes the spec uses. */
  Dataset<Row> lines(Dataset<Row> sales, Dataset<Row> products) {
    Dataset<Row> lines = sales.withColumn(FeatureTable.CUSTOMER_ID,
        column(contract.sales().columnReferencing(DataContract.CUSTOMERS).name()).cast(DataTypes.StringType));
    if (attributeAliases.isEmpty()) {
      return lines;
    }
    String productKey = "product_key";
    List<Column> attributes = new ArrayList<>();
    attributes.add(column(contract.products().key()).as(productKey));
    attributeAliases.forEach((attribute, alias) -> attributes.add(column(attribute).cast(DataTypes.StringType).as(alias)));
    // The products sheet is a catalogue: small enough to send to every executor instead of shuffling the sales.
    Dataset<Row> catalogue = broadcast(products.select(attributes.toArray(Column[]::new)));
    Column salesProduct = lines.col(ContractColumns.quoted(
        contract.sales().columnReferencing(DataContract.PRODUCTS).name()));
    return lines.join(catalogue, salesProduct.equalTo(catalogue.col(productKey)), "left").drop(productKey);
  }

  private Column aggregate(FeatureSource source) {
    if (source instanceof SalesCount) {
      return count(lit(1));
    }
    if (source instanceof SalesStatistic s) {
      Column value = column(s.amount()).cast(DataTypes.DoubleType);
      if (s.divisor() != null) {
        Column divisor = column(s.divisor()).cast(DataTypes.DoubleType);
        // Null, not an error or infinity, for a zero divisor: the line is left out like a blank one.
        value = when(divisor.notEqual(0), value.divide(divisor));
      }
      value = value.multiply(s.scale());
      return switch (s.statistic()) {
        case SUM -> sum(value);
        case MEAN -> avg(value);
        case MIN -> min(value);
        case MAX -> max(value);
      };
    }
    if (source instanceof PurchaseDays d) {
      Column date = column(contract.salesDate());
      return datediff(runDate, d.measure() == DateMeasure.RECENCY ? max(date) : min(date));
    }
    if (source instanceof Share s) {
      Column matches = when(col(attributeAliases.get(s.attribute())).equalTo(s.value()), 1.0).otherwise(0.0);
      return avg(matches);
    }
    return null;
  }
}

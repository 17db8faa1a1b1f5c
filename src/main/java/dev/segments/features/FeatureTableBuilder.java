package dev.segments.features;

import static dev.segments.features.ContractColumns.column;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.segments.features.FeatureSource.CustomerColumn;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Builds the feature table from the contract's typed sheets.
 *
 * <p>Every customer of the customers sheet gets one row; sales are assumed to lie on or before the run date (the
 * contract quarantines later ones). Missing values are filled so that clustering sees none:
 * <ul>
 *   <li>count, sum and share of a customer without sales: 0;</li>
 *   <li>mean, min, max (of an amount or a ratio), recency and tenure without sales, and a blank number column of
 *       the customers sheet: the exact median over the customers that have a value (0 if none has);</li>
 *   <li>favourite without sales: {@code "none"}; a blank category column: {@code "unknown"}.</li>
 * </ul>
 * The number of values filled is logged per feature.
 */
public final class FeatureTableBuilder {
  private FeatureTableBuilder() {}

  /**
   * @param tables the typed sheets, as {@code ingest} returns them
   * @param contract the contract they follow; the spec is validated against it
   * @param runDate recency and tenure are counted in days up to this date
   * @throws IllegalArgumentException when the spec does not fit the contract
   */
  public static FeatureTable build(IngestResult tables, DataContract contract, FeatureSpec spec, LocalDate runDate) {
    spec.validateAgainst(contract);
    SalesFeatures sales = new SalesFeatures(contract, spec, runDate);
    Dataset<Row> lines = sales.lines(tables.sales(), tables.products());

    Dataset<Row> joined = customerColumns(tables.customers(), contract, spec)
        .join(sales.aggregates(lines, spec), FeatureTable.CUSTOMER_ID, "left");
    for (Dataset<Row> favourite : sales.favourites(lines, spec)) {
      joined = joined.join(favourite, FeatureTable.CUSTOMER_ID, "left");
    }
    List<Column> ordered = new ArrayList<>();
    ordered.add(col(FeatureTable.CUSTOMER_ID));
    spec.features().forEach(f -> ordered.add(col(f.name())));
    ordered.add(coalesce(col(FeatureTable.HAS_SALES), lit(false)).as(FeatureTable.HAS_SALES));
    // Persisted because the medians need a pass over it before the filled rows can be read.
    Dataset<Row> raw = joined.select(ordered.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());

    return new FeatureTable(Imputation.fill(raw, spec), spec.names(FeatureKind.NUMERIC),
        spec.names(FeatureKind.CATEGORICAL), FeatureTable.CUSTOMER_ID);
  }

  private static Dataset<Row> customerColumns(Dataset<Row> customers, DataContract contract, FeatureSpec spec) {
    List<Column> columns = new ArrayList<>();
    columns.add(column(contract.customers().key()).cast(DataTypes.StringType).as(FeatureTable.CUSTOMER_ID));
    for (Feature feature : spec.features()) {
      if (feature.source() instanceof CustomerColumn c) {
        columns.add(column(c.column())
            .cast(feature.kind() == FeatureKind.NUMERIC ? DataTypes.DoubleType : DataTypes.StringType)
            .as(feature.name()));
      }
    }
    return customers.select(columns.toArray(Column[]::new));
  }
}

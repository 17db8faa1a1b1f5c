package dev.segments.pipeline;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;

import dev.segments.analysis.StableSegmentIds;
import dev.segments.analysis.ProductAffinity;
import dev.segments.features.FeatureTable;
import dev.segments.ingest.ColumnRule;
import dev.segments.ingest.ColumnType;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.SheetContract;
import dev.segments.report.RunSummary;
import dev.segments.sink.OutputTable;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Shapes the run's results into the output tables (README, "Outputs"). Column names are snake_case; the sales line gets
 * the names the reporting views use (policy_id, premium, product_type, ...) whatever the sheets call them, and a
 * view column the layout lacks is present and null, so every view answers for every layout.
 */
final class OutputTables {
  static final String RUN_ID = "run_id";
  /** The product attribute whose values customer_segments.next_best_product offers. */
  static final String PRODUCT_TYPE = "product_type";
  static final String NEXT_BEST_PRODUCT = "next_best_product";
  /**
   * The customers sheet's contact preferences as customer_segments names them, for the cross-sell list: the
   * customers column whose name reads so in snake_case ({@code Preferred_Channel}, {@code preferred channel}), null
   * where the layout has none; a categorical feature of that name (the default spec has both) already is it.
   */
  static final List<String> CONTACT_COLUMNS = List.of("preferred_channel", "preferred_time");

  /** Columns the reporting views read from sales_enriched, with their types, beyond the role columns. */
  private static final Map<String, DataType> VIEW_COLUMNS = viewColumns();

  private OutputTables() {}

  private static Map<String, DataType> viewColumns() {
    Map<String, DataType> columns = new LinkedHashMap<>();
    columns.put("coverage", DataTypes.DoubleType);
    columns.put("product_name", DataTypes.StringType);
    columns.put("product_type", DataTypes.StringType);
    columns.put("product_category", DataTypes.StringType);
    columns.put("age", DataTypes.IntegerType);
    columns.put("gender", DataTypes.StringType);
    columns.put("city", DataTypes.StringType);
    columns.put("marital_status", DataTypes.StringType);
    columns.put("income", DataTypes.DoubleType);
    return columns;
  }

  /** Prepends run_date and run_id, the columns every output table starts with. */
  static Dataset<Row> stamped(Dataset<Row> table, LocalDate runDate, String runId) {
    List<Column> columns = new ArrayList<>();
    columns.add(lit(java.sql.Date.valueOf(runDate)).as(OutputTable.RUN_DATE));
    columns.add(lit(runId).as(RUN_ID));
    for (String name : table.columns()) {
      columns.add(col(name));
    }
    return table.select(columns.toArray(Column[]::new));
  }

  /** Each sale joined to its product, its customer's attributes and the customer's segment. */
  static Dataset<Row> salesEnriched(IngestResult tables, DataContract contract, Dataset<Row> segments) {
    SheetContract sales = contract.sales();
    String customerRef = sales.columnReferencing(DataContract.CUSTOMERS).name();
    String productRef = sales.columnReferencing(DataContract.PRODUCTS).name();
    List<Column> saleColumns = new ArrayList<>();
    saleColumns.add(col(sales.key()).as("policy_id"));
    saleColumns.add(col(customerRef).as("customer_id"));
    saleColumns.add(col(productRef).as("product_id"));
    saleColumns.add(col(contract.salesDate()).as("purchase_date"));
    saleColumns.add(col(contract.salesAmount()).as("premium"));
    for (ColumnRule rule : sales.columns()) {
      if (!List.of(sales.key(), customerRef, productRef, contract.salesDate(), contract.salesAmount())
          .contains(rule.name())) {
        saleColumns.add(col(rule.name()).as(snakeCase(rule.name())));
      }
    }
    Dataset<Row> lines = tables.sales().select(saleColumns.toArray(Column[]::new));

    SheetContract products = contract.products();
    List<Column> productColumns = new ArrayList<>();
    productColumns.add(col(products.key()).as("_product_key"));
    for (ColumnRule rule : products.columns()) {
      if (!rule.name().equals(products.key())) {
        productColumns.add(col(rule.name()).as(productColumnName(rule.name())));
      }
    }
    Dataset<Row> productAttributes = tables.products().select(productColumns.toArray(Column[]::new));

    SheetContract customers = contract.customers();
    List<Column> customerColumns = new ArrayList<>();
    customerColumns.add(col(customers.key()).as("_customer_key"));
    for (ColumnRule rule : customers.columns()) {
      if (!rule.name().equals(customers.key())) {
        customerColumns.add(col(rule.name()).as(snakeCase(rule.name())));
      }
    }
    Dataset<Row> customerAttributes = tables.customers().select(customerColumns.toArray(Column[]::new));
    Dataset<Row> segmentOf = segments.select(col("customer_id").as("_segment_customer"),
        col(StableSegmentIds.SEGMENT_ID), col(SegmentStep.SEGMENT_NAME));

    Dataset<Row> joined = lines
        .join(broadcast(productAttributes), col("product_id").equalTo(col("_product_key")), "left")
        .drop("_product_key")
        .join(customerAttributes, col("customer_id").equalTo(col("_customer_key")), "left")
        .drop("_customer_key")
        .join(segmentOf, col("customer_id").equalTo(col("_segment_customer")), "left")
        .drop("_segment_customer");
    for (Map.Entry<String, DataType> column : VIEW_COLUMNS.entrySet()) {
      if (!List.of(joined.columns()).contains(column.getKey())) {
        joined = joined.withColumn(column.getKey(), lit(null).cast(column.getValue()));
      }
    }
    return joined;
  }

  /**
   * The products sheet's category columns as sales_enriched names them ({@code product_type},
   * {@code product_category}): the attributes segment_product_affinity counts holders of.
   */
  static List<String> productAttributes(DataContract contract) {
    SheetContract products = contract.products();
    return products.columns().stream()
        .filter(rule -> rule.type() == ColumnType.CATEGORY && !rule.name().equals(products.key()))
        .map(rule -> productColumnName(rule.name()))
        .toList();
  }

  /**
   * customer_segments with {@value #NEXT_BEST_PRODUCT} (see {@link ProductAffinity#nextBest}) and the
   * {@link #CONTACT_COLUMNS} added: the product types each customer holds come from the sales lines, the contact
   * preferences from the customers sheet.
   */
  static Dataset<Row> withCrossSell(Dataset<Row> customerSegments, Dataset<Row> salesEnriched, IngestResult tables,
      DataContract contract, Map<Integer, List<String>> offers) {
    Dataset<Row> held = salesEnriched.groupBy(col("customer_id").as("_held_customer"))
        .agg(collect_set(col(PRODUCT_TYPE)).as("_held"));
    SheetContract customers = contract.customers();
    List<Column> contact = new ArrayList<>(List.of(col(customers.key()).as("_contact_customer")));
    List<String> present = List.of(customerSegments.columns());
    for (String name : CONTACT_COLUMNS.stream().filter(c -> !present.contains(c)).toList()) {
      contact.add(customers.columns().stream().filter(rule -> snakeCase(rule.name()).equals(name)).findFirst()
          .map(rule -> col(rule.name()).cast(DataTypes.StringType))
          .orElse(lit(null).cast(DataTypes.StringType)).as(name));
    }
    return customerSegments
        .join(held, col(FeatureTable.CUSTOMER_ID).equalTo(col("_held_customer")), "left")
        .withColumn(NEXT_BEST_PRODUCT, ProductAffinity.nextBest(col(StableSegmentIds.SEGMENT_ID), col("_held"), offers))
        .drop("_held_customer", "_held")
        .join(tables.customers().select(contact.toArray(Column[]::new)),
            col(FeatureTable.CUSTOMER_ID).equalTo(col("_contact_customer")), "left")
        .drop("_contact_customer");
  }

  /** Product attributes carry a product_ prefix ("Category" becomes product_category) unless they have one. */
  static String productColumnName(String column) {
    String snake = snakeCase(column);
    return snake.startsWith("product_") ? snake : "product_" + snake;
  }

  /** {@code Marital_Status} and {@code maritalStatus} both become {@code marital_status}. */
  static String snakeCase(String name) {
    return name.trim()
        .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
        .toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_")
        .replaceAll("^_|_$", "");
  }

  /** The run's one model_runs row. */
  static Dataset<Row> modelRun(SparkSession spark, RunSummary run, RuntimeVersions versions) {
    StructType schema = new StructType()
        .add("as_of", DataTypes.DateType, false)
        .add("started_at", DataTypes.TimestampType, false)
        .add("k", DataTypes.IntegerType, false)
        .add("gamma", DataTypes.DoubleType, false)
        .add("cost", DataTypes.DoubleType, false)
        .add("silhouette", DataTypes.DoubleType, true)
        .add("iterations", DataTypes.IntegerType, false)
        .add("rows_read", DataTypes.LongType, false)
        .add("rows_quarantined", DataTypes.LongType, false)
        .add("duration_s", DataTypes.DoubleType, false)
        .add("version", DataTypes.StringType, false)
        .add("connector_version", DataTypes.StringType, true)
        .add("runtime_version", DataTypes.StringType, true);
    Row row = RowFactory.create(java.sql.Date.valueOf(run.asOf()), Timestamp.from(run.startedAt()), run.k(),
        run.gamma(), run.cost(), Double.isNaN(run.silhouette()) ? null : run.silhouette(), run.iterations(),
        run.rowsRead(), run.rowsQuarantined(), run.duration().toMillis() / 1000.0, run.version(),
        versions.bigQueryConnector().orElse(null), versions.dataprocRuntime().orElse(null));
    return spark.createDataFrame(List.of(row), schema);
  }
}

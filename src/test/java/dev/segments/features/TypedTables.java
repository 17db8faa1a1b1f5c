package dev.segments.features;

import dev.segments.LocalSpark;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.Quarantine;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Typed sheets in the default layout's shape, as ingest hands them on, built directly from rows. */
final class TypedTables {
  private TypedTables() {}

  static final StructType CUSTOMERS = new StructType()
      .add("Customer_ID", DataTypes.StringType, false)
      .add("Age", DataTypes.IntegerType, true)
      .add("Income", DataTypes.DoubleType, true)
      .add("Gender", DataTypes.StringType, true)
      .add("City", DataTypes.StringType, true)
      .add("Marital_Status", DataTypes.StringType, true)
      .add("Education", DataTypes.StringType, true)
      .add("Occupation", DataTypes.StringType, true)
      .add("Preferred_Language", DataTypes.StringType, true)
      .add("Preferred_Channel", DataTypes.StringType, true)
      .add("Preferred_Time", DataTypes.StringType, true);

  static final StructType PRODUCTS = new StructType()
      .add("Product_ID", DataTypes.StringType, false)
      .add("Product_Name", DataTypes.StringType, true)
      .add("Product_Type", DataTypes.StringType, false)
      .add("Category", DataTypes.StringType, false);

  static final StructType SALES = new StructType()
      .add("Policy_ID", DataTypes.StringType, false)
      .add("Customer_ID", DataTypes.StringType, false)
      .add("Product_ID", DataTypes.StringType, false)
      .add("Purchase_Date", DataTypes.DateType, false)
      .add("Premium", DataTypes.DoubleType, false)
      .add("Coverage", DataTypes.DoubleType, true);

  static IngestResult of(List<Row> customers, List<Row> products, List<Row> sales) {
    return of(frame(customers, CUSTOMERS), frame(products, PRODUCTS), frame(sales, SALES));
  }

  static IngestResult of(Dataset<Row> customers, Dataset<Row> products, Dataset<Row> sales) {
    Dataset<Row> noQuarantine = LocalSpark.session().createDataFrame(List.of(), Quarantine.SCHEMA);
    return new IngestResult(customers, products, sales, noQuarantine, List.of());
  }

  static Dataset<Row> frame(List<Row> rows, StructType schema) {
    return LocalSpark.session().createDataFrame(rows, schema);
  }
}

package dev.segments.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.SharedDatasets;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default spec on the users' real policy book (3446 customers, 3464 policies), checked against a plain-Java
 * reading of the same CSV lines.
 */
class SeedProjectFeatureTableTest {

  private static final LocalDate RUN_DATE = LocalDate.of(2025, 12, 15);
  private static Path seed;

  private static IngestResult tables;
  private static FeatureTable table;

  @BeforeAll
  static void build() throws IOException {
    seed = SharedDatasets.folder("seed_project");
    tables = readSeedProject();
    table = FeatureTableBuilder.build(tables, DataContract.defaultLayout(), FeatureSpec.defaultSpec(), RUN_DATE);
  }

  @Test
  void oneRowPerCustomerAndNoNulls() {
    Dataset<Row> rows = table.rows();
    Column anyNull = lit(false);
    for (String column : rows.columns()) {
      anyNull = anyNull.or(col(column).isNull());
    }
    Row counts = rows.agg(count(lit(1)), countDistinct(col(FeatureTable.CUSTOMER_ID)),
        sum(when(anyNull, 1).otherwise(0)), sum(when(col(FeatureTable.HAS_SALES), 1).otherwise(0))).first();
    assertEquals(3446L, counts.getLong(0));
    assertEquals(3446L, counts.getLong(1));
    assertEquals(0L, counts.getLong(2));
    assertEquals(3446L, counts.getLong(3)); // every customer of the seed data has at least one policy
  }

  @Test
  void featuresMatchAPlainJavaReadingOfTheCsv() throws IOException {
    List<String[]> sales = csvLines("sales.csv");
    Map<String, List<String[]>> salesByCustomer = sales.stream().collect(Collectors.groupingBy(s -> s[1]));
    String mostPolicies = salesByCustomer.entrySet().stream()
        .max(Comparator.comparingInt((Map.Entry<String, List<String[]>> e) -> e.getValue().size())).orElseThrow()
        .getKey();
    String withDayFirstDate = sales.stream().filter(s -> Integer.parseInt(s[3].split("/")[0]) > 12)
        .findFirst().orElseThrow()[1];
    for (String customer : List.of(mostPolicies, withDayFirstDate)) {
      assertMatchesCsv(customer, salesByCustomer.get(customer));
    }
  }

  @Test
  void inferenceWithDataDropsCategoriesWithOneOrNearlyUniqueValues() {
    Dataset<Row> customers = tables.customers()
        .withColumn("Preferred_Time", lit("Morning"))
        .withColumn("City", col("Customer_ID"));
    FeatureSpec spec = FeatureSpec.inferFrom(DataContract.defaultLayout(), customers);
    assertEquals(List.of("gender", "marital_status", "education", "occupation", "preferred_language",
        "preferred_channel", "favourite_product_type", "favourite_category"), spec.names(FeatureKind.CATEGORICAL));
  }

  /**
   * With one policy per customer, recency_days and tenure_days are the same number (and total_premium and
   * mean_premium): the later of each pair is left out of the clustering, and no two features clustered together
   * correlate above the threshold (measured here apart from the check).
   */
  @Test
  void noTwoFeaturesClusteredTogetherSayOneThing() {
    FeatureTableChecks.Checked checked =
        FeatureTableChecks.checked(table, FeatureTableChecks.summarise(table, 0.95), 50, 0.5, 0.95);
    assertTrue(checked.correlated().stream().anyMatch(c -> c.feature().equals("tenure_days")
        && c.kept().equals("recency_days")), checked.correlated().toString());
    assertTrue(checked.table().numericFeatures().contains("tenure_days"), "kept for the profiles");
    List<String> clustered = checked.clusteredNumeric();
    assertTrue(clustered.contains("recency_days") && !clustered.contains("tenure_days"), clustered.toString());
    List<Column> pairs = new java.util.ArrayList<>();
    List<String> names = new java.util.ArrayList<>();
    for (int j = 1; j < clustered.size(); j++) {
      for (int i = 0; i < j; i++) {
        pairs.add(org.apache.spark.sql.functions.corr(col(clustered.get(i)).cast("double"),
            col(clustered.get(j)).cast("double")));
        names.add(clustered.get(i) + " and " + clustered.get(j));
      }
    }
    Row r = table.rows().agg(pairs.get(0), pairs.subList(1, pairs.size()).toArray(Column[]::new)).first();
    for (int at = 0; at < names.size(); at++) {
      double correlation = r.isNullAt(at) ? 0 : r.getDouble(at);
      assertTrue(!(Math.abs(correlation) > 0.95), names.get(at) + ": " + correlation);
    }
  }

  private static void assertMatchesCsv(String customer, List<String[]> lines) throws IOException {
    Map<String, String[]> products = csvLines("products.csv").stream().collect(Collectors.toMap(p -> p[0], p -> p));
    String[] person = csvLines("customers.csv").stream().filter(c -> c[0].equals(customer)).findFirst().orElseThrow();
    double total = 0;
    double ratioTotal = 0;
    LocalDate first = LocalDate.MAX;
    LocalDate last = LocalDate.MIN;
    Map<String, Integer> byType = new TreeMap<>();
    Map<String, Integer> byCategory = new TreeMap<>();
    for (String[] line : lines) {
      double premium = Double.parseDouble(line[4]);
      total += premium;
      ratioTotal += premium / Double.parseDouble(line[5]) * 100;
      LocalDate date = purchaseDate(line[3]);
      first = date.isBefore(first) ? date : first;
      last = date.isAfter(last) ? date : last;
      byType.merge(products.get(line[2])[2], 1, Integer::sum);
      byCategory.merge(products.get(line[2])[3], 1, Integer::sum);
    }
    Row row = table.rows().where(col(FeatureTable.CUSTOMER_ID).equalTo(customer)).first();
    String where = " of " + customer;
    assertEquals(Double.parseDouble(person[1]), row.<Double>getAs("age"), 0, "age" + where);
    assertEquals(Double.parseDouble(person[7]), row.<Double>getAs("income"), 1e-9, "income" + where);
    assertEquals(person[4], row.getAs("marital_status"), "marital_status" + where);
    assertEquals(person[3], row.getAs("city"), "city" + where);
    assertEquals(lines.size(), row.<Double>getAs("policies"), 0, "policies" + where);
    assertEquals(total, row.<Double>getAs("total_premium"), 1e-6, "total_premium" + where);
    assertEquals(total / lines.size(), row.<Double>getAs("mean_premium"), 1e-6, "mean_premium" + where);
    assertEquals(ratioTotal / lines.size(), row.<Double>getAs("premium_to_coverage"), 1e-9, "ratio" + where);
    assertEquals(ChronoUnit.DAYS.between(last, RUN_DATE), row.<Double>getAs("recency_days"), 0, "recency" + where);
    assertEquals(ChronoUnit.DAYS.between(first, RUN_DATE), row.<Double>getAs("tenure_days"), 0, "tenure" + where);
    assertEquals(favourite(byType), row.getAs("favourite_product_type"), "favourite type" + where);
    assertEquals(favourite(byCategory), row.getAs("favourite_category"), "favourite category" + where);
    assertTrue(row.<Boolean>getAs(FeatureTable.HAS_SALES));
  }

  /** Most lines; the TreeMap's order makes the alphabetically first value win a tie, as the spec promises. */
  private static String favourite(Map<String, Integer> counts) {
    String best = null;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (best == null || e.getValue() > counts.get(best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  /** Month first as most rows are written; the three rows whose first part is over 12 are day first. */
  private static LocalDate purchaseDate(String text) {
    String[] parts = text.split("/");
    int a = Integer.parseInt(parts[0]);
    int b = Integer.parseInt(parts[1]);
    int year = Integer.parseInt(parts[2]);
    return a > 12 ? LocalDate.of(year, b, a) : LocalDate.of(year, a, b);
  }

  private static List<String[]> csvLines(String file) throws IOException {
    return Files.readAllLines(seed.resolve(file)).stream().skip(1)
        .map(line -> line.replace("\"", "").split(",", -1)).toList();
  }

  /**
   * The seed CSVs in the typed shape ingest produces, read with no more care than this data needs: the typed
   * schemas (no inference pass), and the purchase date split by hand because three of its rows are day first.
   */
  private static IngestResult readSeedProject() throws IOException {
    SparkSession spark = LocalSpark.session();
    Dataset<Row> customers = csv(spark, "customers.csv", TypedTables.CUSTOMERS);
    Dataset<Row> products = csv(spark, "products.csv", TypedTables.PRODUCTS);
    Column parts = split(col("Purchase_Date"), "/");
    Column first = element_at(parts, 1).cast(DataTypes.IntegerType);
    Column second = element_at(parts, 2).cast(DataTypes.IntegerType);
    Column year = element_at(parts, 3).cast(DataTypes.IntegerType);
    Dataset<Row> sales = csv(spark, "sales.csv", TypedTables.SALES).withColumn("Purchase_Date",
        when(first.gt(12), make_date(year, second, first)).otherwise(make_date(year, first, second)));
    assertEquals(0L, sales.where(col("Purchase_Date").isNull()).count(), "purchase dates the test could not read");
    return TypedTables.of(customers, products, sales);
  }

  /** Reads a CSV with the typed schema's column types in the file's column order; dates are read as text. */
  private static Dataset<Row> csv(SparkSession spark, String file, StructType typed) throws IOException {
    String header = Files.readAllLines(seed.resolve(file)).get(0).replace("\"", "");
    StructType schema = new StructType();
    for (String name : header.split(",")) {
      StructField field = typed.apply(name);
      schema = schema.add(name, field.dataType() == DataTypes.DateType ? DataTypes.StringType : field.dataType());
    }
    return spark.read().option("header", "true").option("enforceSchema", "false").schema(schema)
        .csv(seed.resolve(file).toString());
  }
}

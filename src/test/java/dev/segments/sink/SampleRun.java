package dev.segments.sink;

import dev.segments.LocalSpark;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small hand-made run outputs following the pipeline's table contract, and the plain rows they were made of. */
final class SampleRun {
  record Sale(String policyId, String customerId, String productId, String productType, String productCategory,
      LocalDate purchaseDate, double premium, Double coverage, Integer age, int segmentId, String segmentName) {}

  record Member(String customerId, int segmentId, String segmentName) {}

  static final StructType SALES_ENRICHED = new StructType()
      .add("run_date", DataTypes.DateType).add("run_id", DataTypes.StringType)
      .add("policy_id", DataTypes.StringType).add("customer_id", DataTypes.StringType)
      .add("product_id", DataTypes.StringType).add("purchase_date", DataTypes.DateType)
      .add("premium", DataTypes.DoubleType).add("coverage", DataTypes.DoubleType)
      .add("product_name", DataTypes.StringType).add("product_type", DataTypes.StringType)
      .add("product_category", DataTypes.StringType).add("age", DataTypes.IntegerType)
      .add("gender", DataTypes.StringType).add("city", DataTypes.StringType)
      .add("marital_status", DataTypes.StringType).add("income", DataTypes.DoubleType)
      .add("segment_id", DataTypes.IntegerType).add("segment_name", DataTypes.StringType);
  static final StructType CUSTOMER_SEGMENTS = new StructType()
      .add("run_date", DataTypes.DateType).add("run_id", DataTypes.StringType)
      .add("customer_id", DataTypes.StringType).add("segment_id", DataTypes.IntegerType)
      .add("segment_name", DataTypes.StringType).add("distance", DataTypes.DoubleType)
      .add("runner_up_segment_id", DataTypes.IntegerType).add("confidence", DataTypes.DoubleType)
      .add("borderline", DataTypes.BooleanType).add("reasons", DataTypes.StringType)
      .add("famd_1", DataTypes.DoubleType).add("famd_2", DataTypes.DoubleType)
      .add("has_sales", DataTypes.BooleanType).add("age", DataTypes.IntegerType)
      .add("next_best_product", DataTypes.StringType).add("preferred_channel", DataTypes.StringType)
      .add("preferred_time", DataTypes.StringType);
  static final StructType SEGMENT_PRODUCT_AFFINITY = new StructType()
      .add("run_date", DataTypes.DateType).add("run_id", DataTypes.StringType)
      .add("attribute", DataTypes.StringType).add("value", DataTypes.StringType)
      .add("segment_id", DataTypes.IntegerType).add("holders_in_segment", DataTypes.LongType)
      .add("share_in_segment", DataTypes.DoubleType).add("share_overall", DataTypes.DoubleType)
      .add("lift", DataTypes.DoubleType);
  static final StructType SEGMENT_PROFILES = new StructType()
      .add("run_date", DataTypes.DateType).add("run_id", DataTypes.StringType)
      .add("segment_id", DataTypes.IntegerType).add("segment_name", DataTypes.StringType)
      .add("size", DataTypes.LongType).add("share", DataTypes.DoubleType)
      .add("revenue_share", DataTypes.DoubleType).add("age_mean", DataTypes.DoubleType);
  static final StructType MODEL_RUNS = new StructType()
      .add("run_date", DataTypes.DateType).add("run_id", DataTypes.StringType)
      .add("as_of", DataTypes.DateType).add("started_at", DataTypes.TimestampType)
      .add("k", DataTypes.IntegerType).add("gamma", DataTypes.DoubleType).add("cost", DataTypes.DoubleType)
      .add("silhouette", DataTypes.DoubleType).add("iterations", DataTypes.IntegerType)
      .add("rows_read", DataTypes.LongType).add("rows_quarantined", DataTypes.LongType)
      .add("duration_s", DataTypes.DoubleType).add("version", DataTypes.StringType);
  static final StructType QUARANTINE = new StructType()
      .add("run_date", DataTypes.DateType).add("run_id", DataTypes.StringType)
      .add("sheet", DataTypes.StringType).add("row", DataTypes.LongType).add("column", DataTypes.StringType)
      .add("value", DataTypes.StringType).add("reason", DataTypes.StringType);
  static final StructType K_SELECTION = new StructType()
      .add("run_date", DataTypes.DateType).add("run_id", DataTypes.StringType)
      .add("k", DataTypes.IntegerType).add("cost", DataTypes.DoubleType)
      .add("silhouette", DataTypes.DoubleType).add("stability", DataTypes.DoubleType)
      .add("chosen", DataTypes.BooleanType).add("reason", DataTypes.StringType);

  final String runId;
  final LocalDate runDate;
  final List<Sale> sales;
  final List<Member> members;

  SampleRun(String runId, LocalDate runDate, List<Sale> sales, List<Member> members) {
    this.runId = runId;
    this.runDate = runDate;
    this.sales = sales;
    this.members = members;
  }

  /** Customers are those of the sales (segment taken from their sales) plus those given without sales. */
  static SampleRun of(String runId, LocalDate runDate, List<Sale> sales, List<Member> withoutSales) {
    Map<String, Member> members = new LinkedHashMap<>();
    for (Sale sale : sales) {
      members.put(sale.customerId(), new Member(sale.customerId(), sale.segmentId(), sale.segmentName()));
    }
    withoutSales.forEach(m -> members.put(m.customerId(), m));
    return new SampleRun(runId, runDate, sales, new ArrayList<>(members.values()));
  }

  static Sale sale(String policyId, String customerId, String productId, String purchaseDate, double premium,
      Double coverage, Integer age, int segmentId) {
    String type = switch (productId) {
      case "P1" -> "Health";
      case "P2" -> "Life";
      default -> "Auto";
    };
    String category = productId.equals("P2") ? "Family" : "Individual";
    return new Sale(policyId, customerId, productId, type, category, LocalDate.parse(purchaseDate), premium,
        coverage, age, segmentId, "segment " + segmentId);
  }

  RunOutputs outputs() {
    return outputs(Map.of());
  }

  /** The outputs, with some tables replaced (to inject failures). */
  RunOutputs outputs(Map<String, Dataset<Row>> replaced) {
    SparkSession spark = LocalSpark.session();
    Date date = Date.valueOf(runDate);
    List<Row> salesRows = sales.stream().map(s -> RowFactory.create(date, runId, s.policyId(), s.customerId(),
        s.productId(), Date.valueOf(s.purchaseDate()), s.premium(), s.coverage(), "Product " + s.productId(),
        s.productType(), s.productCategory(), s.age(), "F", "Leeds", "single", 30000.0, s.segmentId(),
        s.segmentName())).toList();
    Map<Integer, Long> sizes = members.stream().collect(Collectors.groupingBy(Member::segmentId, Collectors.counting()));
    List<Row> affinityRows = productTypeLifts(sizes);
    List<Row> memberRows = members.stream().map(m -> RowFactory.create(date, runId, m.customerId(), m.segmentId(),
        m.segmentName(), 0.5, null, 0.9, false, "income 30k (segment ~30k, runner-up ~50k)", 1.0, -1.0,
        sales.stream().anyMatch(s -> s.customerId().equals(m.customerId())), 40, nextBestProduct(m, affinityRows),
        "phone", "morning")).toList();
    List<Row> profileRows = sizes.entrySet().stream().map(e -> RowFactory.create(date, runId, e.getKey(),
        "segment " + e.getKey(), e.getValue(), e.getValue() / (double) members.size(), 0.5, 41.0)).toList();
    List<Row> modelRows = List.of(RowFactory.create(date, runId, date, Timestamp.valueOf("2024-01-01 02:00:00"),
        sizes.size(), 0.7, 12.5, null, 4, (long) sales.size(), 0L, 3.5, "0.1.0"));
    List<Row> kRows = List.of(RowFactory.create(date, runId, 2, 12.5, 0.4, 0.9, true, "highest Gower silhouette"),
        RowFactory.create(date, runId, 3, 10.0, 0.3, null, false, "silhouette 0.30 below the best 0.40"));
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put("customer_segments", spark.createDataFrame(memberRows, CUSTOMER_SEGMENTS));
    tables.put("segment_profiles", spark.createDataFrame(profileRows, SEGMENT_PROFILES));
    tables.put("sales_enriched", spark.createDataFrame(salesRows, SALES_ENRICHED));
    tables.put("model_runs", spark.createDataFrame(modelRows, MODEL_RUNS));
    tables.put("quarantine", spark.createDataFrame(List.of(), QUARANTINE));
    tables.put("k_selection", spark.createDataFrame(kRows, K_SELECTION));
    tables.put("segment_product_affinity", spark.createDataFrame(affinityRows, SEGMENT_PRODUCT_AFFINITY));
    tables.putAll(replaced);
    return new RunOutputs(runId, runDate, tables, Map.of("report.html", ("<html>" + runId + "</html>").getBytes()));
  }

  /** segment_product_affinity's product_type rows: holders per segment and type, their shares and lift. */
  private List<Row> productTypeLifts(Map<Integer, Long> sizes) {
    Date date = Date.valueOf(runDate);
    Map<String, Set<String>> holdersOf = new TreeMap<>();
    sales.forEach(s -> holdersOf.computeIfAbsent(s.productType(), t -> new TreeSet<>()).add(s.customerId()));
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Set<String>> type : holdersOf.entrySet()) {
      double overall = type.getValue().size() / (double) members.size();
      for (Map.Entry<Integer, Long> segment : new TreeMap<>(sizes).entrySet()) {
        long holders = members.stream().filter(m -> m.segmentId() == segment.getKey()
            && type.getValue().contains(m.customerId())).count();
        if (holders > 0) {
          double share = holders / (double) segment.getValue();
          rows.add(RowFactory.create(date, runId, "product_type", type.getKey(), segment.getKey(), holders, share,
              overall, share / overall));
        }
      }
    }
    return rows;
  }

  /** The highest-lift type of the member's segment, above lift 1, that the member does not hold; else null. */
  private String nextBestProduct(Member member, List<Row> affinityRows) {
    Set<String> held = sales.stream().filter(s -> s.customerId().equals(member.customerId())).map(Sale::productType)
        .collect(Collectors.toSet());
    return affinityRows.stream().filter(r -> r.getInt(4) == member.segmentId() && r.getDouble(8) > 1
            && !held.contains(r.getString(3)))
        .max(java.util.Comparator.comparingDouble(r -> r.getDouble(8))).map(r -> r.getString(3)).orElse(null);
  }
}

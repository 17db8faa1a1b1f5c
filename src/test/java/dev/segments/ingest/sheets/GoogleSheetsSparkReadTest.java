package dev.segments.ingest.sheets;

import static dev.segments.ingest.sheets.GoogleSheetsSourceTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.LocalSpark;
import dev.segments.ingest.SheetSource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class GoogleSheetsSparkReadTest {

  @Test
  void readBuildsRawSheetsOfTextColumnsAndRowNumbers() throws Exception {
    try (FakeSheetsApi api = new FakeSheetsApi("raw1")) {
      api.tab("sales", List.of(
          row("Policy_ID", "Customer_ID", "Purchase_Date", "Premium"),
          row("P1", "C1", 44927, new BigDecimal("1204.5")),
          row(),
          row("P2", "C2", "14/04/2007")));
      api.tab("products", List.of(row("Product_ID", "Product_Type")));
      api.tab("customers", List.of());
      SheetSource source = new GoogleSheetsSource(
          SheetsSourceConfig.forSpreadsheet("raw1").withRootUrl(api.rootUrl()), GoogleSheetsSourceTest.testCredentials());

      Map<String, Dataset<Row>> sheets = source.read(LocalSpark.session(), List.of("sales", "products", "customers"));

      assertEquals(List.of("sales", "products", "customers"), List.copyOf(sheets.keySet()));
      StructType expected = new StructType()
          .add("Policy_ID", DataTypes.StringType, true)
          .add("Customer_ID", DataTypes.StringType, true)
          .add("Purchase_Date", DataTypes.StringType, true)
          .add("Premium", DataTypes.StringType, true)
          .add(SheetSource.ROW_NUMBER, DataTypes.LongType, false);
      Dataset<Row> sales = sheets.get("sales");
      assertEquals(expected, sales.schema());
      List<Row> rows = new ArrayList<>(sales.collectAsList());
      rows.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex(SheetSource.ROW_NUMBER))));
      assertEquals(2, rows.size());
      assertEquals(Arrays.asList("P1", "C1", "44927", "1204.5", 2L), rowValues(rows.get(0)));
      assertEquals(Arrays.asList("P2", "C2", "14/04/2007", null, 4L), rowValues(rows.get(1)));

      Dataset<Row> products = sheets.get("products");
      assertEquals(List.of("Product_ID", "Product_Type", SheetSource.ROW_NUMBER), Arrays.asList(products.columns()));
      assertEquals(List.of(), products.collectAsList());
      // A tab with nothing in it has no header: the contract then reports its columns as missing.
      assertEquals(List.of(SheetSource.ROW_NUMBER), Arrays.asList(sheets.get("customers").columns()));
    }
  }

  private static List<Object> rowValues(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    return Arrays.asList(values);
  }
}

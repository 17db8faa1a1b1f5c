package dev.segments.ingest;

import dev.segments.LocalSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Writes small CSV sheets into a folder and reads them back the way the pipeline does. */
final class SheetFolder {
  static final String CUSTOMERS_HEADER = "Customer_ID,Age,Gender,City,Marital_Status,Education,Occupation,Income,"
      + "Preferred_Language,Preferred_Channel,Preferred_Time";
  static final String PRODUCTS_HEADER = "\"Product_ID\",\"Product_Name\",\"Product_Type\",\"Category\"";
  static final String SALES_HEADER = "Policy_ID,Customer_ID,Product_ID,Purchase_Date,Premium,Coverage";

  private final Path folder;

  SheetFolder(Path folder) {
    this.folder = folder;
  }

  SheetFolder write(String sheet, String header, List<String> rows) {
    try {
      Files.writeString(folder.resolve(sheet + ".csv"), header + "\n" + String.join("\n", rows) + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  Map<String, Dataset<Row>> read(String... sheets) {
    return new CsvSheetSource(folder).read(LocalSpark.session(), List.of(sheets));
  }

  Map<String, Dataset<Row>> readAll() {
    return read("customers", "products", "sales");
  }

  /** The default layout with a threshold no test data reaches, so single bad rows can be checked. */
  static DataContract tolerant(DataContract contract) {
    return new DataContract(contract.customers(), contract.products(), contract.sales(), contract.salesDate(),
        contract.salesAmount(), contract.dateOrder(), 1.0, contract.maxRowDrop(), contract.personalColumns());
  }

  static DataContract withDateOrder(DataContract contract, DateOrder order) {
    return new DataContract(contract.customers(), contract.products(), contract.sales(), contract.salesDate(),
        contract.salesAmount(), order, contract.maxQuarantineShare(), contract.maxRowDrop(),
        contract.personalColumns());
  }
}

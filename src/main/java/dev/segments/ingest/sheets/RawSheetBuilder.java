package dev.segments.ingest.sheets;

import dev.segments.ingest.SheetSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Collects fetched rows as Spark rows of the raw-sheet shape of {@link SheetSource}. */
final class RawSheetBuilder implements SheetRowsConsumer {
  private final Map<String, StructType> schemas = new LinkedHashMap<>();
  private final Map<String, List<Row>> rows = new LinkedHashMap<>();

  @Override
  public void header(String sheet, List<String> columns) {
    StructType schema = new StructType();
    for (String column : columns) {
      schema = schema.add(column, DataTypes.StringType, true);
    }
    schemas.put(sheet, schema.add(SheetSource.ROW_NUMBER, DataTypes.LongType, false));
    rows.put(sheet, new ArrayList<>());
  }

  @Override
  public void row(String sheet, long rowNumber, String[] cells) {
    Object[] values = new Object[cells.length + 1];
    System.arraycopy(cells, 0, values, 0, cells.length);
    values[cells.length] = rowNumber;
    rows.get(sheet).add(RowFactory.create(values));
  }

  /** The raw sheets in the order asked; the collected rows are handed to Spark and no longer held here. */
  Map<String, Dataset<Row>> build(SparkSession spark, List<String> sheetNames) {
    Map<String, Dataset<Row>> sheets = new LinkedHashMap<>();
    for (String sheet : sheetNames) {
      sheets.put(sheet, spark.createDataFrame(rows.remove(sheet), schemas.get(sheet)));
    }
    return sheets;
  }
}

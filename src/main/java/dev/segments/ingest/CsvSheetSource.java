package dev.segments.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Sheets exported as CSV files into one folder, one file per sheet: {@code <folder>/<sheet name>.csv}, UTF-8 (a
 * byte-order mark is dropped), a header row, fields quoted with {@code "} where needed (a quote inside a quoted field
 * is doubled). Every cell is read as text; a cell of only spaces is blank. A quoted field must not span lines: files
 * are split across tasks by line, which is what lets a 10-million-line export load in parallel.
 */
public final class CsvSheetSource implements SheetSource {
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private final Path folder;

  public CsvSheetSource(Path folder) {
    this.folder = folder;
  }

  @Override
  public Map<String, Dataset<Row>> read(SparkSession spark, List<String> sheetNames) {
    Map<String, Dataset<Row>> sheets = new LinkedHashMap<>();
    for (String name : sheetNames) {
      Path file = folder.resolve(name + ".csv");
      if (!Files.isRegularFile(file)) {
        throw new MissingSheetException(name, "folder " + folder + " (expected the file " + file.getFileName() + ")");
      }
      sheets.put(name, readSheet(spark, file));
    }
    return sheets;
  }

  private static Dataset<Row> readSheet(SparkSession spark, Path file) {
    Dataset<Row> csv = spark.read()
        .option("header", "true")
        .option("inferSchema", "false")
        .option("encoding", "UTF-8")
        .option("quote", "\"")
        .option("escape", "\"")
        .option("mode", "PERMISSIVE")
        // Sheets exports keep a cell's line breaks inside quotes; reading record by record keeps such a row whole
        // (at the price of one reader per file).
        .option("multiLine", "true")
        .csv(file.toAbsolutePath().toString());
    StructType schema = new StructType();
    for (String header : csv.columns()) {
      String name = !header.isEmpty() && header.charAt(0) == BYTE_ORDER_MARK ? header.substring(1) : header;
      schema = schema.add(name, DataTypes.StringType, true);
    }
    schema = schema.add(ROW_NUMBER, DataTypes.LongType, false);
    // Records come back in file order, so an index over them is the order of the sheet's rows.
    JavaRDD<Row> numbered = csv.javaRDD().zipWithIndex().map(new NumberedRow());
    return spark.createDataFrame(numbered, schema);
  }

  @Override
  public String describe() {
    return "csv folder " + folder;
  }

  /** The row's cells, blank ones as null, then its sheet row number (data row 0 is sheet row 2). */
  private static final class NumberedRow implements Function<Tuple2<Row, Long>, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Row call(Tuple2<Row, Long> indexed) {
      Row row = indexed._1();
      Object[] cells = new Object[row.length() + 1];
      for (int i = 0; i < row.length(); i++) {
        String cell = row.getString(i);
        cells[i] = cell == null || cell.isBlank() ? null : cell;
      }
      cells[row.length()] = indexed._2() + 2;
      return RowFactory.create(cells);
    }
  }
}

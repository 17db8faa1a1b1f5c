package dev.segments.ingest;

import dev.segments.contract.ContractException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sheets exported as CSV files into one folder, one file per sheet: {@code <folder>/<sheet name>.csv} in the
 * configured encoding (UTF-8 by default, or the sheet's own; a byte-order mark is dropped), a header row, cells split by RFC 4180. Every
 * line is accounted for: each record becomes one raw row numbered by the line it starts on (the header is line 1),
 * and a record that cannot be read into the header's shape (an unclosed quote, more cells than the header) becomes a
 * row with the problem in {@link SheetSource#RECORD_PROBLEM} and only the cells read before it; the rules are those of
 * {@link CsvRecords}. A cell of only spaces is blank; a blank header cell is named {@code _c<position>} (from 0).
 *
 * <p>A file is read in one Spark task, streaming, as Spark's own multi-line CSV reader does: a quoted cell may hold
 * line breaks, so a file cannot be split by lines between tasks. The header is read on the driver first.
 */
public final class CsvSheetSource implements SheetSource {
  private static final Logger LOG = LoggerFactory.getLogger(CsvSheetSource.class);

  private final Path folder;
  private final CsvOptions options;

  public CsvSheetSource(Path folder) {
    this(folder, CsvOptions.defaults());
  }

  public CsvSheetSource(Path folder, CsvOptions options) {
    this.folder = folder;
    this.options = options;
  }

  @Override
  public Map<String, Dataset<Row>> read(SparkSession spark, List<String> sheetNames) {
    Map<String, Dataset<Row>> sheets = new LinkedHashMap<>();
    for (String name : sheetNames) {
      sheets.put(name, readSheet(spark, name, fileOf(name)));
    }
    return sheets;
  }

  /**
   * The sheet's file, {@code <folder>/<name>.csv}. A name that is not a plain file name ({@code ../outside/customers})
   * is refused, and so is a symbolic link that leads outside the folder (to another folder's CSV, to a system file):
   * only files inside the input folder are read, and nothing of a refused file is read or shown.
   */
  private Path fileOf(String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
      throw new ContractException("sheet '" + name + "': a CSV sheet's name is its file's name in the input folder"
          + " and cannot hold a path; rename the sheet in the contract");
    }
    Path file = folder.resolve(name + ".csv");
    if (!Files.isRegularFile(file)) {
      throw new MissingSheetException(name, "folder " + folder + " (expected the file " + file.getFileName() + ")");
    }
    try {
      if (Files.isSymbolicLink(file) && !file.toRealPath().startsWith(folder.toRealPath())) {
        throw new ContractException("sheet '" + name + "': " + file.getFileName() + " is a symbolic link to a file"
            + " outside the input folder " + folder + ", which is not read; copy the file into the folder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + file, e);
    }
    return file;
  }

  private Dataset<Row> readSheet(SparkSession spark, String sheet, Path file) {
    List<String> header = header(sheet, file, options.charset(sheet), options.maxCellLines());
    HeaderMatch.requireReadableAndUnique(sheet, header);
    StructType schema = new StructType();
    for (String name : header) {
      schema = schema.add(name, DataTypes.StringType, true);
    }
    schema = schema.add(ROW_NUMBER, DataTypes.LongType, false)
        .add(RECORD_PROBLEM, DataTypes.StringType, true)
        .add(RECORD_RULE, DataTypes.StringType, true);
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(file.toAbsolutePath().toString()), 1)
        .mapPartitions(new FileRows(header.size(), options.encodingOf(sheet), options.maxCellLines()));
    return spark.createDataFrame(rows, schema);
  }

  /** The header's cell texts, blank ones named by position. */
  static List<String> header(String sheet, Path file, Charset charset, int maxCellLines) {
    try (CsvLines lines = new CsvLines(Files.newInputStream(file), file.getFileName().toString(), charset)) {
      CsvRecords.Record header = new CsvRecords(lines, 0, maxCellLines).next();
      if (header == null) {
        throw new ContractException("sheet '" + sheet + "': file " + file.getFileName()
            + " is empty; it needs at least a header row");
      }
      if (header.broken()) {
        throw new ContractException("sheet '" + sheet + "': the header row (line " + header.line()
            + ") cannot be read: " + header.problem());
      }
      List<String> names = new ArrayList<>();
      String[] cells = header.cells();
      for (int i = 0; i < cells.length; i++) {
        names.add(cells[i].isBlank() ? "_c" + i : cells[i]);
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public String describe() {
    return "csv folder " + folder + " (" + options.encoding()
        + (options.sheetEncodings().isEmpty() ? "" : ", " + options.sheetEncodings()) + ")";
  }

  /** Reads one file (the partition's only element is its path) into raw rows, streaming. */
  private static final class FileRows implements FlatMapFunction<Iterator<String>, Row> {
    private static final long serialVersionUID = 1L;

    private final int width;
    private final String encoding;
    private final int maxCellLines;

    FileRows(int width, String encoding, int maxCellLines) {
      this.width = width;
      this.encoding = encoding;
      this.maxCellLines = maxCellLines;
    }

    @Override
    public Iterator<Row> call(Iterator<String> paths) throws IOException {
      if (!paths.hasNext()) {
        return Collections.emptyIterator();
      }
      Path file = Path.of(paths.next());
      InputStream in = Files.newInputStream(file);
      CsvLines lines = new CsvLines(in, file.getFileName().toString(), Charset.forName(encoding));
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskCompletionListener) context -> closeQuietly(lines));
      }
      CsvRecords records = new CsvRecords(lines, 0, maxCellLines);
      records.next();
      CsvRecords body = new CsvRecords(lines, width, maxCellLines);
      return new Iterator<>() {
        private CsvRecords.Record next = advance();

        private CsvRecords.Record advance() {
          try {
            CsvRecords.Record record = body.next();
            if (record == null) {
              if (body.skippedEmptyLines() > 0) {
                LOG.warn("{}: {} empty lines skipped", file.getFileName(), body.skippedEmptyLines());
              }
              lines.close();
            }
            return record;
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
          }
        }

        @Override
        public boolean hasNext() {
          return next != null;
        }

        @Override
        public Row next() {
          if (next == null) {
            throw new NoSuchElementException();
          }
          Row row = toRow(next);
          next = advance();
          return row;
        }
      };
    }

    private Row toRow(CsvRecords.Record record) {
      Object[] values = new Object[width + 3];
      String[] cells = record.cells();
      for (int i = 0; i < Math.min(width, cells.length); i++) {
        values[i] = cells[i] == null || cells[i].isBlank() ? null : cells[i];
      }
      values[width] = record.line();
      values[width + 1] = record.problem();
      values[width + 2] = record.rule();
      return RowFactory.create(values);
    }

    private static void closeQuietly(CsvLines lines) {
      try {
        lines.close();
      } catch (IOException e) {
        LOG.debug("closing a CSV file after its task", e);
      }
    }
  }
}

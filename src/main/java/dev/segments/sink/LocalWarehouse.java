package dev.segments.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to a local folder: Parquet tables partitioned by run date, a DuckDB file with the tables and views, and
 * the run's files, all inside one version folder that {@code <out>/current} points to:
 * <pre>
 * out/current -> versions/&lt;run id&gt;        (relative symbolic link, swapped atomically)
 * out/versions/&lt;run id&gt;/&lt;table&gt;/run_date=YYYY-MM-DD/part-*.parquet
 * out/versions/&lt;run id&gt;/segments.duckdb
 * out/versions/&lt;run id&gt;/report.html ...     (the run's files)
 * out/versions/&lt;run id&gt;/_MANIFEST.json
 * </pre>
 * A publish builds a new version folder (other run dates hard-linked from the current version, this run date written
 * by Spark), then swaps the link; until then {@code current} is untouched, and a failure removes the new folder.
 * Written for the driver's local disk: run Spark in local mode, or give a folder every executor shares.
 */
public final class LocalWarehouse implements Warehouse {
  public static final int DEFAULT_RETAINED_VERSIONS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(LocalWarehouse.class);
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern UNSAFE_IN_FOLDER_NAME = Pattern.compile("[^A-Za-z0-9._-]");
  private static final String LOCK_FILE = ".publish.lock";

  private final VersionFolders folders;
  private final SparkSession spark;
  private final int retainedVersions;
  private final DuckDbSnapshot duckDb;
  /** The publish lock while a run holds it (see {@link #reserve}). */
  private FileLock reservation;

  public LocalWarehouse(Path outputFolder, SparkSession spark) {
    this(outputFolder, spark, DEFAULT_RETAINED_VERSIONS);
  }

  /** @param retainedVersions published versions kept, the current one included (at least 1) */
  public LocalWarehouse(Path outputFolder, SparkSession spark, int retainedVersions) {
    if (retainedVersions < 1) {
      throw new IllegalArgumentException("retained versions must be at least 1, got " + retainedVersions);
    }
    this.folders = new VersionFolders(outputFolder);
    this.spark = spark;
    this.retainedVersions = retainedVersions;
    this.duckDb = new DuckDbSnapshot(ViewCatalog.load());
  }

  /** The link readers use: {@code <out>/current}. */
  public Path current() {
    return folders.current();
  }

  /**
   * Checks that the output folder can be written (creating it and {@code versions/}, then a probe file) and takes
   * the publish lock, held until the reservation is closed: a second run on the same folder stops at once.
   *
   * @throws OutputFolderException when the folder cannot be written
   * @throws OutputInUseException when another run holds the lock
   */
  @Override
  public synchronized Reservation reserve() {
    Path versions = folders.root().resolve(VersionFolders.VERSIONS);
    try {
      Files.createDirectories(versions);
      Files.delete(Files.createTempFile(versions, ".write-check", ""));
    } catch (IOException e) {
      throw new OutputFolderException("the output folder " + folders.root() + " cannot be written ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + "); fix its permissions or choose another with"
          + " --output");
    }
    FileLock lock = tryLock();
    reservation = lock;
    return () -> release(lock);
  }

  private synchronized void release(FileLock lock) {
    try {
      lock.channel().close();
    } catch (IOException e) {
      LOG.warn("Could not release the publish lock of {}", folders.root(), e);
    }
    if (reservation == lock) {
      reservation = null;
    }
  }

  private FileLock tryLock() {
    Path lockPath = folders.root().resolve(LOCK_FILE);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldInThisJvm) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new OutputInUseException("another run is using the output folder " + folders.root() + " (it holds "
            + lockPath.getFileName() + "); wait for it to finish, or choose another folder with --output");
      }
      return lock;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new OutputFolderException("the output folder " + folders.root() + " cannot be locked ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock was not taken; nothing is held
      }
    }
  }

  @Override
  public void publish(RunOutputs outputs) {
    validate(outputs);
    synchronized (this) {
      if (reservation != null && reservation.isValid()) {
        publishReserved(outputs);
        return;
      }
    }
    try (Reservation held = reserve()) {
      publishReserved(outputs);
    }
  }

  private void publishReserved(RunOutputs outputs) {
    try {
      publishLocked(outputs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish run " + outputs.runId() + " to " + folders.root(), e);
    }
    folders.prune(retainedVersions);
  }

  private void publishLocked(RunOutputs outputs) throws IOException {
    var previous = folders.currentVersion();
    Path version = folders.createVersion(UNSAFE_IN_FOLDER_NAME.matcher(outputs.runId()).replaceAll("_"));
    LOG.info("Publishing run {} ({}) into {}", outputs.runId(), outputs.runDate(), version);
    try {
      Set<String> tables = new LinkedHashSet<>();
      if (previous.isPresent()) {
        tables.addAll(folders.carryOverPartitions(previous.get(), version, outputs.runDate()));
      }
      for (Map.Entry<String, Dataset<Row>> table : outputs.tables().entrySet()) {
        Path partition = version.resolve(table.getKey()).resolve(OutputTable.RUN_DATE + "=" + outputs.runDate());
        // The partition folder carries the date; the column itself would repeat it in every file. The explicit
        // scheme keeps Spark on the local disk whatever the session's default file system.
        table.getValue().drop(OutputTable.RUN_DATE).write().mode(SaveMode.ErrorIfExists)
            .parquet("file://" + partition);
        tables.add(table.getKey());
      }
      for (Map.Entry<String, byte[]> file : outputs.files().entrySet()) {
        Files.write(version.resolve(file.getKey()), file.getValue());
      }
      DuckDbSnapshot.RowCounts rows = duckDb.build(version, tables, outputs.runDate());
      long sequence = previous.flatMap(PublishManifest::readFrom).map(m -> m.sequence() + 1).orElse(1L);
      new PublishManifest(outputs.runId(), outputs.runDate().toString(), sequence, Instant.now().toString(),
          rows.total(), rows.runDate()).writeInto(version);
      folders.makeCurrent(version);
      LOG.info("Published run {}: {} rows by table for {}", outputs.runId(), rows.runDate(), outputs.runDate());
    } catch (Exception e) {
      try {
        VersionFolders.deleteTree(version);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("cannot publish run " + outputs.runId() + ": " + e.getMessage(), e);
    }
  }

  private static void validate(RunOutputs outputs) {
    for (Map.Entry<String, Dataset<Row>> table : outputs.tables().entrySet()) {
      if (!TABLE_NAME.matcher(table.getKey()).matches()) {
        throw new IllegalArgumentException("table name " + table.getKey() + " must be lower case letters, digits, _");
      }
      StructField[] fields = table.getValue().schema().fields();
      boolean hasRunDate = false;
      for (StructField field : fields) {
        hasRunDate |= field.name().equals(OutputTable.RUN_DATE) && field.dataType().equals(DataTypes.DateType);
      }
      if (!hasRunDate) {
        throw new IllegalArgumentException("table " + table.getKey() + " has no run_date column of type date");
      }
    }
    for (String file : outputs.files().keySet()) {
      if (!FILE_NAME.matcher(file).matches() || file.equals(DuckDbSnapshot.FILE_NAME)
          || outputs.tables().containsKey(file)) {
        throw new IllegalArgumentException("file name " + file + " must be a plain name, not a table's or "
            + DuckDbSnapshot.FILE_NAME);
      }
    }
  }

  @Override
  public Optional<Dataset<Row>> recentBefore(String table, LocalDate runDate, int nights) {
    Path tableFolder = folders.current().resolve(table);
    if (!Files.isDirectory(tableFolder)) {
      return Optional.empty();
    }
    List<LocalDate> recent;
    try (Stream<Path> partitions = Files.list(tableFolder)) {
      recent = partitions.map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith(OutputTable.RUN_DATE + "="))
          .map(name -> LocalDate.parse(name.substring(OutputTable.RUN_DATE.length() + 1)))
          .filter(date -> date.isBefore(runDate))
          .sorted(Comparator.reverseOrder())
          .limit(nights)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + tableFolder, e);
    }
    // One partition at a time: an older night may lack a column a later one added.
    return recent.stream().map(date -> spark.read()
            .parquet("file://" + tableFolder.resolve(OutputTable.RUN_DATE + "=" + date))
            .withColumn(OutputTable.RUN_DATE, functions.lit(java.sql.Date.valueOf(date))))
        .reduce((a, b) -> a.unionByName(b, true));
  }

  /** Read from the current version's DuckDB file, opened read-only. */
  @Override
  public List<Map<String, Object>> publishedRows(String table, LocalDate runDate) {
    Path file = folders.current().resolve(DuckDbSnapshot.FILE_NAME);
    List<Map<String, Object>> rows = new ArrayList<>();
    if (!TABLE_NAME.matcher(table).matches() || !Files.isRegularFile(file)) {
      return rows;
    }
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), readOnly)) {
      try (ResultSet tables = connection.getMetaData().getTables(null, null, table, null)) {
        if (!tables.next()) {
          return rows;
        }
      }
      try (PreparedStatement query = connection.prepareStatement("SELECT * FROM " + table + " WHERE "
          + OutputTable.RUN_DATE + " = ?")) {
        query.setObject(1, runDate);
        try (ResultSet result = query.executeQuery()) {
          ResultSetMetaData columns = result.getMetaData();
          while (result.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
              row.put(columns.getColumnName(i), result.getObject(i));
            }
            rows.add(row);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + table + " from " + file + ": " + e.getMessage(), e);
    }
    return rows;
  }

  @Override
  public String describePlan(RunOutputs outputs) {
    StringBuilder plan = new StringBuilder("Local plan for run " + outputs.runId() + " (run date "
        + outputs.runDate() + "): a new version under " + folders.root().resolve(VersionFolders.VERSIONS)
        + ", then " + folders.current() + " points to it\n");
    for (Map.Entry<String, Dataset<Row>> table : outputs.tables().entrySet()) {
      plan.append("\ntable ").append(table.getKey()).append(": replaces ").append(table.getKey()).append('/')
          .append(OutputTable.RUN_DATE).append('=').append(outputs.runDate()).append(" (Parquet) and the table in ")
          .append(DuckDbSnapshot.FILE_NAME).append('\n');
      for (StructField field : table.getValue().schema().fields()) {
        plan.append("  ").append(field.name()).append(' ').append(field.dataType().sql())
            .append(field.nullable() ? "" : " NOT NULL").append('\n');
      }
    }
    for (View view : ViewCatalog.load().views()) {
      plan.append("\nview ").append(view.name()).append(" in ").append(DuckDbSnapshot.FILE_NAME).append(":\n")
          .append(ViewCatalog.render(view, SqlDialect.DUCKDB, name -> name)).append('\n');
    }
    for (String file : outputs.files().keySet()) {
      plan.append("\nfile ").append(file).append('\n');
    }
    return plan.toString();
  }

  @Override
  public String describe() {
    return "local folder " + folders.root();
  }
}

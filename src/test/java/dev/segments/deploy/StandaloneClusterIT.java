package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.cli.SegmentCli;
import dev.segments.sink.OutputTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar, submitted to a standalone cluster that {@code scripts/local-cluster.sh} starts on loopback, gives
 * the same segments as a local-mode run of the same config: results depend on the data and the seed, not on how
 * Spark spreads the work. Runs in {@code mvn verify}, after {@code package} has built the jar.
 */
class StandaloneClusterIT {
  private static final Path SCRIPT = ScriptProcess.REPO_ROOT.resolve("scripts/local-cluster.sh");
  /** Candidate ks 2..3 keep the two runs short; k is still chosen, from the silhouettes. */
  private static final List<String> RUN = List.of("run", "--input", "data/sample", "--as-of", "2025-12-15",
      "--seed", "42", "--set", "clustering.k_max=3");

  @TempDir static Path state;
  private static Map<String, String> environment;

  @BeforeAll
  static void startCluster() {
    int[] ports = freePorts(3);
    environment = Map.of(
        "CLUSTER_STATE", state.toString(),
        "SPARK_MASTER_PORT", String.valueOf(ports[0]),
        "SPARK_MASTER_WEBUI_PORT", String.valueOf(ports[1]),
        "SPARK_WORKER_WEBUI_PORT", String.valueOf(ports[2]),
        "JAVA_HOME", System.getProperty("java.home"),
        // The driver's web UI would take the first free port from 4040 on a machine shared with other runs.
        "SEGMENT_JAVA_OPTS", "-Dspark.ui.enabled=false");
    Path log = state.resolve("start.log");
    int exit = waitFor(script(log, "start"), log);
    assertEquals(0, exit, () -> "the cluster did not start\n" + logs());
  }

  @AfterAll
  static void stopCluster() {
    if (environment != null) {
      Path log = state.resolve("stop.log");
      int exit = waitFor(script(log, "stop"), log);
      assertEquals(0, exit, () -> "the cluster did not stop\n" + logs());
    }
  }

  @Test
  void submittedRunMatchesALocalRun(@TempDir Path output) {
    Path onCluster = output.resolve("cluster");
    Path local = output.resolve("local");
    Path submitLog = state.resolve("submit.log");
    List<String> submitArgs = new ArrayList<>(List.of("submit"));
    submitArgs.addAll(RUN);
    submitArgs.addAll(List.of("--output", onCluster.toString()));
    // The cluster's driver and executor wait on each other much of the time: the local run overlaps with them.
    Process submit = script(submitLog, submitArgs.toArray(String[]::new));

    List<String> localArgs = new ArrayList<>(RUN);
    localArgs.addAll(List.of("--output", local.toString(), "--master", "local[2]"));
    StringWriter printed = new StringWriter();
    PrintWriter writer = new PrintWriter(printed, true);
    int localExit = SegmentCli.commandLine().setOut(writer).setErr(writer).execute(localArgs.toArray(String[]::new));
    int clusterExit = waitFor(submit, submitLog);
    assertEquals(0, localExit, () -> "the local run failed:\n" + printed);
    assertEquals(0, clusterExit, () -> "the submitted run failed\n" + logs());

    SparkSession spark = SparkSession.builder().getOrCreate();
    Row clusterModel = table(spark, onCluster, OutputTable.MODEL_RUNS).selectExpr("k", "cost").first();
    Row localModel = table(spark, local, OutputTable.MODEL_RUNS).selectExpr("k", "cost").first();
    assertEquals(localModel.getInt(0), clusterModel.getInt(0), "k");
    assertEquals(localModel.getDouble(1), clusterModel.getDouble(1), Math.abs(localModel.getDouble(1)) * 1e-9,
        "cost");

    Map<String, Integer> localSegments = segments(spark, local);
    Map<String, Integer> clusterSegments = segments(spark, onCluster);
    assertEquals(localSegments.size(), clusterSegments.size(), "customers");
    List<String> moved = localSegments.keySet().stream()
        .filter(customer -> !localSegments.get(customer).equals(clusterSegments.get(customer)))
        .toList();
    assertTrue(moved.isEmpty(), () -> moved.size() + " customers are in another segment on the cluster, e.g. "
        + moved.subList(0, Math.min(5, moved.size())));

    Map<String, Long> localRows = new TreeMap<>();
    Map<String, Long> clusterRows = new TreeMap<>();
    for (OutputTable t : OutputTable.values()) {
      localRows.put(t.tableName(), table(spark, local, t).count());
      clusterRows.put(t.tableName(), table(spark, onCluster, t).count());
    }
    assertEquals(localRows, clusterRows, "rows by table");
  }

  private static Dataset<Row> table(SparkSession spark, Path output, OutputTable table) {
    return spark.read().parquet(output.resolve("current").resolve(table.tableName()).toString());
  }

  private static Map<String, Integer> segments(SparkSession spark, Path output) {
    Map<String, Integer> segments = new HashMap<>();
    for (Row row : table(spark, output, OutputTable.CUSTOMER_SEGMENTS).selectExpr("customer_id", "segment_id")
        .collectAsList()) {
      segments.put(row.getString(0), row.getInt(1));
    }
    return segments;
  }

  /** Ports free on loopback now; held open together while chosen, so that no two are the same. */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket nobody connected to does not fail in practice; the port is free either way.
        }
      }
    }
  }

  private static Process script(Path log, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(ScriptProcess.REPO_ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The exit code; a process still running after 15 minutes is hung, not slow, and is killed. */
  private static int waitFor(Process process, Path log) {
    try {
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("hung: " + process.info().commandLine().orElse("?") + "\n" + logs());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + log, e);
    }
  }

  /** The end of every log the cluster and the scripts wrote: master, worker, each executor, start, submit, stop. */
  private static String logs() {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(state)) {
      all.filter(f -> f.toString().endsWith(".log") || f.getFileName().toString().equals("stderr"))
          .sorted()
          .forEach(files::add);
    } catch (IOException e) {
      return "(cannot list " + state + ": " + e + ")";
    }
    StringBuilder text = new StringBuilder();
    for (Path file : files) {
      text.append("---- ").append(state.relativize(file)).append(" (last 40 lines)\n");
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> text.append(l).append('\n'));
      } catch (IOException | UncheckedIOException e) {
        text.append("(unreadable: ").append(e).append(")\n");
      }
    }
    return text.toString();
  }
}

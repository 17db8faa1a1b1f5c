package dev.segments.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's scratch space for a local run ({@code spark.local.dir}: its {@code spark-*} and {@code blockmgr-*}
 * folders), one folder per process under a base folder, named by the process id. Spark removes its folders when the
 * process ends normally; a process killed with {@code kill -9} cannot, so each start removes the folders of processes
 * that are no longer running. Only folders named by a process id are ever removed.
 */
public final class SparkScratch {
  private static final Logger LOG = LoggerFactory.getLogger(SparkScratch.class);

  /** The base folder every run's scratch lives under: {@code <java.io.tmpdir>/segment-spark}. */
  static Path defaultBase() {
    return Path.of(System.getProperty("java.io.tmpdir"), "segment-spark");
  }

  private SparkScratch() {}

  /** Removes the scratch folders of processes that have ended, then returns this process's, created. */
  public static Path prepare(Path base) {
    try {
      Files.createDirectories(base);
      removeEnded(base);
      return Files.createDirectories(base.resolve(Long.toString(ProcessHandle.current().pid())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Spark's scratch folder under " + base, e);
    }
  }

  private static void removeEnded(Path base) throws IOException {
    List<Path> folders;
    try (Stream<Path> listed = Files.list(base)) {
      folders = listed.filter(f -> Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path folder : folders) {
      String name = folder.getFileName().toString();
      if (name.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(name)).isEmpty()) {
        try (Stream<Path> paths = Files.walk(folder)) {
          for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
          LOG.info("Removed the Spark scratch folder {} of ended process {}", folder, name);
        } catch (IOException e) {
          LOG.warn("Could not remove the Spark scratch folder {}", folder, e);
        }
      }
    }
  }
}

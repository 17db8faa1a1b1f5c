package dev.segments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config read from its URI through Hadoop's FileSystem, as the Dataproc driver reads gs://bucket/production.yaml
 * (Dataproc's batch API puts --files only in each executor's working directory), and from a plain path locally.
 */
class ConfigFileTest {

  @TempDir Path dir;

  /**
   * A stand-in bucket: a Hadoop FileSystem for the scheme {@code bucket://}, registered the way Dataproc registers
   * {@code gs://} (the key {@code fs.<scheme>.impl}), serving local files and counting what it opens.
   */
  public static class BucketFileSystem extends RawLocalFileSystem {
    static final AtomicInteger OPENED = new AtomicInteger();

    @Override
    public URI getUri() {
      return URI.create("bucket:///");
    }

    @Override
    public String getScheme() {
      return "bucket";
    }

    @Override
    public FSDataInputStream open(org.apache.hadoop.fs.Path path, int bufferSize) throws IOException {
      OPENED.incrementAndGet();
      return super.open(path, bufferSize);
    }
  }

  private static Configuration withBucket() {
    Configuration hadoop = new Configuration(false);
    hadoop.set("fs.bucket.impl", BucketFileSystem.class.getName());
    hadoop.setBoolean("fs.bucket.impl.disable.cache", true);
    return hadoop;
  }

  private Path production() throws IOException {
    return Files.writeString(dir.resolve("production.yaml"), "sink: local\nclustering:\n  k: 4\n");
  }

  @Test
  void aUriIsReadThroughTheFileSystemOfItsScheme() throws IOException {
    Path file = production();
    int before = BucketFileSystem.OPENED.get();

    PipelineConfig config = ConfigLoader.load(ConfigLoader.tree("bucket://" + file.toAbsolutePath(), List.of(),
        withBucket()), Clock.systemUTC());

    assertEquals(4, config.clustering().k());
    assertEquals(before + 1, BucketFileSystem.OPENED.get(), "not opened through the bucket:// FileSystem");
  }

  @Test
  void aPlainPathAndAFileUriAreLocalFiles() throws IOException {
    Path file = production();
    for (String location : List.of(file.toString(), file.toUri().toString())) {
      PipelineConfig config = ConfigLoader.load(ConfigLoader.tree(location, List.of("clustering.k=5"),
          new Configuration(false)), Clock.systemUTC());
      assertEquals(5, config.clustering().k(), location);
    }
  }

  @Test
  void aMissingObjectIsNamed() {
    ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.tree(
        "bucket://" + dir.toAbsolutePath().resolve("nope.yaml"), List.of(), withBucket()));
    assertTrue(missing.getMessage().startsWith("config file bucket://") && missing.getMessage().endsWith(
        "nope.yaml does not exist"), missing.getMessage());
  }
}

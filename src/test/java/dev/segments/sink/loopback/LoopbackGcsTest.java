package dev.segments.sink.loopback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** gs:// paths through Hadoop's FileSystem API land in, and are listed from, the bucket's local folder. */
class LoopbackGcsTest {
  @Test
  void filesWrittenUnderGsAreLocalFilesListedByTheirGsPaths() throws Exception {
    try (LoopbackBigQuery server = LoopbackBigQuery.start("gcs-project")) {
      String bucket = "gcs-test-" + System.nanoTime();
      java.nio.file.Path folder = server.createBucket(bucket, "EU");
      Configuration conf = new Configuration(false);
      LoopbackGcs.register(conf);
      conf.setBoolean("fs.gs.impl.disable.cache", true);
      FileSystem fs = FileSystem.get(URI.create("gs://" + bucket + "/"), conf);
      Path file = new Path("gs://" + bucket + "/staging/part-0.parquet");
      try (OutputStream out = fs.create(file)) {
        out.write("rows".getBytes(StandardCharsets.UTF_8));
      }
      assertTrue(Files.isRegularFile(folder.resolve("staging/part-0.parquet")));
      assertFalse(Files.exists(folder.resolve("staging/.part-0.parquet.crc")), "no checksum files, as on GCS");
      FileStatus[] listed = fs.listStatus(new Path("gs://" + bucket + "/staging"));
      assertEquals("gs://" + bucket + "/staging/part-0.parquet", listed[0].getPath().toString());
      assertEquals(4, fs.getFileStatus(file).getLen());
      assertTrue(fs.rename(file, new Path("gs://" + bucket + "/staging/part-1.parquet")));
      try (FSDataInputStream in = fs.open(new Path("gs://" + bucket + "/staging/part-1.parquet"))) {
        assertArrayEquals("rows".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
      }
      assertTrue(fs.delete(new Path("gs://" + bucket + "/staging"), true));
      assertFalse(Files.exists(folder.resolve("staging")));

      // A JVM without the server finds the bucket folders through fs.gs.loopback.root.
      LoopbackGcs detached = new LoopbackGcs();
      Configuration launched = new Configuration(false);
      launched.set(LoopbackGcs.ROOT_KEY, server.gcsRoot().toString());
      String unregistered = "gcs-detached-" + System.nanoTime();
      Files.createDirectories(server.gcsRoot().resolve(unregistered));
      Files.writeString(server.gcsRoot().resolve(unregistered).resolve("x.txt"), "x");
      detached.initialize(URI.create("gs://" + unregistered + "/"), launched);
      assertEquals(Arrays.asList("gs://" + unregistered + "/x.txt"), Arrays.stream(detached.listStatus(
          new Path("gs://" + unregistered + "/"))).map(s -> s.getPath().toString()).toList());
    }
  }
}

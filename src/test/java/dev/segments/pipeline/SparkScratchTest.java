package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run killed with kill -9 leaves of Spark's scratch space is removed by the next start, and nothing else. */
class SparkScratchTest {

  @TempDir Path base;

  @Test
  void theNextStartRemovesTheScratchOfEndedProcessesOnly() throws IOException {
    // No process id reaches 999999999 (Linux's pid_max is at most 2^22); process 1 runs as long as the machine.
    Path ended = Files.createDirectories(base.resolve("999999999/spark-1a2b/userFiles"));
    Path blocks = Files.createDirectories(base.resolve("999999999/blockmgr-3c4d/0e"));
    Files.writeString(blocks.resolve("shuffle_0.data"), "x");
    Path running = Files.createDirectories(base.resolve("1/blockmgr-5e6f"));
    Path someoneElses = Files.createDirectories(base.resolve("notes"));

    Path mine = SparkScratch.prepare(base);

    assertFalse(Files.exists(ended.getParent().getParent()));
    assertTrue(Files.exists(running));
    assertTrue(Files.exists(someoneElses));
    assertEquals(base.resolve(Long.toString(ProcessHandle.current().pid())), mine);
    assertTrue(Files.isDirectory(mine));
  }
}

package dev.segments.ingest;

import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only real data sets shared by the project's checkouts, found by walking up from the working directory. */
final class SharedDatasets {
  private SharedDatasets() {}

  static Path folder(String name) {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("datasets");
      if (Files.isDirectory(candidate)) {
        return candidate.resolve(name);
      }
    }
    throw new IllegalStateException("no shared/datasets folder above " + System.getProperty("user.dir"));
  }
}

package dev.segments.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the read-only public datasets: the nearest {@code shared/datasets} folder above the working directory. */
final class SharedDatasets {
  private SharedDatasets() {}

  static Path root() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/datasets");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no shared/datasets folder above " + System.getProperty("user.dir"));
  }
}

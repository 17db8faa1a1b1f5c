package dev.segments;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the read-only public data sets shared by the worktrees: the nearest {@code shared/datasets} above the build. */
public final class SharedDatasets {
  private SharedDatasets() {}

  /** The folder of one data set, e.g. {@code seed_project}. */
  public static Path folder(String name) {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/datasets").resolve(name);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no shared/datasets/" + name + " above " + System.getProperty("user.dir"));
  }
}

package dev.segments;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only public data sets (UCI tables, the users' own sheets) that live beside the repository, never in it.
 * Their folder comes from the system property {@value #PROPERTY}, which {@code .ci/run} sets and the build passes to
 * the tests. In CI ({@code CI=true}) a missing folder fails the test; on a user's clone that has none beside it, the
 * test is skipped with a message naming the property.
 */
public final class SharedDatasets {
  public static final String PROPERTY = "segments.datasets";

  private SharedDatasets() {}

  /** The folder of one data set, e.g. {@code seed_project}; skips the calling test when there is none here. */
  public static Path folder(String name) {
    String root = System.getProperty(PROPERTY, "");
    Path folder = root.isBlank() ? null : Path.of(root).resolve(name);
    if (folder != null && Files.isDirectory(folder)) {
      return folder;
    }
    String problem = root.isBlank()
        ? "system property " + PROPERTY + " is not set"
        : "no data set " + name + " under " + PROPERTY + "=" + root;
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(problem + ": .ci/run must pass -D" + PROPERTY + "=<shared/datasets>");
    }
    Assumptions.abort("skipped: " + problem + " (run with -D" + PROPERTY + "=<folder of the shared data sets>)");
    throw new AssertionError("unreachable");
  }
}

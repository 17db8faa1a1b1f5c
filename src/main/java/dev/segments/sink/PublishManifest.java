package dev.segments.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a published version holds, written as {@code _MANIFEST.json} into the version folder just before it becomes
 * current: a version folder without one was never published (a crashed or failed run) and is removed by the next
 * publish.
 *
 * @param runId the run that published it
 * @param runDate the run date it wrote, ISO
 * @param sequence one more than the version it replaced; orders versions for retention
 * @param publishedAt instant of publishing, ISO
 * @param rowsByTable each table's rows of all run dates in this version
 * @param runDateRowsByTable each table's rows of {@code runDate}
 */
record PublishManifest(
    String runId,
    String runDate,
    long sequence,
    String publishedAt,
    Map<String, Long> rowsByTable,
    Map<String, Long> runDateRowsByTable) {

  static final String FILE_NAME = "_MANIFEST.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  void writeInto(Path versionFolder) {
    try {
      JSON.writeValue(versionFolder.resolve(FILE_NAME).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the manifest of " + versionFolder, e);
    }
  }

  /** The manifest of a version folder; empty when it has none or it cannot be read (an unpublished folder). */
  static Optional<PublishManifest> readFrom(Path versionFolder) {
    Path file = versionFolder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), PublishManifest.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

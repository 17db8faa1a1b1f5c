package dev.segments.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's GitHub workflows, read as YAML trees for the tests that check what they do. */
final class WorkflowFiles {
  private WorkflowFiles() {}

  static final Path FOLDER = ScriptProcess.REPO_ROOT.resolve(".github/workflows");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Path> all() {
    try (Stream<Path> files = Files.list(FOLDER)) {
      return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError("cannot list " + FOLDER, e);
    }
  }

  static JsonNode load(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode parse(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new AssertionError("not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode load(String name) {
    return load(FOLDER.resolve(name));
  }
}

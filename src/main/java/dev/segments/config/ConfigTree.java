package dev.segments.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The generic half of the configuration: YAML layered over a base tree (a file, then {@code key.path=value}
 * overrides), and sections bound to typed records with errors that name the key. What the keys mean is
 * {@link ConfigLoader}'s.
 */
public final class ConfigTree {

  /** Sections whose keys are free (Spark settings, sheet ranges, labels): a dotted override ends inside them. */
  private static final List<String> FREE_MAPS = List.of("spark.conf", "sheets.ranges", "bigquery.labels");

  private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .addModule(new SimpleModule().addDeserializer(Duration.class, new ConfigDuration.Reader()))
      .build();

  private ConfigTree() {}

  /** The mapper every section is read with: YAML, snake_case keys, unknown keys rejected. */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /**
   * {@code base}, overridden by {@code file} when given, then by each {@code key.path=value} in order. A key that
   * {@code base} does not have is an error, except inside the free sections.
   */
  public static ObjectNode layered(ObjectNode base, Path file, List<String> overrides) {
    ObjectNode tree = base;
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("config file " + file + " does not exist");
      }
      try {
        JsonNode user = YAML.readTree(file.toFile());
        if (user != null && !user.isMissingNode() && !user.isNull()) {
          if (!user.isObject()) {
            throw new ConfigException("config file " + file + " must hold a mapping of keys, not " + user.getNodeType());
          }
          merge(tree, (ObjectNode) user, "");
        }
      } catch (JsonProcessingException e) {
        throw new ConfigException("config file " + file + " is not valid YAML: " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String override : overrides) {
      set(tree, override);
    }
    return tree;
  }

  private static void merge(ObjectNode base, ObjectNode user, String prefix) {
    Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix + field.getKey();
      if (!base.has(field.getKey()) && !isFreeMap(prefix)) {
        throw new ConfigException("unknown config key '" + key + "'");
      }
      JsonNode current = base.get(field.getKey());
      if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode userObject) {
        merge(currentObject, userObject, key + ".");
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }

  private static boolean isFreeMap(String prefix) {
    return FREE_MAPS.stream().anyMatch(map -> (prefix).equals(map + "."));
  }

  private static void set(ObjectNode tree, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("an override must read key.path=value, got '" + override + "'");
    }
    String path = override.substring(0, eq).trim();
    JsonNode value = scalar(override.substring(eq + 1));
    ObjectNode node = tree;
    String walked = "";
    String rest = path;
    while (true) {
      String freeMap = walked.isEmpty() ? null : walked.substring(0, walked.length() - 1);
      if (freeMap != null && FREE_MAPS.contains(freeMap)) {
        node.set(rest, value);
        return;
      }
      int dot = rest.indexOf('.');
      String key = dot < 0 ? rest : rest.substring(0, dot);
      if (!node.has(key)) {
        throw new ConfigException("unknown config key '" + walked + key + "' in override '" + override + "'");
      }
      if (dot < 0) {
        node.set(key, value);
        return;
      }
      JsonNode child = node.get(key);
      if (child.isNull()) {
        child = node.putObject(key);
      }
      if (!(child instanceof ObjectNode childObject)) {
        throw new ConfigException("config key '" + walked + key + "' is a value, not a section, in '" + override + "'");
      }
      node = childObject;
      walked = walked + key + ".";
      rest = rest.substring(dot + 1);
    }
  }

  /** Reads an override's value as YAML does, so {@code 5} is a number, {@code null} is null and text stays text. */
  private static JsonNode scalar(String raw) {
    try {
      JsonNode parsed = YAML.readTree(raw.isBlank() ? "null" : raw);
      return parsed == null || parsed.isMissingNode() ? NullNode.getInstance() : parsed;
    } catch (JsonProcessingException e) {
      return JsonNodeFactory.instance.textNode(raw);
    }
  }

  /** Binds one section to its record; a wrong type or value is an error naming the key. */
  public static <T> T bind(JsonNode node, String name, Class<T> type) {
    try {
      return YAML.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      // A record's own validation speaks for itself; Jackson wraps it.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConfigException config) {
          throw config;
        }
      }
      Throwable reason = e.getCause() != null && !(e instanceof JsonProcessingException) ? e.getCause() : e;
      if (reason instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
        throw new ConfigException("config key '" + name + keyPath(mapping.getPath()) + "': "
            + mapping.getOriginalMessage(), e);
      }
      String message = reason instanceof JsonProcessingException json ? json.getOriginalMessage() : reason.getMessage();
      throw new ConfigException("config section '" + name + "': " + message, e);
    }
  }

  /** ".sheets[0].columns[2].type" from Jackson's path into the section. */
  private static String keyPath(List<JsonMappingException.Reference> path) {
    StringBuilder key = new StringBuilder();
    for (JsonMappingException.Reference step : path) {
      key.append(step.getFieldName() != null ? "." + step.getFieldName() : "[" + step.getIndex() + "]");
    }
    return key.toString();
  }
}

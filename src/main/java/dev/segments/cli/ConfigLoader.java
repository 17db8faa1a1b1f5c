package dev.segments.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.segments.ingest.CsvOptions;
import dev.segments.ingest.DataContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration in three layers, each overriding the one before: the bundled defaults
 * ({@code config/defaults.yaml}), the user's file, and {@code key.path=value} overrides from flags. Unknown keys,
 * wrong types and invalid values are errors that name the key.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** The business runs on London time: "today" is today there, whatever the machine's zone. */
  public static final ZoneId RUN_ZONE = ZoneId.of("Europe/London");

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

  private ConfigLoader() {}

  /** The mapper every section is read with: YAML, snake_case keys, unknown keys rejected. */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** The defaults, overridden by {@code file} when given, then by each {@code key.path=value} in order. */
  public static ObjectNode tree(Path file, List<String> overrides) {
    ObjectNode tree = defaults();
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

  /** Types and validates the tree; fills the run date (today in London) and the run id when they are unset. */
  public static PipelineConfig load(ObjectNode tree, Clock clock) {
    LocalDate today = LocalDate.now(clock.withZone(RUN_ZONE));
    LocalDate asOf = tree.path("as_of").isNull() || tree.path("as_of").isMissingNode()
        ? today
        : notAfterTomorrow(parseDate(tree.path("as_of").asText()), today);
    String runId = tree.path("run_id").isTextual() ? tree.path("run_id").asText() : newRunId(asOf, clock);
    return new PipelineConfig(
        text(tree, "source"),
        Optional.ofNullable(path(tree, "input")).orElseGet(ConfigLoader::bundledSample),
        csvOptions(tree),
        path(tree, "output"),
        asOf,
        runId,
        text(tree, "sink"),
        tree.path("dry_run").asBoolean(false),
        section(tree, "spark", SparkSettings.class),
        contract(tree.path("contract")),
        nullIfAbsent(tree.path("features")),
        bind(autoToNull((ObjectNode) tree.path("clustering"), "k", "gamma"), "clustering", ClusteringSettings.class),
        section(tree, "analysis", AnalysisSettings.class),
        tree.path("sheets"),
        tree.path("bigquery"));
  }

  /** The configuration as YAML, with the default contract written out so a user can start from it. */
  public static String toYaml(ObjectNode tree) {
    ObjectNode copy = tree.deepCopy();
    if (copy.path("contract").isNull()) {
      copy.set("contract", YAML.valueToTree(DataContract.defaultLayout()));
    }
    try {
      return YAML.writeValueAsString(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/config/defaults.yaml")) {
      ObjectNode tree = (ObjectNode) YAML.readTree(in);
      // Written out so that a file or --set can change one key of the contract and keep the rest.
      tree.set("contract", YAML.valueToTree(DataContract.defaultLayout()));
      return tree;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled config/defaults.yaml", e);
    }
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

  private static <T> T section(JsonNode tree, String name, Class<T> type) {
    return bind(tree.path(name), name, type);
  }

  static <T> T bind(JsonNode node, String name, Class<T> type) {
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

  private static DataContract contract(JsonNode node) {
    if (node.isNull() || node.isMissingNode()) {
      return DataContract.defaultLayout();
    }
    ObjectNode copy = node.deepCopy();
    for (String role : List.of(DataContract.CUSTOMERS, DataContract.PRODUCTS, DataContract.SALES)) {
      if (copy.path(role) instanceof ObjectNode sheet && !sheet.has("role")) {
        sheet.put("role", role);
      }
    }
    return bind(copy, "contract", DataContract.class);
  }

  private static ObjectNode autoToNull(ObjectNode section, String... keys) {
    ObjectNode copy = section.deepCopy();
    for (String key : keys) {
      if ("auto".equalsIgnoreCase(copy.path(key).asText())) {
        copy.putNull(key);
      }
    }
    return copy;
  }

  private static JsonNode nullIfAbsent(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node;
  }

  private static String text(JsonNode tree, String key) {
    JsonNode node = tree.path(key);
    return node.isNull() || node.isMissingNode() ? null : node.asText();
  }

  private static Path path(JsonNode tree, String key) {
    String value = text(tree, key);
    return value == null ? null : Path.of(value);
  }

  /**
   * The sample data shipped with the project, found from the project folder the launcher names in the
   * {@code segment.home} system property, so `bin/segment run` works from any working directory.
   */
  static Path bundledSample() {
    return Path.of(System.getProperty("segment.home", "")).resolve("data").resolve("sample");
  }

  /**
   * A run date after today switches off the "not after the run date" rule for every sale: tomorrow (a run scheduled
   * just before midnight, a clock ahead) is accepted with a warning, a later date is refused.
   */
  private static LocalDate notAfterTomorrow(LocalDate asOf, LocalDate today) {
    if (asOf.isAfter(today.plusDays(1))) {
      throw new ConfigException("as_of " + asOf + " is in the future (today in London is " + today
          + "); a run date may be at most tomorrow");
    }
    if (asOf.isAfter(today)) {
      LOG.warn("as_of {} is tomorrow (today in London is {}): sales dated tomorrow are accepted", asOf, today);
    }
    return asOf;
  }

  private static CsvOptions csvOptions(JsonNode tree) {
    JsonNode lines = tree.path("input_max_cell_lines");
    if (!lines.canConvertToInt() || !lines.isIntegralNumber()) {
      throw new ConfigException("input_max_cell_lines must be a whole number, got '" + lines.asText() + "'");
    }
    try {
      return new CsvOptions(text(tree, "input_encoding"), lines.asInt());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  static LocalDate parseDate(String text) {
    try {
      return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      throw new ConfigException("as_of must be a date written YYYY-MM-DD, got '" + text + "'");
    }
  }

  private static String newRunId(LocalDate asOf, Clock clock) {
    String time = DateTimeFormatter.ofPattern("HHmmss").format(clock.instant().atZone(ZoneId.of("UTC")));
    return asOf + "-" + time + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

package dev.segments.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.features.FeatureSpec;
import dev.segments.ingest.CsvOptions;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.sheets.SheetsSourceConfig;
import dev.segments.sink.BigQueryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration's domain rules: three layers ({@link ConfigTree}) over the bundled defaults
 * ({@code config/defaults.yaml}, with the default data contract written out), then every section bound to its typed
 * record at once, so a config that a run would refuse is refused by {@code segment config} too. Unknown keys, wrong
 * types and invalid values are errors that name the key.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** The business runs on London time: "today" is today there, whatever the machine's zone. */
  public static final ZoneId RUN_ZONE = ZoneId.of("Europe/London");

  private ConfigLoader() {}



  /** The bundled defaults, overridden by {@code file} when given, then by each {@code key.path=value} in order. */
  public static ObjectNode tree(Path file, List<String> overrides) {
    return ConfigTree.layered(defaults(), file, overrides);
  }

  /**
   * Types and validates the whole tree, every section a run reads: the chosen source's and sink's sections must be
   * complete, the others are not read. Fills the run date (today in London) and the run id when they are unset.
   */
  public static PipelineConfig load(ObjectNode tree, Clock clock) {
    LocalDate today = LocalDate.now(clock.withZone(RUN_ZONE));
    LocalDate asOf = tree.path("as_of").isNull() || tree.path("as_of").isMissingNode()
        ? today
        : notAfterTomorrow(parseDate(tree.path("as_of").asText()), today);
    String runId = tree.path("run_id").isTextual() ? tree.path("run_id").asText() : newRunId(asOf, clock);
    Source source = oneOf(tree, "source", Source.values());
    Sink sink = oneOf(tree, "sink", Sink.values());
    return new PipelineConfig(
        source,
        Optional.ofNullable(path(tree, "input")).orElseGet(ConfigLoader::bundledSample),
        csvOptions(tree),
        path(tree, "output"),
        asOf,
        runId,
        sink,
        tree.path("dry_run").asBoolean(false),
        section(tree, "spark", SparkSettings.class),
        contract(tree.path("contract")),
        featureSpec(tree.path("features")),
        ConfigTree.bind(autoToNull((ObjectNode) tree.path("clustering"), "k", "gamma"), "clustering",
            ClusteringSettings.class),
        section(tree, "analysis", AnalysisSettings.class),
        source == Source.SHEETS ? section(tree, "sheets", SheetsSourceConfig.class) : null,
        sink == Sink.BIGQUERY ? section(tree, "bigquery", BigQueryConfig.class) : null);
  }

  /** The configuration as YAML, with the default contract written out so a user can start from it. */
  public static String toYaml(ObjectNode tree) {
    ObjectNode copy = tree.deepCopy();
    if (copy.path("contract").isNull()) {
      copy.set("contract", ConfigTree.yaml().valueToTree(DataContract.defaultLayout()));
    }
    try {
      return ConfigTree.yaml().writeValueAsString(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }






  private static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/config/defaults.yaml")) {
      ObjectNode tree = (ObjectNode) ConfigTree.yaml().readTree(in);
      // Written out so that a file or --set can change one key of the contract and keep the rest.
      tree.set("contract", ConfigTree.yaml().valueToTree(DataContract.defaultLayout()));
      return tree;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled config/defaults.yaml", e);
    }
  }

  private static <T> T section(JsonNode tree, String name, Class<T> type) {
    return ConfigTree.bind(tree.path(name), name, type);
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
    return ConfigTree.bind(copy, "contract", DataContract.class);
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

  /** The value of {@code key}, one of {@code choices} as the config writes them. */
  private static <E extends Enum<E>> E oneOf(JsonNode tree, String key, E[] choices) {
    String value = text(tree, key);
    for (E choice : choices) {
      if (choice.toString().equals(value)) {
        return choice;
      }
    }
    throw new ConfigException(key + " must be one of " + java.util.Arrays.toString(choices) + ", got '" + value + "'");
  }

  /** The {@code features} list, or the default spec for the default layout when it is unset. */
  private static FeatureSpec featureSpec(JsonNode features) {
    if (features.isMissingNode() || features.isNull()) {
      return FeatureSpec.defaultSpec();
    }
    if (!features.isArray()) {
      throw new ConfigException("features must be a list of feature entries (see README, \"Features\")");
    }
    List<Map<String, Object>> entries = ConfigTree.yaml().convertValue(features, new TypeReference<>() {});
    try {
      return FeatureSpec.fromEntries(entries);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("features: " + e.getMessage(), e);
    }
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

package dev.segments.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.features.FeatureSpec;
import dev.segments.ingest.CsvOptions;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.SheetContract;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
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
  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private ConfigLoader() {}



  /** The bundled defaults, overridden by {@code file} when given, then by each {@code key.path=value} in order. */
  public static ObjectNode tree(Path file, List<String> overrides) {
    return ConfigTree.layered(defaults(), file == null ? null : ConfigFile.local(file), overrides);
  }

  /**
   * As {@link #tree(Path, List)}, the file given by its location: a URI opened through Hadoop's FileSystem for its
   * scheme ({@code gs://bucket/production.yaml} on Dataproc), or a local path; none when {@code null}.
   */
  public static ObjectNode tree(String location, List<String> overrides, Configuration hadoop) {
    return ConfigTree.layered(defaults(), location == null ? null : ConfigFile.read(location, hadoop), overrides);
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
    String runId = tree.path("run_id").isNull() || tree.path("run_id").isMissingNode() ? newRunId(asOf, clock) : runId(tree.path("run_id").asText());
    Source source = oneOf(tree, "source", Source.values());
    Sink sink = oneOf(tree, "sink", Sink.values());
    DataContract contract = contract(tree.path("contract"));
    return new PipelineConfig(
        source,
        Optional.ofNullable(path(tree, "input")).orElseGet(ConfigLoader::bundledSample),
        csvOptions(tree, contract),
        path(tree, "output"),
        asOf,
        runId,
        sink,
        tree.path("dry_run").asBoolean(false),
        section(tree, "spark", SparkSettings.class),
        contract,
        featureSpec(tree.path("features")),
        clustering(tree),
        section(tree, "analysis", AnalysisSettings.class),
        section(tree, "alerts", AlertSettings.class),
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

  /** The clustering settings a run uses when nothing overrides them: the defaults of every command that clusters. */
  public static ClusteringSettings defaultClustering() {
    return clustering(defaults());
  }

  private static ClusteringSettings clustering(ObjectNode tree) {
    return ConfigTree.bind(autoToNull((ObjectNode) tree.path("clustering"), "k", "gamma"), "clustering",
        ClusteringSettings.class);
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

  private static CsvOptions csvOptions(JsonNode tree, DataContract contract) {
    JsonNode lines = tree.path("input_max_cell_lines");
    if (!lines.canConvertToInt() || !lines.isIntegralNumber()) {
      throw new ConfigException("input_max_cell_lines must be a whole number, got '" + lines.asText() + "'");
    }
    List<String> sheets = contract.sheets().stream().map(SheetContract::name).toList();
    Map<String, String> sheetEncodings = new LinkedHashMap<>();
    tree.path("input_encodings").fields().forEachRemaining(field -> {
      if (!sheets.contains(field.getKey())) {
        throw new ConfigException("input_encodings." + field.getKey() + " names no sheet of the contract ("
            + String.join(", ", sheets) + ")");
      }
      sheetEncodings.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText());
    });
    try {
      return new CsvOptions(text(tree, "input_encoding"), sheetEncodings, lines.asInt());
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

  /**
   * A run id names the output's version folder and is the value of the BigQuery jobs' {@code run_id} label, so it is
   * what a label value may hold: lower-case letters, digits, {@code _} and {@code -}, at most 63 characters
   * (https://cloud.google.com/bigquery/docs/labels-intro#requirements); it starts with a letter or digit, so it is
   * never {@code .}, {@code ..} or hidden. The default, {@code 2025-12-15-223000-1a2b3c4d}, is one.
   */
  private static String runId(String text) {
    if (!RUN_ID.matcher(text).matches()) {
      throw new ConfigException("run_id '" + text + "' must be 1 to 63 lower-case letters, digits, '_' or '-',"
          + " starting with a letter or digit");
    }
    return text;
  }

  private static String newRunId(LocalDate asOf, Clock clock) {
    String time = DateTimeFormatter.ofPattern("HHmmss").format(clock.instant().atZone(ZoneId.of("UTC")));
    return asOf + "-" + time + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}

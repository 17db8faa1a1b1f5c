package dev.segments.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.segments.features.FeatureSource.CustomerColumn;
import dev.segments.features.FeatureSource.DateMeasure;
import dev.segments.features.FeatureSource.Favourite;
import dev.segments.features.FeatureSource.PurchaseDays;
import dev.segments.features.FeatureSource.SalesCount;
import dev.segments.features.FeatureSource.SalesStatistic;
import dev.segments.features.FeatureSource.Share;
import dev.segments.features.FeatureSource.Statistic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The YAML form of a spec: a {@code features:} list whose entries have a name, a kind and exactly one source key.
 * Parsed by hand from plain maps rather than by Jackson polymorphism, so that every mistake is reported with the
 * feature's name and the keys that were expected.
 */
final class FeatureSpecYaml {
  private FeatureSpecYaml() {}

  static final String FEATURES = "features";
  private static final String NAME = "name";
  private static final String KIND = "kind";
  private static final String COLUMN = "column";
  private static final String AGGREGATE = "aggregate";
  private static final String OF = "of";
  private static final String RATIO = "ratio";
  private static final String SCALE = "scale";
  private static final String DATE = "date";
  private static final String FAVOURITE = "favourite";
  private static final String SHARE = "share";
  private static final String VALUE = "value";
  private static final String COUNT = "count";

  private static final List<String> SOURCE_KEYS = List.of(COLUMN, AGGREGATE, DATE, FAVOURITE, SHARE);
  private static final Set<String> KNOWN_KEYS = Set.of(NAME, KIND, COLUMN, AGGREGATE, OF, RATIO, SCALE, DATE,
      FAVOURITE, SHARE, VALUE);

  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .build();

  static FeatureSpec read(String yaml) {
    Object document;
    try {
      document = MAPPER.readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("feature spec is not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (!(document instanceof Map<?, ?> top) || !(top.get(FEATURES) instanceof List<?> list)) {
      throw new IllegalArgumentException("feature spec must be a YAML mapping with a '" + FEATURES + "' list");
    }
    List<Map<String, ?>> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> entry)) {
        throw new IllegalArgumentException("feature #" + (i + 1) + " must be a mapping with name, kind and a source");
      }
      entries.add(stringKeys(entry));
    }
    return fromEntries(entries);
  }

  static FeatureSpec fromEntries(List<? extends Map<String, ?>> entries) {
    List<Feature> features = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      features.add(fromEntry(entries.get(i), i));
    }
    return new FeatureSpec(features);
  }

  private static Feature fromEntry(Map<String, ?> entry, int index) {
    Object nameValue = entry.get(NAME);
    String where = nameValue == null ? "feature #" + (index + 1) : "feature '" + nameValue + "'";
    if (nameValue == null) {
      throw new IllegalArgumentException(where + " has no '" + NAME + "'");
    }
    Set<String> unknown = entry.keySet().stream().filter(k -> !KNOWN_KEYS.contains(k))
        .collect(Collectors.toCollection(TreeSet::new));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(where + ": unknown keys " + unknown + "; expected " + NAME + ", " + KIND
          + " and one of " + SOURCE_KEYS);
    }
    List<String> sourceKeys = SOURCE_KEYS.stream().filter(entry::containsKey).toList();
    if (sourceKeys.size() != 1) {
      throw new IllegalArgumentException(where + " needs exactly one source key of " + SOURCE_KEYS + ", found "
          + sourceKeys);
    }
    String sourceKey = sourceKeys.get(0);
    allowOnlyWith(entry, where, sourceKey, AGGREGATE, OF, RATIO, SCALE);
    allowOnlyWith(entry, where, sourceKey, SHARE, VALUE);
    FeatureKind kind = constant(FeatureKind.class, text(entry, KIND, where), where, KIND);
    FeatureSource source = switch (sourceKey) {
      case COLUMN -> new CustomerColumn(text(entry, COLUMN, where));
      case AGGREGATE -> aggregate(entry, where);
      case DATE -> new PurchaseDays(constant(DateMeasure.class, text(entry, DATE, where), where, DATE));
      case FAVOURITE -> new Favourite(text(entry, FAVOURITE, where));
      default -> new Share(text(entry, SHARE, where), text(entry, VALUE, where));
    };
    return new Feature(String.valueOf(nameValue), kind, source);
  }

  private static FeatureSource aggregate(Map<String, ?> entry, String where) {
    String function = text(entry, AGGREGATE, where);
    if (function.equalsIgnoreCase(COUNT)) {
      if (entry.containsKey(OF) || entry.containsKey(RATIO) || entry.containsKey(SCALE)) {
        throw new IllegalArgumentException(where + ": 'aggregate: count' counts sales lines and takes no "
            + OF + ", " + RATIO + " or " + SCALE);
      }
      return new SalesCount();
    }
    Statistic statistic = constant(Statistic.class, function, where, AGGREGATE);
    double scale = entry.containsKey(SCALE) ? number(entry.get(SCALE), where) : 1;
    if (entry.containsKey(OF) == entry.containsKey(RATIO)) {
      throw new IllegalArgumentException(where + ": 'aggregate: " + function + "' needs either '" + OF
          + ": <sales column>' or '" + RATIO + ": [<sales column>, <sales column>]'");
    }
    if (entry.containsKey(OF)) {
      return new SalesStatistic(statistic, text(entry, OF, where), null, scale);
    }
    if (!(entry.get(RATIO) instanceof List<?> pair) || pair.size() != 2) {
      throw new IllegalArgumentException(where + ": '" + RATIO + "' must be a list of two sales columns, got "
          + entry.get(RATIO));
    }
    return new SalesStatistic(statistic, scalar(pair.get(0), where, RATIO), scalar(pair.get(1), where, RATIO), scale);
  }

  static String write(FeatureSpec spec) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put(FEATURES, toEntries(spec));
    try {
      return MAPPER.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a feature spec as YAML", e);
    }
  }

  static List<Map<String, Object>> toEntries(FeatureSpec spec) {
    return spec.features().stream().map(FeatureSpecYaml::toEntry).toList();
  }

  private static Map<String, Object> toEntry(Feature feature) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put(NAME, feature.name());
    entry.put(KIND, lower(feature.kind()));
    FeatureSource source = feature.source();
    if (source instanceof CustomerColumn c) {
      entry.put(COLUMN, c.column());
    } else if (source instanceof SalesCount) {
      entry.put(AGGREGATE, COUNT);
    } else if (source instanceof SalesStatistic s) {
      entry.put(AGGREGATE, lower(s.statistic()));
      if (s.divisor() == null) {
        entry.put(OF, s.amount());
      } else {
        entry.put(RATIO, List.of(s.amount(), s.divisor()));
      }
      if (s.scale() != 1) {
        entry.put(SCALE, s.scale() == Math.rint(s.scale()) ? (Object) (long) s.scale() : (Object) s.scale());
      }
    } else if (source instanceof PurchaseDays d) {
      entry.put(DATE, lower(d.measure()));
    } else if (source instanceof Favourite f) {
      entry.put(FAVOURITE, f.attribute());
    } else if (source instanceof Share s) {
      entry.put(SHARE, s.attribute());
      entry.put(VALUE, s.value());
    }
    return entry;
  }

  private static void allowOnlyWith(Map<String, ?> entry, String where, String sourceKey, String owner,
      String... keys) {
    for (String key : keys) {
      if (entry.containsKey(key) && !sourceKey.equals(owner)) {
        throw new IllegalArgumentException(where + ": '" + key + "' belongs with '" + owner + "', not '" + sourceKey + "'");
      }
    }
  }

  private static String text(Map<String, ?> entry, String key, String where) {
    if (entry.get(key) == null) {
      throw new IllegalArgumentException(where + " has no value for '" + key + "'");
    }
    return scalar(entry.get(key), where, key);
  }

  private static String scalar(Object value, String where, String key) {
    // A category value may read as a number or boolean in YAML (value: 1); the text is what it means.
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    throw new IllegalArgumentException(where + ": '" + key + "' must be a single value, got " + value);
  }

  private static double number(Object value, String where) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(where + ": '" + SCALE + "' must be a number, got " + value);
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String text, String where, String key) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": '" + key + ": " + text + "' is not one of "
          + Arrays.stream(type.getEnumConstants()).map(FeatureSpecYaml::lower).toList()
          + (type == Statistic.class ? " or count" : ""), e);
    }
  }

  private static String lower(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, ?> stringKeys(Map<?, ?> entry) {
    Map<String, Object> keyed = new LinkedHashMap<>();
    entry.forEach((k, v) -> keyed.put(String.valueOf(k), v));
    return keyed;
  }
}

package dev.segments.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Short, readable segment names built from a segment's most distinctive traits, with fixed wording so that the
 * same profile always gets the same name, and with the figure behind every phrase (for the report's hover text).
 *
 * <p>A trait is a phrase backed by a profile figure that stands out: a numeric feature whose segment mean lies at
 * least {@value #NUMERIC_Z_THRESHOLD} overall standard deviations from the overall mean (|z|), written as a word
 * for its direction ("older", "high income", or "high/low feature name" for features without their own words; a
 * ratio such as {@code premium_to_coverage} is never given the words of its parts), or a categorical value with
 * lift (segment share / population share) of at least {@value #LIFT_THRESHOLD} and segment share of at least
 * {@value #SHARE_THRESHOLD}; "unknown" is never a trait. The words say what they measure, in a marketer's words:
 * recency is "last bought long ago" or "recent buyers" (never "lapsed", which to an insurer means a policy no longer
 * paid). A category value (never recased) stands alone only where it says its feature itself (a marital status,
 * gender, education or occupation: "Divorced"); a favourite product type or category reads "Life policies"; a
 * contact channel, time or language names its feature ("channel: Text", "contact time: Evening", "language:
 * Welsh"), as does any other feature ("city: Leeds"). Numeric traits rank by |z|, categorical ones by lift (then
 * share). A phrase already in the name is never added again (two premium features both low give one "low
 * premium").
 *
 * <p>A name joins with " · " up to two numeric traits and the best categorical trait. A segment with no trait is
 * "Mainstream". Names are unique within a run: segments claim names largest first (ties by id); a segment whose
 * name is taken gets its next traits appended (numeric, then categorical) until the name is free, and if it runs
 * out of traits, " (2)", " (3)", ….
 */
public final class SegmentNamer {
  private SegmentNamer() {}

  static final double NUMERIC_Z_THRESHOLD = 0.5;
  static final double LIFT_THRESHOLD = 1.3;
  static final double SHARE_THRESHOLD = 0.40;
  static final String MAINSTREAM = "Mainstream";
  private static final String SEPARATOR = " · ";
  private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
  /** Tokens that make a feature a ratio or a rate: its parts' words would say something else. */
  private static final Set<String> RATIO_TOKENS = Set.of("to", "per", "ratio", "share", "rate");

  /** Words for high and low values of features whose name holds one of these tokens; first match wins. */
  private static final Map<String, String[]> VOCABULARY = new LinkedHashMap<>();

  static {
    VOCABULARY.put("age", new String[] {"older", "younger"});
    VOCABULARY.put("income", new String[] {"high income", "low income"});
    VOCABULARY.put("salary", new String[] {"high income", "low income"});
    VOCABULARY.put("tenure", new String[] {"long tenure", "new customers"});
    VOCABULARY.put("recency", new String[] {"last bought long ago", "recent buyers"});
    VOCABULARY.put("premium", new String[] {"high premium", "low premium"});
    VOCABULARY.put("coverage", new String[] {"high coverage", "low coverage"});
    VOCABULARY.put("policies", new String[] {"many policies", "few policies"});
    VOCABULARY.put("policy", new String[] {"many policies", "few policies"});
    VOCABULARY.put("orders", new String[] {"many orders", "few orders"});
  }

  /** Category features whose values say what they are: shown alone. */
  private static final Set<String> SELF_EXPLAINING = Set.of("marital", "gender", "sex", "education", "occupation",
      "job");

  /** Phrases for the values of category features whose name holds one of these tokens; first match wins. */
  private static final Map<String, String> VALUE_PHRASES = new LinkedHashMap<>();

  static {
    VALUE_PHRASES.put("channel", "channel: %s");
    VALUE_PHRASES.put("time", "contact time: %s");
    VALUE_PHRASES.put("language", "language: %s");
    VALUE_PHRASES.put("product", "%s policies");
    VALUE_PHRASES.put("category", "%s policies");
  }

  /**
   * One phrase of a name, the feature it comes from and the figure behind it.
   *
   * @param value the category value the phrase says, kept as spelt; null for a numeric trait
   * @param evidence e.g. "total_premium: mean 412, 0.9 SD below everyone's" or "favourite_product_type = Life: 62 %
   *     of the segment, 30 % of everyone (2.1×)"
   */
  public record Trait(String phrase, String feature, String value, String evidence) {
    /** The phrase starts with a category value, which is never capitalised. */
    public boolean startsWithValue() {
      return value != null && phrase.startsWith(value);
    }
  }

  /** A segment's name and the traits it is made of, in order; no traits for "Mainstream" or a numbered clash. */
  public record SegmentName(String name, List<Trait> traits) {
    public SegmentName {
      traits = List.copyOf(traits);
    }

    /** The evidence of every trait, one per line: the report's hover text. */
    public String explanation() {
      if (traits.isEmpty()) {
        return "no feature stands out: no mean " + NUMERIC_Z_THRESHOLD + " SD or more from everyone's, no value"
            + " over-represented " + LIFT_THRESHOLD + "× or more";
      }
      return String.join("\n", traits.stream().map(t -> t.phrase() + ": " + t.evidence()).toList());
    }
  }

  /** A name for every profile, by segment id. */
  public static Map<Integer, String> names(List<SegmentProfile> profiles) {
    Map<Integer, String> names = new LinkedHashMap<>();
    explain(profiles).forEach((id, name) -> names.put(id, name.name()));
    return names;
  }

  /** A name with its traits for every profile, by segment id (see the class comment). */
  public static Map<Integer, SegmentName> explain(List<SegmentProfile> profiles) {
    List<SegmentProfile> bySize = new ArrayList<>(profiles);
    bySize.sort(Comparator.comparingLong(SegmentProfile::size).reversed()
        .thenComparingInt(SegmentProfile::segmentId));
    Set<String> taken = new HashSet<>();
    Map<Integer, SegmentName> names = new LinkedHashMap<>();
    for (SegmentProfile profile : bySize) {
      List<Trait> numeric = numericTraits(profile);
      List<Trait> categorical = categoricalTraits(profile);
      int numericUsed = Math.min(2, numeric.size());
      int categoricalUsed = Math.min(1, categorical.size());
      List<Trait> chosen = new ArrayList<>(numeric.subList(0, numericUsed));
      chosen.addAll(categorical.subList(0, categoricalUsed));
      List<Trait> spare = new ArrayList<>(numeric.subList(numericUsed, numeric.size()));
      spare.addAll(categorical.subList(categoricalUsed, categorical.size()));
      String name = join(chosen);
      while (taken.contains(name) && !spare.isEmpty()) {
        chosen.add(spare.remove(0));
        name = join(chosen);
      }
      String base = name;
      for (int n = 2; taken.contains(name); n++) {
        name = base + " (" + n + ")";
      }
      taken.add(name);
      names.put(profile.segmentId(), new SegmentName(name, chosen));
    }
    return names;
  }

  private static String join(List<Trait> traits) {
    if (traits.isEmpty()) {
      return MAINSTREAM;
    }
    List<String> phrases = new ArrayList<>();
    for (Trait trait : traits) {
      phrases.add(phrases.isEmpty() && !trait.startsWithValue() ? capitalise(trait.phrase()) : trait.phrase());
    }
    return String.join(SEPARATOR, phrases);
  }

  /** Numeric traits by |z|, strongest first, each phrase once. */
  private static List<Trait> numericTraits(SegmentProfile profile) {
    List<SegmentProfile.Numeric> ranked = new ArrayList<>(profile.numeric());
    ranked.sort(Comparator.comparingDouble((SegmentProfile.Numeric n) -> -Math.abs(n.z()))
        .thenComparing(SegmentProfile.Numeric::feature));
    List<Trait> traits = new ArrayList<>();
    Set<String> phrases = new HashSet<>();
    for (SegmentProfile.Numeric feature : ranked) {
      if (Math.abs(feature.z()) < NUMERIC_Z_THRESHOLD) {
        break;
      }
      String phrase = word(feature);
      if (phrases.add(phrase.toLowerCase(Locale.ROOT))) {
        traits.add(new Trait(phrase, feature.feature(), null, String.format(Locale.ROOT, "%s: mean %s, %.1f SD %s everyone's",
            feature.feature(), amount(feature.mean()), Math.abs(feature.z()), feature.z() > 0 ? "above" : "below")));
      }
    }
    return traits;
  }

  /** Over-represented common values by lift (ties: larger share, then earlier feature), each value once. */
  private static List<Trait> categoricalTraits(SegmentProfile profile) {
    record Candidate(String feature, SegmentProfile.CategoryShare value) {}
    List<Candidate> candidates = new ArrayList<>();
    for (SegmentProfile.Categorical feature : profile.categorical()) {
      for (SegmentProfile.CategoryShare value : feature.top()) {
        if (value.share() >= SHARE_THRESHOLD && value.lift() >= LIFT_THRESHOLD
            && !value.value().equalsIgnoreCase("unknown")) {
          candidates.add(new Candidate(feature.feature(), value));
        }
      }
    }
    candidates.sort(Comparator.comparingDouble((Candidate c) -> -c.value().lift())
        .thenComparingDouble(c -> -c.value().share()));
    List<Trait> traits = new ArrayList<>();
    Set<String> phrases = new HashSet<>();
    for (Candidate c : candidates) {
      String phrase = valuePhrase(c.feature(), c.value().value());
      if (phrases.add(phrase.toLowerCase(Locale.ROOT))) {
        traits.add(new Trait(phrase, c.feature(), c.value().value(), String.format(Locale.ROOT, "%s = %s for %.0f%% of the segment, %.0f%%"
            + " of everyone (%.1f×)", c.feature(), c.value().value(), 100 * c.value().share(),
            100 * c.value().populationShare(), c.value().lift())));
      }
    }
    return traits;
  }

  /** A category value in words that say its feature where the value alone would not (see the class comment). */
  static String valuePhrase(String feature, String value) {
    List<String> tokens = List.of(NON_ALPHANUMERIC.split(feature.toLowerCase(Locale.ROOT)));
    if (tokens.stream().anyMatch(SELF_EXPLAINING::contains)) {
      return value;
    }
    for (Map.Entry<String, String> entry : VALUE_PHRASES.entrySet()) {
      if (tokens.contains(entry.getKey())) {
        return String.format(Locale.ROOT, entry.getValue(), value);
      }
    }
    return String.join(" ", tokens).trim() + ": " + value;
  }

  private static String word(SegmentProfile.Numeric feature) {
    List<String> tokens = List.of(NON_ALPHANUMERIC.split(feature.feature().toLowerCase(Locale.ROOT)));
    int direction = feature.z() > 0 ? 0 : 1;
    if (tokens.stream().noneMatch(RATIO_TOKENS::contains)) {
      for (Map.Entry<String, String[]> entry : VOCABULARY.entrySet()) {
        if (tokens.contains(entry.getKey())) {
          return entry.getValue()[direction];
        }
      }
    }
    return (direction == 0 ? "high " : "low ") + String.join(" ", tokens).trim();
  }

  private static String amount(double value) {
    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}

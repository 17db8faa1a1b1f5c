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
 * same profile always gets the same name.
 *
 * <p>A name joins with " · " up to two numeric traits, the features with the largest |z| above
 * {@value #NUMERIC_Z_THRESHOLD}, in that order, each as a word for its direction ("older", "high income", or
 * "high/low feature name" for features without their own words), and one categorical trait: the most
 * over-represented common value, with lift (segment share / population share) above {@value #LIFT_THRESHOLD} and
 * segment share above {@value #SHARE_THRESHOLD}, written as the value itself (never recased); "unknown" is never a
 * trait. A segment with no trait is "Mainstream".
 *
 * <p>Names are unique within a run. Segments claim names largest first (ties by id); a segment whose name is taken
 * gets its next numeric trait (|z| above {@value #EXTRA_Z_THRESHOLD}) appended, and if that is taken too, " (2)",
 * " (3)", ….
 */
public final class SegmentNamer {
  private SegmentNamer() {}

  static final double NUMERIC_Z_THRESHOLD = 0.5;
  static final double EXTRA_Z_THRESHOLD = 0.25;
  static final double LIFT_THRESHOLD = 1.3;
  static final double SHARE_THRESHOLD = 0.40;
  private static final String SEPARATOR = " · ";
  private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

  /** Words for high and low values of features whose name holds one of these tokens; first match wins. */
  private static final Map<String, String[]> VOCABULARY = new LinkedHashMap<>();

  static {
    VOCABULARY.put("age", new String[] {"older", "younger"});
    VOCABULARY.put("income", new String[] {"high income", "low income"});
    VOCABULARY.put("salary", new String[] {"high income", "low income"});
    VOCABULARY.put("tenure", new String[] {"long tenure", "new"});
    VOCABULARY.put("recency", new String[] {"lapsed", "recent buyers"});
    VOCABULARY.put("premium", new String[] {"high premium", "low premium"});
    VOCABULARY.put("coverage", new String[] {"high coverage", "low coverage"});
    VOCABULARY.put("policies", new String[] {"many policies", "few policies"});
    VOCABULARY.put("policy", new String[] {"many policies", "few policies"});
    VOCABULARY.put("orders", new String[] {"many orders", "few orders"});
  }

  /** A name for every profile, by segment id. */
  public static Map<Integer, String> names(List<SegmentProfile> profiles) {
    List<SegmentProfile> bySize = new ArrayList<>(profiles);
    bySize.sort(Comparator.comparingLong(SegmentProfile::size).reversed()
        .thenComparingInt(SegmentProfile::segmentId));
    Set<String> taken = new HashSet<>();
    Map<Integer, String> names = new LinkedHashMap<>();
    for (SegmentProfile profile : bySize) {
      List<SegmentProfile.Numeric> ranked = new ArrayList<>(profile.numeric());
      ranked.sort(Comparator.comparingDouble((SegmentProfile.Numeric n) -> -Math.abs(n.z())));
      List<String> traits = new ArrayList<>();
      int next = 0;
      while (next < ranked.size() && next < 2 && Math.abs(ranked.get(next).z()) > NUMERIC_Z_THRESHOLD) {
        String word = word(ranked.get(next));
        traits.add(next == 0 ? capitalise(word) : word);
        next++;
      }
      String categorical = categoricalTrait(profile);
      if (categorical != null) {
        traits.add(categorical);
      }
      String name = traits.isEmpty() ? "Mainstream" : String.join(SEPARATOR, traits);
      if (taken.contains(name) && next < ranked.size() && Math.abs(ranked.get(next).z()) > EXTRA_Z_THRESHOLD) {
        name = name + SEPARATOR + word(ranked.get(next));
      }
      String base = name;
      for (int n = 2; taken.contains(name); n++) {
        name = base + " (" + n + ")";
      }
      taken.add(name);
      names.put(profile.segmentId(), name);
    }
    return names;
  }

  private static String word(SegmentProfile.Numeric feature) {
    List<String> tokens = List.of(NON_ALPHANUMERIC.split(feature.feature().toLowerCase(Locale.ROOT)));
    int direction = feature.z() > 0 ? 0 : 1;
    for (Map.Entry<String, String[]> entry : VOCABULARY.entrySet()) {
      if (tokens.contains(entry.getKey())) {
        return entry.getValue()[direction];
      }
    }
    return (direction == 0 ? "high " : "low ") + String.join(" ", tokens).trim();
  }

  /** The most over-represented common value (ties: larger share, then earlier feature), or null. */
  private static String categoricalTrait(SegmentProfile profile) {
    SegmentProfile.CategoryShare best = null;
    for (SegmentProfile.Categorical feature : profile.categorical()) {
      for (SegmentProfile.CategoryShare value : feature.top()) {
        boolean distinctive = value.share() > SHARE_THRESHOLD && value.lift() > LIFT_THRESHOLD
            && !value.value().equalsIgnoreCase("unknown");
        if (distinctive && (best == null || value.lift() > best.lift()
            || value.lift() == best.lift() && value.share() > best.share())) {
          best = value;
        }
      }
    }
    return best == null ? null : best.value();
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}

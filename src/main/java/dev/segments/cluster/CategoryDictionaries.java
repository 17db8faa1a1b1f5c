package dev.segments.cluster;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The values seen at fit time for each categorical feature, sorted, so a value's code is its index and the lowest
 * code (the tie-break for modes) is the alphabetically first value whatever the partitioning. A value not in the
 * dictionary encodes as {@link #UNSEEN}, which matches no mode.
 */
final class CategoryDictionaries implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int UNSEEN = -1;

  private final String[][] values;
  private transient Map<String, Integer>[] codes;

  CategoryDictionaries(String[][] values) {
    this.values = values;
  }

  int features() {
    return values.length;
  }

  String value(int feature, int code) {
    return values[feature][code];
  }

  String[] values(int feature) {
    return values[feature].clone();
  }

  int[] cardinalities() {
    int[] cardinalities = new int[values.length];
    for (int f = 0; f < values.length; f++) {
      cardinalities[f] = values[f].length;
    }
    return cardinalities;
  }

  int code(int feature, String value) {
    return lookup()[feature].getOrDefault(value, UNSEEN);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Integer>[] lookup() {
    if (codes == null) {
      Map<String, Integer>[] built = new Map[values.length];
      for (int f = 0; f < values.length; f++) {
        built[f] = new HashMap<>();
        for (int c = 0; c < values[f].length; c++) {
          built[f].put(values[f][c], c);
        }
      }
      codes = built;
    }
    return codes;
  }
}

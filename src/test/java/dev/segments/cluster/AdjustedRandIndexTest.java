package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The adjusted Rand index, from labelings (quality figures) and from a contingency table (stability). */
class AdjustedRandIndexTest {

  @Test
  void matchesScikitLearnsDocumentedExamples() {
    // scikit-learn's adjusted_rand_score documentation: renaming labels changes nothing; [0,0,1,1] vs [0,0,1,2]
    // scores 0.57 (4/7); splitting every class into singletons scores 0.
    assertEquals(1.0, AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}), 1e-12);
    assertEquals(4.0 / 7, AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}), 1e-12);
    assertEquals(0.0, AdjustedRandIndex.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3}), 1e-12);
  }

  @Test
  void theContingencyTableGivesWhatTheLabelingsGive() {
    int[] a = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2};
    int[] b = {0, 0, 1, 1, 1, 2, 2, 2, 0, 2};
    long[] table = new long[3 * 3];
    for (int i = 0; i < a.length; i++) {
      table[a[i] * 3 + b[i]]++;
    }
    assertEquals(AdjustedRandIndex.of(a, b), AdjustedRandIndex.ofTable(table, 3, 3), 1e-12);
  }
}

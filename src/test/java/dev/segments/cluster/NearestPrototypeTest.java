package dev.segments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pruned search against a plain scan of every prototype: the same index (the lowest on a tie) and the same
 * distance bit for bit, whatever the hint, on random data, on ties planted on purpose and with duplicate prototypes.
 * The search with the runner-up gives the same nearest prototype and the plain scan's second (the lowest index of
 * the others on a tie).
 */
class NearestPrototypeTest {

  /** The plain answer: every distance in full, the lowest index on a tie. */
  private static int plain(Prototypes p, double[] values, int[] codes) {
    double best = Double.POSITIVE_INFINITY;
    int bestIndex = -1;
    for (int j = 0; j < p.k; j++) {
      double d = p.distance(values, 0, codes, 0, j);
      if (d < best) {
        best = d;
        bestIndex = j;
      }
    }
    return bestIndex;
  }

  /** The plain runner-up: the nearest prototype other than {@code nearest}, the lowest index on a tie; -1 if none. */
  private static int plainRunnerUp(Prototypes p, double[] values, int[] codes, int nearest) {
    double best = Double.POSITIVE_INFINITY;
    int bestIndex = -1;
    for (int j = 0; j < p.k; j++) {
      double d = p.distance(values, 0, codes, 0, j);
      if (j != nearest && d < best) {
        best = d;
        bestIndex = j;
      }
    }
    return bestIndex;
  }

  private static double norm(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }

  private static void assertSameAsPlain(Prototypes p, double[] values, int[] codes) {
    int expected = plain(p, values, codes);
    double expectedDistance = p.distance(values, 0, codes, 0, expected);
    NearestPrototype nearest = new NearestPrototype(p);
    for (int hint = 0; hint < p.k; hint++) {
      int found = nearest.find(values, 0, norm(values), codes, 0, hint);
      assertEquals(expected, found, "hint " + hint);
      assertEquals(expectedDistance, nearest.distance(), 0.0, "hint " + hint);
    }
    assertEquals(expected, nearest.findWithRunnerUp(values, 0, codes, 0));
    assertEquals(expectedDistance, nearest.distance(), 0.0);
    int runnerUp = plainRunnerUp(p, values, codes, expected);
    assertEquals(runnerUp, nearest.runnerUp());
    assertEquals(runnerUp < 0 ? Double.NaN : p.distance(values, 0, codes, 0, runnerUp), nearest.runnerUpDistance(),
        0.0);
  }

  @Test
  void randomRowsAndPrototypes() {
    Random random = new Random(3);
    for (int trial = 0; trial < 300; trial++) {
      int k = 1 + random.nextInt(12);
      int d = random.nextInt(5);
      int c = random.nextInt(4);
      if (d + c == 0) {
        d = 1;
      }
      double spread = random.nextBoolean() ? 0.3 : 3.0;
      double[] centers = new double[k * d];
      int[] modes = new int[k * c];
      for (int i = 0; i < centers.length; i++) {
        centers[i] = random.nextGaussian() * spread;
      }
      for (int i = 0; i < modes.length; i++) {
        modes[i] = random.nextInt(3);
      }
      Prototypes p = new Prototypes(k, d, c, 0.1 + random.nextDouble(), centers, modes);
      for (int row = 0; row < 50; row++) {
        double[] values = new double[d];
        int[] codes = new int[c];
        for (int f = 0; f < d; f++) {
          values[f] = random.nextGaussian() * spread;
        }
        for (int f = 0; f < c; f++) {
          codes[f] = random.nextInt(3);
        }
        assertSameAsPlain(p, values, codes);
        // A row sitting on a prototype, and one on the midpoint of two (a tie when their modes agree).
        int a = random.nextInt(k);
        int b = random.nextInt(k);
        double[] on = new double[d];
        double[] mid = new double[d];
        for (int f = 0; f < d; f++) {
          on[f] = centers[a * d + f];
          mid[f] = (centers[a * d + f] + centers[b * d + f]) / 2;
        }
        int[] modeCodes = new int[c];
        System.arraycopy(modes, a * c, modeCodes, 0, c);
        assertSameAsPlain(p, on, modeCodes);
        assertSameAsPlain(p, mid, modeCodes);
      }
    }
  }

  @Test
  void exactTiesGoToTheLowestIndexWhateverTheHint() {
    // Prototypes 1 and 3 are mirror images around the row, and 0 and 2 coincide: ties at every step.
    double[] centers = {5, 5, -1, 0, 5, 5, 1, 0, 9, 9};
    int[] modes = {0, 1, 0, 1, 2};
    Prototypes p = new Prototypes(5, 2, 1, 0.5, centers, modes);
    assertSameAsPlain(p, new double[] {0, 0}, new int[] {1});
    assertSameAsPlain(p, new double[] {0, 0}, new int[] {0});
    assertSameAsPlain(p, new double[] {5, 5}, new int[] {0});
    assertEquals(1, new NearestPrototype(p).find(new double[] {0, 0}, 0, 0, new int[] {1}, 0, 3));
  }

  @Test
  void categoricalOnlyTies() {
    Prototypes p = new Prototypes(4, 0, 3, 1.0, new double[0], new int[] {0, 0, 0, 1, 1, 1, 0, 1, 2, 2, 2, 2});
    Random random = new Random(5);
    for (int row = 0; row < 200; row++) {
      assertSameAsPlain(p, new double[0], new int[] {random.nextInt(3), random.nextInt(3), random.nextInt(3)});
    }
  }
}

package dev.segments.ingest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Times {@link PersonalDataPattern#looksPersonal} on long cells of name characters with no {@code @} (the worst case
 * of the e-mail regular expression it replaced, timed too on the shortest cell). A bench, not a test: see
 * BENCHMARKS.md for the command and the figures.
 */
public final class PersonalDataTiming {
  private static final Pattern FORMER = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*"
      + "\\.[A-Za-z]{2,}|(?<![\\w.])(?:\\+|\\(?0)(?:[ ()./-]{0,2}\\d){9,}");

  private PersonalDataTiming() {}

  public static void main(String[] args) {
    for (int length : new int[] {10_000, 50_000, 5_000_000}) {
      String cell = "a.b-c_d".repeat(length / 7 + 1).substring(0, length);
      for (int warm = 0; warm < 3; warm++) {
        PersonalDataPattern.looksPersonal(cell);
      }
      long start = System.nanoTime();
      for (int rep = 0; rep < 5; rep++) {
        PersonalDataPattern.looksPersonal(cell);
      }
      String line = String.format(Locale.ROOT, "%,d chars: %.1f ms", length, (System.nanoTime() - start) / 1e6 / 5);
      if (length == 10_000) {
        long former = System.nanoTime();
        FORMER.matcher(cell).find();
        line += String.format(Locale.ROOT, " (the former regular expression: %.0f ms)", (System.nanoTime() - former) / 1e6);
      }
      System.out.println(line);
    }
  }
}

package dev.segments.bench;

import java.util.Locale;

/**
 * Figures from one clustering benchmark run, all measured in the same JVM and Spark session.
 *
 * @param kprotoSecondsPerIteration K-Prototypes time per pass over the cached blocks (packing and init excluded)
 * @param mllibSecondsPerIteration MLlib KMeans time per iteration on the same rows as 10 numeric columns
 * @param floorSecondsPerPass one thread of plain Java assigning and accumulating the same primitive arrays
 * @param cacheBytesPerRow what the cached blocks took in the block manager, per row
 * @param rawBytesPerRow the primitive size of a row: 8 per numeric value, 4 per category code
 */
public record BenchResult(long rows, int iterations, double kprotoSecondsPerIteration,
                          double mllibSecondsPerIteration, double floorSecondsPerPass, double cacheBytesPerRow,
                          double rawBytesPerRow, double kprotoPackSeconds, double kprotoInitSeconds) {

  public double ratioVsMllib() {
    return kprotoSecondsPerIteration / mllibSecondsPerIteration;
  }

  /** The one line the benchmark's caller prints last; its format is fixed. */
  public String resultLine() {
    return String.format(Locale.ROOT,
        "RESULT n=%d kproto_s_per_iter=%.4f mllib_s_per_iter=%.4f ratio_vs_mllib=%.3f floor_s_per_pass=%.4f"
            + " cache_bytes_per_row=%.1f",
        rows, kprotoSecondsPerIteration, mllibSecondsPerIteration, ratioVsMllib(), floorSecondsPerPass,
        cacheBytesPerRow);
  }
}

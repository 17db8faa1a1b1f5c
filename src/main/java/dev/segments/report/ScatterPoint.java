package dev.segments.report;

/** One customer on the first two FAMD dimensions. */
public record ScatterPoint(double x, double y, int segmentId) {

  public ScatterPoint {
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException("FAMD point of segment " + segmentId + " is not finite: (" + x + ", " + y + ")");
    }
  }
}

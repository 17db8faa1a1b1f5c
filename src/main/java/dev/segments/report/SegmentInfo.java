package dev.segments.report;

import java.util.Objects;

/**
 * One segment of the chosen model.
 *
 * @param id stable segment id
 * @param name human-readable name; any text, escaped when rendered
 * @param size number of customers
 * @param share share of customers (0..1)
 * @param revenueShare share of total premium (0..1)
 * @param nameExplanation the figure behind each phrase of the name, one per line: the name's hover text
 * @param borderlineShare share of the segment's customers that are borderline (0..1; NaN: not known)
 */
public record SegmentInfo(int id, String name, long size, double share, double revenueShare, String nameExplanation,
    double borderlineShare) {

  public SegmentInfo {
    Objects.requireNonNull(name, "segment name");
    Objects.requireNonNull(nameExplanation, "name explanation");
  }
}

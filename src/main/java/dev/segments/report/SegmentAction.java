package dev.segments.report;

import java.util.List;
import java.util.Objects;

/**
 * What a sales team needs to act on one segment: the report's action card.
 *
 * @param segmentId the segment, one of the report's segments
 * @param traits what defines the segment, one line per trait of its name with the figure behind it
 * @param borderlineShare the share (0..1) of its customers near the border with another segment; null when the run
 *     does not measure it
 * @param overIndexed the product types its customers hold more often than everyone, highest lift first
 * @param crossSellCandidates its customers with a next best product
 */
public record SegmentAction(int segmentId, List<String> traits, Double borderlineShare, List<ProductLift> overIndexed,
    long crossSellCandidates) {

  /**
   * A product type a segment over-indexes on.
   *
   * @param shareInSegment share (0..1) of the segment holding it
   * @param lift shareInSegment / the share among everyone
   */
  public record ProductLift(String productType, double shareInSegment, double lift) {
    public ProductLift {
      Objects.requireNonNull(productType, "product type");
    }
  }

  public SegmentAction {
    traits = List.copyOf(traits);
    overIndexed = List.copyOf(overIndexed);
  }
}

package dev.segments.report;

import static dev.segments.report.HtmlText.escape;

import java.util.Locale;

/**
 * One action card per segment: what defines it, how many of its customers sit near another segment (when the run
 * measures it), the product types it holds more than everyone, and how many customers the cross-sell list offers a
 * product to.
 */
final class ActionCards {
  private ActionCards() {}

  static String html(ReportData data, SegmentPalette palette) {
    if (data.actions().isEmpty()) {
      return "<p class=\"empty\">No segments to act on in this run.</p>\n";
    }
    StringBuilder out = new StringBuilder("<div class=\"cards action-cards\">\n");
    for (SegmentAction action : data.actions()) {
      SegmentInfo segment = data.segments().stream().filter(s -> s.id() == action.segmentId()).findFirst()
          .orElseThrow();
      out.append("<article class=\"card action-card\" data-segment-id=\"").append(segment.id())
          .append("\" style=\"--segment: ").append(palette.colourOf(segment.id())).append("\">\n")
          .append("<p class=\"card-id\"><span class=\"swatch\"></span>Segment ").append(segment.id()).append("</p>\n")
          .append("<h3>").append(escape(segment.name())).append("</h3>\n")
          .append("<h4>What defines it</h4>\n");
      if (action.traits().isEmpty()) {
        out.append("<p class=\"muted\">No feature stands out from everyone's.</p>\n");
      } else {
        out.append("<ul class=\"traits\">\n");
        action.traits().forEach(trait -> out.append("<li>").append(escape(trait)).append("</li>\n"));
        out.append("</ul>\n");
      }
      if (action.borderlineShare() != null) {
        out.append("<p class=\"borderline\"><strong>").append(DisplayFormat.percent(action.borderlineShare()))
            .append("</strong> of its customers are borderline (close to another segment)</p>\n");
      }
      out.append("<h4>Holds more than everyone</h4>\n");
      if (action.overIndexed().isEmpty()) {
        out.append("<p class=\"muted\">No product type above the cross-sell floors.</p>\n");
      } else {
        out.append("<table class=\"lifts\"><thead><tr><th scope=\"col\">Product type</th><th scope=\"col\">Holders"
            + "</th><th scope=\"col\">Lift</th></tr></thead><tbody>\n");
        for (SegmentAction.ProductLift product : action.overIndexed()) {
          out.append("<tr><th scope=\"row\">").append(escape(product.productType())).append("</th><td>")
              .append(DisplayFormat.percent(product.shareInSegment())).append("</td><td>")
              .append(String.format(Locale.ROOT, "%.2f×", product.lift())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
      }
      out.append("<p class=\"candidates\"><strong>").append(DisplayFormat.count(action.crossSellCandidates()))
          .append("</strong> cross-sell candidates</p>\n</article>\n");
    }
    return out.append("</div>\n").toString();
  }
}

package dev.segments.report;

import static dev.segments.report.HtmlText.escape;

import java.util.Locale;

/**
 * One card per segment: its colour, name (hover it for the figure behind each phrase), size, shares of customers
 * and premium, and the share of its customers that are borderline (nearly as near another segment).
 */
final class SegmentCards {
  private SegmentCards() {}

  static String html(ReportData data, SegmentPalette palette) {
    if (data.segments().isEmpty()) {
      return "<p class=\"empty\">No segments in this run.</p>\n";
    }
    StringBuilder out = new StringBuilder("<div class=\"cards\">\n");
    for (SegmentInfo segment : data.segments()) {
      out.append("""
          <article class="card" style="--segment: %s">
            <p class="card-id"><span class="swatch"></span>Segment %d</p>
            <h3%s>%s</h3>
            <p class="card-size"><strong>%s</strong> customers</p>
            <div class="share-bar" title="%s of customers"><span style="width: %s%%"></span></div>
            <dl>
              <div><dt>Customers</dt><dd>%s</dd></div>
              <div><dt>Premium</dt><dd>%s</dd></div>
              <div title="Customers nearly as near another segment (confidence below analysis.borderline_confidence)"><dt>Borderline</dt><dd>%s</dd></div>
            </dl>
          </article>
          """.formatted(
              palette.colourOf(segment.id()),
              segment.id(),
              segment.nameExplanation().isEmpty() ? ""
                  : " title=\"" + escape("Why this name:\n" + segment.nameExplanation()) + "\"",
              escape(segment.name()),
              DisplayFormat.count(segment.size()),
              DisplayFormat.percent(segment.share()),
              barWidth(segment.share()),
              DisplayFormat.percent(segment.share()),
              DisplayFormat.percent(segment.revenueShare()),
              DisplayFormat.percent(segment.borderlineShare())));
    }
    return out.append("</div>\n").toString();
  }

  private static String barWidth(double share) {
    double clamped = Double.isFinite(share) ? Math.max(0, Math.min(1, share)) : 0;
    return String.format(Locale.ROOT, "%.1f", clamped * 100);
  }
}

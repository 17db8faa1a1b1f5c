package dev.segments.report;

import static dev.segments.report.HtmlText.escape;

import java.util.Locale;

/**
 * The profile heat map as a table: a row per segment, a column per numeric feature, each cell showing the
 * segment's mean in the feature's unit on a diverging blue (below average) to red (above average) background.
 */
final class ProfileTable {
  /** Beyond this many standard deviations the colour saturates; larger gaps are rare and read the same. */
  private static final double SATURATION_Z = 2.0;
  private static final int[] NEUTRAL = {0xf7, 0xf7, 0xf7};
  private static final int[] BELOW = {0x21, 0x66, 0xac};
  private static final int[] ABOVE = {0xb2, 0x18, 0x2b};

  private static final int ROW_HEADER_PX = 230;
  private static final int MIN_COLUMN_PX = 88;

  private ProfileTable() {}

  static String html(ReportData data, SegmentPalette palette) {
    ProfileHeatmap profile = data.profile();
    if (profile.features().isEmpty() || profile.segmentIds().isEmpty()) {
      return "<p class=\"empty\">No numeric features to profile.</p>\n";
    }
    StringBuilder out = new StringBuilder();
    // Equal columns, however long a feature's name; past a dozen features the table scrolls rather than squeezes.
    int minWidth = ROW_HEADER_PX + MIN_COLUMN_PX * profile.features().size();
    out.append("<div class=\"table-scroll\">\n<table class=\"heatmap\" id=\"profile-table\" style=\"min-width: ")
        .append(minWidth).append("px\">\n<thead><tr><th scope=\"col\" class=\"corner\" style=\"width: ")
        .append(ROW_HEADER_PX).append("px\">Segment</th>");
    for (String feature : profile.features()) {
      // Feature names are snake_case: a break opportunity after each underscore keeps long names in their column.
      out.append("<th scope=\"col\">").append(escape(feature).replace("_", "_<wbr>")).append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (int row = 0; row < profile.segmentIds().size(); row++) {
      int segmentId = profile.segmentIds().get(row);
      String name = segmentName(data, segmentId);
      out.append("<tr><th scope=\"row\" style=\"--segment: ").append(palette.colourOf(segmentId))
          .append("\" title=\"").append(escape(name)).append("\"><span class=\"swatch\"></span>")
          .append(escape(name)).append("</th>");
      for (int feature = 0; feature < profile.features().size(); feature++) {
        double z = profile.zScore(row, feature);
        out.append("<td style=\"").append(cellStyle(z)).append("\" title=\"")
            .append(escape(name + " · " + profile.features().get(feature) + ": z = " + DisplayFormat.signed(z)))
            .append("\">").append(DisplayFormat.number(profile.mean(row, feature))).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n</div>\n");
    out.append("""
        <div class="scale" aria-hidden="true">
          <span>&minus;%1$.0f&thinsp;&sigma; below average</span>
          <span class="scale-bar" style="background: linear-gradient(to right, %2$s, %3$s, %4$s)"></span>
          <span>above average +%1$.0f&thinsp;&sigma;</span>
        </div>
        """.formatted(SATURATION_Z, hex(BELOW), hex(NEUTRAL), hex(ABOVE)));
    return out.toString();
  }

  private static String segmentName(ReportData data, int segmentId) {
    return data.segments().stream().filter(s -> s.id() == segmentId).findFirst().orElseThrow().name();
  }

  private static String cellStyle(double z) {
    if (!Double.isFinite(z)) {
      return "background: #ffffff; color: #6b7280";
    }
    double strength = Math.min(1, Math.abs(z) / SATURATION_Z);
    int[] end = z < 0 ? BELOW : ABOVE;
    int[] rgb = new int[3];
    for (int c = 0; c < 3; c++) {
      rgb[c] = (int) Math.round(NEUTRAL[c] + (end[c] - NEUTRAL[c]) * strength);
    }
    String text = strength > 0.55 ? "#ffffff" : "#1f2937";
    return "background: " + hex(rgb) + "; color: " + text;
  }

  private static String hex(int[] rgb) {
    return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  }
}

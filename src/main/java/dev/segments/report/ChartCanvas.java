package dev.segments.report;

/** A chart's canvas in a box of fixed height, or a sentence saying there is nothing to draw. */
final class ChartCanvas {
  private ChartCanvas() {}

  static String orEmpty(String canvasId, boolean hasData, int heightPx, String emptyMessage) {
    if (!hasData) {
      return "<p class=\"empty\">" + HtmlText.escape(emptyMessage) + "</p>\n";
    }
    return "<div class=\"chart\" style=\"height: " + heightPx + "px\"><canvas id=\"" + canvasId
        + "\" role=\"img\"></canvas></div>\n";
  }
}

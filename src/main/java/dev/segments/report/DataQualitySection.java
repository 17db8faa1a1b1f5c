package dev.segments.report;

import static dev.segments.report.HtmlText.escape;

import dev.segments.contract.SheetCounts;

/** Rows read, kept and quarantined per sheet, and the canvas for quarantined rows by reason. */
final class DataQualitySection {
  private DataQualitySection() {}

  static String html(ReportData data) {
    StringBuilder out = new StringBuilder();
    if (data.summary().sheets().isEmpty()) {
      out.append("<p class=\"empty\">No sheet counts recorded.</p>\n");
    } else {
      out.append("""
          <div class="table-scroll">
          <table class="counts">
          <thead><tr><th scope="col">Sheet</th><th scope="col">Rows read</th><th scope="col">Kept</th>\
          <th scope="col">Quarantined</th><th scope="col">Share quarantined</th></tr></thead>
          <tbody>
          """);
      for (SheetCounts sheet : data.summary().sheets()) {
        out.append("<tr><th scope=\"row\">").append(escape(sheet.sheet())).append("</th><td>")
            .append(DisplayFormat.count(sheet.read())).append("</td><td>")
            .append(DisplayFormat.count(sheet.kept())).append("</td><td>")
            .append(DisplayFormat.count(sheet.quarantined())).append("</td><td>")
            .append(DisplayFormat.percent(sheet.quarantinedShare())).append("</td></tr>\n");
      }
      out.append("</tbody>\n</table>\n</div>\n");
    }
    out.append("<h3>Quarantined rows by reason</h3>\n");
    int reasons = data.quarantine().size();
    // A bar per reason needs room for its label, so the chart grows with the number of reasons.
    out.append(ChartCanvas.orEmpty("chart-quarantine", reasons > 0, Math.max(140, 34 * reasons + 50),
        "No rows quarantined."));
    return out.toString();
  }
}

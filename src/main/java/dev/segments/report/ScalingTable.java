package dev.segments.report;

import static dev.segments.report.HtmlText.escape;

import dev.segments.cluster.ColumnScaling;

/** A small table per numeric feature: the scaling applied, the Yeo-Johnson λ, and the skewness before and after. */
final class ScalingTable {
  private ScalingTable() {}

  static String html(ReportData data) {
    if (data.scaling().isEmpty()) {
      return "<p class=\"empty\">No numeric features in this run.</p>\n";
    }
    StringBuilder out = new StringBuilder("""
        <div class="table-scroll">
        <table class="counts scaling">
        <thead><tr><th scope="col">Feature</th><th scope="col">Scaling</th><th scope="col">λ</th>\
        <th scope="col">Skewness before</th><th scope="col">Skewness after</th></tr></thead>
        <tbody>
        """);
    for (ColumnScaling row : data.scaling()) {
      out.append("<tr><th scope=\"row\">").append(escape(row.feature())).append("</th><td>")
          .append(escape(row.method())).append("</td><td>")
          .append(Double.isNaN(row.lambda()) ? "–" : DisplayFormat.signed(row.lambda())).append("</td><td>")
          .append(DisplayFormat.signed(row.skewBefore())).append("</td><td>")
          .append(DisplayFormat.signed(row.skewAfter())).append("</td></tr>\n");
    }
    return out.append("</tbody>\n</table>\n</div>\n").toString();
  }
}

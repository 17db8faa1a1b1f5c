package dev.segments.report;

import static dev.segments.report.HtmlText.escape;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changed since the previous night: the alerts breached, each segment's customers last night and tonight with
 * the moves between segments, each feature's population stability index, the quarantine rate and the model.
 */
final class WhatChangedSection {
  private static final List<String> SEGMENT_METRICS = List.of("customers", "moved_in", "moved_out", "new", "gone");

  private WhatChangedSection() {}

  static String html(ReportData data) {
    NightChanges changes = data.changes();
    if (changes.previousRunDate() == null) {
      return "<p class=\"empty\">No earlier night was published: nothing to compare with.</p>\n";
    }
    StringBuilder out = new StringBuilder("<p>Compared with the night of " + changes.previousRunDate() + ".</p>\n");
    List<NightChange> breaches = changes.breaches();
    out.append(breaches.isEmpty() ? "<p class=\"changes-ok\">No alert: every figure is within its threshold.</p>\n"
        : "<ul class=\"changes-alerts\">\n" + breaches.stream().map(b -> "<li><strong>" + escape(b.alert())
            + "</strong>: " + escape(b.metric()) + (b.subject().equals(NightChanges.ALL) ? ""
            : " of " + escape(b.kind()) + " " + escape(b.subject())) + " is " + value(b.metric(), b.current())
            + "</li>\n").collect(Collectors.joining()) + "</ul>\n");

    Map<String, String> names = data.segments().stream()
        .collect(Collectors.toMap(s -> Integer.toString(s.id()), SegmentInfo::name));
    out.append("<div class=\"table-scroll\">\n<table class=\"counts changes\">\n<thead><tr><th scope=\"col\">Segment"
        + "</th><th scope=\"col\">Last night</th><th scope=\"col\">Tonight</th><th scope=\"col\">Moved in</th>"
        + "<th scope=\"col\">Moved out</th><th scope=\"col\">New</th><th scope=\"col\">Gone</th></tr></thead>\n"
        + "<tbody>\n");
    Map<String, List<NightChange>> bySegment = changes.ofKind(NightChanges.SEGMENT).stream()
        .collect(Collectors.groupingBy(NightChange::subject, java.util.LinkedHashMap::new, Collectors.toList()));
    bySegment.forEach((subject, rows) -> {
      Map<String, NightChange> metric = rows.stream().collect(Collectors.toMap(NightChange::metric,
          Function.identity()));
      String label = subject.equals(NightChanges.ALL) ? "All customers"
          : subject + (names.containsKey(subject) ? " " + names.get(subject) : "");
      out.append("<tr><th scope=\"row\">").append(escape(label)).append("</th><td>")
          .append(value("customers", metric.get("customers").previous())).append("</td>");
      for (String name : SEGMENT_METRICS) {
        NightChange row = metric.get(name);
        out.append("<td>").append(row == null ? DisplayFormat.NOT_AVAILABLE : value(name, row.current()))
            .append("</td>");
      }
      out.append("</tr>\n");
    });
    out.append("</tbody>\n</table>\n</div>\n");
    changes.find(NightChanges.SEGMENT, NightChanges.ALL, "moved_share").ifPresent(moved -> out
        .append("<p class=\"footnote\">Returning customers who changed segment: ")
        .append(value("moved_share", moved.current())).append(".</p>\n"));

    out.append("<h3>Feature distributions</h3>\n<p class=\"note\">Population stability index of each feature "
        + "against last night (numeric features in last night's deciles, categorical ones by level): below 0.1 "
        + "stable, 0.1 to 0.25 a moderate shift, above 0.25 a significant one.</p>\n<div class=\"table-scroll\">\n"
        + "<table class=\"counts changes\">\n<thead><tr><th scope=\"col\">Feature</th><th scope=\"col\">PSI</th>"
        + "</tr></thead>\n<tbody>\n");
    for (NightChange psi : changes.ofKind(NightChanges.FEATURE)) {
      out.append("<tr").append(psi.alert() == null ? "" : " class=\"breach\"").append("><th scope=\"row\">")
          .append(escape(psi.subject())).append("</th><td>").append(value("psi", psi.current()))
          .append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n</div>\n");

    out.append("<h3>Quarantine and model</h3>\n<div class=\"table-scroll\">\n<table class=\"counts changes\">\n"
        + "<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">Before</th><th scope=\"col\">Tonight</th>"
        + "</tr></thead>\n<tbody>\n");
    for (NightChange row : changes.rows()) {
      if (row.kind().equals(NightChanges.QUARANTINE) || row.kind().equals(NightChanges.MODEL)) {
        String label = row.kind().equals(NightChanges.QUARANTINE) && row.metric().equals("rate")
            ? "Quarantine rate (before: median of previous nights)" : row.kind() + " " + row.metric();
        out.append("<tr").append(row.alert() == null ? "" : " class=\"breach\"").append("><th scope=\"row\">")
            .append(escape(label)).append("</th><td>").append(value(row.metric(), row.previous())).append("</td><td>")
            .append(value(row.metric(), row.current())).append("</td></tr>\n");
      }
    }
    out.append("</tbody>\n</table>\n</div>\n");
    return out.toString();
  }

  /** Shares and rates as percentages, counts as counts, the rest as numbers. */
  private static String value(String metric, Double value) {
    if (value == null) {
      return DisplayFormat.NOT_AVAILABLE;
    }
    return switch (metric) {
      case "share", "moved_share", "rate" -> DisplayFormat.percent(value);
      case "customers", "moved_in", "moved_out", "new", "gone", "returning", "moved", "k" ->
          DisplayFormat.count(Math.round(value));
      default -> DisplayFormat.number(value);
    };
  }
}

package dev.segments.report;

import static dev.segments.report.HtmlText.escape;

import dev.segments.contract.SheetCounts;

/** The report's header: which run, and the few figures a reader wants before any chart. */
final class Masthead {
  private Masthead() {}

  static String html(ReportData data) {
    RunSummary summary = data.summary();
    long customers = data.segments().stream().mapToLong(SegmentInfo::size).sum();
    long read = summary.sheets().stream().mapToLong(SheetCounts::read).sum();
    long quarantined = summary.sheets().stream().mapToLong(SheetCounts::quarantined).sum();
    String silhouette = Double.isFinite(summary.silhouette())
        ? String.format(java.util.Locale.ROOT, "%.3f", summary.silhouette()) : DisplayFormat.NOT_AVAILABLE;
    return """
        <header class="masthead">
          <div class="masthead-inner">
            <div class="title-block">
              <p class="eyebrow">Customer segmentation &middot; run report</p>
              <h1>Run <span class="run-id">%s</span></h1>
              <p class="meta">As of <time datetime="%s">%s</time> &middot; version %s &middot; run time %s</p>
            </div>
            <dl class="kpis">
              <div><dt>Segments</dt><dd id="kpi-k">%d</dd></div>
              <div><dt>Silhouette</dt><dd id="kpi-silhouette">%s</dd></div>
              <div><dt>Customers</dt><dd>%s</dd></div>
              <div><dt>Rows quarantined</dt><dd>%s<small> of %s</small></dd></div>
            </dl>
          </div>
        </header>
        """.formatted(
            escape(data.runId()),
            data.runDate(), data.runDate(),
            escape(data.version()),
            DisplayFormat.duration(summary.duration()),
            summary.k(),
            silhouette,
            DisplayFormat.count(customers),
            DisplayFormat.count(quarantined), DisplayFormat.count(read));
  }
}

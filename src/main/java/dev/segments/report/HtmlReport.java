package dev.segments.report;

import static dev.segments.report.HtmlText.escape;

import dev.segments.analysis.KSelection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a run as one self-contained HTML file: style, data and Chart.js are inline, so the file opens offline
 * and can be mailed or archived as it is.
 */
public final class HtmlReport {
  private static final Logger LOG = LoggerFactory.getLogger(HtmlReport.class);

  private HtmlReport() {}

  public static String render(ReportData data) {
    SegmentPalette palette = new SegmentPalette(data.segments());
    RunSummary summary = data.summary();
    Map<String, String> slots = new HashMap<>();
    slots.put("title", escape("Segmentation report · " + summary.runId() + " · " + summary.asOf()));
    slots.put("style", ReportTemplate.resource("report.css"));
    slots.put("masthead", Masthead.html(data));
    slots.put("segmentCards", SegmentCards.html(data, palette));
    slots.put("modelLine", escape(String.format(Locale.ROOT, "k = %d · gamma = %s · cost = %s · %d iterations",
        summary.k(), DisplayFormat.number(summary.gamma()), DisplayFormat.number(summary.cost()),
        summary.iterations())));
    slots.put("kReason", data.kSelection().stream().filter(KSelection.KRow::chosen).findFirst()
        .map(point -> "<p class=\"footnote k-reason\">Why k = " + point.k() + ": "
            + escape(point.reason()) + ".</p>")
        .orElse(""));
    slots.put("kSelectionChart", ChartCanvas.orEmpty("chart-k-selection", !data.kSelection().isEmpty(), 300,
        "k was not searched in this run."));
    slots.put("sizesChart", ChartCanvas.orEmpty("chart-sizes", !data.segments().isEmpty(), 300,
        "No segments in this run."));
    slots.put("famdChart", ChartCanvas.orEmpty("chart-famd", !data.famd().isEmpty(), 480,
        "No FAMD projection in this run."));
    slots.put("famdNote", data.famd().isEmpty() ? "" : "; " + DisplayFormat.count(data.famd().size())
        + " customers sampled");
    slots.put("profileTable", ProfileTable.html(data, palette));
    slots.put("premiumChart", ChartCanvas.orEmpty("chart-premium", !data.premiumByMonth().isEmpty(), 360,
        "No sales in this run."));
    slots.put("actionCards", ActionCards.html(data, palette));
    slots.put("dataQuality", DataQualitySection.html(data));
    slots.put("whatChanged", WhatChangedSection.html(data));
    slots.put("scalingTable", ScalingTable.html(data));
    slots.put("version", escape(summary.version()));
    slots.put("chartJsVersion", ChartJsBundle.VERSION);
    slots.put("data", ReportJson.of(data, palette));
    slots.put("chartJsLicence", ChartJsBundle.licence());
    slots.put("chartJs", ChartJsBundle.script());
    slots.put("script", ReportTemplate.resource("report.js"));
    String html = ReportTemplate.fill(ReportTemplate.resource("report.html"), slots);
    LOG.info("Rendered the HTML report of run {}: {} segments, {} KB", summary.runId(), data.segments().size(),
        html.length() / 1024);
    return html;
  }

  /** The report as UTF-8 bytes, as {@code RunOutputs} carries files. */
  public static byte[] renderUtf8(ReportData data) {
    return render(data).getBytes(StandardCharsets.UTF_8);
  }
}

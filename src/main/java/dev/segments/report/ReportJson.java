package dev.segments.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data the report's charts draw, shaped for them (one series per segment, months filled in), as JSON that can
 * sit inside a {@code <script>} element: {@code <}, {@code >} and {@code &} are written as JSON unicode escapes, so
 * no value can close the element or open a comment.
 */
final class ReportJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ReportJson() {}

  static String of(ReportData data, SegmentPalette palette) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("runId", data.summary().runId());
    root.put("runDate", data.summary().asOf().toString());
    root.put("segments", segments(data, palette));
    root.put("kSelection", kSelection(data));
    root.put("famd", famd(data));
    root.put("premium", premium(data));
    root.put("quarantine", quarantine(data));
    try {
      return scriptSafe(MAPPER.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report's data as JSON", e);
    }
  }

  private static List<Map<String, Object>> segments(ReportData data, SegmentPalette palette) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SegmentInfo segment : data.segments()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", segment.id());
      json.put("name", segment.name());
      json.put("color", palette.colourOf(segment.id()));
      json.put("size", segment.size());
      json.put("share", finiteOrNull(segment.share()));
      json.put("revenueShare", finiteOrNull(segment.revenueShare()));
      json.put("borderlineShare", finiteOrNull(segment.borderlineShare()));
      out.add(json);
    }
    return out;
  }

  private static List<Map<String, Object>> kSelection(ReportData data) {
    List<Map<String, Object>> out = new ArrayList<>();
    data.kSelection().stream()
        .sorted((a, b) -> Integer.compare(a.k(), b.k()))
        .forEach(point -> {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("k", point.k());
          json.put("cost", finiteOrNull(point.cost()));
          json.put("silhouette", finiteOrNull(point.silhouette()));
          json.put("stability", finiteOrNull(point.stability()));
          json.put("chosen", point.chosen());
          json.put("reason", point.reason());
          out.add(json);
        });
    return out;
  }

  /** Coordinates as floats: a scatter plot cannot show more precision, and it halves the size of the file. */
  private static Map<String, Object> famd(ReportData data) {
    Map<Integer, List<Float>> xs = new LinkedHashMap<>();
    Map<Integer, List<Float>> ys = new LinkedHashMap<>();
    for (SegmentInfo segment : data.segments()) {
      xs.put(segment.id(), new ArrayList<>());
      ys.put(segment.id(), new ArrayList<>());
    }
    for (ScatterPoint point : data.famd()) {
      xs.get(point.segmentId()).add((float) point.x());
      ys.get(point.segmentId()).add((float) point.y());
    }
    List<Map<String, Object>> series = new ArrayList<>();
    for (Map.Entry<Integer, List<Float>> entry : xs.entrySet()) {
      if (!entry.getValue().isEmpty()) {
        series.add(Map.of("segmentId", entry.getKey(), "x", entry.getValue(), "y", ys.get(entry.getKey())));
      }
    }
    List<Object> inertia = new ArrayList<>();
    for (double share : data.famdInertia()) {
      inertia.add(finiteOrNull(share));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("inertia", inertia);
    json.put("series", series);
    return json;
  }

  /** Every month from the first to the last, so a month without sales shows as zero rather than vanishing. */
  private static Map<String, Object> premium(ReportData data) {
    Map<String, Object> json = new LinkedHashMap<>();
    TreeMap<YearMonth, Map<Integer, Double>> byMonth = new TreeMap<>();
    for (MonthlyPremium premium : data.premiumByMonth()) {
      byMonth.computeIfAbsent(premium.month(), m -> new LinkedHashMap<>())
          .merge(premium.segmentId(), premium.premium(), Double::sum);
    }
    List<String> months = new ArrayList<>();
    List<Map<String, Object>> series = new ArrayList<>();
    if (!byMonth.isEmpty()) {
      for (YearMonth m = byMonth.firstKey(); !m.isAfter(byMonth.lastKey()); m = m.plusMonths(1)) {
        months.add(m.toString());
      }
      for (SegmentInfo segment : data.segments()) {
        List<Double> values = new ArrayList<>(months.size());
        for (YearMonth m = byMonth.firstKey(); !m.isAfter(byMonth.lastKey()); m = m.plusMonths(1)) {
          values.add(byMonth.getOrDefault(m, Map.of()).getOrDefault(segment.id(), 0.0));
        }
        series.add(Map.of("segmentId", segment.id(), "values", values));
      }
    }
    json.put("months", months);
    json.put("series", series);
    return json;
  }

  private static List<Map<String, Object>> quarantine(ReportData data) {
    List<Map<String, Object>> out = new ArrayList<>();
    data.quarantine().stream()
        .sorted((a, b) -> Long.compare(b.rows(), a.rows()))
        .forEach(count -> {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("sheet", count.sheet());
          json.put("column", count.column());
          json.put("reason", count.reason());
          json.put("rows", count.rows());
          out.add(json);
        });
    return out;
  }

  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static String scriptSafe(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }
}

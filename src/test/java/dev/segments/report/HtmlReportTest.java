package dev.segments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.cluster.ColumnScaling;
import dev.segments.contract.SheetCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final Pattern DATA_BLOB =
      Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

  private final ReportData realistic = SampleReports.realistic();
  private final String html = HtmlReport.render(realistic);

  @Test
  void inlinesChartJsWithItsLicence() {
    assertTrue(html.contains("Chart.js v4.4.1"), "the Chart.js bundle's banner");
    assertTrue(html.contains("window.Chart="), "the Chart.js UMD bundle's global export");
    assertTrue(html.contains("Permission is hereby granted, free of charge"), "the MIT licence text");
    assertFalse(html.contains("sourceMappingURL"), "a source map the report does not carry");
  }

  @Test
  void loadsNothingFromTheNetwork() {
    Matcher external = Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html);
    assertFalse(external.find(), () -> "external reference: " + external.group());
    assertFalse(html.toLowerCase().contains("<link"), "no linked style sheets or icons");
    assertFalse(html.contains("@import"), "no imported style sheets");
    assertFalse(Pattern.compile("url\\(\\s*['\"]?(https?:)?//").matcher(html).find(), "no remote CSS urls");
  }

  @Test
  void embedsDataThatParsesBackToTheInput() throws Exception {
    JsonNode json = new ObjectMapper().readTree(dataBlob(html));

    assertEquals(realistic.summary().runId(), json.get("runId").asText());
    assertEquals(realistic.segments().size(), json.get("segments").size());
    for (int i = 0; i < realistic.segments().size(); i++) {
      assertEquals(realistic.segments().get(i).name(), json.get("segments").get(i).get("name").asText());
    }

    int[] pointsPerSegment = new int[realistic.segments().size()];
    realistic.famd().forEach(p -> pointsPerSegment[p.segmentId()]++);
    int totalPoints = 0;
    for (JsonNode series : json.get("famd").get("series")) {
      int id = series.get("segmentId").asInt();
      assertEquals(pointsPerSegment[id], series.get("x").size(), "FAMD points of segment " + id);
      assertEquals(series.get("x").size(), series.get("y").size());
      totalPoints += series.get("x").size();
    }
    assertEquals(SampleReports.FAMD_POINTS, totalPoints);

    JsonNode premium = json.get("premium");
    assertEquals(SampleReports.MONTHS, premium.get("months").size());
    assertEquals(SampleReports.FIRST_MONTH.toString(), premium.get("months").get(0).asText());
    double expectedSegment2Total = realistic.premiumByMonth().stream()
        .filter(p -> p.segmentId() == 2).mapToDouble(MonthlyPremium::premium).sum();
    double renderedSegment2Total = 0;
    for (JsonNode series : premium.get("series")) {
      if (series.get("segmentId").asInt() == 2) {
        for (JsonNode value : series.get("values")) {
          renderedSegment2Total += value.asDouble();
        }
      }
    }
    assertEquals(expectedSegment2Total, renderedSegment2Total, 1e-6);

    assertEquals(7, json.get("kSelection").size());
    assertEquals(5, json.get("kSelection").get(3).get("k").asInt());
    assertTrue(json.get("kSelection").get(3).get("chosen").asBoolean());
    assertEquals(31, json.get("quarantine").get(0).get("rows").asLong(), "reasons come largest first");
  }

  @Test
  void saysWhyTheChosenKWasChosenAndCarriesEachKsStability() throws Exception {
    assertTrue(html.contains("class=\"footnote k-reason\">Why k = 5: highest Gower silhouette.</p>"),
        "the chosen k's reason under the k-selection chart");
    JsonNode kSelection = new ObjectMapper().readTree(dataBlob(html)).get("kSelection");
    assertEquals(realistic.kSelection().size(), kSelection.size());
    for (JsonNode point : kSelection) {
      assertEquals(0.9, point.get("stability").asDouble(), "stability of k=" + point.get("k"));
      assertFalse(point.get("reason").asText().isEmpty());
    }
    JsonNode sparse = new ObjectMapper().readTree(dataBlob(HtmlReport.render(SampleReports.sparse())));
    assertTrue(sparse.get("kSelection").get(0).get("stability").isNull(), "an unmeasured stability is null");
  }

  @Test
  void escapesSegmentNamesEverywhere() throws Exception {
    assertFalse(html.contains("<script>alert("), "a segment name must not open a script element");
    assertTrue(html.contains("Young &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;urban&quot;"),
        "the name is shown, escaped, on its card and in the profile table");
    assertFalse(dataBlob(html).contains("<"), "the data blob cannot close its script element");
    // The template's own script elements, and no more: 1 error trap + data + Chart.js + report script.
    assertEquals(4, Pattern.compile("<script").matcher(html).results().count());
    JsonNode json = new ObjectMapper().readTree(dataBlob(html));
    assertEquals(SampleReports.HOSTILE_NAME, json.get("segments").get(1).get("name").asText());
  }

  @Test
  void doesNotTreatDataThatLooksLikeATemplateSlotAsOne() {
    // The hostile name contains "{{data}}"; were it filled, the JSON blob would appear inside a card.
    assertTrue(html.contains("&quot;urban&quot; {{data}}</h3>"));
  }

  @Test
  void coloursProfileCellsOnADivergingScaleAndShowsMeansInOriginalUnits() {
    List<SegmentInfo> segments = List.of(new SegmentInfo(1, "Low", 10, 0.5, 0.5, "", Double.NaN),
        new SegmentInfo(2, "High", 10, 0.5, 0.5, "", Double.NaN));
    ProfileHeatmap profile = new ProfileHeatmap(List.of("Income", "Age"), List.of(1, 2),
        new double[][] {{-3.0, 0.0}, {2.5, 1.0}}, new double[][] {{12_345.6, 40.04}, {98_765.4, 52.0}});
    String page = HtmlReport.render(withProfile(segments, profile));

    // -3 and +2.5 are beyond the 2-sigma saturation: the end colours of ColorBrewer's RdBu; 0 is the neutral middle.
    assertTrue(page.contains("background: #2166ac; color: #ffffff\" title=\"Low · Income: z = -3.00\">12,346</td>"));
    assertTrue(page.contains("background: #f7f7f7; color: #1f2937\" title=\"Low · Age: z = +0.00\">40.0</td>"));
    assertTrue(page.contains("background: #b2182b; color: #ffffff\" title=\"High · Income: z = +2.50\">98,765</td>"));
    // z = 1 is half way from #f7f7f7 to #b2182b: (247+178)/2, (247+24)/2, (247+43)/2 rounded.
    assertTrue(page.contains("background: #d58891;"), "half-way red for z = +1");
  }

  @Test
  void longSnakeCaseFeatureNamesWrapInsideTheirProfileColumn() {
    ProfileHeatmap profile = new ProfileHeatmap(List.of("premium_to_coverage"), List.of(1), new double[][] {{0.5}},
        new double[][] {{1.2}});
    String page = HtmlReport.render(withProfile(List.of(new SegmentInfo(1, "One", 10, 1.0, 1.0, "", Double.NaN)), profile));
    assertTrue(page.contains("<th scope=\"col\">premium_<wbr>to_<wbr>coverage</th>"), "headers of a real run overlapped");
  }

  @Test
  void showsSparseRunsWithoutEmptyCharts() {
    String page = HtmlReport.render(SampleReports.sparse());
    assertTrue(page.contains("No rows quarantined."));
    assertTrue(page.contains("No FAMD projection in this run."));
    assertTrue(page.contains("No sales in this run."));
    assertTrue(page.contains("id=\"chart-k-selection\""), "a single k is still drawn as a point");
    assertTrue(page.contains("<dd id=\"kpi-silhouette\">n/a</dd>"));
    assertFalse(page.contains("id=\"chart-quarantine\""));
  }

  @Test
  void rejectsSegmentIdsThatAreNotAmongTheSegments() {
    ReportData sparse = SampleReports.sparse();
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new ReportData(
        sparse.summary(), sparse.kSelection(),
        List.of(new ScatterPoint(0.1, 0.2, 99)), sparse.famdInertia(), sparse.segments(), sparse.profile(),
        sparse.premiumByMonth(), sparse.quarantine(), sparse.scaling(), sparse.changes()));
    assertTrue(error.getMessage().contains("segment 99"), error.getMessage());
  }

  @Test
  void rejectsAProfileWhoseShapeDoesNotMatchItsLabels() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new ProfileHeatmap(
        List.of("Age", "Income"), List.of(1), new double[][] {{0.5}}, new double[][] {{40, 1}}));
    assertTrue(error.getMessage().contains("1 values for 2 features"), error.getMessage());
  }

  @Test
  void fillsEachTemplateSlotOnceAndFailsOnAnUnknownOne() {
    Map<String, String> values = new HashMap<>();
    values.put("a", "{{b}}");
    values.put("b", "B");
    assertEquals("<{{b}}|B>", ReportTemplate.fill("<{{a}}|{{b}}>", values));
    assertThrows(IllegalStateException.class, () -> ReportTemplate.fill("{{missing}}", values));
  }

  @Test
  void showsHowEachFeatureWasScaledAndWhyASegmentHasItsName() {
    List<SegmentInfo> segments = List.of(new SegmentInfo(1, "Low premium · Text", 10, 1.0, 1.0,
        "low premium: total_premium: mean 410, 0.9 SD below everyone's\nText: preferred_channel = Text for 55%", Double.NaN));
    ProfileHeatmap profile = new ProfileHeatmap(List.of("total_premium", "age"), List.of(1),
        new double[][] {{-0.9, 0.1}}, new double[][] {{410, 40}});
    RunSummary summary = new RunSummary("run-scaling", LocalDate.of(2026, 3, 1), Instant.EPOCH, "test", 1, 0.5, 1,
        Double.NaN, 3, 10, Duration.ofSeconds(5), List.of());
    String page = HtmlReport.render(new ReportData(summary, List.of(), List.of(), new double[0], segments, profile, List.of(), List.of(), List.of(
            new ColumnScaling("total_premium", "yeo-johnson + zscore", -0.21, 3.4, 0.05),
            new ColumnScaling("age", "zscore", Double.NaN, 0.2, 0.2)), NightChanges.none()));
    assertTrue(page.contains("<h2 id=\"scaling-title\">Scaling</h2>"));
    assertTrue(page.contains("<tr><th scope=\"row\">total_premium</th><td>yeo-johnson + zscore</td><td>-0.21</td>"
        + "<td>+3.40</td><td>+0.05</td></tr>"), page);
    assertTrue(page.contains("<tr><th scope=\"row\">age</th><td>zscore</td><td>–</td><td>+0.20</td><td>+0.20</td>"));
    assertTrue(page.contains("<h3 title=\"Why this name:\nlow premium: total_premium: mean 410, 0.9 SD below "
        + "everyone&#39;s\nText: preferred_channel = Text for 55%\">Low premium · Text</h3>"));
  }

  @Test
  void eachCardShowsItsSegmentsBorderlineShare() {
    List<SegmentInfo> segments = List.of(new SegmentInfo(1, "One", 10, 0.5, 0.5, "", 0.123),
        new SegmentInfo(2, "Two", 10, 0.5, 0.5, "", Double.NaN));
    ProfileHeatmap profile = new ProfileHeatmap(List.of("age"), List.of(1, 2), new double[][] {{0.1}, {-0.1}},
        new double[][] {{40}, {38}});
    String page = HtmlReport.render(withProfile(segments, profile));
    assertTrue(page.contains("<dt>Borderline</dt><dd>12.3%</dd>"), page);
    assertTrue(page.contains("<dt>Borderline</dt><dd>n/a</dd>"), "not known: n/a");
  }

  private static ReportData withProfile(List<SegmentInfo> segments, ProfileHeatmap profile) {
    RunSummary summary = new RunSummary("run-profile", LocalDate.of(2026, 3, 1), Instant.EPOCH, "test", 2, 1, 1, 0.5,
        3, segments.stream().mapToLong(SegmentInfo::size).sum(), Duration.ofSeconds(5),
        List.of(new SheetCounts("customers", 20, 20, 0)));
    return new ReportData(summary, List.of(), List.of(),
        new double[0], segments, profile, List.of(), List.of(), List.of(), NightChanges.none());
  }

  static String dataBlob(String page) {
    Matcher matcher = DATA_BLOB.matcher(page);
    assertTrue(matcher.find(), "the report carries its data as an inline JSON blob");
    return matcher.group(1);
  }

  @Test
  void whatChangedShowsTheComparisonAndFlagsTheBreaches() {
    ReportData r = realistic;
    NightChanges changes = new NightChanges(LocalDate.of(2026, 11, 23), List.of(
        NightChange.of(NightChanges.SEGMENT, "1", "customers", 100.0, 90.0),
        NightChange.of(NightChanges.SEGMENT, "1", "moved_out", null, 12.0),
        NightChange.of(NightChanges.FEATURE, "income", "psi", null, 0.61).breaching("psi"),
        NightChange.of(NightChanges.FEATURE, "age", "psi", null, 0.01)));
    String page = HtmlReport.render(new ReportData(r.summary(), r.kSelection(),
        r.famd(), r.famdInertia(), r.segments(), r.profile(), r.premiumByMonth(), r.quarantine(), r.scaling(),
        changes));
    assertTrue(page.contains("<p>Compared with the night of 2026-11-23.</p>"), page);
    assertTrue(page.contains("<li><strong>psi</strong>: psi of feature income is 0.61</li>"), page);
    assertTrue(page.contains("<tr class=\"breach\"><th scope=\"row\">income</th><td>0.61</td></tr>"), page);
    assertTrue(page.contains("<tr><th scope=\"row\">age</th><td>0.01</td></tr>"), page);
    assertTrue(HtmlReport.render(realistic).contains("nothing to compare with"), "a report with no comparison");
  }
}

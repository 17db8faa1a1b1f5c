package dev.segments.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page skeleton, style sheet and script under {@code src/main/resources/report/}, filled in one pass: a slot is
 * {@code {{name}}}, and text put into a slot is never scanned for further slots, so data cannot inject one.
 */
final class ReportTemplate {
  private static final Pattern SLOT = Pattern.compile("\\{\\{([a-zA-Z]+)}}");

  private ReportTemplate() {}

  static String fill(String template, Map<String, String> values) {
    Matcher matcher = SLOT.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + values.values().stream().mapToInt(String::length).sum());
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalStateException("report template slot {{" + matcher.group(1) + "}} has no value");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  static String resource(String name) {
    String path = "report/" + name;
    try (InputStream in = ReportTemplate.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("report resource " + path + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read report resource " + path, e);
    }
  }
}

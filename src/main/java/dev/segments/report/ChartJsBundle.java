package dev.segments.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Chart.js as shipped in its WebJar, read from the class path so the report needs no network. The UMD bundle
 * already contains its one dependency (kurkle/color).
 */
final class ChartJsBundle {
  static final String VERSION = "4.4.1";
  private static final String ROOT = "META-INF/resources/webjars/chart.js/" + VERSION + "/";

  private ChartJsBundle() {}

  /** The library, ready to sit inside a {@code <script>} element. */
  static String script() {
    String code = read(ROOT + "dist/chart.umd.js");
    // The map is not shipped inside the report; a browser's dev tools would otherwise try to fetch it.
    code = code.replaceAll("\\n//# sourceMappingURL=\\S*\\s*$", "\n");
    if (code.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
      throw new IllegalStateException("Chart.js " + VERSION + " contains '</script' and cannot be inlined as is");
    }
    return code;
  }

  /** The library's MIT licence, ready to sit inside an HTML comment. */
  static String licence() {
    return read(ROOT + "LICENSE.md").replace("--", "- -");
  }

  private static String read(String resource) {
    try (InputStream in = ChartJsBundle.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Chart.js " + VERSION + " is not on the class path (" + resource
            + "): the report needs org.webjars.npm:chart.js:" + VERSION);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}

package dev.segments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.segments.SamplePipelineRun;
import dev.segments.pipeline.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report of the end-to-end sample run in a real headless Chromium, offline, and reads back from the rendered DOM that every
 * part drew and no script failed. Also leaves a screenshot and the page under {@code target/report-artifacts/}.
 */
class ReportInChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final List<String> PARTS =
      List.of("k-selection", "segment-sizes", "famd", "profile", "premium", "data-quality", "scaling",
          "what-changed");
  private static final Pattern PART = Pattern.compile("<section\\b[^>]*\\bdata-part=\"([^\"]+)\"[^>]*>");
  private static final Pattern BODY = Pattern.compile("<body\\b[^>]*>");

  @TempDir
  Path temp;

  @Test
  void everyPartRendersWithoutScriptErrors() throws Exception {
    requireChromium();
    Path artefacts = Path.of("target", "report-artifacts").toAbsolutePath();
    Files.createDirectories(artefacts);
    Path report = artefacts.resolve("report.html");
    Files.copy(SamplePipelineRun.output().resolve("current").resolve(Pipeline.REPORT_FILE), report,
        StandardCopyOption.REPLACE_EXISTING);

    String dom = chromium(report, "--dump-dom");

    Matcher body = BODY.matcher(dom);
    assertTrue(body.find(), () -> "Chromium dumped no <body>: " + abbreviate(dom));
    assertFalse(body.group().contains("data-script-errors"), () -> "script errors: " + body.group());
    assertTrue(body.group().contains("data-report-ready=\"true\""), () -> "report never got ready: " + body.group());

    List<String> partNames = new ArrayList<>();
    Matcher part = PART.matcher(dom);
    while (part.find()) {
      partNames.add(part.group(1));
      String tag = part.group();
      assertTrue(tag.contains("data-rendered=\"true\""), () -> part.group(1) + " did not render: " + tag);
    }
    assertEquals(PARTS.stream().sorted().toList(), partNames.stream().sorted().toList(), "every part, once each");

    Path screenshot = artefacts.resolve("report.png");
    Files.deleteIfExists(screenshot);
    chromium(report, "--screenshot=" + screenshot, "--window-size=1400,4000", "--hide-scrollbars");
    assertTrue(Files.size(screenshot) > 50_000, "a screenshot of a drawn page, not a blank one");
  }

  private static void requireChromium() {
    if (Files.isExecutable(CHROMIUM)) {
      return;
    }
    String message = CHROMIUM + " is not installed: the report's browser check needs Debian's chromium package "
        + "(apt-get install -y chromium)";
    if (System.getenv("CI") != null) {
      fail(message);
    }
    Assumptions.assumeTrue(false, message + "; skipped because CI is not set");
  }

  /** Runs Chromium once on the file, offline and with a fresh profile, and returns what it wrote to stdout. */
  private String chromium(Path report, String... mode) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(temp, "chromium-profile");
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
    command.addAll(List.of(mode));
    command.add(report.toUri().toString());
    Path stdout = temp.resolve("chromium-stdout.txt");
    Path stderr = temp.resolve("chromium-stderr.txt");
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("Chromium did not finish within 60 s: " + String.join(" ", command));
    }
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), () -> "Chromium failed: " + abbreviate(err));
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String text) {
    return text.length() <= 2_000 ? text : text.substring(0, 2_000) + "...";
  }
}

package dev.segments.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which BigQuery connector and Dataproc runtime a night records. */
class RuntimeVersionsTest {

  @TempDir Path temp;

  /** The connector on the test class path is the pom's spark-3.5-bigquery; its jar names its version. */
  @Test
  void theConnectorOnTheClassPathReportsItsJarsVersion() throws Exception {
    URL jar = Class.forName(RuntimeVersions.CONNECTOR_CLASS).getProtectionDomain().getCodeSource().getLocation();
    Matcher named = Pattern.compile("spark-3\\.5-bigquery-([0-9.]+)\\.jar$").matcher(jar.toString());
    assertEquals(true, named.find(), jar.toString());

    assertEquals(Optional.of(named.group(1)), RuntimeVersions.connector(getClass().getClassLoader()));
  }

  /**
   * Two jars carry the properties file, as when the runtime's connector and the batch's are both on the class path:
   * the version is read from the jar the connector's classes load from, not from the first file found.
   */
  @Test
  void theVersionComesFromTheJarTheClassesLoadFrom() throws Exception {
    Path decoy = jar("decoy.jar", "1.0.0", false);
    Path loaded = jar("loaded.jar", "9.9.9", true);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {decoy.toUri().toURL(), loaded.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      assertEquals(Optional.of("9.9.9"), RuntimeVersions.connector(loader));
    }
  }

  @Test
  void noConnectorNoVersion() throws IOException {
    try (URLClassLoader loader = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      assertEquals(Optional.empty(), RuntimeVersions.connector(loader));
    }
  }

  @Test
  void theImagesVersionWinsOverTheSubmittedRuntime() {
    SparkConf submitted = new SparkConf(false).set(RuntimeVersions.RUNTIME_PROPERTY, "2.3");
    assertEquals(Optional.of("2.3.14"),
        RuntimeVersions.runtime(Map.of(RuntimeVersions.IMAGE_VERSION_ENV, "2.3.14"), submitted));
    assertEquals(Optional.of("2.3"), RuntimeVersions.runtime(Map.of(), submitted));
    assertEquals(Optional.empty(), RuntimeVersions.runtime(Map.of(), new SparkConf(false)));
  }

  /** A jar with the connector's properties file, and with its version-provider class (and interface) if asked. */
  private Path jar(String name, String version, boolean withClasses) throws IOException {
    Path jar = temp.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(RuntimeVersions.CONNECTOR_PROPERTIES));
      out.write(("connector.version=" + version + "\n").getBytes(StandardCharsets.UTF_8));
      if (withClasses) {
        for (String className : new String[] {RuntimeVersions.CONNECTOR_CLASS,
            "com.google.cloud.bigquery.connector.common.VersionProvider"}) {
          String entry = className.replace('.', '/') + ".class";
          out.putNextEntry(new JarEntry(entry));
          try (InputStream in = getClass().getClassLoader().getResourceAsStream(entry)) {
            in.transferTo(out);
          }
        }
      }
    }
    return jar;
  }
}

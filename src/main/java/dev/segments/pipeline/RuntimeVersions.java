package dev.segments.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.security.CodeSource;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.SparkConf;

/**
 * What the night actually ran on, logged at its start and recorded in {@code model_runs}: the BigQuery connector
 * that loaded (the Dataproc runtime bundles one and may prefer it to the one the batch asks for) and the Dataproc
 * runtime.
 */
public record RuntimeVersions(Optional<String> bigQueryConnector, Optional<String> dataprocRuntime) {

  /** A class of the spark-bigquery connector (in spark-3.5-bigquery 0.42.1, the build the sink is tested with). */
  static final String CONNECTOR_CLASS = "com.google.cloud.spark.bigquery.SparkBigQueryConnectorVersionProvider";

  /** The resource at the root of the connector jar: {@code connector.version=0.42.1} in 0.42.1's. */
  static final String CONNECTOR_PROPERTIES = "spark-bigquery-connector.properties";

  /**
   * The image version, where the environment has it (Dataproc's cluster images do, for initialization actions; the
   * Serverless documentation names no such variable, hence {@link #RUNTIME_PROPERTY}).
   */
  static final String IMAGE_VERSION_ENV = "DATAPROC_IMAGE_VERSION";

  /** Set by dataproc/submit.sh to the runtime version the batch was submitted with ({@code --version}). */
  public static final String RUNTIME_PROPERTY = "spark.segments.dataprocRuntime";

  /** This process's versions. */
  public static RuntimeVersions current(SparkConf conf) {
    return new RuntimeVersions(connector(RuntimeVersions.class.getClassLoader()), runtime(System.getenv(), conf));
  }

  /**
   * The version of the connector jar whose classes this class loader loads: read from that jar itself, not from
   * the first {@value #CONNECTOR_PROPERTIES} on the class path, since the runtime's copy and the batch's may both be
   * there. Empty when no connector is on the class path.
   */
  static Optional<String> connector(ClassLoader loader) {
    Class<?> connectorClass;
    try {
      connectorClass = Class.forName(CONNECTOR_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
    CodeSource source = connectorClass.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.of("unknown");
    }
    String jar = source.getLocation().toString();
    try {
      URL properties = jar.endsWith(".jar")
          ? URI.create("jar:" + jar + "!/" + CONNECTOR_PROPERTIES).toURL()
          : URI.create(jar.endsWith("/") ? jar : jar + "/").resolve(CONNECTOR_PROPERTIES).toURL();
      try (InputStream in = properties.openStream()) {
        Properties read = new Properties();
        read.load(in);
        String version = read.getProperty("connector.version");
        return Optional.of(version == null ? "unknown (" + jar + ")" : version);
      }
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of("unknown (" + jar + ")");
    }
  }

  /** The image's own version where Dataproc sets it, else the runtime the batch was submitted with. */
  static Optional<String> runtime(Map<String, String> environment, SparkConf conf) {
    String image = environment.get(IMAGE_VERSION_ENV);
    if (image != null && !image.isBlank()) {
      return Optional.of(image);
    }
    return conf.contains(RUNTIME_PROPERTY) ? Optional.of(conf.get(RUNTIME_PROPERTY)) : Optional.empty();
  }

  /** One line for the log. */
  public String describe() {
    return "BigQuery connector " + bigQueryConnector.orElse("not on the class path") + ", Dataproc runtime "
        + dataprocRuntime.orElse("none (not on Dataproc)");
  }
}

package dev.segments.config;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A YAML config file's text and where it came from. A location with a scheme ({@code gs://bucket/production.yaml},
 * {@code file:///etc/segments.yaml}) is opened through Hadoop's FileSystem for that scheme, as the Dataproc driver
 * reads its config from the bucket (files passed with {@code --files} reach only the executors' working
 * directories); a plain path is a local file.
 */
public record ConfigFile(String location, String text) {

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

  /** The file at {@code location}: a URI Hadoop can open, or a local path. */
  public static ConfigFile read(String location, Configuration hadoop) {
    if (!SCHEME.matcher(location).matches()) {
      return local(Path.of(location));
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    try {
      FileSystem fileSystem = path.getFileSystem(hadoop);
      try (InputStream in = fileSystem.open(path)) {
        return new ConfigFile(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (FileNotFoundException e) {
      throw new ConfigException("config file " + location + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("config file " + location + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** A local file. */
  public static ConfigFile local(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + file + " does not exist");
    }
    try {
      return new ConfigFile(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

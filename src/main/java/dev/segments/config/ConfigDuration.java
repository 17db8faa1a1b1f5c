package dev.segments.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in config files are written as people write them: {@code 500ms}, {@code 20s}, {@code 3m}, {@code 1h}. */
final class ConfigDuration {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private ConfigDuration() {}

  static Duration parse(String text) {
    Matcher m = SHORT.matcher(text.trim());
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new ConfigException("'" + text + "' is not a duration: write e.g. 500ms, 20s, 3m or 1h");
    }
  }

  static final class Reader extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      return parse(parser.getValueAsString());
    }
  }
}

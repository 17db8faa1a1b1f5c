package dev.segments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.config.PipelineConfig;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigOptionsTest {

  @Test
  void namedFlagsBecomeOverridesThatWin() {
    ConfigOptions options = new ConfigOptions();
    options.overrides = List.of("clustering.k=3");
    options.k = "6";
    options.asOf = "2025-12-15";
    options.master = "local[4]";
    PipelineConfig config = options.load();
    assertEquals(6, config.clustering().k());
    assertEquals(LocalDate.of(2025, 12, 15), config.asOf());
    assertEquals("local[4]", config.spark().master());
  }
}

package dev.segments.config;

import java.util.List;
import java.util.Locale;

/**
 * The {@code alerts} section: how far a night may move from the one before it before someone is told, and which of
 * these alerts stop the night before it publishes (the others only warn). See README, "What changed overnight".
 *
 * @param maxMovedShare the share of returning customers (in both nights) whose segment changed
 * @param maxPsi the population stability index of any feature between last night and tonight
 * @param maxQuarantineJump tonight's quarantine rate over the median rate of the previous nights (that median taken
 *     as at least {@code quarantineRateFloor}, so that 0 % to 0.1 % is no jump)
 * @param quarantineRateFloor the least median quarantine rate a jump is measured against
 * @param quarantineNights how many previous nights the median quarantine rate is taken over
 * @param minSegmentShare the share of customers the smallest segment must hold
 * @param blockOn the alerts that stop the night before anything is published
 */
public record AlertSettings(double maxMovedShare, double maxPsi, double maxQuarantineJump,
    double quarantineRateFloor, int quarantineNights, double minSegmentShare, List<String> blockOn) {

  /** The alerts, by the names {@code alerts.block_on} lists. */
  public enum Alert {
    MOVED_SHARE, PSI, QUARANTINE_JUMP, MIN_SEGMENT_SHARE;

    /** The name the config and the night_changes table use ({@code moved_share}). */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public AlertSettings {
    requireShare("alerts.max_moved_share", maxMovedShare);
    requireShare("alerts.quarantine_rate_floor", quarantineRateFloor);
    requireShare("alerts.min_segment_share", minSegmentShare);
    if (!(maxPsi > 0)) {
      throw new ConfigException("alerts.max_psi must be above 0, got " + maxPsi);
    }
    if (!(maxQuarantineJump > 1)) {
      throw new ConfigException("alerts.max_quarantine_jump must be above 1 (a ratio of rates), got "
          + maxQuarantineJump);
    }
    if (quarantineRateFloor == 0) {
      throw new ConfigException("alerts.quarantine_rate_floor must be above 0, or a night after clean nights would"
          + " divide by zero");
    }
    if (quarantineNights < 1) {
      throw new ConfigException("alerts.quarantine_nights must be at least 1, got " + quarantineNights);
    }
    blockOn = blockOn == null ? List.of() : List.copyOf(blockOn);
    List<String> known = java.util.Arrays.stream(Alert.values()).map(Alert::key).toList();
    for (String name : blockOn) {
      if (!known.contains(name)) {
        throw new ConfigException("alerts.block_on lists '" + name + "', which is not an alert; the alerts are "
            + known);
      }
    }
  }

  /** Whether {@code alert} stops the night rather than warning. */
  public boolean blocks(Alert alert) {
    return blockOn.contains(alert.key());
  }

  private static void requireShare(String key, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new ConfigException(key + " must be a share within 0..1, got " + value);
    }
  }
}

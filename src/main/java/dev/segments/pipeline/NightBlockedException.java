package dev.segments.pipeline;

/**
 * The night changed more than an alert in {@code alerts.block_on} allows, so it stopped before publishing anything
 * (exit code 4): the message names each figure and its threshold.
 */
public final class NightBlockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NightBlockedException(String message) {
    super(message);
  }
}

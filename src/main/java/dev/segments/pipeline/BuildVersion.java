package dev.segments.pipeline;

/** The version this build carries, recorded in every run's outputs. */
public final class BuildVersion {
  private BuildVersion() {}

  /** The version from the jar's manifest; "dev" when run from classes. */
  public static String current() {
    String version = BuildVersion.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}

package dev.segments.cluster;

import org.apache.spark.api.java.JavaRDD;

/** How the starting prototypes of a run are chosen. */
enum InitMode {
  RANDOM("random"),
  HUANG("huang"),
  CAO("cao"),
  PARALLEL("k-prototypes||");

  static final String[] NAMES = {"random", "huang", "cao", "k-prototypes||"};

  final String paramValue;

  InitMode(String paramValue) {
    this.paramValue = paramValue;
  }

  static InitMode of(String paramValue) {
    for (InitMode mode : values()) {
      if (mode.paramValue.equals(paramValue)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown initMode '" + paramValue + "'");
  }

  /** The data an initialisation may look at. */
  record Inputs(JavaRDD<FeatureBlock> blocks, long rows, int k, double gamma, int initSteps, int[] cardinalities) {}

  Prototypes choose(Inputs in, long seed) {
    return switch (this) {
      case RANDOM -> RandomInit.choose(DriverSample.of(in.blocks(), in.rows(), seed), in.k(), in.gamma(), seed);
      case HUANG -> HuangInit.choose(DriverSample.of(in.blocks(), in.rows(), seed), in.k(), in.gamma(),
          in.cardinalities(), seed);
      case CAO -> CaoInit.choose(DriverSample.of(in.blocks(), in.rows(), seed), in.k(), in.gamma(),
          in.cardinalities());
      case PARALLEL -> new ParallelInit(in, seed).choose();
    };
  }
}

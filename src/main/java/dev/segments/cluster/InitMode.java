package dev.segments.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the starting prototypes of a run are chosen. */
enum InitMode {
  RANDOM("random"),
  HUANG("huang"),
  CAO("cao"),
  PARALLEL("k-prototypes||");

  private static final Logger LOG = LoggerFactory.getLogger(InitMode.class);
  static final String[] NAMES = Arrays.stream(values()).map(m -> m.paramValue).toArray(String[]::new);
  /** Redraws of a start that came out the same as an earlier start of its k. */
  private static final int REDRAWS = 10;

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
  record Inputs(JavaRDD<FeatureBlock> blocks, long rows, double gamma, int initSteps, int[] cardinalities) {}

  /** One start to choose: its k, its seed, and its index among the starts of its k (0 for the first). */
  record Request(int k, long seed, int start) {}

  /** A chosen start, or why none could be chosen (fewer distinct rows than k). */
  record Chosen(Prototypes prototypes, IllegalArgumentException failure) {
    static Chosen of(Prototypes prototypes) {
      return new Chosen(prototypes, null);
    }

    static Chosen failed(IllegalArgumentException failure) {
      return new Chosen(null, failure);
    }
  }

  /**
   * Every requested start, chosen in shared jobs: one job gathers the driver sample of every seed, and k-prototypes||
   * advances every start in the same rounds. No start repeats an earlier start of the same k: Cao's first prototype
   * is the densest row only for start 0 and a density-weighted draw for the others, and a start that still comes out
   * the same as an earlier one is replaced by distinct random rows of its sample (a start that cannot differ is not
   * a start).
   */
  List<Chosen> chooseAll(Inputs in, List<Request> requests) {
    long[] seeds = requests.stream().mapToLong(Request::seed).toArray();
    Map<Long, FeatureBlock> samples = DriverSample.of(in.blocks(), in.rows(), seeds);
    List<Chosen> chosen = this == PARALLEL
        ? new ParallelInit(in, requests, samples).choose()
        : new ArrayList<>();
    if (this != PARALLEL) {
      for (Request request : requests) {
        try {
          chosen.add(Chosen.of(chooseOnSample(samples.get(request.seed()), in, request)));
        } catch (IllegalArgumentException tooFewDistinct) {
          chosen.add(Chosen.failed(tooFewDistinct));
        }
      }
    }
    for (int r = 0; r < requests.size(); r++) {
      Request request = requests.get(r);
      for (int attempt = 1; chosen.get(r).prototypes() != null && repeatsEarlier(requests, chosen, r)
          && attempt <= REDRAWS; attempt++) {
        try {
          chosen.set(r, Chosen.of(RandomInit.choose(samples.get(request.seed()), request.k(), in.gamma(),
              request.seed() + 1_000_003L * attempt)));
        } catch (IllegalArgumentException tooFewDistinct) {
          break;
        }
      }
      if (chosen.get(r).prototypes() != null && repeatsEarlier(requests, chosen, r)) {
        LOG.warn("k={} start {} is the same as an earlier start: the data has too few distinct rows to differ",
            request.k(), request.start());
      }
    }
    return chosen;
  }

  private Prototypes chooseOnSample(FeatureBlock sample, Inputs in, Request request) {
    return switch (this) {
      case RANDOM -> RandomInit.choose(sample, request.k(), in.gamma(), request.seed());
      case HUANG -> HuangInit.choose(sample, request.k(), in.gamma(), in.cardinalities(), request.seed());
      case CAO -> CaoInit.choose(sample, request.k(), in.gamma(), in.cardinalities(),
          request.start() == 0 ? CaoInit.DENSEST_FIRST : Long.valueOf(request.seed()));
      case PARALLEL -> throw new IllegalStateException("k-prototypes|| is chosen over the blocks");
    };
  }

  private static boolean repeatsEarlier(List<Request> requests, List<Chosen> chosen, int r) {
    for (int earlier = 0; earlier < r; earlier++) {
      if (requests.get(earlier).k() == requests.get(r).k() && chosen.get(earlier).prototypes() != null
          && chosen.get(earlier).prototypes().sameSetAs(chosen.get(r).prototypes())) {
        return true;
      }
    }
    return false;
  }
}

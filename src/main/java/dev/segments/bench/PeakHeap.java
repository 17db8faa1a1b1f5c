package dev.segments.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The most heap the JVM had in use at once while this was open, sampled every 50 ms (used heap, all pools together,
 * so garbage not yet collected counts: it is what the heap had to hold). In {@code local} mode the driver JVM is the
 * executors' too, so this is the whole run's heap.
 */
public final class PeakHeap implements AutoCloseable {
  private final ScheduledExecutorService sampler;
  private volatile long peak;

  private PeakHeap() {
    sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "peak-heap");
      thread.setDaemon(true);
      return thread;
    });
    sampler.scheduleAtFixedRate(this::sample, 0, 50, TimeUnit.MILLISECONDS);
  }

  public static PeakHeap start() {
    return new PeakHeap();
  }

  private void sample() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += pool.getUsage().getUsed();
      }
    }
    peak = Math.max(peak, used);
  }

  public long peakBytes() {
    sample();
    return peak;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}

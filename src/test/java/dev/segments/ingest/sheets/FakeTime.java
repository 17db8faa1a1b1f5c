package dev.segments.ingest.sheets;

import com.google.api.client.util.NanoClock;
import com.google.api.client.util.Sleeper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A clock that moves only when the code under test sleeps, so retries take no real time. */
final class FakeTime implements Sleeper, NanoClock {
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private volatile long nanos;

  @Override
  public void sleep(long millis) {
    sleeps.add(millis);
    nanos += TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  List<Long> sleeps() {
    return List.copyOf(sleeps);
  }
}

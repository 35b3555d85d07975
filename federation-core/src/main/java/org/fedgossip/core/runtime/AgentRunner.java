package org.fedgossip.core.runtime;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a duty-cycle agent on its own thread against a monotonic clock ({@code System.nanoTime()} in
 * a daemon): it calls the agent until it reports no work, then parks for the idle interval; every
 * housekeeping interval it also runs the housekeeping task (re-reading the CRL file). An exception
 * from one call is logged and the loop goes on, so one bad input never stops a daemon.
 */
final class AgentRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final Thread thread;
  private volatile boolean running = true;

  AgentRunner(
      String name,
      LongToIntFunction agent,
      java.util.function.LongSupplier nanoTime,
      Runnable housekeeping,
      long housekeepingNanos) {
    Objects.requireNonNull(nanoTime, "nanoTime");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(housekeeping, "housekeeping");
    thread =
        new Thread(
            () -> {
              long nextHousekeeping = nanoTime.getAsLong() + housekeepingNanos;
              while (running) {
                if (nanoTime.getAsLong() - nextHousekeeping >= 0) {
                  nextHousekeeping = nanoTime.getAsLong() + housekeepingNanos;
                  try {
                    housekeeping.run();
                  } catch (RuntimeException e) {
                    LOG.warn("{}: housekeeping failed: {}", name, e.toString());
                  }
                }
                int work;
                try {
                  work = agent.applyAsInt(nanoTime.getAsLong());
                } catch (RuntimeException e) {
                  LOG.error("{}: one duty cycle failed; going on", name, e);
                  work = 0;
                }
                if (work == 0) {
                  LockSupport.parkNanos(IDLE_NANOS);
                }
              }
            },
            name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

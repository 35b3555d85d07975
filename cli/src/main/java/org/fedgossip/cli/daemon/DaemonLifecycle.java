package org.fedgossip.cli.daemon;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a daemon process: start its resources in order, wait for a stop request, close them
 * in reverse order.
 *
 * <p>States: NEW → STARTING → RUNNING → CLOSING → CLOSED, or STARTING → FAILED when start fails
 * part way (what was opened is closed, in reverse). Illegal transitions throw {@link
 * IllegalStateException}. {@link #close()} closes every registered resource in reverse order of
 * registration and keeps going past errors (logged, returned by {@link #closeErrors()}).
 *
 * <p>A stop is requested by {@link #requestStop(String)} (tests, the runtime when it finishes) or
 * by SIGTERM/SIGINT through {@link #installShutdownHook(Duration)}. The JDK's supported API offers
 * no signal handler (only {@code sun.misc.Signal}, which {@code javac -Xlint:all -Werror} rejects
 * as an internal API), so signals go through a shutdown hook: the hook requests the stop, then
 * waits (at most the grace period) until the main thread has closed everything, so nothing is cut
 * off. Left alone, the JVM would then exit with 128 + the signal number (143 for SIGTERM); once
 * everything has closed cleanly the hook halts the JVM with 0 instead, so a graceful stop is a
 * success to systemd and to scripts. If the grace period ends first, the JVM's own code stands.
 */
public final class DaemonLifecycle implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DaemonLifecycle.class);

  /** The states of a daemon. */
  public enum State {
    /** Created; nothing started. */
    NEW,
    /** Resources are being opened. */
    STARTING,
    /** Every resource is open; waiting for a stop request. */
    RUNNING,
    /** Resources are being closed in reverse order. */
    CLOSING,
    /** Everything is closed. */
    CLOSED,
    /** Start failed part way; what was opened has been closed. */
    FAILED
  }

  /** One registered resource. */
  private record Resource(String name, AutoCloseable resource) {}

  private final Deque<Resource> resources = new ArrayDeque<>();
  private final List<Exception> closeErrors = new ArrayList<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private State state = State.NEW;
  private Thread hook;

  /** Creates a lifecycle in state NEW, with no shutdown hook. */
  public DaemonLifecycle() {}

  /**
   * Returns the current state.
   *
   * @return the state
   */
  public synchronized State state() {
    return state;
  }

  /** Moves NEW → STARTING. */
  public synchronized void starting() {
    transition(State.NEW, State.STARTING);
  }

  /** Moves STARTING → RUNNING: every resource is open. */
  public synchronized void running() {
    transition(State.STARTING, State.RUNNING);
  }

  /**
   * Registers a resource to close at the end, after every resource registered later.
   *
   * @param name what it is, for logs
   * @param resource the resource
   * @param <T> its type
   * @return the resource, for chaining
   * @throws IllegalStateException unless STARTING or RUNNING
   */
  public synchronized <T extends AutoCloseable> T register(String name, T resource) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(resource, "resource");
    if (state != State.STARTING && state != State.RUNNING) {
      throw new IllegalStateException("cannot register " + name + " in state " + state);
    }
    resources.push(new Resource(name, resource));
    return resource;
  }

  /**
   * Installs a JVM shutdown hook that turns SIGTERM/SIGINT (and {@code System.exit} from elsewhere)
   * into a stop request, then waits until {@link #close()} has finished or the grace period ends.
   *
   * @param grace how long the hook waits for the close; the JVM exits when it returns
   */
  public synchronized void installShutdownHook(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (hook != null) {
      throw new IllegalStateException("the shutdown hook is already installed");
    }
    hook =
        new Thread(
            () -> {
              String reason = "JVM shutdown (SIGTERM, SIGINT or System.exit)";
              requestStop(reason);
              // Only a shutdown that this hook started (a signal) ends in exit 0 after a clean
              // close; a System.exit elsewhere keeps its own code.
              boolean haltWithZero = reason.equals(stopReason.get());
              try {
                if (!closed.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                  LOG.warn("Shutdown grace period of {} ended before every resource closed", grace);
                } else if (haltWithZero) {
                  // A clean stop on a signal is a success: exit 0, not 128 + the signal number.
                  Runtime.getRuntime().halt(0);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "fedgossip-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Requests a stop; {@link #awaitStop()} returns. The first reason wins; later requests are only
   * logged.
   *
   * @param reason why, for the log
   */
  public void requestStop(String reason) {
    if (stopReason.compareAndSet(null, reason)) {
      LOG.info("Stop requested: {}", reason);
      stopRequested.countDown();
    } else {
      LOG.info("Stop requested again ({}); already stopping", reason);
    }
  }

  /**
   * Tells whether a stop has been requested.
   *
   * @return true after {@link #requestStop}
   */
  public boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  /**
   * Blocks until a stop is requested.
   *
   * @return the reason given
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public String awaitStop() throws InterruptedException {
    stopRequested.await();
    return stopReason.get();
  }

  /**
   * Blocks until a stop is requested or the timeout ends.
   *
   * @param timeout the longest wait
   * @return true if a stop was requested
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopRequested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Marks a failed start: closes what was registered (in reverse) and moves to FAILED.
   *
   * @param cause why the start failed, for the log
   */
  public void failed(Throwable cause) {
    synchronized (this) {
      if (state != State.STARTING) {
        throw new IllegalStateException("cannot fail from state " + state);
      }
      state = State.CLOSING;
    }
    LOG.error("Start failed; closing what was opened: {}", cause.toString());
    closeResources();
    finish(State.FAILED);
  }

  /**
   * Closes every registered resource in reverse order, keeping going past errors, and moves to
   * CLOSED. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED || state == State.FAILED || state == State.CLOSING) {
        return;
      }
      state = State.CLOSING;
    }
    closeResources();
    finish(State.CLOSED);
  }

  /**
   * Returns the errors the last close met, in closing order.
   *
   * @return the errors; empty if every resource closed cleanly
   */
  public synchronized List<Exception> closeErrors() {
    return List.copyOf(closeErrors);
  }

  private void closeResources() {
    while (true) {
      Resource r;
      synchronized (this) {
        r = resources.poll();
      }
      if (r == null) {
        return;
      }
      try {
        r.resource().close();
        LOG.debug("Closed {}", r.name());
      } catch (Exception e) {
        LOG.warn("Closing {} failed", r.name(), e);
        synchronized (this) {
          closeErrors.add(e);
        }
      }
    }
  }

  /**
   * Tells whether the shutdown hook is installed: from {@link #installShutdownHook} until the close
   * ends outside a JVM shutdown.
   *
   * @return true while the hook is registered
   */
  public synchronized boolean hookInstalled() {
    return hook != null;
  }

  private void finish(State end) {
    LOG.info("Every resource closed ({})", end);
    Thread installed;
    synchronized (this) {
      state = end;
      installed = hook;
    }
    closed.countDown();
    if (installed != null && Thread.currentThread() != installed) {
      try {
        Runtime.getRuntime().removeShutdownHook(installed);
        synchronized (this) {
          hook = null;
        }
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook is running and waits for the latch above.
      }
    }
  }

  private void transition(State from, State to) {
    if (state != from) {
      throw new IllegalStateException("cannot move to " + to + " from " + state);
    }
    state = to;
  }
}

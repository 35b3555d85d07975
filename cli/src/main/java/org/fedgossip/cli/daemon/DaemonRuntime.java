package org.fedgossip.cli.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The federation runtime a daemon runs (a peer or the coordinator), as the daemon sees it: started
 * by a {@link Factory}, asked for its status and health, closed at the end.
 *
 * <p>This is the one seam between the daemon infrastructure in {@code cli} and the runtime in
 * {@code federation-core}: {@code fedgossip peer} starts it after the config is validated and the
 * metrics endpoint is up, serves its {@link #status()} on {@code /status} and its {@link
 * #unhealthyReason()} on {@code /health}, and closes it first when a stop is requested.
 */
public interface DaemonRuntime extends AutoCloseable {

  /**
   * Returns the fields of {@code /status}: the keys {@code role}, {@code peer_id}, {@code basket},
   * {@code round}, {@code model_version}, {@code epsilon_spent}, {@code epsilon_remaining}, {@code
   * members_seen}, {@code last_accuracy} and {@code budget_exhausted} where known. Called on the
   * metrics thread: it must be thread-safe and quick.
   *
   * @return field name to a JSON-writable value (string, number, boolean, list, map, null)
   */
  Map<String, Object> status();

  /**
   * Tells why the runtime is not healthy, for {@code /health}.
   *
   * @return empty when healthy, else a short reason (served with status 503)
   */
  Optional<String> unhealthyReason();

  /**
   * Stops the runtime and releases its resources: connections, threads, files.
   *
   * @throws IOException if a resource fails to close; the daemon logs it and keeps closing
   */
  @Override
  void close() throws IOException;

  /** Starts a runtime from a validated configuration. */
  @FunctionalInterface
  interface Factory {

    /**
     * Starts the runtime; on failure it closes what it opened before throwing.
     *
     * @param config the validated configuration
     * @param registry where the runtime registers its meters (scraped on {@code /metrics})
     * @param nanoTime the monotonic clock the runtime steps its protocol classes with
     * @param clock the wall clock, for timestamps in checkpoints and the audit log
     * @return the running runtime
     * @throws Exception if it cannot start; the daemon exits with an error naming the cause
     */
    DaemonRuntime start(
        PeerConfig config, MeterRegistry registry, LongSupplier nanoTime, Clock clock)
        throws Exception;
  }
}

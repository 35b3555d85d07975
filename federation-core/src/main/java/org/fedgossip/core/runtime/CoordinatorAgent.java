package org.fedgossip.core.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fedgossip.core.model.GlobalModel;
import org.fedgossip.core.privacy.GaussianSource;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.transport.netty.NettyTransport;
import org.fedgossip.trust.PayloadSigner;
import org.fedgossip.trust.PeerId;

/**
 * The coordinator as a service: a {@link Coordinator} over mutual-TLS Netty with its own agent
 * thread, its state (checkpoints, the federation's privacy ledger, the audit log) in a data
 * directory. A restart resumes from the newest checkpoint and the ledger.
 */
public final class CoordinatorAgent implements AutoCloseable {

  private final NettyTransport transport;
  private final NodeState state;
  private final Coordinator coordinator;
  private final AgentRunner runner;
  private final java.util.Set<java.nio.file.Path> pending =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private CoordinatorAgent(Builder b) throws IOException {
    AgentBuilder.Parts parts = b.open();
    FederationFiles files = parts.files();
    this.transport = parts.transport();
    this.state = NodeState.open(b.dataDirectory, b.settings);
    String own = files.certificate().basket();
    int baskets = files.baskets(own).size();
    if (baskets < 1) {
      throw new IllegalArgumentException(
          "peer.roster holds no basket other than the coordinator's own ('" + own + "')");
    }
    SecureRandom secure = parts.secure();
    this.coordinator =
        Coordinator.builder()
            .transport(transport)
            .signer(new PayloadSigner(files.keys()))
            .federation(
                files::key, p -> files.basket(p).filter(basket -> !basket.equals(own)), baskets)
            .basketSizes(basket -> files.members(basket).size())
            .settings(b.settings)
            .state(state)
            .initialWeights(b.initialWeights)
            .evaluator(b.evaluator)
            .randomness(GaussianSource.secure(secure), secure.nextInt(1000))
            .unixMillisAtZeroNanos(parts.unixMillisAtZeroNanos())
            .build();
    transport.start();
    Path data = b.dataDirectory;
    this.runner =
        b.runner(
            "fedgossip-coordinator-" + files.id().shortString(),
            coordinator::doWork,
            parts.tls(),
            () -> AdminRequests.deregistrations(data, coordinator, pending));
  }

  /**
   * Starts a builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the agent thread. */
  public void start() {
    runner.start();
  }

  /**
   * Registers a listener for every model published, called on the agent thread.
   *
   * @param listener must not block
   */
  public void onGlobalModel(Consumer<GlobalModel> listener) {
    coordinator.onGlobalModel(listener);
  }

  /**
   * The status.
   *
   * @return the status
   */
  public NodeStatus status() {
    return coordinator.status();
  }

  /**
   * The counters, for a metrics exporter.
   *
   * @return the counters
   */
  public RuntimeCounters counters() {
    return coordinator.counters();
  }

  /**
   * The transport, for its counters and bound address.
   *
   * @return the transport
   */
  public NettyTransport transport() {
    return transport;
  }

  /**
   * The coordinator's id.
   *
   * @return the id
   */
  public PeerId id() {
    return transport.localId();
  }

  /** Stops the agent thread, then closes the transport and the state. */
  @Override
  public void close() throws IOException {
    runner.close();
    coordinator.close();
    transport.close();
    state.close();
  }

  /** Collects the coordinator's settings. */
  public static final class Builder extends AgentBuilder<Builder> {
    private Function<float[], Evaluation> evaluator;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Evaluates each published model on held-out data; optional.
     *
     * @param value the evaluator, or null
     * @return this builder
     */
    public Builder evaluator(Function<float[], Evaluation> value) {
      evaluator = value;
      return this;
    }

    /**
     * Loads the files, binds the transport and opens the state; call {@link #start()} next.
     *
     * @return the agent
     * @throws IOException when the state cannot be opened
     * @throws IllegalStateException naming a missing setting
     */
    public CoordinatorAgent build() throws IOException {
      requireCommon("the coordinator");
      return new CoordinatorAgent(this);
    }
  }
}

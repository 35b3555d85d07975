package org.fedgossip.core.runtime;

import java.util.Objects;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.buffer.StalenessBufferConfig;
import org.fedgossip.core.privacy.PrivacyBudget;
import org.fedgossip.core.privacy.RdpAccountant;
import org.fedgossip.core.state.CheckpointConfig;

/**
 * The settings of a federation's rounds that every peer and the coordinator must agree on, plus
 * each process's own budget. Validated once here; every error names the configuration key.
 *
 * @param dimension d, the model's number of parameters, ≥ 1
 * @param rule the Layer-1 robust rule ({@code aggregation.*})
 * @param clipNorm C, the L2 norm every local update is clipped to ({@code privacy.clipNorm})
 * @param localNoiseMultiplier z of the local Gaussian noise, σ = z·C; 0 turns local noise off, else
 *     in [{@link RdpAccountant#MIN_NOISE_MULTIPLIER}, {@link RdpAccountant#MAX_NOISE_MULTIPLIER}]
 *     ({@code privacy.noiseMultiplier})
 * @param centralNoiseMultiplier z of the coordinator's Gaussian noise, σ = z · the L2 sensitivity
 *     of the mean of the basket aggregates; same range as the local one, 0 turns it off ({@code
 *     privacy.centralNoiseMultiplier})
 * @param budget this process's (ε, δ) budget ({@code privacy.epsilon}, {@code privacy.delta})
 * @param minUpdates Layer 1 runs once this many updates of the round are buffered ({@code
 *     round.minUpdates}), ≥ 1
 * @param roundTimeoutNanos ... or once the round is this old and holds enough updates for the rule
 *     ({@code round.timeoutMs}), &gt; 0
 * @param materiality ... or once the buffered updates' mean has an L2 norm of at least this
 *     fraction of C, a change too large to wait for ({@code round.materiality}); 0 turns it off,
 *     else in (0, 1]
 * @param minBaskets Layer 2 starts with at least this many baskets ready ({@code
 *     round.minBaskets}), ≥ 2
 * @param maxVersion the coordinator stops after publishing this model version; 0 for no limit
 *     ({@code round.max})
 * @param buffer the staleness buffer ({@code buffer.*})
 * @param secAggNeighbours k, or 0 for the SecAgg+ default ({@code secagg.neighbours})
 * @param secAggThreshold t, or 0 for ⌊k/2⌋ + 1 ({@code secagg.threshold})
 * @param secAggPhaseTimeoutNanos the SecAgg+ phase deadline ({@code secagg.phaseTimeoutMs}), &gt; 0
 * @param secAggClipRange the per-coordinate clip before quantisation ({@code secagg.clipRange}),
 *     &gt; 0
 * @param checkpoints the checkpoint store ({@code checkpoint.keep})
 * @param participationRate q, the probability with which each peer independently takes part in a
 *     round (Poisson participation; {@code round.participation}), in (0, 1]; 1 = every peer in
 *     every round. With central noise on and q &lt; 1 the rule must be FedAvg (see {@link
 *     #sampledCentralDp()})
 */
public record RuntimeSettings(
    int dimension,
    RuleSpec rule,
    double clipNorm,
    double localNoiseMultiplier,
    double centralNoiseMultiplier,
    PrivacyBudget budget,
    int minUpdates,
    long roundTimeoutNanos,
    double materiality,
    int minBaskets,
    long maxVersion,
    StalenessBufferConfig buffer,
    int secAggNeighbours,
    int secAggThreshold,
    long secAggPhaseTimeoutNanos,
    double secAggClipRange,
    CheckpointConfig checkpoints,
    double participationRate) {

  /** The participation rate of a federation where every peer takes part in every round. */
  public static final double FULL_PARTICIPATION = 1.0;

  /** Validates every field. */
  public RuntimeSettings {
    if (dimension < 1) {
      throw new IllegalArgumentException(
          "the model dimension is " + dimension + "; it must be >= 1");
    }
    Objects.requireNonNull(rule, "aggregation.rule");
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException(
          "privacy.clipNorm is " + clipNorm + "; it must be finite and > 0");
    }
    checkNoise("privacy.noiseMultiplier", localNoiseMultiplier);
    checkNoise("privacy.centralNoiseMultiplier", centralNoiseMultiplier);
    Objects.requireNonNull(budget, "privacy.epsilon/privacy.delta");
    if (minUpdates < 1) {
      throw new IllegalArgumentException("round.minUpdates is " + minUpdates + "; it must be >= 1");
    }
    if (roundTimeoutNanos <= 0) {
      throw new IllegalArgumentException(
          "round.timeoutMs is " + roundTimeoutNanos / 1_000_000 + "; it must be > 0");
    }
    if (!(materiality >= 0 && materiality <= 1)) {
      throw new IllegalArgumentException(
          "round.materiality is " + materiality + "; it must be 0 (off) or in (0, 1]");
    }
    if (minBaskets < 2) {
      throw new IllegalArgumentException(
          "round.minBaskets is "
              + minBaskets
              + "; it must be >= 2 (secure aggregation of one basket would reveal it)");
    }
    if (maxVersion < 0) {
      throw new IllegalArgumentException("round.max is " + maxVersion + "; it must be >= 0");
    }
    Objects.requireNonNull(buffer, "buffer");
    if (secAggNeighbours < 0) {
      throw new IllegalArgumentException(
          "secagg.neighbours is " + secAggNeighbours + "; it must be >= 1 (or 0 for the default)");
    }
    if (secAggThreshold < 0) {
      throw new IllegalArgumentException(
          "secagg.threshold is " + secAggThreshold + "; it must be >= 1 (or 0 for the default)");
    }
    if (secAggPhaseTimeoutNanos <= 0) {
      throw new IllegalArgumentException(
          "secagg.phaseTimeoutMs is " + secAggPhaseTimeoutNanos / 1_000_000 + "; it must be > 0");
    }
    if (!(secAggClipRange > 0) || Double.isInfinite(secAggClipRange)) {
      throw new IllegalArgumentException(
          "secagg.clipRange is " + secAggClipRange + "; it must be finite and > 0");
    }
    Objects.requireNonNull(checkpoints, "checkpoint");
    if (!(participationRate > 0 && participationRate <= 1)) {
      throw new IllegalArgumentException(
          "round.participation is "
              + participationRate
              + "; it must be in (0, 1] (1 = every peer in every round)");
    }
    if (participationRate < 1
        && centralNoiseMultiplier > 0
        && rule.kind() != RuleSpec.Kind.FEDAVG) {
      throw new IllegalArgumentException(
          "round.participation is "
              + participationRate
              + " with privacy.centralNoiseMultiplier "
              + centralNoiseMultiplier
              + ", which needs aggregation.rule=fedavg (got "
              + rule.kind().cliName()
              + "): only the fixed-denominator sum has a per-peer sensitivity under Poisson"
              + " participation");
    }
  }

  /**
   * Whether rounds use Poisson participation with central noise, the regime of DP-FedAvg (McMahan
   * et al. 2018, Algorithm 1 with the fixed-denominator estimator): Layer 1 then sums the round's
   * clipped updates with equal weights and divides by q times the basket's registered size, the
   * coordinator divides by the number of known baskets, and each model is charged as one step of
   * the sampled Gaussian mechanism at rate q.
   *
   * @return {@code participationRate < 1} and central noise on
   */
  public boolean sampledCentralDp() {
    return participationRate < 1 && centralNoiseMultiplier > 0;
  }

  private static void checkNoise(String key, double z) {
    if (z != 0.0
        && !(z >= RdpAccountant.MIN_NOISE_MULTIPLIER && z <= RdpAccountant.MAX_NOISE_MULTIPLIER)) {
      throw new IllegalArgumentException(
          key
              + " is "
              + z
              + "; it must be 0 (off) or in ["
              + RdpAccountant.MIN_NOISE_MULTIPLIER
              + ", "
              + RdpAccountant.MAX_NOISE_MULTIPLIER
              + "]");
    }
  }

  /**
   * Defaults for a model of the given dimension: Multi-Krum with f = 0, C = 1, no local noise,
   * central z = 1, budget (10, 10⁻⁵), 3 updates or 30 s per round, 2 baskets, no version limit.
   *
   * @param dimension d
   * @return the settings
   */
  public static RuntimeSettings defaults(int dimension) {
    return new RuntimeSettings(
        dimension,
        RuleSpec.parse("multi-krum", 0, null, null),
        1.0,
        0.0,
        1.0,
        new PrivacyBudget(10.0, 1e-5),
        3,
        30_000_000_000L,
        0.0,
        2,
        0,
        StalenessBufferConfig.defaults(),
        0,
        0,
        10_000_000_000L,
        1.0,
        CheckpointConfig.defaults(),
        FULL_PARTICIPATION);
  }

  /**
   * A copy with other noise multipliers.
   *
   * @param local the local z
   * @param central the central z
   * @return the copy
   */
  public RuntimeSettings withNoise(double local, double central) {
    return new RuntimeSettings(
        dimension,
        rule,
        clipNorm,
        local,
        central,
        budget,
        minUpdates,
        roundTimeoutNanos,
        materiality,
        minBaskets,
        maxVersion,
        buffer,
        secAggNeighbours,
        secAggThreshold,
        secAggPhaseTimeoutNanos,
        secAggClipRange,
        checkpoints,
        participationRate);
  }

  /**
   * A copy with another budget.
   *
   * @param value the budget
   * @return the copy
   */
  public RuntimeSettings withBudget(PrivacyBudget value) {
    return new RuntimeSettings(
        dimension,
        rule,
        clipNorm,
        localNoiseMultiplier,
        centralNoiseMultiplier,
        value,
        minUpdates,
        roundTimeoutNanos,
        materiality,
        minBaskets,
        maxVersion,
        buffer,
        secAggNeighbours,
        secAggThreshold,
        secAggPhaseTimeoutNanos,
        secAggClipRange,
        checkpoints,
        participationRate);
  }

  /**
   * A copy with another rule.
   *
   * @param value the rule
   * @return the copy
   */
  public RuntimeSettings withRule(RuleSpec value) {
    return new RuntimeSettings(
        dimension,
        value,
        clipNorm,
        localNoiseMultiplier,
        centralNoiseMultiplier,
        budget,
        minUpdates,
        roundTimeoutNanos,
        materiality,
        minBaskets,
        maxVersion,
        buffer,
        secAggNeighbours,
        secAggThreshold,
        secAggPhaseTimeoutNanos,
        secAggClipRange,
        checkpoints,
        participationRate);
  }

  /**
   * A copy with other round triggers.
   *
   * @param updates {@link #minUpdates()}
   * @param timeoutNanos {@link #roundTimeoutNanos()}
   * @param baskets {@link #minBaskets()}
   * @param max {@link #maxVersion()}
   * @return the copy
   */
  public RuntimeSettings withRounds(int updates, long timeoutNanos, int baskets, long max) {
    return new RuntimeSettings(
        dimension,
        rule,
        clipNorm,
        localNoiseMultiplier,
        centralNoiseMultiplier,
        budget,
        updates,
        timeoutNanos,
        materiality,
        baskets,
        max,
        buffer,
        secAggNeighbours,
        secAggThreshold,
        secAggPhaseTimeoutNanos,
        secAggClipRange,
        checkpoints,
        participationRate);
  }

  /**
   * A copy with another materiality threshold.
   *
   * @param value {@link #materiality()}
   * @return the copy
   */
  public RuntimeSettings withMateriality(double value) {
    return new RuntimeSettings(
        dimension,
        rule,
        clipNorm,
        localNoiseMultiplier,
        centralNoiseMultiplier,
        budget,
        minUpdates,
        roundTimeoutNanos,
        value,
        minBaskets,
        maxVersion,
        buffer,
        secAggNeighbours,
        secAggThreshold,
        secAggPhaseTimeoutNanos,
        secAggClipRange,
        checkpoints,
        participationRate);
  }

  /**
   * A copy with another SecAgg+ phase timeout.
   *
   * @param nanos the timeout
   * @return the copy
   */
  public RuntimeSettings withSecAggPhaseTimeoutNanos(long nanos) {
    return new RuntimeSettings(
        dimension,
        rule,
        clipNorm,
        localNoiseMultiplier,
        centralNoiseMultiplier,
        budget,
        minUpdates,
        roundTimeoutNanos,
        materiality,
        minBaskets,
        maxVersion,
        buffer,
        secAggNeighbours,
        secAggThreshold,
        nanos,
        secAggClipRange,
        checkpoints,
        participationRate);
  }

  /**
   * A copy with another participation rate.
   *
   * @param value q in (0, 1]
   * @return the copy
   */
  public RuntimeSettings withParticipationRate(double value) {
    return new RuntimeSettings(
        dimension,
        rule,
        clipNorm,
        localNoiseMultiplier,
        centralNoiseMultiplier,
        budget,
        minUpdates,
        roundTimeoutNanos,
        materiality,
        minBaskets,
        maxVersion,
        buffer,
        secAggNeighbours,
        secAggThreshold,
        secAggPhaseTimeoutNanos,
        secAggClipRange,
        checkpoints,
        value);
  }

  /**
   * A copy with other staleness buffer settings.
   *
   * @param value the buffer settings
   * @return the copy
   */
  public RuntimeSettings withBuffer(StalenessBufferConfig value) {
    return new RuntimeSettings(
        dimension,
        rule,
        clipNorm,
        localNoiseMultiplier,
        centralNoiseMultiplier,
        budget,
        minUpdates,
        roundTimeoutNanos,
        materiality,
        minBaskets,
        maxVersion,
        value,
        secAggNeighbours,
        secAggThreshold,
        secAggPhaseTimeoutNanos,
        secAggClipRange,
        checkpoints,
        participationRate);
  }
}

package org.fedgossip.core.runtime;

/**
 * A peer's private coin for Poisson participation: in each round the peer takes part with
 * probability q, independently of every other round and every other peer, so the number of
 * participants of a round is Binomial(N, q) (McMahan et al. 2018, "Learning Differentially Private
 * Recurrent Language Models", Algorithm 1, user sampling).
 *
 * <p>The coin of round r is a pure function of the peer's secret seed and r: the SplitMix64
 * finaliser of {@code seed + golden·(r + 1)}, its top 53 bits read as a uniform double in [0, 1).
 * So a run repeats from its seed, a restarted peer decides every round as before (it cannot take a
 * second draw of a round it sat out), and the decision is the same however often it is asked.
 *
 * <p>The amplification by subsampling that the sampled Gaussian mechanism's accounting credits
 * (Mironov, Talwar and Zhang 2019) needs the sample to be hidden from whoever sees the published
 * models: the seed must be secret to the peer (in the daemon it derives from the peer's private
 * key; in a simulation from the run's seed).
 */
public final class PoissonParticipation {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final long secretSeed;
  private final double rate;

  /**
   * A coin.
   *
   * @param secretSeed the peer's secret seed
   * @param rate q in (0, 1]; 1 means every round
   * @throws IllegalArgumentException naming {@code round.participation} if q is out of range
   */
  public PoissonParticipation(long secretSeed, double rate) {
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          "round.participation is " + rate + "; it must be in (0, 1]");
    }
    this.secretSeed = secretSeed;
    this.rate = rate;
  }

  /**
   * The rate.
   *
   * @return q
   */
  public double rate() {
    return rate;
  }

  /**
   * Whether the peer takes part in a round.
   *
   * @param round the round (the version of the model it trains on), ≥ 0
   * @return true with probability q, always the same for the same seed and round
   */
  public boolean participates(long round) {
    if (rate >= 1) {
      return true;
    }
    return uniform(secretSeed, round) < rate;
  }

  /** The SplitMix64 finaliser over (seed, round), as a double in [0, 1). */
  static double uniform(long seed, long round) {
    long z = seed + GOLDEN * (round + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (z >>> 11) * 0x1.0p-53;
  }
}

package org.fedgossip.trust;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A trust score in [0, 1] per peer, moved by typed {@link Evidence}, decaying back to a prior, with
 * hysteresis thresholds that say when to down-weight or exclude a peer.
 *
 * <p>Model, a discounted reputation in the spirit of the forgetting factor of Jøsang and Ismail
 * 2002, "The Beta Reputation System" (section on forgetting), with multiplicative updates: bad
 * evidence with weight {@code w} maps a score {@code s} to {@code s (1 - w)}, good evidence maps it
 * to {@code s + w (1 - s)}, and between events the score decays exponentially towards the prior,
 * {@code s <- prior + (s - prior) 2^(-dt / halfLife)}, with {@code dt} from the passed-in times
 * (time going backwards decays nothing). Each map sends [0, 1] into [0, 1] and is non-decreasing in
 * {@code s}, and bad evidence never raises {@code s}; so scores stay in [0, 1], and adding bad
 * evidence anywhere in a sequence never raises any later score. Given the same sequence of calls,
 * the scores and standings are identical (no clock, no randomness).
 *
 * <p>Standing, with hysteresis: a TRUSTED peer becomes DOWN_WEIGHTED when its score falls below
 * {@code downWeightBelow}, and any peer becomes EXCLUDED below {@code excludeBelow}; an EXCLUDED
 * peer returns to DOWN_WEIGHTED only at {@code excludeBelow + hysteresis} or above, and a
 * DOWN_WEIGHTED one to TRUSTED only at {@code downWeightBelow + hysteresis}, so a score hovering at
 * a threshold does not flap. Standings are re-evaluated at every call that names the peer. Memory
 * is one entry per peer ever named; {@link #forget} drops one. Not thread-safe.
 */
public final class TrustScorer {

  private static final class PeerState {
    double score;
    long lastMillis;
    Standing standing;
  }

  private final TrustScorerConfig config;
  private final double halfLifeMillis;
  private final Map<PeerId, PeerState> peers = new HashMap<>();

  /**
   * Creates a scorer.
   *
   * @param config the settings
   */
  public TrustScorer(TrustScorerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.halfLifeMillis = config.halfLife().toNanos() / 1e6;
  }

  /**
   * Records evidence about a peer.
   *
   * @param peer the peer
   * @param evidence what was observed
   * @param nowMillis when, in milliseconds on any fixed epoch
   * @return the peer's score after the evidence
   */
  public double record(PeerId peer, Evidence evidence, long nowMillis) {
    Objects.requireNonNull(evidence, "evidence");
    PeerState s = advance(peer, nowMillis);
    double w = config.weights().get(evidence);
    s.score = clamp(evidence.isGood() ? s.score + w * (1 - s.score) : s.score * (1 - w));
    s.standing = nextStanding(s.standing, s.score);
    return s.score;
  }

  /**
   * A peer's score, decayed to a time.
   *
   * @param peer the peer
   * @param nowMillis the time
   * @return the score in [0, 1]; the prior for a peer never seen
   */
  public double score(PeerId peer, long nowMillis) {
    return advance(peer, nowMillis).score;
  }

  /**
   * A peer's standing at a time.
   *
   * @param peer the peer
   * @param nowMillis the time
   * @return TRUSTED, DOWN_WEIGHTED or EXCLUDED
   */
  public Standing standing(PeerId peer, long nowMillis) {
    return advance(peer, nowMillis).standing;
  }

  /**
   * Drops what is known about a peer; it starts again from the prior.
   *
   * @param peer the peer
   */
  public void forget(PeerId peer) {
    peers.remove(peer);
  }

  /**
   * The settings.
   *
   * @return the configuration
   */
  public TrustScorerConfig config() {
    return config;
  }

  private PeerState advance(PeerId peer, long nowMillis) {
    Objects.requireNonNull(peer, "peer");
    PeerState s = peers.get(peer);
    if (s == null) {
      s = new PeerState();
      s.score = config.prior();
      s.lastMillis = nowMillis;
      s.standing = initialStanding(s.score);
      peers.put(peer, s);
      return s;
    }
    if (nowMillis > s.lastMillis) {
      double dt = (double) nowMillis - (double) s.lastMillis;
      double keep = Math.pow(0.5, dt / halfLifeMillis);
      s.score = clamp(config.prior() + (s.score - config.prior()) * keep);
      s.lastMillis = nowMillis;
      s.standing = nextStanding(s.standing, s.score);
    }
    return s;
  }

  private Standing initialStanding(double score) {
    if (score < config.excludeBelow()) {
      return Standing.EXCLUDED;
    }
    return score < config.downWeightBelow() ? Standing.DOWN_WEIGHTED : Standing.TRUSTED;
  }

  private Standing nextStanding(Standing current, double score) {
    if (score < config.excludeBelow()) {
      return Standing.EXCLUDED;
    }
    double h = config.hysteresis();
    return switch (current) {
      case EXCLUDED -> {
        if (score < config.excludeBelow() + h) {
          yield Standing.EXCLUDED;
        }
        yield score >= config.downWeightBelow() + h ? Standing.TRUSTED : Standing.DOWN_WEIGHTED;
      }
      case DOWN_WEIGHTED ->
          score >= config.downWeightBelow() + h ? Standing.TRUSTED : Standing.DOWN_WEIGHTED;
      case TRUSTED -> score < config.downWeightBelow() ? Standing.DOWN_WEIGHTED : Standing.TRUSTED;
    };
  }

  private static double clamp(double v) {
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }
}

package org.fedgossip.transport.memory;

/**
 * How one directed link of an {@link InMemoryNetwork} behaves: latency, seeded jitter, loss,
 * duplication and reordering.
 *
 * <p>A frame sent at virtual time {@code t} arrives at {@code t + latencyNanos + U[0,
 * jitterNanos]}, but never before the previous frame on the same link unless the reordering draw
 * lets it: with {@code reorderProbability == 0} and {@code duplicateProbability == 0} the link is
 * FIFO. Probabilities are in [0, 1]; each draw comes from the network's seeded generator.
 *
 * @param latencyNanos the fixed one-way delay, in [0, 3600 s]
 * @param jitterNanos the width of the uniform extra delay, in [0, 3600 s]
 * @param lossProbability the chance a frame is dropped, in [0, 1]
 * @param duplicateProbability the chance a frame is delivered twice, in [0, 1]
 * @param reorderProbability the chance a frame may overtake earlier ones, in [0, 1]
 */
public record LinkModel(
    long latencyNanos,
    long jitterNanos,
    double lossProbability,
    double duplicateProbability,
    double reorderProbability) {

  /** The largest latency or jitter accepted: one hour. */
  public static final long MAX_DELAY_NANOS = 3_600_000_000_000L;

  /** A perfect link: no delay, no loss, no duplicates, FIFO. */
  public static final LinkModel PERFECT = new LinkModel(0, 0, 0, 0, 0);

  /** Validates every field; the error names the field and its allowed range. */
  public LinkModel {
    checkDelay("latencyNanos", latencyNanos);
    checkDelay("jitterNanos", jitterNanos);
    checkProbability("lossProbability", lossProbability);
    checkProbability("duplicateProbability", duplicateProbability);
    checkProbability("reorderProbability", reorderProbability);
  }

  /**
   * A reliable FIFO link with a fixed latency and uniform jitter.
   *
   * @param latencyNanos the fixed delay
   * @param jitterNanos the width of the extra uniform delay
   * @return the model
   */
  public static LinkModel lan(long latencyNanos, long jitterNanos) {
    return new LinkModel(latencyNanos, jitterNanos, 0, 0, 0);
  }

  /**
   * Returns a copy with another loss probability.
   *
   * @param probability the chance a frame is dropped, in [0, 1]
   * @return the copy
   */
  public LinkModel withLossProbability(double probability) {
    return new LinkModel(
        latencyNanos, jitterNanos, probability, duplicateProbability, reorderProbability);
  }

  /**
   * Returns a copy with another duplication probability.
   *
   * @param probability the chance a frame is delivered twice, in [0, 1]
   * @return the copy
   */
  public LinkModel withDuplicateProbability(double probability) {
    return new LinkModel(
        latencyNanos, jitterNanos, lossProbability, probability, reorderProbability);
  }

  /**
   * Returns a copy with another reordering probability.
   *
   * @param probability the chance a frame may overtake earlier ones, in [0, 1]
   * @return the copy
   */
  public LinkModel withReorderProbability(double probability) {
    return new LinkModel(
        latencyNanos, jitterNanos, lossProbability, duplicateProbability, probability);
  }

  private static void checkDelay(String key, long value) {
    if (value < 0 || value > MAX_DELAY_NANOS) {
      throw new IllegalArgumentException(
          "link." + key + " is " + value + "; it must be in [0, " + MAX_DELAY_NANOS + "]");
    }
  }

  private static void checkProbability(String key, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException("link." + key + " is " + value + "; it must be in [0, 1]");
    }
  }
}

package org.fedgossip.core.privacy;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Random;

/**
 * A source of independent standard normal samples N(0, 1), passed into the {@link
 * GaussianMechanism} so that production noise and simulation noise take the same code path.
 *
 * <p>{@link #secure()} and {@link #secure(SecureRandom)} are for real releases; {@link
 * #seeded(long)} is deterministic from its seed and is only for simulations and tests, never for
 * releasing real data. Implementations need not be thread-safe.
 */
@FunctionalInterface
public interface GaussianSource {

  /**
   * Draws the next standard normal sample.
   *
   * @return a sample of N(0, 1)
   */
  double nextGaussian();

  /**
   * Returns a production source backed by a fresh {@link SecureRandom}.
   *
   * @return a cryptographically seeded source
   */
  static GaussianSource secure() {
    return secure(new SecureRandom());
  }

  /**
   * Returns a production source backed by the given {@link SecureRandom}.
   *
   * @param random the generator; it is used, not copied
   * @return a source drawing from {@code random}
   */
  static GaussianSource secure(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    return random::nextGaussian;
  }

  /**
   * Returns a simulation source, deterministic from its seed.
   *
   * <p>It uses {@link Random#nextGaussian()}, whose algorithm (the polar method) is fixed by its
   * specification, so a seed gives the same samples on every JDK. It is not cryptographically
   * secure.
   *
   * @param seed the seed
   * @return a deterministic source
   */
  static GaussianSource seeded(long seed) {
    Random random = new Random(seed);
    return random::nextGaussian;
  }
}

package org.fedgossip.simulations.scenario;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedgossip.core.training.Evaluation;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.core.training.TrainingResult;
import org.fedgossip.simulations.attack.Attack;
import org.fedgossip.simulations.attack.AttackContext;

/**
 * A Byzantine peer's trainer: it trains honestly, then hands the attack its honest delta and the
 * reference updates of the round, and returns the poisoned delta in place of the honest one.
 *
 * <p>The peer's {@code BasketPeer} then clips, signs and gossips that delta like any other, so the
 * attack acts through the real protocol: valid, signed packets whose content lies. The attack's
 * randomness is drawn from a stream derived from (seed, round) only, so a replayed round poisons
 * the same way.
 */
final class PoisoningTrainer implements LocalTrainer {

  private static final long ROUND_GAMMA = 0x9E3779B97F4A7C15L;

  private final LocalTrainer honest;
  private final Attack attack;
  private final BasketAdversary adversary;
  private final long seed;

  /**
   * Creates the wrapper.
   *
   * @param honest trains this peer honestly (on label-flipped data for the label-flip attack)
   * @param attack the attack
   * @param adversary the basket's shared source of reference updates
   * @param seed the seed of the attack's random draws
   */
  PoisoningTrainer(LocalTrainer honest, Attack attack, BasketAdversary adversary, long seed) {
    this.honest = Objects.requireNonNull(honest, "honest");
    this.attack = Objects.requireNonNull(attack, "attack");
    this.adversary = Objects.requireNonNull(adversary, "adversary");
    this.seed = seed;
  }

  @Override
  public int dimension() {
    return honest.dimension();
  }

  @Override
  public float[] initialWeights() {
    return honest.initialWeights();
  }

  @Override
  public TrainingResult train(float[] globalWeights, long round) {
    TrainingResult own = honest.train(globalWeights, round);
    List<float[]> reference =
        attack.needsReferenceUpdates() ? adversary.reference(globalWeights, round) : List.of();
    AttackContext context =
        new AttackContext(
            round,
            own.delta(),
            reference,
            adversary.knowledge(),
            adversary.basketSize(),
            adversary.byzantineCount());
    float[] poisoned =
        attack.poison(context, new SplittableRandom(seed + ROUND_GAMMA * (round + 1)));
    return new TrainingResult(poisoned, own.samples());
  }

  @Override
  public Evaluation evaluate(float[] weights) {
    return honest.evaluate(weights);
  }
}

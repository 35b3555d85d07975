package org.fedgossip.simulations.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fedgossip.core.privacy.L2Clipper;
import org.fedgossip.core.training.LocalTrainer;
import org.fedgossip.simulations.attack.AttackContext;

/**
 * The colluding attackers of one basket, seen as one deterministic adversary: it computes the
 * reference updates an ALIE or IPM attacker uses, once per round, and shares them among the
 * basket's attackers.
 *
 * <p>Under {@link AttackContext.Knowledge#OMNISCIENT} (the threat model of Baruch et al. 2019 and
 * Xie et al. 2019) the reference is the round's updates of the basket's honest peers; the adversary
 * computes them with its own copies of their trainers (same rows, same seeds, so the same deltas
 * bit for bit) rather than by reading anything off the network, which keeps the run's event order
 * untouched. Under {@link AttackContext.Knowledge#COLLUDERS} it is the benign updates the attackers
 * compute on their own data. Either way each reference update is clipped to C, as the peers clip
 * what they release, so the statistics match what the basket's delegate sees.
 *
 * <p>Confined to the thread that drives the federation, like the trainers it holds.
 */
final class BasketAdversary {

  private final List<LocalTrainer> references;
  private final AttackContext.Knowledge knowledge;
  private final int basketSize;
  private final int byzantineCount;
  private final L2Clipper clipper;
  private long cachedRound = -1;
  private float[] cachedWeights;
  private List<float[]> cached = List.of();

  /**
   * Creates the adversary.
   *
   * @param references the trainers whose deltas form the reference (private copies)
   * @param knowledge which peers those are
   * @param basketSize n
   * @param byzantineCount f, the attackers of the basket
   * @param clipNorm C
   */
  BasketAdversary(
      List<LocalTrainer> references,
      AttackContext.Knowledge knowledge,
      int basketSize,
      int byzantineCount,
      double clipNorm) {
    this.references = List.copyOf(references);
    this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
    this.basketSize = basketSize;
    this.byzantineCount = byzantineCount;
    this.clipper = new L2Clipper(clipNorm);
  }

  AttackContext.Knowledge knowledge() {
    return knowledge;
  }

  int basketSize() {
    return basketSize;
  }

  int byzantineCount() {
    return byzantineCount;
  }

  /**
   * The reference updates of a round, computed at the first call of the round.
   *
   * @param globalWeights the round's global model
   * @param round the round
   * @return the clipped reference deltas
   */
  List<float[]> reference(float[] globalWeights, long round) {
    if (round != cachedRound || !java.util.Arrays.equals(globalWeights, cachedWeights)) {
      List<float[]> out = new ArrayList<>(references.size());
      for (LocalTrainer t : references) {
        out.add(clipper.clip(t.train(globalWeights, round).delta()).vector());
      }
      cached = List.copyOf(out);
      cachedRound = round;
      cachedWeights = globalWeights.clone();
    }
    return cached;
  }
}

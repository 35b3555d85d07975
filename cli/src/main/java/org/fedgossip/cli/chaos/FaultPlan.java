package org.fedgossip.cli.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded schedule of faults of a chaos run: which round each fault starts in, how far into the
 * round (after the model of the previous round was published), how long it lasts and whom it hits.
 * A pure function of its inputs, so the same seed replays the same faults.
 *
 * <p>Faults fall in rounds 2 to R − 2, so the federation has started before the first and has a
 * round to settle after the last; as many distinct rounds are used as there are faults, then rounds
 * are reused.
 *
 * @param faults the faults, sorted by round then offset
 */
public record FaultPlan(List<Fault> faults) {

  /** What a fault does. */
  public enum Kind {
    /** SIGKILL (or its emulation) of a peer, then a restart from its data directory. */
    KILL_PEER,
    /** SIGKILL of the coordinator, then a restart from its newest checkpoint. */
    KILL_COORDINATOR,
    /** Every link between one basket and the rest of the federation cut, then healed. */
    PARTITION_BASKET
  }

  /**
   * One fault.
   *
   * @param kind what it does
   * @param round the model version whose publication starts the fault's clock, ≥ 1
   * @param offsetMs how long after that publication the fault strikes, in milliseconds
   * @param durationMs how long the victim stays down or the partition stays in place
   * @param target the victim: a peer index for KILL_PEER, a basket index for PARTITION_BASKET, 0
   *     for the coordinator
   */
  public record Fault(Kind kind, int round, long offsetMs, long durationMs, int target) {}

  /** Copies the list. */
  public FaultPlan {
    faults = List.copyOf(faults);
  }

  /**
   * Draws a plan.
   *
   * @param seed the seed
   * @param rounds R, at least 6
   * @param peers the number of peers that may be killed
   * @param baskets the number of baskets that may be partitioned, 0 for no partitions
   * @param peerKills peer kills to schedule
   * @param coordinatorKills coordinator kills to schedule
   * @param partitions basket partitions to schedule
   * @return the plan
   * @throws IllegalArgumentException naming a bad count
   */
  public static FaultPlan draw(
      long seed,
      int rounds,
      int peers,
      int baskets,
      int peerKills,
      int coordinatorKills,
      int partitions) {
    if (rounds < 6) {
      throw new IllegalArgumentException("rounds is " + rounds + "; a fault plan needs >= 6");
    }
    if (peers < 1 || peerKills < 0 || coordinatorKills < 0 || partitions < 0) {
      throw new IllegalArgumentException(
          "peers " + peers + " must be >= 1 and the fault counts >= 0");
    }
    if (partitions > 0 && baskets < 2) {
      throw new IllegalArgumentException("partitions need >= 2 baskets, got " + baskets);
    }
    SplittableRandom random = new SplittableRandom(seed ^ 0xC4A05L);
    List<Integer> slots = new ArrayList<>();
    for (int r = 2; r <= rounds - 2; r++) {
      slots.add(r);
    }
    shuffle(slots, random);
    List<Fault> out = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < coordinatorKills; i++) {
      out.add(
          new Fault(
              Kind.KILL_COORDINATOR,
              slots.get(next++ % slots.size()),
              random.nextLong(100, 800),
              random.nextLong(500, 2_000),
              0));
    }
    for (int i = 0; i < partitions; i++) {
      out.add(
          new Fault(
              Kind.PARTITION_BASKET,
              slots.get(next++ % slots.size()),
              random.nextLong(100, 800),
              random.nextLong(2_000, 5_000),
              random.nextInt(baskets)));
    }
    for (int i = 0; i < peerKills; i++) {
      out.add(
          new Fault(
              Kind.KILL_PEER,
              slots.get(next++ % slots.size()),
              random.nextLong(100, 800),
              random.nextLong(500, 2_000),
              random.nextInt(peers)));
    }
    out.sort(Comparator.comparingInt(Fault::round).thenComparingLong(Fault::offsetMs));
    return new FaultPlan(out);
  }

  /**
   * The faults that start in a round.
   *
   * @param round the model version just published
   * @return those faults, in offset order
   */
  public List<Fault> startingIn(long round) {
    return faults.stream().filter(f -> f.round() == round).toList();
  }

  /**
   * How many faults of a kind the plan holds.
   *
   * @param kind the kind
   * @return the count
   */
  public long count(Kind kind) {
    return faults.stream().filter(f -> f.kind() == kind).count();
  }

  private static void shuffle(List<Integer> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}

package org.fedgossip.simulations.partition;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedgossip.simulations.data.Shuffle;

/**
 * Domain skew for hierarchical federations: B baskets (hospitals of one region, shops of one
 * country) each draw mostly from their own group of labels, and the basket's rows are then split
 * among its peers by another partitioner (IID or Dirichlet).
 *
 * <p>Labels are cut into B contiguous groups: label c belongs to group ⌊c·B/C⌋. Basket sizes differ
 * by at most one row. Basket b first takes min(round(f·size_b), |group b|) shuffled rows of its own
 * group, where f is {@code ownFraction}; all rows not taken this way form a shuffled common pool
 * from which the baskets are filled up to their sizes in order, so the rest is IID over what
 * remains. Peers are spread over baskets with counts differing by at most one (the first P mod B
 * baskets get one more).
 */
public final class DomainPartitioner implements Partitioner {

  /** Default fraction of a basket's rows drawn from its own label group. */
  public static final double DEFAULT_OWN_FRACTION = 0.8;

  private final int baskets;
  private final double ownFraction;
  private final Partitioner withinBasket;

  /**
   * Creates the partitioner.
   *
   * @param baskets B, ≥ 1
   * @param ownFraction f, the share of each basket drawn from its own label group, in [0, 1]
   * @param withinBasket splits a basket's rows among its peers
   * @throws IllegalArgumentException naming the bad value
   */
  public DomainPartitioner(int baskets, double ownFraction, Partitioner withinBasket) {
    if (baskets < 1) {
      throw new IllegalArgumentException("baskets must be >= 1, got " + baskets);
    }
    if (!(ownFraction >= 0 && ownFraction <= 1)) {
      throw new IllegalArgumentException("ownFraction must be in [0, 1], got " + ownFraction);
    }
    this.baskets = baskets;
    this.ownFraction = ownFraction;
    this.withinBasket = Objects.requireNonNull(withinBasket, "withinBasket");
  }

  /**
   * The label group of a class.
   *
   * @param label the class, in [0, classes)
   * @param classes C
   * @return the group ⌊label·B/C⌋, in [0, B)
   */
  public int groupOf(int label, int classes) {
    return (int) ((long) label * baskets / classes);
  }

  @Override
  public Partition split(int[] rows, int[] labels, int classes, int peers, long seed) {
    return splitDomains(rows, labels, classes, peers, seed).peers();
  }

  /**
   * Splits the rows into baskets and then among each basket's peers.
   *
   * @param rows the rows to split
   * @param labels labels indexed by row
   * @param classes C, ≥ B
   * @param peers P, ≥ B
   * @param seed the seed
   * @return baskets, peers and the basket of each peer
   * @throws IllegalArgumentException if there are fewer classes or peers than baskets
   */
  public DomainPartition splitDomains(int[] rows, int[] labels, int classes, int peers, long seed) {
    if (classes < baskets) {
      throw new IllegalArgumentException(
          "classes must be >= baskets = " + baskets + ", got " + classes);
    }
    if (peers < baskets) {
      throw new IllegalArgumentException(
          "peers must be >= baskets = " + baskets + ", got " + peers);
    }
    PeerCounts.check(rows.length, peers, 1);
    SplittableRandom random = new SplittableRandom(seed);
    int[][] byClass = ShardPartitioner.groupByClass(rows, labels, classes);
    int[][] groups = new int[baskets][];
    for (int b = 0; b < baskets; b++) {
      int size = 0;
      for (int c = 0; c < classes; c++) {
        if (groupOf(c, classes) == b) {
          size += byClass[c].length;
        }
      }
      groups[b] = new int[size];
      int pos = 0;
      for (int c = 0; c < classes; c++) {
        if (groupOf(c, classes) == b) {
          System.arraycopy(byClass[c], 0, groups[b], pos, byClass[c].length);
          pos += byClass[c].length;
        }
      }
      Shuffle.inPlace(groups[b], random);
    }
    int n = rows.length;
    int[][] basketRows = new int[baskets][];
    int[] own = new int[baskets];
    int[] pool = new int[n];
    int poolSize = 0;
    for (int b = 0; b < baskets; b++) {
      int size = n / baskets + (b < n % baskets ? 1 : 0);
      basketRows[b] = new int[size];
      own[b] = (int) Math.min(Math.round(ownFraction * size), groups[b].length);
      System.arraycopy(groups[b], 0, basketRows[b], 0, own[b]);
      for (int i = own[b]; i < groups[b].length; i++) {
        pool[poolSize++] = groups[b][i];
      }
    }
    int[] common = Arrays.copyOf(pool, poolSize);
    Shuffle.inPlace(common, random);
    int next = 0;
    for (int b = 0; b < baskets; b++) {
      int fill = basketRows[b].length - own[b];
      System.arraycopy(common, next, basketRows[b], own[b], fill);
      next += fill;
    }
    int[][] peerRows = new int[peers][];
    int[] basketOfPeer = new int[peers];
    int p = 0;
    for (int b = 0; b < baskets; b++) {
      int peersHere = peers / baskets + (b < peers % baskets ? 1 : 0);
      Partition inner =
          withinBasket.split(basketRows[b], labels, classes, peersHere, random.nextLong());
      for (int k = 0; k < peersHere; k++) {
        peerRows[p] = inner.rowsOf(k);
        basketOfPeer[p] = b;
        p++;
      }
    }
    return new DomainPartition(basketRows, new Partition(peerRows), basketOfPeer);
  }
}

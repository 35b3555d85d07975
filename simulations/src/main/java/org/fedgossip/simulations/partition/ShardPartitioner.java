package org.fedgossip.simulations.partition;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedgossip.simulations.data.Shuffle;

/**
 * Pathological label skew by shards (McMahan et al. 2017, "Communication-efficient learning of deep
 * networks from decentralized data", §3): sort the rows by label (ties by row index), cut them into
 * S·P contiguous shards of near-equal size, and give each peer S shards chosen by a seeded shuffle.
 * With S = 2 most peers see only two labels.
 *
 * <p>Sizes: the first n mod (S·P) shards hold ⌈n/(S·P)⌉ rows and the rest ⌊n/(S·P)⌋, so peer sizes
 * differ by at most S.
 */
public final class ShardPartitioner implements Partitioner {

  /** The shards per peer of the original paper. */
  public static final int DEFAULT_SHARDS_PER_PEER = 2;

  private final int shardsPerPeer;

  /**
   * Creates the partitioner.
   *
   * @param shardsPerPeer S, the shards each peer gets, ≥ 1
   * @throws IllegalArgumentException naming the bad value
   */
  public ShardPartitioner(int shardsPerPeer) {
    if (shardsPerPeer < 1) {
      throw new IllegalArgumentException("shardsPerPeer must be >= 1, got " + shardsPerPeer);
    }
    this.shardsPerPeer = shardsPerPeer;
  }

  @Override
  public Partition split(int[] rows, int[] labels, int classes, int peers, long seed) {
    PeerCounts.check(rows.length, peers, shardsPerPeer);
    int[][] byClass = groupByClass(rows, labels, classes);
    int[] sorted = new int[rows.length];
    int k = 0;
    for (int[] group : byClass) {
      Arrays.sort(group);
      for (int r : group) {
        sorted[k++] = r;
      }
    }
    int shardCount = peers * shardsPerPeer;
    int[][] shards = IidPartitioner.cut(sorted, shardCount);
    int[] order = new int[shardCount];
    for (int i = 0; i < shardCount; i++) {
      order[i] = i;
    }
    Shuffle.inPlace(order, new SplittableRandom(seed));
    int[][] out = new int[peers][];
    for (int p = 0; p < peers; p++) {
      int size = 0;
      for (int s = 0; s < shardsPerPeer; s++) {
        size += shards[order[p * shardsPerPeer + s]].length;
      }
      out[p] = new int[size];
      int pos = 0;
      for (int s = 0; s < shardsPerPeer; s++) {
        int[] shard = shards[order[p * shardsPerPeer + s]];
        System.arraycopy(shard, 0, out[p], pos, shard.length);
        pos += shard.length;
      }
    }
    return new Partition(out);
  }

  /**
   * Groups rows by label, keeping their input order within each class.
   *
   * @throws IllegalArgumentException if a label is outside [0, classes)
   */
  static int[][] groupByClass(int[] rows, int[] labels, int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    int[] counts = new int[classes];
    for (int r : rows) {
      int c = labels[r];
      if (c < 0 || c >= classes) {
        throw new IllegalArgumentException(
            "label of row " + r + " must be in [0, " + classes + "), got " + c);
      }
      counts[c]++;
    }
    int[][] out = new int[classes][];
    for (int c = 0; c < classes; c++) {
      out[c] = new int[counts[c]];
    }
    int[] fill = new int[classes];
    for (int r : rows) {
      int c = labels[r];
      out[c][fill[c]++] = r;
    }
    return out;
  }
}

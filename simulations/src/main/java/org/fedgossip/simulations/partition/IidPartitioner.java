package org.fedgossip.simulations.partition;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedgossip.simulations.data.Shuffle;

/**
 * The IID baseline: shuffle the rows, then cut them into contiguous blocks whose sizes differ by at
 * most one (the first n mod P peers get ⌈n/P⌉ rows, the others ⌊n/P⌋).
 */
public final class IidPartitioner implements Partitioner {

  /** Creates the partitioner; it has no parameters. */
  public IidPartitioner() {}

  @Override
  public Partition split(int[] rows, int[] labels, int classes, int peers, long seed) {
    PeerCounts.check(rows.length, peers, 1);
    int[] shuffled = rows.clone();
    Shuffle.inPlace(shuffled, new SplittableRandom(seed));
    return new Partition(cut(shuffled, peers));
  }

  /** Cuts the array into near-equal contiguous blocks, larger blocks first. */
  static int[][] cut(int[] a, int parts) {
    int[][] out = new int[parts][];
    int base = a.length / parts;
    int extra = a.length % parts;
    int pos = 0;
    for (int p = 0; p < parts; p++) {
      int size = base + (p < extra ? 1 : 0);
      out[p] = Arrays.copyOfRange(a, pos, pos + size);
      pos += size;
    }
    return out;
  }
}

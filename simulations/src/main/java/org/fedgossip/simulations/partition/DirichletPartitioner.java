package org.fedgossip.simulations.partition;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedgossip.simulations.data.Shuffle;

/**
 * Label skew by a Dirichlet prior (Hsu, Qi and Brown 2019, "Measuring the effects of non-identical
 * data distribution for federated visual classification", §3): for every class, proportions q ~
 * Dir(α, …, α) over the P peers are drawn, and the class's shuffled rows are cut in those
 * proportions (peer p gets rows [round(n_c·Σ_{i
 *
 * <p} qᵢ), round(n_c·Σ_{i≤p} qᵢ))). Small α gives each
 * peer few labels; large α approaches IID.
 *
 * <p>Minimum
 * size: a peer left with fewer than {@code minRowsPerPeer} rows receives rows moved one at a time
 * from the currently largest peer (lowest index on ties), each a uniformly random row of that
 * donor. The donor always has more than the minimum while P · minRowsPerPeer ≤ n, so the repair
 * terminates after at most P · minRowsPerPeer moves and never drops another peer below the minimum.
 * Unlike resampling until every peer is large enough, this cannot loop for tiny α; it slightly
 * softens the skew of the smallest peers only.
 */
public final class DirichletPartitioner implements Partitioner {

  /** Default minimum number of rows per peer. */
  public static final int DEFAULT_MIN_ROWS_PER_PEER = 10;

  private final double alpha;
  private final int minRowsPerPeer;

  /**
   * Creates the partitioner.
   *
   * @param alpha the Dirichlet concentration, finite and > 0
   * @param minRowsPerPeer the minimum rows each peer gets, ≥ 0
   * @throws IllegalArgumentException naming the bad value
   */
  public DirichletPartitioner(double alpha, int minRowsPerPeer) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
    }
    if (minRowsPerPeer < 0) {
      throw new IllegalArgumentException("minRowsPerPeer must be >= 0, got " + minRowsPerPeer);
    }
    this.alpha = alpha;
    this.minRowsPerPeer = minRowsPerPeer;
  }

  /**
   * The concentration α.
   *
   * @return alpha
   */
  public double alpha() {
    return alpha;
  }

  /**
   * The minimum rows per peer.
   *
   * @return the minimum
   */
  public int minRowsPerPeer() {
    return minRowsPerPeer;
  }

  @Override
  public Partition split(int[] rows, int[] labels, int classes, int peers, long seed) {
    PeerCounts.check(rows.length, peers, minRowsPerPeer);
    SplittableRandom random = new SplittableRandom(seed);
    int[][] byClass = ShardPartitioner.groupByClass(rows, labels, classes);
    int[][] lists = new int[peers][16];
    int[] sizes = new int[peers];
    for (int c = 0; c < classes; c++) {
      int[] classRows = byClass[c];
      Shuffle.inPlace(classRows, random);
      double[] q = GammaSampler.symmetricDirichlet(alpha, peers, random);
      double cumulative = 0;
      int start = 0;
      for (int p = 0; p < peers; p++) {
        cumulative += q[p];
        int end =
            p == peers - 1 ? classRows.length : (int) Math.round(cumulative * classRows.length);
        end = Math.max(start, Math.min(end, classRows.length));
        for (int i = start; i < end; i++) {
          add(lists, sizes, p, classRows[i]);
        }
        start = end;
      }
    }
    for (int p = 0; p < peers; p++) {
      while (sizes[p] < minRowsPerPeer) {
        int donor = 0;
        for (int k = 1; k < peers; k++) {
          if (sizes[k] > sizes[donor]) {
            donor = k;
          }
        }
        int j = random.nextInt(sizes[donor]);
        int row = lists[donor][j];
        lists[donor][j] = lists[donor][--sizes[donor]];
        add(lists, sizes, p, row);
      }
    }
    int[][] out = new int[peers][];
    for (int p = 0; p < peers; p++) {
      out[p] = Arrays.copyOf(lists[p], sizes[p]);
    }
    return new Partition(out);
  }

  private static void add(int[][] lists, int[] sizes, int p, int row) {
    if (sizes[p] == lists[p].length) {
      lists[p] = Arrays.copyOf(lists[p], lists[p].length * 2);
    }
    lists[p][sizes[p]++] = row;
  }
}

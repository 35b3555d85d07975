package org.fedgossip.simulations.partition;

import java.util.Objects;

/**
 * An assignment of rows to peers: {@code peerRows()[p]} holds peer p's row indices.
 *
 * <p>The record holds the arrays it is given without copying. Partitioners guarantee every input
 * row appears in exactly one peer's array, except {@link SampledPartitioner}, whose peers draw
 * their rows independently and so may share rows or leave some out.
 *
 * @param peerRows one array of row indices per peer, ≥ 1 peer
 */
public record Partition(int[][] peerRows) {

  /**
   * Validates the shape.
   *
   * @throws IllegalArgumentException if there is no peer or a peer's array is null
   */
  public Partition {
    Objects.requireNonNull(peerRows, "peerRows");
    if (peerRows.length < 1) {
      throw new IllegalArgumentException("peerRows must hold >= 1 peer, got 0");
    }
    for (int p = 0; p < peerRows.length; p++) {
      Objects.requireNonNull(peerRows[p], "peerRows[" + p + "]");
    }
  }

  /**
   * The number of peers.
   *
   * @return peers, ≥ 1
   */
  public int peers() {
    return peerRows.length;
  }

  /**
   * Peer p's row indices.
   *
   * @param p the peer, in [0, peers)
   * @return the array held by the partition
   */
  public int[] rowsOf(int p) {
    return peerRows[p];
  }

  /**
   * The label histogram of every peer.
   *
   * @param labels labels indexed by row
   * @param classes number of classes
   * @return counts[p][c], the number of peer p's rows labelled c
   */
  public int[][] labelCounts(int[] labels, int classes) {
    int[][] counts = new int[peerRows.length][classes];
    for (int p = 0; p < peerRows.length; p++) {
      for (int r : peerRows[p]) {
        counts[p][labels[r]]++;
      }
    }
    return counts;
  }

  /**
   * The mean over peers of the Shannon entropy (in bits) of each peer's label distribution, a
   * measure of label skew: log₂(classes) for perfectly balanced peers, 0 when each peer holds one
   * label. Peers without rows count as entropy 0.
   *
   * @param labels labels indexed by row
   * @param classes number of classes
   * @return the mean entropy in bits
   */
  public double meanLabelEntropyBits(int[] labels, int classes) {
    int[][] counts = labelCounts(labels, classes);
    double total = 0;
    for (int p = 0; p < counts.length; p++) {
      int n = peerRows[p].length;
      double h = 0;
      for (int c = 0; c < classes; c++) {
        if (counts[p][c] > 0) {
          double q = (double) counts[p][c] / n;
          h -= q * Math.log(q);
        }
      }
      total += h / Math.log(2);
    }
    return total / counts.length;
  }
}

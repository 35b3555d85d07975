package org.fedgossip.simulations.partition;

import java.util.Objects;

/**
 * The result of a by-domain split: the rows of every basket, and the peers with the basket each
 * belongs to. Basket b's peers are contiguous in {@code peers}.
 *
 * @param basketRows the rows of each basket; basket b's rows are the union of its peers' rows
 * @param peers the per-peer rows
 * @param basketOfPeer the basket of each peer, length peers().peers()
 */
public record DomainPartition(int[][] basketRows, Partition peers, int[] basketOfPeer) {

  /**
   * Validates the shape.
   *
   * @throws IllegalArgumentException if basketOfPeer does not match the peers
   */
  public DomainPartition {
    Objects.requireNonNull(basketRows, "basketRows");
    Objects.requireNonNull(peers, "peers");
    Objects.requireNonNull(basketOfPeer, "basketOfPeer");
    if (basketOfPeer.length != peers.peers()) {
      throw new IllegalArgumentException(
          "basketOfPeer must have " + peers.peers() + " entries, got " + basketOfPeer.length);
    }
  }
}

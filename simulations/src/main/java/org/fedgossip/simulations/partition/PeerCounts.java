package org.fedgossip.simulations.partition;

/** Argument checks shared by the partitioners. */
final class PeerCounts {

  private PeerCounts() {}

  /**
   * Checks the peer count against the rows available.
   *
   * @throws IllegalArgumentException naming the bad value and the allowed range
   */
  static void check(int rows, int peers, int minRowsPerPeer) {
    if (peers < 1) {
      throw new IllegalArgumentException("peers must be >= 1, got " + peers);
    }
    if ((long) peers * minRowsPerPeer > rows) {
      throw new IllegalArgumentException(
          "peers must be <= rows / minRowsPerPeer = "
              + rows
              + " / "
              + minRowsPerPeer
              + ", got "
              + peers);
    }
  }
}

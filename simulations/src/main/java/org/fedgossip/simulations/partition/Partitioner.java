package org.fedgossip.simulations.partition;

import org.fedgossip.simulations.data.Dataset;

/**
 * Splits a set of rows among peers, seeded; the result depends only on the rows, their labels, the
 * number of peers, the partitioner's parameters and the seed.
 */
public interface Partitioner {

  /**
   * Splits the given rows among peers.
   *
   * @param rows the row indices to split, each a valid index into labels, without repeats
   * @param labels labels indexed by row
   * @param classes number of classes; labels lie in [0, classes)
   * @param peers number of peers, ≥ 1
   * @param seed the seed
   * @return a partition of exactly the given rows
   * @throws IllegalArgumentException if there are too few rows for the peers and the minimum size
   */
  Partition split(int[] rows, int[] labels, int classes, int peers, long seed);

  /**
   * Splits all rows of a data set among peers.
   *
   * @param data the data set
   * @param peers number of peers, ≥ 1
   * @param seed the seed
   * @return a partition of all rows
   */
  default Partition split(Dataset data, int peers, long seed) {
    return split(data.allRows(), data.labels(), data.classes(), peers, seed);
  }
}

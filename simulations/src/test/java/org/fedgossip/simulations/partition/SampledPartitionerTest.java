package org.fedgossip.simulations.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SampledPartitionerTest {

  private static int[] rows(int n) {
    int[] r = new int[n];
    Arrays.setAll(r, i -> i * 3);
    return r;
  }

  @Property(tries = 50)
  void everyPeerDrawsDistinctSortedRowsOfTheInput(
      @ForAll @IntRange(min = 1, max = 200) int n,
      @ForAll @IntRange(min = 1, max = 300) int peers,
      @ForAll @IntRange(min = 1, max = 50) int perPeer,
      @ForAll long seed) {
    int[] input = rows(n);
    Partition p = new SampledPartitioner(perPeer).split(input, new int[3 * n], 1, peers, seed);

    assertThat(p.peers()).isEqualTo(peers);
    for (int k = 0; k < peers; k++) {
      int[] mine = p.rowsOf(k);
      assertThat(mine).hasSize(Math.min(perPeer, n));
      assertThat(mine).isSorted().doesNotHaveDuplicates();
      for (int r : mine) {
        assertThat(Arrays.binarySearch(input, r)).as("row %d is an input row", r).isNotNegative();
      }
    }
  }

  @Test
  void morePeersThanRowsShareRowsAndTheSameSeedGivesTheSameSamples() {
    int[] input = rows(100);
    Partition a = new SampledPartitioner(8).split(input, new int[300], 1, 1_000, 42);
    Partition b = new SampledPartitioner(8).split(input, new int[300], 1, 1_000, 42);
    Partition c = new SampledPartitioner(8).split(input, new int[300], 1, 1_000, 43);

    assertThat(a.peerRows()).isDeepEqualTo(b.peerRows());
    assertThat(a.peerRows()).isNotEqualTo(c.peerRows());
    int[] uses = new int[300];
    for (int[] mine : a.peerRows()) {
      for (int r : mine) {
        uses[r]++;
      }
    }
    // 8,000 draws over 100 rows: each row is drawn about 80 times.
    for (int r : input) {
      assertThat(uses[r]).as("row %d, seed 42", r).isBetween(40, 130);
    }
  }

  @Test
  void aRowCountBelowOneIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> new SampledPartitioner(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partition.rowsPerPeer")
        .hasMessageContaining("0");
  }
}

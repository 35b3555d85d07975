package org.fedgossip.simulations.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PartitionerTest {

  /** Labels of n rows over the given classes, drawn from a seeded, mildly unbalanced law. */
  private static int[] labels(int n, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] y = new int[n];
    for (int r = 0; r < n; r++) {
      int a = random.nextInt(classes);
      int b = random.nextInt(classes);
      y[r] = Math.min(a, b);
    }
    return y;
  }

  private static int[] allRows(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }

  private static void assertEveryRowExactlyOnce(Partition p, int[] rows, int n) {
    int[] seen = new int[n];
    for (int k = 0; k < p.peers(); k++) {
      for (int r : p.rowsOf(k)) {
        seen[r]++;
      }
    }
    int[] expected = new int[n];
    for (int r : rows) {
      expected[r] = 1;
    }
    assertThat(seen).containsExactly(expected);
  }

  @Provide
  Arbitrary<Partitioner> partitioners() {
    return Arbitraries.oneOf(
        Arbitraries.just(new IidPartitioner()),
        Arbitraries.of(0.05, 0.3, 1.0, 10.0).map(a -> new DirichletPartitioner(a, 2)),
        Arbitraries.integers().between(1, 3).map(ShardPartitioner::new),
        Arbitraries.of(0.0, 0.8, 1.0)
            .map(f -> new DomainPartitioner(2, f, new DirichletPartitioner(0.5, 1))));
  }

  @Property(tries = 200)
  void everyRowIsAssignedExactlyOnceAndTheSameSeedGivesTheSamePartition(
      @ForAll("partitioners") Partitioner partitioner,
      @ForAll @IntRange(min = 60, max = 400) int n,
      @ForAll @IntRange(min = 2, max = 10) int peers,
      @ForAll @IntRange(min = 2, max = 10) int classes,
      @ForAll long seed) {
    int[] y = labels(n, classes, seed ^ 0x5DEECE66DL);
    int[] rows = allRows(n);

    Partition a = partitioner.split(rows, y, classes, peers, seed);
    Partition b = partitioner.split(rows, y, classes, peers, seed);

    assertThat(a.peers()).isEqualTo(peers);
    assertEveryRowExactlyOnce(a, rows, n);
    for (int k = 0; k < peers; k++) {
      assertThat(a.rowsOf(k)).containsExactly(b.rowsOf(k));
    }
  }

  @Property(tries = 100)
  void iidSizesDifferByAtMostOne(
      @ForAll @IntRange(min = 1, max = 500) int n,
      @ForAll @IntRange(min = 1, max = 40) int peersRaw,
      @ForAll long seed) {
    int peers = Math.min(peersRaw, n);
    Partition p = new IidPartitioner().split(allRows(n), new int[n], 2, peers, seed);

    for (int k = 0; k < peers; k++) {
      assertThat(p.rowsOf(k).length).isBetween(n / peers, (n + peers - 1) / peers);
    }
  }

  @Property(tries = 100)
  void dirichletGivesEveryPeerAtLeastTheMinimum(
      @ForAll @IntRange(min = 1, max = 30) int peers,
      @ForAll @IntRange(min = 0, max = 20) int min,
      @ForAll long seed) {
    int n = 700;
    int[] y = labels(n, 10, seed);
    Partition p = new DirichletPartitioner(0.01, min).split(allRows(n), y, 10, peers, seed);

    for (int k = 0; k < peers; k++) {
      assertThat(p.rowsOf(k).length).isGreaterThanOrEqualTo(min);
    }
    assertEveryRowExactlyOnce(p, allRows(n), n);
  }

  @Test
  void smallerAlphaGivesMoreLabelSkew() {
    int n = 8000;
    int[] y = labels(n, 10, 1);
    double previous = Double.POSITIVE_INFINITY;
    for (double alpha : new double[] {100, 10, 1, 0.1}) {
      double entropy = 0;
      for (long seed = 0; seed < 5; seed++) {
        entropy +=
            new DirichletPartitioner(alpha, 10)
                .split(allRows(n), y, 10, 30, seed)
                .meanLabelEntropyBits(y, 10);
      }
      entropy /= 5;
      assertThat(entropy).as("mean label entropy at alpha %s", alpha).isLessThan(previous);
      previous = entropy;
    }
    // At alpha = 0.1 most peers hold one or two dominant labels: far below log2(10) = 3.32 bits.
    assertThat(previous).isLessThan(1.5);
  }

  @Test
  void shardsGiveMostPeersAtMostTwoLabelsAndEqualSizes() {
    int n = 8000;
    int[] y = labels(n, 10, 2);
    Partition p = new ShardPartitioner(2).split(allRows(n), y, 10, 40, 3);

    int[][] counts = p.labelCounts(y, 10);
    int fewLabels = 0;
    for (int k = 0; k < 40; k++) {
      assertThat(p.rowsOf(k).length).isEqualTo(200);
      int present = 0;
      for (int c = 0; c < 10; c++) {
        present += counts[k][c] > 0 ? 1 : 0;
      }
      // Each shard of 100 sorted rows spans at most two labels, so a peer sees at most four.
      assertThat(present).isLessThanOrEqualTo(4);
      fewLabels += present <= 2 ? 1 : 0;
    }
    assertThat(fewLabels).isGreaterThan(20);
  }

  @Test
  void eachBasketIsDominatedByItsOwnLabelGroup() {
    int n = 6000;
    // Balanced labels, so each group holds at least 80% of a basket's size to draw from.
    int[] y = new int[n];
    for (int r = 0; r < n; r++) {
      y[r] = r % 10;
    }
    DomainPartitioner partitioner = new DomainPartitioner(3, 0.8, new IidPartitioner());

    DomainPartition d = partitioner.splitDomains(allRows(n), y, 10, 12, 5);

    assertThat(d.basketRows()).hasNumberOfRows(3);
    for (int b = 0; b < 3; b++) {
      int own = 0;
      for (int r : d.basketRows()[b]) {
        own += partitioner.groupOf(y[r], 10) == b ? 1 : 0;
      }
      double share = (double) own / d.basketRows()[b].length;
      // 80% drawn from the group, plus the group's share of the IID remainder.
      assertThat(share).as("basket %d own-group share", b).isGreaterThanOrEqualTo(0.8);
      assertThat(d.basketRows()[b].length).isBetween(n / 3, n / 3 + 1);
    }
    for (int k = 0; k < 12; k++) {
      assertThat(d.basketOfPeer()[k]).isEqualTo(k / 4);
      for (int r : d.peers().rowsOf(k)) {
        assertThat(d.basketRows()[d.basketOfPeer()[k]]).contains(r);
      }
    }
  }

  @Test
  void rejectsMorePeersThanRowsAllowNamingTheValues() {
    assertThatThrownBy(
            () -> new DirichletPartitioner(1, 10).split(allRows(50), new int[50], 2, 6, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("peers must be <= rows / minRowsPerPeer = 50 / 10, got 6");
    assertThatThrownBy(() -> new DirichletPartitioner(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alpha must be finite and > 0, got 0.0");
  }
}

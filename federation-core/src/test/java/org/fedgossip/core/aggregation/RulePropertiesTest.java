package org.fedgossip.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.fedgossip.core.math.ParallelRunner;

/** Algebraic properties of the rules, over random inputs (jqwik prints the seed on failure). */
class RulePropertiesTest {

  private static final ParallelRunner SEQ = ParallelRunner.sequential();

  private static List<float[]> gaussian(Random random, int n, int d, double scale) {
    List<float[]> vs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[d];
      for (int k = 0; k < d; k++) {
        v[k] = (float) (scale * random.nextGaussian());
      }
      vs.add(v);
    }
    return vs;
  }

  @Provide
  Arbitrary<AggregationRule> rules() {
    return Arbitraries.of(
        new FedAvg(SEQ),
        new CoordinateMedian(SEQ),
        new TrimmedMean(0.2, SEQ),
        new Krum(1, SEQ),
        new MultiKrum(1, 3, SEQ),
        // f = 3: Bulyan's last Krum rounds score by f - 1 = 2 neighbours. With one neighbour
        // (f <= 2) two mutual nearest neighbours tie exactly and the lower index wins, which
        // depends on the input order by construction.
        new Bulyan(3, SEQ));
  }

  @Property(tries = 60)
  void outputIsInvariantUnderPermutationOfInputs(
      @ForAll("rules") AggregationRule rule,
      @ForAll long seed,
      @ForAll @IntRange(min = 15, max = 20) int n,
      @ForAll @IntRange(min = 1, max = 40) int d) {
    Random random = new Random(seed);
    List<float[]> inputs = gaussian(random, n, d, 1.0);
    List<Integer> perm = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      perm.add(i);
    }
    Collections.shuffle(perm, random);
    List<float[]> permuted = new ArrayList<>();
    for (int i : perm) {
      permuted.add(inputs.get(i));
    }

    AggregationResult original = rule.aggregate(inputs);
    AggregationResult shuffled = rule.aggregate(permuted);

    float[] a = original.aggregate();
    float[] b = shuffled.aggregate();
    for (int k = 0; k < d; k++) {
      assertThat(b[k]).as(rule.name()).isCloseTo(a[k], within(1e-5f * (1 + Math.abs(a[k]))));
    }
    int[] mapped = Arrays.stream(shuffled.selected()).map(perm::get).sorted().toArray();
    assertThat(mapped).containsExactly(original.selected());
  }

  @Property(tries = 60)
  void farAwayByzantineInputsAreNeverSelected(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int f,
      @ForAll @IntRange(min = 0, max = 4) int extra,
      @ForAll @IntRange(min = 1, max = 30) int d) {
    Random random = new Random(seed);
    int n = 4 * f + 3 + extra;
    List<float[]> inputs = gaussian(random, n, d, 1.0);
    List<Integer> byzantine = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byzantine.add(i);
    }
    Collections.shuffle(byzantine, random);
    byzantine = byzantine.subList(0, f);
    // Each Byzantine input sits 1e3·(j+1) away along the diagonal, so they are far from the honest
    // inputs and from each other (colluding inputs close to each other could win Bulyan's late
    // Krum rounds, which score by a single neighbour).
    for (int j = 0; j < f; j++) {
      float[] v = inputs.get(byzantine.get(j));
      for (int k = 0; k < d; k++) {
        v[k] += 1e3f * (j + 1);
      }
    }
    for (AggregationRule rule :
        List.of(new Krum(f, SEQ), new MultiKrum(f, n - f, SEQ), new Bulyan(f, SEQ))) {
      AggregationResult r = rule.aggregate(inputs);
      assertThat(r.rejected())
          .as(rule.name())
          .contains(byzantine.stream().mapToInt(i -> i).toArray());
      for (float x : r.aggregate()) {
        assertThat(Math.abs(x)).as(rule.name()).isLessThan(10f);
      }
    }
  }

  @Property(tries = 40)
  void medianAndTrimmedMeanOfIdenticalInputsIsThatInput(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int n,
      @ForAll @IntRange(min = 1, max = 600) int d,
      @ForAll @DoubleRange(min = 0, max = 0.49) double beta) {
    float[] v = gaussian(new Random(seed), 1, d, 100.0).get(0);
    List<float[]> inputs = Collections.nCopies(n, v);
    assertThat(new CoordinateMedian(SEQ).aggregate(inputs).aggregate()).containsExactly(v);
    assertThat(new TrimmedMean(beta, SEQ).aggregate(inputs).aggregate()).containsExactly(v);
  }

  @Property(tries = 40)
  void medianAndTrimmedMeanMatchASortingReference(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int n,
      @ForAll @IntRange(min = 1, max = 300) int d,
      @ForAll @DoubleRange(min = 0, max = 0.49) double beta) {
    Random random = new Random(seed);
    List<float[]> inputs = gaussian(random, n, d, 1.0);
    // Coarse values make ties common, which is where partitioning goes wrong.
    if (random.nextBoolean()) {
      for (float[] x : inputs) {
        for (int k = 0; k < d; k++) {
          x[k] = Math.round(x[k] * 2);
        }
      }
    }
    float[] median = new CoordinateMedian(SEQ).aggregate(inputs).aggregate();
    float[] trimmed = new TrimmedMean(beta, SEQ).aggregate(inputs).aggregate();
    int k = (int) Math.floor(beta * n);
    for (int c = 0; c < d; c++) {
      float[] column = new float[n];
      for (int i = 0; i < n; i++) {
        column[i] = inputs.get(i)[c];
      }
      Arrays.sort(column);
      double expectedMedian =
          n % 2 == 1 ? column[n / 2] : ((double) column[n / 2 - 1] + column[n / 2]) / 2;
      assertThat(median[c]).isEqualTo((float) expectedMedian);
      double s = 0;
      for (int i = k; i < n - k; i++) {
        s += column[i];
      }
      assertThat(trimmed[c]).isCloseTo((float) (s / (n - 2 * k)), within(1e-5f));
    }
  }

  @Property(tries = 40)
  void fedAvgWithEqualWeightsIsTheMean(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 20) int n,
      @ForAll @IntRange(min = 1, max = 100) int d,
      @ForAll @DoubleRange(min = 0.1, max = 1000) double weight) {
    List<float[]> inputs = gaussian(new Random(seed), n, d, 1.0);
    double[] weights = new double[n];
    Arrays.fill(weights, weight);
    float[] avg = new FedAvg(SEQ).aggregate(inputs, weights).aggregate();
    for (int k = 0; k < d; k++) {
      double s = 0;
      for (float[] x : inputs) {
        s += x[k];
      }
      assertThat(avg[k]).isCloseTo((float) (s / n), within(1e-6f));
    }
  }

  @org.junit.jupiter.api.Test
  void resultsAreBitIdenticalForAnyThreadCount() {
    // Three coordinate tasks, so the parallel runs hand them to different threads.
    List<float[]> inputs = gaussian(new Random(11), 9, 2 * CoordinateBlocks.TASK + 77, 1.0);
    try (ParallelRunner three = ParallelRunner.withThreads(3)) {
      List<AggregationRule> sequential =
          List.of(
              new FedAvg(SEQ),
              new CoordinateMedian(SEQ),
              new TrimmedMean(0.2, SEQ),
              new MultiKrum(1, 4, SEQ),
              new Bulyan(1, SEQ));
      List<AggregationRule> parallel =
          List.of(
              new FedAvg(three),
              new CoordinateMedian(three),
              new TrimmedMean(0.2, three),
              new MultiKrum(1, 4, three),
              new Bulyan(1, three));
      for (int r = 0; r < sequential.size(); r++) {
        assertThat(parallel.get(r).aggregate(inputs).aggregate())
            .as(sequential.get(r).name())
            .containsExactly(sequential.get(r).aggregate(inputs).aggregate());
      }
    }
  }
}

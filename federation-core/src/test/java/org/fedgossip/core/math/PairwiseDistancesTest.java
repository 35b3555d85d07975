package org.fedgossip.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PairwiseDistancesTest {

  private static double direct(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      double diff = (double) a[k] - b[k];
      s += diff * diff;
    }
    return s;
  }

  private static List<float[]> random(long seed, int n, int d) {
    Random random = new Random(seed);
    List<float[]> vs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      vs.add(VectorMathTest.gaussian(random, d));
    }
    return vs;
  }

  @Test
  void threeVectorsGiveHandComputedDistances() {
    // (0,0), (3,4), (6,8): distances 25, 100, 25
    double[][] d =
        PairwiseDistances.squared(
            List.of(new float[] {0, 0}, new float[] {3, 4}, new float[] {6, 8}),
            ParallelRunner.sequential());
    assertThat(d[0]).containsExactly(0, 25, 100);
    assertThat(d[1]).containsExactly(25, 0, 25);
    assertThat(d[2]).containsExactly(100, 25, 0);
  }

  @Property(tries = 30)
  void matchesDirectDistances(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 11) int n,
      @ForAll @IntRange(min = 1, max = 3000) int d) {
    List<float[]> vs = random(seed, n, d);
    double[][] dist = PairwiseDistances.squared(vs, ParallelRunner.sequential());
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double expected = direct(vs.get(i), vs.get(j));
        // Pairs not recomputed have a Gram distance >= 1e-3 of the squared norms, so float
        // rounding of the norms (~1e-7 relative) is at most ~1e-4 of the distance.
        double norms = direct(vs.get(i), new float[d]) + direct(vs.get(j), new float[d]);
        assertThat(dist[i][j]).isCloseTo(expected, within(1e-5 * expected + 1e-6 * norms));
      }
    }
  }

  @Test
  void resultIsBitIdenticalForAnyThreadCount() {
    // d spans three chunks so several tasks run
    List<float[]> vs = random(42, 7, 2 * PairwiseDistances.CHUNK + 123);
    double[][] one = PairwiseDistances.squared(vs, ParallelRunner.sequential());
    try (ParallelRunner two = ParallelRunner.withThreads(2);
        ParallelRunner three = ParallelRunner.withThreads(3)) {
      assertThat(PairwiseDistances.squared(vs, two)).isDeepEqualTo(one);
      assertThat(PairwiseDistances.squared(vs, three)).isDeepEqualTo(one);
    }
  }

  @Test
  void vectorAndScalarKernelsAgree() {
    // Surefire starts the JVM with --add-modules jdk.incubator.vector, so the vector kernel loads.
    GramKernel vector = GramKernels.vector().orElseThrow();
    assertThat(GramKernels.best().name()).isEqualTo("vector-256");
    List<float[]> vs = random(5, 11, PairwiseDistances.CHUNK + 1001);
    double[][] scalar =
        PairwiseDistances.squared(vs, ParallelRunner.sequential(), ScalarGramKernel.INSTANCE);
    double[][] simd = PairwiseDistances.squared(vs, ParallelRunner.sequential(), vector);
    for (int i = 0; i < vs.size(); i++) {
      for (int j = 0; j < vs.size(); j++) {
        assertThat(simd[i][j]).isCloseTo(scalar[i][j], within(1e-5 * scalar[i][j]));
      }
    }
    try (ParallelRunner two = ParallelRunner.withThreads(2)) {
      assertThat(PairwiseDistances.squared(vs, two, vector)).isDeepEqualTo(simd);
    }
  }

  @Test
  void bothKernelsRecomputeNearIdenticalPairsAccurately() {
    Random random = new Random(8);
    int d = 3 * VectorMath.BLOCK + 5;
    float[] base = VectorMathTest.gaussian(random, d);
    List<float[]> vs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      float[] v = base.clone();
      for (int k = 0; k < d; k++) {
        v[k] += 1e-3f * (float) random.nextGaussian();
      }
      vs.add(v);
    }
    for (GramKernel kernel :
        List.of(ScalarGramKernel.INSTANCE, GramKernels.vector().orElseThrow())) {
      double[][] dist = PairwiseDistances.squared(vs, ParallelRunner.sequential(), kernel);
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          double expected = direct(vs.get(i), vs.get(j));
          assertThat(dist[i][j]).as(kernel.name()).isCloseTo(expected, within(1e-5 * expected));
        }
      }
    }
  }

  @Property(tries = 20)
  void scalarKernelMatchesDirectDistances(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 11) int n,
      @ForAll @IntRange(min = 1, max = 3000) int d) {
    List<float[]> vs = random(seed, n, d);
    double[][] dist =
        PairwiseDistances.squared(vs, ParallelRunner.sequential(), ScalarGramKernel.INSTANCE);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double expected = direct(vs.get(i), vs.get(j));
        double norms = direct(vs.get(i), new float[d]) + direct(vs.get(j), new float[d]);
        assertThat(dist[i][j]).isCloseTo(expected, within(1e-5 * expected + 1e-6 * norms));
      }
    }
  }

  @Test
  void closeVectorsAreRecomputedDirectlyAgainstCancellation() {
    Random random = new Random(7);
    int d = 10_000;
    float[] a = new float[d];
    float[] b = new float[d];
    for (int k = 0; k < d; k++) {
      a[k] = 1000f + (float) random.nextGaussian();
      b[k] = a[k] + (k % 2 == 0 ? 0.001f : -0.001f);
    }
    double[][] dist = PairwiseDistances.squared(List.of(a, b, a), ParallelRunner.sequential());
    assertThat(dist[0][1]).isCloseTo(direct(a, b), within(1e-6 * direct(a, b)));
    assertThat(dist[0][2]).isZero();
  }

  @Test
  void finiteVectorsWhoseSquaredNormOverflowsFloatStillGetExactDistances() {
    float[] a = {1e20f, 0f};
    float[] b = {0f, 1e20f};
    double[][] dist = PairwiseDistances.squared(List.of(a, b), ParallelRunner.sequential());
    assertThat(dist[0][1]).isCloseTo(direct(a, b), within(1e30));
  }

  @Test
  void nonFiniteValueIsRefusedNamingVectorAndCoordinate() {
    float[] bad = {1f, Float.NaN, 2f};
    assertThatThrownBy(
            () ->
                PairwiseDistances.squared(List.of(new float[3], bad), ParallelRunner.sequential()))
        .isInstanceOf(NonFiniteValueException.class)
        .hasMessageContaining("vector 1")
        .hasMessageContaining("coordinate 1");
  }

  @Test
  void mismatchedDimensionIsRefusedNamingTheIndex() {
    assertThatThrownBy(
            () ->
                PairwiseDistances.squared(
                    List.of(new float[3], new float[3], new float[4]), ParallelRunner.sequential()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vector 2 has dimension 4, expected 3");
  }
}

package org.fedgossip.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class VectorMathTest {

  static float[] gaussian(Random random, int d) {
    float[] v = new float[d];
    for (int k = 0; k < d; k++) {
      v[k] = (float) random.nextGaussian();
    }
    return v;
  }

  @Test
  void smallVectorsGiveHandComputedValues() {
    float[] a = {1, 2, 3};
    float[] b = {4, -5, 6};
    // 1*4 - 2*5 + 3*6 = 12; |a|^2 = 14; (1-4)^2 + (2+5)^2 + (3-6)^2 = 9 + 49 + 9 = 67
    assertThat(VectorMath.dot(a, b)).isEqualTo(12.0);
    assertThat(VectorMath.normSquared(a)).isEqualTo(14.0);
    assertThat(VectorMath.norm(new float[] {3, 4})).isEqualTo(5.0);
    assertThat(VectorMath.squaredDistance(a, b)).isEqualTo(67.0);
    float[] y = {1, 1, 1};
    VectorMath.axpy(2f, a, y);
    assertThat(y).containsExactly(3f, 5f, 7f);
  }

  @Property(tries = 50)
  void kernelsMatchADoublePrecisionReference(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 20_000) int d) {
    Random random = new Random(seed);
    float[] a = gaussian(random, d);
    float[] b = gaussian(random, d);
    double dot = 0;
    double dist = 0;
    for (int k = 0; k < d; k++) {
      dot += (double) a[k] * b[k];
      dist += ((double) a[k] - b[k]) * ((double) a[k] - b[k]);
    }
    double tolerance = 1e-5 * (d + 1);
    assertThat(VectorMath.dot(a, b)).isCloseTo(dot, within(tolerance));
    assertThat(VectorMath.squaredDistance(a, b)).isCloseTo(dist, within(tolerance));
  }

  @Test
  void mismatchedLengthsAreRefusedWithBothLengths() {
    assertThatThrownBy(() -> VectorMath.dot(new float[2], new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2")
        .hasMessageContaining("3");
  }
}

package org.fedgossip.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class L2ClipperTest {

  @Test
  void vectorAboveTheNormIsScaledOntoIt() {
    L2Clipper.Clipped result = new L2Clipper(1.0).clip(new float[] {3f, 4f});

    assertThat(result.clipped()).isTrue();
    assertThat(result.originalNorm()).isEqualTo(5.0);
    assertThat(result.vector()[0]).isCloseTo(0.6f, within(1e-7f));
    assertThat(result.vector()[1]).isCloseTo(0.8f, within(1e-7f));
  }

  @Test
  void vectorWithinTheNormIsCopiedUnchanged() {
    float[] input = {0.3f, 0.4f};

    L2Clipper.Clipped result = new L2Clipper(1.0).clip(input);

    assertThat(result.clipped()).isFalse();
    assertThat(result.vector()).containsExactly(0.3f, 0.4f).isNotSameAs(input);
  }

  @Test
  void nonFiniteCoordinatesAreRejectedWithTheirIndex() {
    L2Clipper clipper = new L2Clipper(1.0);

    assertThatThrownBy(() -> clipper.clip(new float[] {1f, Float.NaN}))
        .hasMessage("vector coordinate 1 must be finite, got NaN");
    assertThatThrownBy(() -> clipper.clip(new float[] {Float.NEGATIVE_INFINITY}))
        .hasMessage("vector coordinate 0 must be finite, got -Infinity");
  }

  @Test
  void nonPositiveClipNormIsRejected() {
    assertThatThrownBy(() -> new L2Clipper(0.0))
        .hasMessage("clipNorm must be finite and > 0, got 0.0");
    assertThatThrownBy(() -> new L2Clipper(Double.NaN))
        .hasMessage("clipNorm must be finite and > 0, got NaN");
  }

  @Property(tries = 300)
  void clippedNormNeverExceedsTheBoundAndDirectionIsKept(
      @ForAll @Size(min = 1, max = 50) float[] vector,
      @ForAll @DoubleRange(min = 1e-3, max = 1e3) @Scale(6) double clipNorm) {
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        return;
      }
    }
    L2Clipper.Clipped result = new L2Clipper(clipNorm).clip(vector);
    double norm = L2Clipper.l2Norm(result.vector());

    assertThat(norm).isLessThanOrEqualTo(clipNorm);
    if (result.clipped()) {
      assertThat(norm).isCloseTo(clipNorm, within(1e-5 * clipNorm));
      double scale = clipNorm / result.originalNorm();
      for (int i = 0; i < vector.length; i++) {
        assertThat((double) result.vector()[i])
            .isCloseTo(vector[i] * scale, within(1e-6 * clipNorm + 1e-30));
      }
    } else {
      assertThat(result.vector()).isEqualTo(vector);
    }
  }

  @Property(tries = 100)
  void smallVectorsAreNeverClipped(
      @ForAll @Size(min = 1, max = 20) List<@FloatRange(min = -0.1f, max = 0.1f) Float> values) {
    float[] vector = new float[values.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = values.get(i);
    }
    L2Clipper.Clipped result = new L2Clipper(1.0).clip(vector);

    assertThat(result.clipped()).isFalse();
    assertThat(result.vector()).isEqualTo(vector);
  }
}

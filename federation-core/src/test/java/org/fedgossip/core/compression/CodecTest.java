package org.fedgossip.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CodecTest {

  /** Five standard deviations: a two-sided normal tail of 5.7e-7 per coordinate. */
  private static final double Z = 5.0;

  @Test
  void quantizerRoundTripIsWithinOneStepAndKeepsTheExtremes() {
    float[] x = {-3f, 0.1f, 2.5f, 7f, -1.25f};
    QuantizedUpdate q = new StochasticQuantizer(new SplittableRandom(1)).encode(x);
    float[] y = q.decode();
    assertThat(q.step()).isCloseTo(10.0 / 255, within(1e-12));
    for (int i = 0; i < x.length; i++) {
      assertThat((double) y[i]).isCloseTo(x[i], within(q.step()));
    }
    assertThat(y[0]).isEqualTo(-3f);
    assertThat(y[3]).isEqualTo(7f);
  }

  @Test
  void quantizerEncodesConstantAndEmptyVectorsExactly() {
    StochasticQuantizer quantizer = new StochasticQuantizer(new SplittableRandom(2));
    assertThat(quantizer.encode(new float[] {4f, 4f, 4f}).decode()).containsExactly(4f, 4f, 4f);
    QuantizedUpdate empty = quantizer.encode(new float[0]);
    assertThat(empty.decode()).isEmpty();
    assertThat(EncodedUpdate.fromBytes(empty.toBytes(), 0).decode()).isEmpty();
  }

  @Test
  void quantizerIsUnbiasedWithinFiveStandardErrors() {
    // min 0 and max 255 make the step exactly 1, so each value's fractional position is known.
    float[] x = {0f, 255f, 10.3f, 20.5f, 100.7f, 3.25f, 200.9f, 128f, 64.05f, 1.6f};
    int trials = 20_000;
    StochasticQuantizer quantizer = new StochasticQuantizer(new SplittableRandom(42));
    double[] sum = new double[x.length];
    for (int t = 0; t < trials; t++) {
      float[] y = quantizer.encode(x).decode();
      for (int i = 0; i < x.length; i++) {
        sum[i] += y[i];
      }
    }
    for (int i = 0; i < x.length; i++) {
      double p = x[i] - Math.floor(x[i]);
      // Per-trial variance is step² p (1 − p) with step = 1; the mean of N trials has it / N.
      double standardError = Math.sqrt(p * (1 - p) / trials);
      double tolerance = Z * standardError + Math.ulp(x[i]);
      assertThat(sum[i] / trials).as("coordinate %d", i).isCloseTo(x[i], within(tolerance));
      // The tolerance is tight enough to catch deterministic nearest rounding, which is biased.
      double nearestBias = Math.abs(Math.rint(x[i]) - x[i]);
      if (p >= 0.05 && p <= 0.95) {
        assertThat(nearestBias).as("control %d", i).isGreaterThan(tolerance);
      }
    }
  }

  @Test
  void compressionRatiosCountTheRealEncodedBytes() {
    float[] x = new float[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    QuantizedUpdate q = new StochasticQuantizer(new SplittableRandom(3)).encode(x);
    assertThat(q.toBytes()).hasSize(q.encodedBytes()).hasSize(16 + 1000);
    assertThat(q.compressionRatio()).isCloseTo(4000.0 / 1016, within(1e-12));

    SparseUpdate s = new TopKSparsifier(10).encode(x);
    assertThat(s.toBytes()).hasSize(12 + 80);
    assertThat(s.compressionRatio()).isCloseTo(4000.0 / 92, within(1e-12));
  }

  @Test
  void topKKeepsTheLargestMagnitudesExactlyAndBreaksTiesByLowerIndex() {
    float[] x = {0.5f, -3f, 2f, -2f, 0f, 3f, 1f};
    SparseUpdate s = new TopKSparsifier(3).encode(x);
    assertThat(s.indices()).containsExactly(1, 2, 5);
    assertThat(s.values()).containsExactly(-3f, 2f, 3f);
    assertThat(s.decode()).containsExactly(0f, -3f, 2f, 0f, 0f, 3f, 0f);
    assertThat(new TopKSparsifier(100).encode(x).decode()).containsExactly(x);
  }

  @Test
  void randomKWithoutScalingSendsExactValuesAtKDistinctIndices() {
    float[] x = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f};
    RandomKSparsifier codec =
        new RandomKSparsifier(3, RandomKSparsifier.Scaling.NONE, new SplittableRandom(5));
    for (int t = 0; t < 100; t++) {
      SparseUpdate s = codec.encode(x);
      assertThat(s.count()).isEqualTo(3);
      for (int j = 0; j < s.count(); j++) {
        assertThat(s.values()[j]).isEqualTo(x[s.indices()[j]]);
      }
    }
  }

  @Test
  void randomKWithScalingIsUnbiasedWithinFiveStandardErrors() {
    float[] x = {1f, -2f, 3f, 0.5f, -4f, 6f, 0f, 2.5f, -1f, 8f};
    int d = x.length;
    int k = 3;
    int trials = 40_000;
    RandomKSparsifier codec =
        new RandomKSparsifier(k, RandomKSparsifier.Scaling.UNBIASED, new SplittableRandom(7));
    double[] sum = new double[d];
    for (int t = 0; t < trials; t++) {
      float[] y = codec.encode(x).decode();
      for (int i = 0; i < d; i++) {
        sum[i] += y[i];
      }
    }
    for (int i = 0; i < d; i++) {
      // Coordinate i is x·d/k with probability k/d, else 0: variance x² (d/k − 1).
      double standardError = Math.abs(x[i]) * Math.sqrt(((double) d / k - 1) / trials);
      double tolerance = Z * standardError + 1e-6 * Math.abs(x[i]);
      assertThat(sum[i] / trials).as("coordinate %d", i).isCloseTo(x[i], within(tolerance));
    }
  }

  @Test
  void errorFeedbackDelaysButNeverLosesMassAndItsResidualStaysBounded() {
    int d = 100;
    int k = 10;
    int rounds = 3000;
    UpdateCodec[] codecs = {
      new TopKSparsifier(k),
      new RandomKSparsifier(k, RandomKSparsifier.Scaling.NONE, new SplittableRandom(11))
    };
    for (UpdateCodec codec : codecs) {
      SplittableRandom inputs = new SplittableRandom(13);
      ErrorFeedback memory = new ErrorFeedback(d);
      double[] sumInputs = new double[d];
      double[] sumSent = new double[d];
      double maxInputNormSquared = 0;
      double maxResidual = 0;
      for (int t = 0; t < rounds; t++) {
        float[] x = new float[d];
        double normSquared = 0;
        for (int i = 0; i < d; i++) {
          x[i] = (float) inputs.nextDouble(-1, 1);
          sumInputs[i] += x[i];
          normSquared += (double) x[i] * x[i];
        }
        maxInputNormSquared = Math.max(maxInputNormSquared, normSquared);
        float[] sent = memory.encode(x, codec).decode();
        for (int i = 0; i < d; i++) {
          sumSent[i] += sent[i];
        }
        maxResidual = Math.max(maxResidual, memory.residualNorm());
      }
      // Contraction δ = k/d gives ‖e‖² ≤ 2(1 − δ)(2 + δ)/δ² · max‖x‖² (see ErrorFeedback). For
      // random-k the contraction holds in expectation only, so the bound is checked at the end,
      // where it holds with a wide margin; top-k satisfies it deterministically at every round.
      double delta = (double) k / d;
      double bound =
          Math.sqrt(2 * (1 - delta) * (2 + delta) / (delta * delta) * maxInputNormSquared);
      assertThat(memory.residualNorm()).as(codec.getClass().getSimpleName()).isLessThan(bound);
      if (codec instanceof TopKSparsifier) {
        assertThat(maxResidual).isLessThan(bound);
      }
      float[] residual = memory.residual();
      double gapNormSquared = 0;
      for (int i = 0; i < d; i++) {
        // Sum sent + residual = sum of inputs, up to float rounding of each round's addition.
        assertThat(sumSent[i] + residual[i]).isCloseTo(sumInputs[i], within(1e-3));
        gapNormSquared += Math.pow(sumInputs[i] - sumSent[i], 2);
      }
      // Hence the average of what was sent converges to the average input at rate 1/T.
      assertThat(Math.sqrt(gapNormSquared) / rounds).isLessThan(bound / rounds + 1e-6);
    }
  }

  @Test
  void errorFeedbackChecksTheDimension() {
    ErrorFeedback memory = new ErrorFeedback(3);
    assertThatThrownBy(() -> memory.encode(new float[2], new TopKSparsifier(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3")
        .hasMessageContaining("2");
    memory.encode(new float[] {1f, 0.5f, 0f}, new TopKSparsifier(1));
    assertThat(memory.residual()).containsExactly(0f, 0.5f, 0f);
    float[] sent = memory.encode(new float[] {0f, 0f, 0.25f}, new TopKSparsifier(1)).decode();
    assertThat(sent).containsExactly(0f, 0.5f, 0f);
    assertThat(memory.residual()).containsExactly(0f, 0f, 0.25f);
    memory.reset();
    assertThat(memory.residualNorm()).isZero();
  }

  @Test
  void codecsRefuseNonFiniteValuesAndBadParameters() {
    float[] bad = {1f, Float.NaN};
    assertThatThrownBy(() -> new StochasticQuantizer(new SplittableRandom(1)).encode(bad))
        .hasMessageContaining("values[1]");
    assertThatThrownBy(() -> new TopKSparsifier(1).encode(new float[] {Float.POSITIVE_INFINITY}))
        .hasMessageContaining("values[0]");
    assertThatThrownBy(() -> new TopKSparsifier(0)).hasMessageContaining("k must be >= 1, got 0");
    assertThatThrownBy(
            () ->
                new RandomKSparsifier(-2, RandomKSparsifier.Scaling.NONE, new SplittableRandom(1)))
        .hasMessageContaining("-2");
  }
}

package org.fedgossip.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingRecordsTest {

  @Test
  void trainingResultKeepsItsDeltaAndSampleCount() {
    float[] delta = {0.5f, -1f};
    TrainingResult r = new TrainingResult(delta, 7);

    assertThat(r.delta()).isSameAs(delta);
    assertThat(r.samples()).isEqualTo(7);
  }

  @Test
  void trainingResultRejectsEmptyOrNonFiniteDeltasAndNegativeCounts() {
    assertThatThrownBy(() -> new TrainingResult(new float[0], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delta must have length >= 1, got 0");
    assertThatThrownBy(() -> new TrainingResult(new float[] {0f, Float.NaN}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delta[1] must be finite, got NaN");
    assertThatThrownBy(() -> new TrainingResult(new float[] {0f}, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("samples must be >= 0, got -1");
    assertThatThrownBy(() -> new TrainingResult(null, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void evaluationRejectsValuesOutsideTheirRanges() {
    assertThat(new Evaluation(0.3, 1.0, 10).accuracy()).isEqualTo(1.0);
    assertThatThrownBy(() -> new Evaluation(Double.NaN, 0.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loss must be finite and >= 0, got NaN");
    assertThatThrownBy(() -> new Evaluation(-0.1, 0.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loss must be finite and >= 0, got -0.1");
    assertThatThrownBy(() -> new Evaluation(0.1, 1.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accuracy must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> new Evaluation(0.1, 0.5, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0, got -2");
  }
}

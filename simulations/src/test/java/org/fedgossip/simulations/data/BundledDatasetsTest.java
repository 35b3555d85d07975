package org.fedgossip.simulations.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BundledDatasetsTest {

  @Test
  void mnistSubsetHasTheLabelCountsOfTheReadme() {
    Dataset mnist = BundledDatasets.mnist10k();

    assertThat(mnist.rows()).isEqualTo(10_000);
    assertThat(mnist.featureCount()).isEqualTo(784);
    assertThat(mnist.classes()).isEqualTo(10);
    assertThat(mnist.labelCounts())
        .containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
  }

  @Test
  void mnistPixelsAreScaledToTheUnitInterval() {
    Dataset mnist = BundledDatasets.mnist10k();

    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : mnist.features()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isEqualTo(0f);
    assertThat(max).isEqualTo(1f);
  }

  @Test
  void mnistSplitKeepsTheFirst8000ForTrainingAndHoldsOutTheLast2000() {
    Dataset mnist = BundledDatasets.mnist10k();
    TrainTestSplit split = BundledDatasets.mnistSplit();

    assertThat(split.train().rows()).isEqualTo(8000);
    assertThat(split.test().rows()).isEqualTo(2000);
    assertThat(split.test().labels()[0]).isEqualTo(mnist.labels()[8000]);
    for (int j = 0; j < 784; j++) {
      assertThat(split.test().feature(1999, j)).isEqualTo(mnist.feature(9999, j));
      assertThat(split.train().feature(0, j)).isEqualTo(mnist.feature(0, j));
    }
  }

  @Test
  void breastCancerHas569RowsOf30FeaturesAndTwoClasses() {
    Dataset bc = BundledDatasets.breastCancer();

    assertThat(bc.rows()).isEqualTo(569);
    assertThat(bc.featureCount()).isEqualTo(30);
    assertThat(bc.classes()).isEqualTo(2);
    // The UCI WDBC data: 212 malignant (0), 357 benign (1).
    assertThat(bc.labelCounts()).containsExactly(212, 357);
    assertThat(bc.feature(0, 0)).isEqualTo(17.99f);
  }

  @Test
  void breastCancerSplitIsStratifiedSeededAndStandardisedOnTheTrainingPartOnly() {
    TrainTestSplit a = BundledDatasets.breastCancerSplit(3);
    TrainTestSplit b = BundledDatasets.breastCancerSplit(3);
    TrainTestSplit c = BundledDatasets.breastCancerSplit(4);

    assertThat(a.train().rows() + a.test().rows()).isEqualTo(569);
    // round(0.2 * 212) = 42 and round(0.2 * 357) = 71 held out.
    assertThat(a.test().labelCounts()).containsExactly(42, 71);
    assertThat(a.train().features()).containsExactly(b.train().features());
    assertThat(a.test().labels()).containsExactly(b.test().labels());
    assertThat(a.train().features()).isNotEqualTo(c.train().features());
    for (int j = 0; j < 30; j++) {
      double mean = 0;
      double sq = 0;
      for (int r = 0; r < a.train().rows(); r++) {
        mean += a.train().feature(r, j);
        sq += a.train().feature(r, j) * (double) a.train().feature(r, j);
      }
      mean /= a.train().rows();
      assertThat(mean).isCloseTo(0, within(1e-4));
      assertThat(sq / a.train().rows()).isCloseTo(1, within(1e-3));
    }
  }
}

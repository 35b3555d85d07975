package org.fedgossip.core.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fedgossip.core.math.ParallelRunner;
import org.junit.jupiter.api.Test;

/** Small cases checked by hand, and the refusals. */
class RuleExamplesTest {

  private static final ParallelRunner SEQ = ParallelRunner.sequential();

  private static List<float[]> scalars(float... xs) {
    float[][] v = new float[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      v[i] = new float[] {xs[i]};
    }
    return List.of(v);
  }

  @Test
  void fedAvgWeightsBySampleCount() {
    // ((1,2)*1 + (3,4)*3) / 4 = (10/4, 14/4) = (2.5, 3.5)
    AggregationResult r =
        new FedAvg(SEQ)
            .aggregate(List.of(new float[] {1, 2}, new float[] {3, 4}), new double[] {1, 3});
    assertThat(r.aggregate()).containsExactly(2.5f, 3.5f);
    assertThat(r.selected()).containsExactly(0, 1);
    assertThat(r.rejected()).isEmpty();
  }

  @Test
  void fedAvgRefusesNonPositiveWeights() {
    assertThatThrownBy(() -> new FedAvg(SEQ).aggregate(scalars(1, 2), new double[] {1, 0}))
        .hasMessageContaining("weight 1 is 0.0");
  }

  @Test
  void medianOfOddCountIsTheMiddleValuePerCoordinate() {
    // coordinate 0: {1,2,9} -> 2; coordinate 1: {5,4,0} -> 4
    AggregationResult r =
        new CoordinateMedian(SEQ)
            .aggregate(List.of(new float[] {1, 5}, new float[] {2, 4}, new float[] {9, 0}));
    assertThat(r.aggregate()).containsExactly(2f, 4f);
    assertThat(r.selected()).containsExactly(0, 1, 2);
  }

  @Test
  void medianOfEvenCountIsTheMeanOfTheTwoMiddleValues() {
    // {1,2,10,4} sorted 1,2,4,10 -> (2+4)/2 = 3
    assertThat(new CoordinateMedian(SEQ).aggregate(scalars(1, 2, 10, 4)).aggregate())
        .containsExactly(3f);
  }

  @Test
  void trimmedMeanCutsTheExtremes() {
    // n=5, beta=0.2: cut floor(1.0)=1 from each end of {100,1,3,2,4} -> mean(2,3,4) = 3
    assertThat(new TrimmedMean(0.2, SEQ).aggregate(scalars(100, 1, 3, 2, 4)).aggregate())
        .containsExactly(3f);
    // n=5, beta=0.19: floor(0.95)=0, plain mean = 110/5 = 22
    assertThat(new TrimmedMean(0.19, SEQ).aggregate(scalars(100, 1, 3, 2, 4)).aggregate())
        .containsExactly(22f);
  }

  @Test
  void trimmedMeanRefusesBetaOutsideItsRange() {
    assertThatThrownBy(() -> new TrimmedMean(0.5, SEQ))
        .hasMessageContaining("trimmed mean")
        .hasMessageContaining("[0, 0.5)")
        .hasMessageContaining("0.5");
  }

  @Test
  void krumPicksTheLowestScoreAndBreaksTiesByIndex() {
    // n=5, f=1: each score sums the n-f-2 = 2 nearest squared distances.
    // 0: {1,4,9,..} -> 1+4 = 5; 1: {1,1,4,..} -> 2; 2: {4,1,1,..} -> 2; 3: {9,4,1,..} -> 5;
    // 100: huge. Inputs 1 and 2 tie at 2; the lower index (1) wins.
    AggregationResult r = new Krum(1, SEQ).aggregate(scalars(0, 1, 2, 3, 100));
    assertThat(r.aggregate()).containsExactly(1f);
    assertThat(r.selected()).containsExactly(1);
    assertThat(r.rejected()).containsExactly(0, 2, 3, 4);
  }

  @Test
  void multiKrumAveragesTheBestScores() {
    // Scores as above: 5, 2, 2, 5, huge. m=3 keeps 1, 2 and then 0 (ties with 3, lower index).
    // mean(0,1,2) = 1
    AggregationResult r = new MultiKrum(1, 3, SEQ).aggregate(scalars(0, 1, 2, 3, 100));
    assertThat(r.aggregate()).containsExactly(1f);
    assertThat(r.selected()).containsExactly(0, 1, 2);
    assertThat(r.rejected()).containsExactly(3, 4);
  }

  @Test
  void bulyanPicksByRepeatedKrumThenAveragesTheValuesClosestToTheMedian() {
    // n=7, f=1: theta=5 picks, beta=3 values kept per coordinate. Inputs are (x, 2x) for
    // x = 0,1,3,4,6,100,200; squared distances are 5x those of x, so the ranking follows x.
    // r=7, 4 neighbours: scores 62, 39, 23, 30, 74, .. -> pick 3.
    // r=6, 3 neighbours over {0,1,4,6,100,200}: 53, 35, 29, 65 -> pick 4.
    // r=5, 2 neighbours over {0,1,6,100,200}: 37, 26, 61 -> pick 1.
    // r=4, max(1, 4-3) = 1 neighbour over {0,6,100,200}: 36, 36, .. -> tie, pick 0 (lower index).
    // r=3, 1 neighbour over {6,100,200}: 94^2, 94^2, 100^2 -> tie, pick 6 (index 4).
    // Coordinate 0: picks {0,1,3,4,6}, median 3; 0 and 6 are equally far, the larger (6) goes
    // first, then 0 -> mean(1,3,4) = 8/3. Coordinate 1 is doubled: 16/3.
    float[][] v = new float[7][];
    float[] xs = {0, 1, 3, 4, 6, 100, 200};
    for (int i = 0; i < 7; i++) {
      v[i] = new float[] {xs[i], 2 * xs[i]};
    }
    AggregationResult r = new Bulyan(1, SEQ).aggregate(List.of(v));
    assertThat(r.selected()).containsExactly(0, 1, 2, 3, 4);
    assertThat(r.rejected()).containsExactly(5, 6);
    assertThat(r.aggregate()[0]).isCloseTo(8f / 3, within(1e-6f));
    assertThat(r.aggregate()[1]).isCloseTo(16f / 3, within(1e-6f));
  }

  @Test
  void preconditionsAreRefusedNamingTheRuleAndTheNumbers() {
    List<float[]> ten = scalars(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThatThrownBy(() -> new Bulyan(2, SEQ).aggregate(ten))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Bulyan needs n >= 4f+3, got n=10, f=2");
    assertThatThrownBy(() -> new Krum(4, SEQ).aggregate(ten))
        .hasMessage("Krum needs n > 2f+2, got n=10, f=4");
    assertThatThrownBy(() -> new MultiKrum(4, 3, SEQ).aggregate(ten))
        .hasMessage("Multi-Krum needs n > 2f+2, got n=10, f=4");
    assertThatThrownBy(() -> new MultiKrum(1, 11, SEQ).aggregate(ten))
        .hasMessage("Multi-Krum needs 1 <= m <= n, got m=11, n=10");
    assertThatThrownBy(() -> new Krum(-1, SEQ)).hasMessageContaining("f=-1");
  }

  @Test
  void badInputsAreRefusedNamingTheIndex() {
    for (AggregationRule rule :
        List.of(
            new FedAvg(SEQ),
            new CoordinateMedian(SEQ),
            new TrimmedMean(0.1, SEQ),
            new Krum(0, SEQ),
            new MultiKrum(0, 2, SEQ),
            new Bulyan(0, SEQ))) {
      assertThatThrownBy(() -> rule.aggregate(List.of()))
          .hasMessageContaining("at least one update");
      assertThatThrownBy(
              () -> rule.aggregate(List.of(new float[2], new float[2], new float[3], new float[2])))
          .hasMessageContaining("update 2 has dimension 3, expected 2");
      float[] bad = {0f, Float.POSITIVE_INFINITY};
      assertThatThrownBy(
              () -> rule.aggregate(List.of(new float[2], new float[2], new float[2], bad)))
          .as(rule.name())
          .hasMessageContaining("update 3 has a non-finite value Infinity at coordinate 1");
    }
  }

  @Test
  void sensitivitiesFollowTheDocumentedBounds() {
    assertThat(new FedAvg(SEQ).l2Sensitivity(1.0, 50)).isEqualTo(2.0 / 50);
    assertThat(new FedAvg(SEQ).l2Sensitivity(1.0, new double[] {1, 1, 2})).isEqualTo(1.0);
    assertThat(new Krum(10, SEQ).l2Sensitivity(1.0, 50)).isEqualTo(2.0);
    assertThat(new MultiKrum(10, 40, SEQ).l2Sensitivity(1.0, 50)).isEqualTo(2.0);
    assertThat(new CoordinateMedian(SEQ).l2Sensitivity(1.0, 50))
        .isCloseTo(2 * Math.sqrt(2), within(1e-12));
    // n=50, beta=0.2: k=10, 30 kept: min(50/30, 50/11) = 5/3
    assertThat(new TrimmedMean(0.2, SEQ).l2Sensitivity(1.0, 50))
        .isCloseTo(2 * Math.sqrt(5.0 / 3), within(1e-12));
    assertThat(new Bulyan(10, SEQ).l2Sensitivity(1.0, 50))
        .isCloseTo(2 * Math.sqrt(3), within(1e-12));
  }

  @Test
  void medianOutputNormStaysWithinTheSensitivityArgument() {
    // The 3-input example where the median leaves the ball: inputs of norm C=1 whose median
    // (a,a,a) has norm sqrt(3/2); the argument bounds it by sqrt(2).
    float a = (float) Math.sqrt(0.5);
    float[] m =
        new CoordinateMedian(SEQ)
            .aggregate(List.of(new float[] {a, a, 0}, new float[] {a, 0, a}, new float[] {0, a, a}))
            .aggregate();
    double norm = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
    assertThat(norm).isGreaterThan(1.0).isLessThanOrEqualTo(Math.sqrt(2));
  }

  @Test
  void ruleSpecMapsNamesAndResolvesDefaults() {
    assertThat(RuleSpec.Kind.names())
        .containsExactly("fedavg", "median", "trimmed-mean", "krum", "multi-krum", "bulyan");
    assertThat(RuleSpec.parse("KRUM", 2, null, null).create(10, SEQ)).isInstanceOf(Krum.class);
    TrimmedMean tm = (TrimmedMean) RuleSpec.parse("trimmed-mean", 10, null, null).create(50, SEQ);
    assertThat(tm.trimCount(50)).isEqualTo(10);
    AggregationRule mk = RuleSpec.parse("multi-krum", 1, null, null).create(5, SEQ);
    // default m = n - f = 4: drops only the outlier
    assertThat(mk.aggregate(scalars(0, 1, 2, 3, 100)).rejected()).containsExactly(4);
    assertThatThrownBy(() -> RuleSpec.parse("average", 0, null, null))
        .hasMessageContaining("unknown aggregation rule 'average'")
        .hasMessageContaining("fedavg, median, trimmed-mean, krum, multi-krum, bulyan");
    assertThatThrownBy(() -> RuleSpec.parse("bulyan", 2, null, null).create(10, SEQ))
        .hasMessage("Bulyan needs n >= 4f+3, got n=10, f=2");
  }
}

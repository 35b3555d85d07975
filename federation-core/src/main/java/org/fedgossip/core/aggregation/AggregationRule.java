package org.fedgossip.core.aggregation;

import java.util.List;

/**
 * A rule that combines n model updates of one dimension into one aggregate.
 *
 * <p>Every rule refuses empty input, mixed dimensions and non-finite values, and refuses an n that
 * violates its precondition (for example Krum's n &gt; 2f+2) with a message naming the rule and the
 * numbers. Results are deterministic: ties break by input order (lower index wins) and parallel
 * kernels combine partial results in a fixed order.
 */
public interface AggregationRule {

  /**
   * The rule's short name, as accepted by {@link RuleSpec#parse}.
   *
   * @return for example {@code "krum"}
   */
  String name();

  /**
   * Aggregates updates that all count the same.
   *
   * @param updates n ≥ 1 updates of one dimension, finite values; not modified
   * @return the aggregate and which inputs were selected and rejected
   * @throws IllegalArgumentException if the input or n is not allowed; the message says why
   */
  default AggregationResult aggregate(List<float[]> updates) {
    return aggregate(updates, null);
  }

  /**
   * Aggregates weighted updates.
   *
   * <p>Weights are sample counts or staleness discounts. Only {@link FedAvg} uses them; the robust
   * rules validate and ignore them, because weighting would let one peer claim a large share.
   *
   * @param updates n ≥ 1 updates of one dimension, finite values; not modified
   * @param weights n finite weights &gt; 0, or {@code null} for equal weights
   * @return the aggregate and which inputs were selected and rejected
   * @throws IllegalArgumentException if the input, the weights or n is not allowed
   */
  AggregationResult aggregate(List<float[]> updates, double[] weights);

  /**
   * Checks this rule's precondition on the number of inputs.
   *
   * @param n the number of inputs
   * @throws IllegalArgumentException naming the rule and the numbers if n is not allowed
   */
  void checkInputCount(int n);

  /**
   * The L2 sensitivity of the output for n equally weighted inputs of L2 norm at most {@code
   * clipNorm}: how far the aggregate can move when one input is replaced by another clipped input.
   *
   * <p>Layer 2 calibrates its central Gaussian noise to this value. Each rule's Javadoc gives the
   * argument; where a tight bound is not known, the bound is conservative.
   *
   * @param clipNorm the clipping norm C ≥ 0
   * @param n the number of inputs, satisfying the rule's precondition
   * @return the sensitivity, in the same units as the updates
   */
  double l2Sensitivity(double clipNorm, int n);
}

/**
 * Byzantine-robust aggregation rules (FedAvg, coordinate-wise median, trimmed mean, Krum,
 * Multi-Krum, Bulyan) behind one {@link org.fedgossip.core.aggregation.AggregationRule} interface,
 * and {@link org.fedgossip.core.aggregation.RuleSpec}, the one mapping from rule names to rules.
 *
 * <p>Invariants: inputs share one dimension and hold finite values; a rule refuses an n that
 * violates its precondition with a message naming the numbers; results are deterministic (ties go
 * to the lower input index) and say which inputs were selected and which rejected; each rule states
 * its L2 sensitivity for clipped inputs.
 */
package org.fedgossip.core.aggregation;

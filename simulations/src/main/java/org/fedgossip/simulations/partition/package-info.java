/**
 * Seeded splits of a training set's rows among peers: IID, Dirichlet label skew, label shards and
 * domain baskets.
 *
 * <p>Invariants: every row is assigned to exactly one peer, every peer gets at least the documented
 * minimum, and the result depends only on the labels, the parameters and the seed.
 */
package org.fedgossip.simulations.partition;

/**
 * Research tooling that runs the same protocol classes as the daemon. So far it holds {@link
 * org.fedgossip.simulations.SyntheticUpdates}, the seeded workload of the aggregation benchmarks;
 * datasets, models, partitioners, attacks and the scenario runner come next.
 *
 * <p>Invariant: everything here is a pure function of its parameters and a seed.
 */
package org.fedgossip.simulations;

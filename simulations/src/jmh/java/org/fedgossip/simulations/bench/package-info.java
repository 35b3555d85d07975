/**
 * JMH benchmarks of fedgossip's kernels (distance matrix, robust aggregation rules).
 *
 * <p>Built only by the {@code jmh} Maven profile into {@code simulations/target/benchmarks.jar};
 * the package is not part of the module's API and is not exported.
 */
package org.fedgossip.simulations.bench;

/**
 * Float32 vector kernels for aggregation: dot products, norms, distances and the pairwise distance
 * matrix, plus the {@link org.fedgossip.core.math.ParallelRunner} that spreads them over a few
 * threads.
 *
 * <p>Invariant: every kernel is deterministic bit for bit. Work is cut into fixed chunks whose
 * partition ignores the thread count, float partial sums are combined in double in a fixed order,
 * and no kernel touches the common fork-join pool.
 */
package org.fedgossip.core.math;

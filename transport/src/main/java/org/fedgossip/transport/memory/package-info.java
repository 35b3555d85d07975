/**
 * An emulated network of {@link org.fedgossip.transport.Transport} endpoints in one JVM, driven by
 * a virtual clock that the caller advances: per-link latency with seeded jitter, loss, duplication,
 * reordering and named partitions.
 *
 * <p>Invariant: the same seed and the same sequence of calls give the same delivery trace; no wall
 * clock is read and no thread sleeps. Deliveries are ordered by (virtual time, send sequence).
 */
package org.fedgossip.transport.memory;

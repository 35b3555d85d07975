/**
 * Differential privacy for fedgossip releases: L2 clipping, the Gaussian mechanism, the Rényi-DP
 * accountant of the Poisson-sampled Gaussian mechanism (Mironov, Talwar and Zhang 2019) with the
 * (ε, δ) conversion of Balle et al. 2020, and the durable privacy ledger.
 *
 * <p>Invariants: every release is charged to the {@link org.fedgossip.core.privacy.PrivacyLedger}
 * before it leaves the peer, the ledger is append-only and fsynced before a charge returns, and a
 * charge that would exceed the {@link org.fedgossip.core.privacy.PrivacyBudget} writes nothing. All
 * ε values are in nats (natural logarithm).
 */
package org.fedgossip.core.privacy;

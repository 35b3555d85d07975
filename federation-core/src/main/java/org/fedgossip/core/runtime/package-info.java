/**
 * The federation at run time: {@link org.fedgossip.core.runtime.BasketPeer} (a basket member: local
 * releases, gossip, Layer 1 as delegate, its SecAgg+ client) and {@link
 * org.fedgossip.core.runtime.Coordinator} (Layer 2: SecAgg+ among the delegates, central noise,
 * checkpoint, signed publication), both duty-cycle agents stepped with the time passed in, over any
 * {@code Transport}. Their round protocol uses payload types 400-403 ({@link
 * org.fedgossip.core.runtime.RuntimePayloadTypes}).
 *
 * <p>Invariants: a release is charged to the process's durable ledger before anything leaves it; a
 * model is checkpointed and audited before it is sent; every message from the network is handled on
 * the agent's own thread, so a run in virtual time is deterministic from its seeds.
 */
package org.fedgossip.core.runtime;

/**
 * The {@link org.fedgossip.transport.Transport} API that gossip and secure aggregation depend on:
 * typed, opaque payloads sent to a {@link org.fedgossip.trust.PeerId}, handlers per payload type,
 * an explicit lifecycle and counters of every dropped or refused frame.
 *
 * <p>Invariants: payloads are delivered at most once per send on a reliable link, in FIFO order per
 * (sender, receiver) link while one connection lasts; bad input from the network is counted, never
 * thrown into a caller's loop.
 */
package org.fedgossip.transport;

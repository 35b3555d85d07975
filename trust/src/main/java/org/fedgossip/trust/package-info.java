/**
 * Peer identity and the decision whether to believe what a peer sent.
 *
 * <p>A {@link org.fedgossip.trust.PeerId} is the SHA-256 of a peer's Ed25519 public key, so ids
 * cannot be claimed without the key. This package knows nothing of models or networking.
 */
package org.fedgossip.trust;

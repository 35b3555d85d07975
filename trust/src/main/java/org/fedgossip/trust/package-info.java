/**
 * Peer identity and the decision whether to believe what a peer sent: Ed25519 keys, a federation CA
 * issuing X.509 certificates with a CRL, signed payloads, a replay guard, packet checks and trust
 * scores.
 *
 * <p>A {@link org.fedgossip.trust.PeerId} is the SHA-256 of a peer's Ed25519 public key, and a
 * certificate is only valid when the id it carries equals the hash of its own key, so ids cannot be
 * claimed without the key. Time and randomness are always passed in; this package never reads a
 * clock or a global random source, and knows nothing of models or networking.
 */
package org.fedgossip.trust;

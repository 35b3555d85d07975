/**
 * Peer identity (Ed25519 keys, peer ids), the federation CA, signing and verification, the replay
 * and freshness guard, generic packet checks and per-peer trust scores.
 *
 * <p>This package holds no code yet: the module is laid out so that the dependency direction is
 * fixed from the start.
 */
package org.fedgossip.trust;

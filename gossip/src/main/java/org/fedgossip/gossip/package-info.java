/**
 * Cyclon-style peer sampling, SWIM-style failure detection and push-pull dissemination of opaque
 * payloads keyed by (origin, round), with digest-based anti-entropy.
 *
 * <p>This package holds no code yet.
 */
package org.fedgossip.gossip;

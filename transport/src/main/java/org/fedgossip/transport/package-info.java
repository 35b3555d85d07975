/**
 * The {@code Transport} API with a Netty mutual-TLS implementation and an emulated in-memory
 * network driven by a virtual clock.
 *
 * <p>This package holds no code yet.
 */
package org.fedgossip.transport;

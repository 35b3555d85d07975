/**
 * Runnable examples of the embedding API: each has a {@code main} that builds a throwaway local
 * federation (its own CA, certificates and data directories in a temporary directory) and shows one
 * way to use {@link org.fedgossip.core.runtime.FederationClientAgent}.
 */
package org.fedgossip.simulations.examples;

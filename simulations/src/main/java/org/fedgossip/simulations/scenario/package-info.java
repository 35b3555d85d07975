/**
 * Scenarios and the in-process runner behind {@code fedgossip simulate}. A {@link
 * org.fedgossip.simulations.scenario.Scenario} is a validated properties file (unknown keys and bad
 * values are errors naming the key); the {@link
 * org.fedgossip.simulations.scenario.SimulationRunner} runs it on the daemon's own protocol classes
 * in virtual time, so the same seed gives a byte-identical rounds.csv.
 */
package org.fedgossip.simulations.scenario;

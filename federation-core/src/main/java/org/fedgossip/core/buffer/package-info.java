/**
 * The staleness-aware buffer that feeds a basket's Layer-1 aggregator: it holds at most one update
 * per (origin, round), down-weights older rounds (Xie, Koyejo and Gupta 2019, FedAsync) and evicts
 * them past a maximum staleness. Its memory is bounded by a fixed entry count, every refused offer
 * is counted by reason, and a buffer is confined to the single thread of the agent that owns it.
 */
package org.fedgossip.core.buffer;

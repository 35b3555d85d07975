/**
 * The seam where an embedder's model plugs into fedgossip: a {@link
 * org.fedgossip.core.training.LocalTrainer} trains from global weights and returns a delta with its
 * sample count, and evaluates weights on held-out data.
 *
 * <p>Invariants: weights and deltas are flat float32 vectors of the trainer's fixed dimension, the
 * delta is new − global, and a trainer is deterministic given its seed and inputs.
 */
package org.fedgossip.core.training;

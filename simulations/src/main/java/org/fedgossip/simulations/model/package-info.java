/**
 * Plain-Java models that plug into fedgossip as {@link org.fedgossip.core.training.LocalTrainer}s:
 * softmax regression, a one-hidden-layer MLP and binary logistic regression, trained by seeded
 * minibatch SGD on one peer's rows of a {@link org.fedgossip.simulations.data.Dataset}; {@link
 * org.fedgossip.simulations.model.TrainerSpec} builds one from a daemon's {@code trainer.*} keys
 * and local data files.
 *
 * <p>Invariants: parameters are one flat float array in a documented layout, losses use log-sum-exp
 * so they never overflow, training allocates nothing per sample, and the same seed, global weights
 * and round give the same delta bit for bit; the initial weights depend only on the model seed and
 * the shape, never on the peer.
 */
package org.fedgossip.simulations.model;

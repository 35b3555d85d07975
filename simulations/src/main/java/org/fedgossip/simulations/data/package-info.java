/**
 * Labelled data sets for simulations and examples: the {@link
 * org.fedgossip.simulations.data.Dataset} record, IDX and CSV readers and writers, seeded
 * train/test splits, standardisation, and the bundled MNIST subset and breast-cancer data.
 *
 * <p>Invariants: features are one flat row-major float array with a fixed row stride, labels are in
 * [0, classes), and every reader checks declared sizes before allocating, failing with a {@link
 * org.fedgossip.simulations.data.DatasetFormatException} that names the source and the problem;
 * what a writer writes, the matching reader reads back bit for bit.
 */
package org.fedgossip.simulations.data;

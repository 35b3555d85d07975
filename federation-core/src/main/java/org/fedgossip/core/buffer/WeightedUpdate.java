package org.fedgossip.core.buffer;

/**
 * One buffered update as handed to the Layer-1 aggregator, with its staleness weight.
 *
 * <p>The weight is the decay alone; whether to also weight by {@code sampleCount} is the
 * aggregation rule's choice. The vector array belongs to the receiver: {@link
 * StalenessBuffer#snapshot()} hands out copies and {@link StalenessBuffer#drain()} hands over the
 * buffer's own arrays, which it no longer references.
 *
 * @param <O> the origin identifier type
 * @param origin who produced the update
 * @param round the round the update belongs to
 * @param vector the update's values
 * @param sampleCount the number of local samples behind the update, at least 1
 * @param staleness {@code currentRound − round} at the time of the snapshot, at least 0
 * @param weight the decay weight for that staleness, in {@code [0, 1]}
 */
public record WeightedUpdate<O>(
    O origin, long round, float[] vector, long sampleCount, long staleness, double weight) {}

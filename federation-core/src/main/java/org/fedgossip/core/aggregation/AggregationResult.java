package org.fedgossip.core.aggregation;

import java.util.Arrays;
import java.util.Objects;

/**
 * The output of an {@link AggregationRule}: the aggregate vector and the fate of each input.
 *
 * <p>Every input index in {@code [0, n)} appears exactly once, either in {@link #selected()} or in
 * {@link #rejected()}, both sorted ascending. "Selected" means the input entered the aggregate as a
 * whole; coordinate-wise rules (median, trimmed mean) mark every input selected, because no input
 * is dropped as a whole. The trust scorer lowers the scores of rejected origins.
 */
public final class AggregationResult {

  private final float[] aggregate;
  private final int[] selected;
  private final int[] rejected;

  /**
   * Creates a result; the index arrays are copied and sorted, the aggregate is taken as is.
   *
   * @param aggregate the aggregate vector, owned by the result from now on
   * @param selected indices of the inputs that entered the aggregate
   * @param rejected indices of the inputs that did not
   */
  public AggregationResult(float[] aggregate, int[] selected, int[] rejected) {
    this.aggregate = Objects.requireNonNull(aggregate, "aggregate");
    this.selected = selected.clone();
    this.rejected = rejected.clone();
    Arrays.sort(this.selected);
    Arrays.sort(this.rejected);
  }

  static AggregationResult allSelected(float[] aggregate, int n) {
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    return new AggregationResult(aggregate, all, new int[0]);
  }

  static AggregationResult selecting(float[] aggregate, int n, int[] selected) {
    boolean[] in = new boolean[n];
    for (int i : selected) {
      in[i] = true;
    }
    int[] rejected = new int[n - selected.length];
    int r = 0;
    for (int i = 0; i < n; i++) {
      if (!in[i]) {
        rejected[r++] = i;
      }
    }
    return new AggregationResult(aggregate, selected, rejected);
  }

  /**
   * The aggregate vector; the caller may keep or modify it (it is not copied).
   *
   * @return the aggregate, of the inputs' dimension
   */
  public float[] aggregate() {
    return aggregate;
  }

  /**
   * Indices of the inputs that entered the aggregate, ascending.
   *
   * @return a copy of the indices
   */
  public int[] selected() {
    return selected.clone();
  }

  /**
   * Indices of the inputs left out of the aggregate, ascending.
   *
   * @return a copy of the indices
   */
  public int[] rejected() {
    return rejected.clone();
  }

  @Override
  public String toString() {
    return "AggregationResult[dimension="
        + aggregate.length
        + ", selected="
        + Arrays.toString(selected)
        + ", rejected="
        + Arrays.toString(rejected)
        + "]";
  }
}

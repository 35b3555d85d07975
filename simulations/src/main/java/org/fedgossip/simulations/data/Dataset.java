package org.fedgossip.simulations.data;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory labelled data set: one flat row-major float array of features and one int label per
 * row.
 *
 * <p>Row r occupies {@code features[r * featureCount, (r + 1) * featureCount)}. Labels lie in [0,
 * classes). The record holds the arrays it is given without copying; treat them as read-only once
 * the data set is shared. A flat array keeps each row contiguous, so the models' inner loops stream
 * through memory.
 *
 * @param features row-major features, length rows × featureCount, every value finite
 * @param featureCount number of features per row, ≥ 1
 * @param labels one label per row, each in [0, classes)
 * @param classes number of classes, ≥ 2
 * @param featureNames names of the features, or an empty list when the source has none
 */
public record Dataset(
    float[] features, int featureCount, int[] labels, int classes, List<String> featureNames) {

  /**
   * Validates shapes and values.
   *
   * @throws IllegalArgumentException naming the bad value and the allowed range
   */
  public Dataset {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    featureNames = List.copyOf(Objects.requireNonNull(featureNames, "featureNames"));
    if (featureCount < 1) {
      throw new IllegalArgumentException("featureCount must be >= 1, got " + featureCount);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be >= 2, got " + classes);
    }
    if ((long) labels.length * featureCount != features.length) {
      throw new IllegalArgumentException(
          "features.length must be rows * featureCount = "
              + labels.length
              + " * "
              + featureCount
              + ", got "
              + features.length);
    }
    if (!featureNames.isEmpty() && featureNames.size() != featureCount) {
      throw new IllegalArgumentException(
          "featureNames must be empty or have featureCount = "
              + featureCount
              + " entries, got "
              + featureNames.size());
    }
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] < 0 || labels[r] >= classes) {
        throw new IllegalArgumentException(
            "labels[" + r + "] must be in [0, " + classes + "), got " + labels[r]);
      }
    }
    for (int i = 0; i < features.length; i++) {
      if (!Float.isFinite(features[i])) {
        throw new IllegalArgumentException(
            "feature of row "
                + i / featureCount
                + " column "
                + i % featureCount
                + " must be finite, got "
                + features[i]);
      }
    }
  }

  /**
   * The number of rows.
   *
   * @return rows, ≥ 0
   */
  public int rows() {
    return labels.length;
  }

  /**
   * One feature value.
   *
   * @param row row index in [0, rows)
   * @param column feature index in [0, featureCount)
   * @return the value
   */
  public float feature(int row, int column) {
    return features[row * featureCount + column];
  }

  /**
   * A new data set holding copies of the given rows, in the given order.
   *
   * @param rowIndices row indices, each in [0, rows); repeats are allowed
   * @return the subset, with the same classes and feature names
   * @throws IllegalArgumentException if an index is out of range
   */
  public Dataset select(int[] rowIndices) {
    float[] f = new float[rowIndices.length * featureCount];
    int[] l = new int[rowIndices.length];
    for (int i = 0; i < rowIndices.length; i++) {
      int r = rowIndices[i];
      if (r < 0 || r >= labels.length) {
        throw new IllegalArgumentException(
            "row index must be in [0, " + labels.length + "), got " + r);
      }
      System.arraycopy(features, r * featureCount, f, i * featureCount, featureCount);
      l[i] = labels[r];
    }
    return new Dataset(f, featureCount, l, classes, featureNames);
  }

  /**
   * A new data set holding copies of the rows in [from, to).
   *
   * @param from first row, in [0, rows]
   * @param to end row (exclusive), in [from, rows]
   * @return the range
   * @throws IllegalArgumentException if the range is out of bounds
   */
  public Dataset range(int from, int to) {
    if (from < 0 || to < from || to > labels.length) {
      throw new IllegalArgumentException(
          "range must satisfy 0 <= from <= to <= "
              + labels.length
              + ", got ["
              + from
              + ", "
              + to
              + ")");
    }
    int[] idx = new int[to - from];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = from + i;
    }
    return select(idx);
  }

  /**
   * How many rows carry each label.
   *
   * @return an array of length classes
   */
  public int[] labelCounts() {
    int[] counts = new int[classes];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * All row indices, 0 to rows − 1.
   *
   * @return a new array
   */
  public int[] allRows() {
    int[] idx = new int[labels.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    return idx;
  }
}

package org.fedgossip.simulations.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A data set cut into a training part and a held-out test part.
 *
 * @param train the rows to train on
 * @param test the held-out rows, never seen in training or in fitting preprocessing
 */
public record TrainTestSplit(Dataset train, Dataset test) {

  /**
   * Validates that both parts describe the same features and classes.
   *
   * @throws IllegalArgumentException if the feature counts or class counts differ
   */
  public TrainTestSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (train.featureCount() != test.featureCount() || train.classes() != test.classes()) {
      throw new IllegalArgumentException(
          "train and test must have the same featureCount and classes, got "
              + train.featureCount()
              + "/"
              + train.classes()
              + " and "
              + test.featureCount()
              + "/"
              + test.classes());
    }
  }

  /**
   * Splits at a row: the first {@code trainRows} rows train, the rest are held out.
   *
   * <p>Right for data that is already shuffled, such as the bundled MNIST subset.
   *
   * @param data the data set
   * @param trainRows rows in the training part, in [1, rows − 1]
   * @return the split
   * @throws IllegalArgumentException if trainRows is out of range
   */
  public static TrainTestSplit head(Dataset data, int trainRows) {
    if (trainRows < 1 || trainRows > data.rows() - 1) {
      throw new IllegalArgumentException(
          "trainRows must be in [1, " + (data.rows() - 1) + "], got " + trainRows);
    }
    return new TrainTestSplit(data.range(0, trainRows), data.range(trainRows, data.rows()));
  }

  /**
   * A seeded stratified split: within each class, a shuffled {@code testFraction} of the rows
   * (rounded to nearest, at least one row when the class has two or more) is held out.
   *
   * <p>Rows keep their original relative order within each part, so the result depends only on the
   * data, the fraction and the seed.
   *
   * @param data the data set
   * @param testFraction fraction held out, in (0, 1)
   * @param seed the seed of the shuffle
   * @return the split
   * @throws IllegalArgumentException if testFraction is out of range or a part would be empty
   */
  public static TrainTestSplit stratified(Dataset data, double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
    }
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] held = new boolean[data.rows()];
    int[] counts = data.labelCounts();
    int[] labels = data.labels();
    int heldTotal = 0;
    for (int c = 0; c < data.classes(); c++) {
      int[] rows = new int[counts[c]];
      int k = 0;
      for (int r = 0; r < labels.length; r++) {
        if (labels[r] == c) {
          rows[k++] = r;
        }
      }
      Shuffle.inPlace(rows, random);
      int take = (int) Math.round(testFraction * rows.length);
      if (take == 0 && rows.length >= 2) {
        take = 1;
      }
      for (int i = 0; i < take; i++) {
        held[rows[i]] = true;
      }
      heldTotal += take;
    }
    if (heldTotal == 0 || heldTotal == data.rows()) {
      throw new IllegalArgumentException(
          "testFraction " + testFraction + " leaves an empty part of " + data.rows() + " rows");
    }
    int[] trainIdx = new int[data.rows() - heldTotal];
    int[] testIdx = new int[heldTotal];
    int a = 0;
    int b = 0;
    for (int r = 0; r < held.length; r++) {
      if (held[r]) {
        testIdx[b++] = r;
      } else {
        trainIdx[a++] = r;
      }
    }
    return new TrainTestSplit(data.select(trainIdx), data.select(testIdx));
  }

  /**
   * Standardises both parts with the mean and standard deviation of the training part only, so
   * nothing about the test rows leaks into the preprocessing.
   *
   * @return a new split with standardised features
   */
  public TrainTestSplit standardized() {
    Standardizer s = Standardizer.fit(train);
    return new TrainTestSplit(s.apply(train), s.apply(test));
  }
}

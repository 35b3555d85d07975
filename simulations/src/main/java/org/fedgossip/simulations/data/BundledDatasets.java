package org.fedgossip.simulations.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The data sets shipped inside the simulations jar: a 10,000-image MNIST subset and the Wisconsin
 * breast-cancer data (sources and licences in the README.md beside them).
 *
 * <p>The resources live in this class's package and are read with {@link
 * Class#getResourceAsStream}, which works on the class path, from a fat jar and in module mode.
 * Each call loads afresh, so callers own the arrays they get.
 */
public final class BundledDatasets {

  /** Rows of the bundled MNIST subset. */
  public static final int MNIST_ROWS = 10_000;

  /** Rows of the default MNIST training part; the remaining 2,000 are held out. */
  public static final int MNIST_TRAIN_ROWS = 8_000;

  /** Default held-out fraction of the breast-cancer split. */
  public static final double BREAST_CANCER_TEST_FRACTION = 0.2;

  private static final String MNIST_IMAGES = "mnist10k-images-idx3-ubyte.gz";
  private static final String MNIST_LABELS = "mnist10k-labels-idx1-ubyte.gz";
  private static final String BREAST_CANCER = "breast_cancer.csv";

  private BundledDatasets() {}

  /**
   * Loads all 10,000 MNIST images (784 pixels in [0, 1], 10 classes), in the shipped order, which
   * is already shuffled with a fixed seed.
   *
   * @return the data set
   * @throws UncheckedIOException if the resources are missing or malformed (a packaging error)
   */
  public static Dataset mnist10k() {
    try (InputStream images = open(MNIST_IMAGES);
        InputStream labels = open(MNIST_LABELS)) {
      return IdxReader.read(
          images, MNIST_IMAGES, -1, labels, MNIST_LABELS, -1, IdxReader.DEFAULT_MAX_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The default MNIST split: the first 8,000 rows train, the last 2,000 are held out.
   *
   * @return the split
   */
  public static TrainTestSplit mnistSplit() {
    return TrainTestSplit.head(mnist10k(), MNIST_TRAIN_ROWS);
  }

  /**
   * Loads the 569 breast-cancer rows: 30 raw features, label 0 = malignant, 1 = benign.
   *
   * @return the data set
   * @throws UncheckedIOException if the resource is missing or malformed (a packaging error)
   */
  public static Dataset breastCancer() {
    try (InputStream in = open(BREAST_CANCER)) {
      return CsvReader.readSklearnLayout(in, BREAST_CANCER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The default breast-cancer split: seeded, stratified 80/20, standardised with the statistics of
   * the training part only.
   *
   * @param seed the seed of the split
   * @return the standardised split
   */
  public static TrainTestSplit breastCancerSplit(long seed) {
    return TrainTestSplit.stratified(breastCancer(), BREAST_CANCER_TEST_FRACTION, seed)
        .standardized();
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = BundledDatasets.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          "bundled resource " + name + " not found next to " + BundledDatasets.class.getName());
    }
    return in;
  }
}

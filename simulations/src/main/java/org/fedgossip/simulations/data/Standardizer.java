package org.fedgossip.simulations.data;

/**
 * Per-feature standardisation x ↦ (x − mean) / std, fitted on one data set and applied to others.
 *
 * <p>A feature whose standard deviation is zero (or below 1e-12) is only centred, so constant
 * features map to 0 instead of NaN. Means and deviations are computed in double.
 */
public final class Standardizer {

  private final double[] mean;
  private final double[] scale;

  private Standardizer(double[] mean, double[] scale) {
    this.mean = mean;
    this.scale = scale;
  }

  /**
   * Fits the means and population standard deviations of every feature.
   *
   * @param data the data to fit on, ≥ 1 row
   * @return the fitted standardiser
   * @throws IllegalArgumentException if the data set is empty
   */
  public static Standardizer fit(Dataset data) {
    if (data.rows() < 1) {
      throw new IllegalArgumentException("data must have >= 1 row to fit, got 0");
    }
    int d = data.featureCount();
    double[] mean = new double[d];
    double[] sq = new double[d];
    float[] f = data.features();
    for (int r = 0; r < data.rows(); r++) {
      for (int j = 0; j < d; j++) {
        mean[j] += f[r * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= data.rows();
    }
    for (int r = 0; r < data.rows(); r++) {
      for (int j = 0; j < d; j++) {
        double dev = f[r * d + j] - mean[j];
        sq[j] += dev * dev;
      }
    }
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      double std = Math.sqrt(sq[j] / data.rows());
      scale[j] = std < 1e-12 ? 1.0 : 1.0 / std;
    }
    return new Standardizer(mean, scale);
  }

  /**
   * Applies the fitted transform to a data set with the same features.
   *
   * @param data the data
   * @return a new data set with standardised features and the same labels
   * @throws IllegalArgumentException if the feature count differs from the fitted one
   */
  public Dataset apply(Dataset data) {
    int d = mean.length;
    if (data.featureCount() != d) {
      throw new IllegalArgumentException(
          "featureCount must be " + d + " as fitted, got " + data.featureCount());
    }
    float[] src = data.features();
    float[] out = new float[src.length];
    for (int r = 0; r < data.rows(); r++) {
      for (int j = 0; j < d; j++) {
        out[r * d + j] = (float) ((src[r * d + j] - mean[j]) * scale[j]);
      }
    }
    return new Dataset(out, d, data.labels().clone(), data.classes(), data.featureNames());
  }
}

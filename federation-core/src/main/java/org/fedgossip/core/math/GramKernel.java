package org.fedgossip.core.math;

/**
 * Adds the dot products of n vectors over a range of coordinates into a Gram matrix.
 *
 * <p>Two implementations exist: {@link ScalarGramKernel} (always there) and {@code
 * VectorGramKernel}, which uses the incubating {@code jdk.incubator.vector} module and is chosen by
 * {@link GramKernels} only when the JVM was started with that module. Each is deterministic, but
 * their results differ in the last bits because they sum in different orders.
 */
interface GramKernel {

  /**
   * Adds {@code Σ_{k∈[from,to)} v_i[k]·v_j[k]} to {@code g[i·n + j]} for every {@code i ≤ j}.
   *
   * <p>Sums run in float over blocks of {@link PairwiseDistances#BLOCK} coordinates and are added
   * to {@code g} in double, block by block in order.
   *
   * @param v n vectors of one length
   * @param from first coordinate, inclusive
   * @param to last coordinate, exclusive
   * @param g row-major n×n matrix; only the upper triangle (with the diagonal) is written
   */
  void addGram(float[][] v, int from, int to, double[] g);

  /**
   * The float sum {@code Σ_{k∈[from,to)} (a[k] − b[k])²}, for pairs the Gram form cannot resolve.
   *
   * @param a first vector
   * @param b second vector, same length
   * @param from first coordinate, inclusive
   * @param to last coordinate, exclusive; at most {@link VectorMath#BLOCK} after {@code from}
   * @return the partial squared distance in float
   */
  float squaredDistance(float[] a, float[] b, int from, int to);

  /**
   * A short name for reports, for example {@code "scalar"}.
   *
   * @return the name
   */
  String name();
}

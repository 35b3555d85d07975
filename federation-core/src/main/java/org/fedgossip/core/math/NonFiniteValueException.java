package org.fedgossip.core.math;

/**
 * A vector held a NaN or an infinity where the kernel needs finite values.
 *
 * <p>It names the vector's index in its input list, the coordinate and the value, so a caller can
 * blame the peer that sent the vector.
 */
public final class NonFiniteValueException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int vectorIndex;
  private final int coordinate;

  /**
   * Creates the exception.
   *
   * @param vectorIndex the index of the bad vector in its input list
   * @param coordinate the first bad coordinate of that vector
   * @param value the bad value
   */
  public NonFiniteValueException(int vectorIndex, int coordinate, float value) {
    super(
        "vector "
            + vectorIndex
            + " has a non-finite value "
            + value
            + " at coordinate "
            + coordinate
            + "; all values must be finite");
    this.vectorIndex = vectorIndex;
    this.coordinate = coordinate;
  }

  /**
   * The index of the bad vector in its input list.
   *
   * @return the index, from 0
   */
  public int vectorIndex() {
    return vectorIndex;
  }

  /**
   * The first non-finite coordinate of the bad vector.
   *
   * @return the coordinate, from 0
   */
  public int coordinate() {
    return coordinate;
  }

  /**
   * Throws for the first non-finite value of {@code v}, if any.
   *
   * @param v the vector to scan
   * @param vectorIndex its index, reported in the message
   * @throws NonFiniteValueException at the first NaN or infinity
   */
  public static void requireFinite(float[] v, int vectorIndex) {
    for (int k = 0; k < v.length; k++) {
      if (!Float.isFinite(v[k])) {
        throw new NonFiniteValueException(vectorIndex, k, v[k]);
      }
    }
  }
}

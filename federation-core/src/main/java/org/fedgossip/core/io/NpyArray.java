package org.fedgossip.core.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional float32 or float64 array in C (row-major) order, as stored in a {@code .npy}
 * file.
 *
 * <p>Invariant: every shape entry is at least 0 and their product, 1 for the 0-d shape {@code []},
 * equals the data length. The arrays are not copied on construction or access, so treat them as
 * owned by the record. Equality compares shape and data element-wise.
 */
public sealed interface NpyArray permits NpyArray.Float32, NpyArray.Float64 {

  /**
   * The shape, outermost axis first; empty for a scalar (0-d) array.
   *
   * @return the shape array (not a copy)
   */
  long[] shape();

  /**
   * The element type.
   *
   * @return {@link NpyDtype#FLOAT32} or {@link NpyDtype#FLOAT64}
   */
  NpyDtype dtype();

  /**
   * The number of elements, the product of the shape.
   *
   * @return the element count
   */
  int size();

  /**
   * A float32 array.
   *
   * @param shape the shape, entries at least 0
   * @param data the elements in C order; length is the product of {@code shape}
   */
  record Float32(long[] shape, float[] data) implements NpyArray {

    /**
     * Checks that the shape matches the data length.
     *
     * @param shape see the record component
     * @param data see the record component
     */
    public Float32 {
      checkShape(shape, Objects.requireNonNull(data, "data must not be null").length);
    }

    @Override
    public NpyDtype dtype() {
      return NpyDtype.FLOAT32;
    }

    @Override
    public int size() {
      return data.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Float32 other
          && Arrays.equals(shape, other.shape)
          && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "NpyArray.Float32[shape=" + Arrays.toString(shape) + ", size=" + data.length + "]";
    }
  }

  /**
   * A float64 array.
   *
   * @param shape the shape, entries at least 0
   * @param data the elements in C order; length is the product of {@code shape}
   */
  record Float64(long[] shape, double[] data) implements NpyArray {

    /**
     * Checks that the shape matches the data length.
     *
     * @param shape see the record component
     * @param data see the record component
     */
    public Float64 {
      checkShape(shape, Objects.requireNonNull(data, "data must not be null").length);
    }

    @Override
    public NpyDtype dtype() {
      return NpyDtype.FLOAT64;
    }

    @Override
    public int size() {
      return data.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Float64 other
          && Arrays.equals(shape, other.shape)
          && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "NpyArray.Float64[shape=" + Arrays.toString(shape) + ", size=" + data.length + "]";
    }
  }

  /**
   * A 1-d float32 array of the given values.
   *
   * @param data the values, not copied
   * @return an array of shape {@code [data.length]}
   */
  static Float32 of(float[] data) {
    return new Float32(new long[] {data.length}, data);
  }

  /**
   * A 1-d float64 array of the given values.
   *
   * @param data the values, not copied
   * @return an array of shape {@code [data.length]}
   */
  static Float64 of(double[] data) {
    return new Float64(new long[] {data.length}, data);
  }

  /**
   * The element count of a shape: the product of its entries, 1 for the empty shape.
   *
   * @param shape the shape
   * @return the product
   * @throws IllegalArgumentException if an entry is negative or the product overflows a long
   */
  static long elementCount(long[] shape) {
    for (int axis = 0; axis < shape.length; axis++) {
      if (shape[axis] < 0) {
        throw new IllegalArgumentException("shape[" + axis + "] must be >= 0, got " + shape[axis]);
      }
    }
    long count = 1;
    for (long extent : shape) {
      if (extent == 0) {
        return 0;
      }
      if (count > Long.MAX_VALUE / extent) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " has more than " + Long.MAX_VALUE + " elements");
      }
      count *= extent;
    }
    return count;
  }

  private static void checkShape(long[] shape, int length) {
    Objects.requireNonNull(shape, "shape must not be null");
    long count = elementCount(shape);
    if (count != length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " holds "
              + count
              + " elements but data has "
              + length);
    }
  }
}

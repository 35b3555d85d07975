package org.fedgossip.core.io;

import java.nio.ByteOrder;

/**
 * The element types supported in {@code .npy} files: IEEE 754 float32 and float64.
 *
 * <p>Byte order is a property of a file, not of the type: readers accept both little-endian ({@code
 * '<f4'}) and big-endian ({@code '>f4'}) descriptors, writers always write little-endian.
 */
public enum NpyDtype {
  /** 32-bit float, NumPy kind code {@code f4}. */
  FLOAT32("f4", Float.BYTES),
  /** 64-bit float, NumPy kind code {@code f8}. */
  FLOAT64("f8", Double.BYTES);

  private final String code;
  private final int itemBytes;

  NpyDtype(String code, int itemBytes) {
    this.code = code;
    this.itemBytes = itemBytes;
  }

  /**
   * The size of one element.
   *
   * @return bytes per element, 4 or 8
   */
  public int itemBytes() {
    return itemBytes;
  }

  /**
   * The NumPy descriptor string for this type in the given byte order.
   *
   * @param order the byte order
   * @return for example {@code "<f4"} or {@code ">f8"}
   */
  public String descr(ByteOrder order) {
    return (order == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + code;
  }

  /**
   * Parses a NumPy descriptor string.
   *
   * @param descr the descriptor, one of {@code <f4 >f4 <f8 >f8}
   * @return the type
   * @throws NpyFormatException for any other descriptor
   */
  static NpyDtype parse(String descr) throws NpyFormatException {
    for (NpyDtype type : values()) {
      if (descr.length() == 3 && descr.substring(1).equals(type.code)) {
        if (descr.charAt(0) == '<' || descr.charAt(0) == '>') {
          return type;
        }
      }
    }
    throw new NpyFormatException(
        "unsupported dtype descr '" + descr + "', expected one of '<f4', '>f4', '<f8', '>f8'");
  }

  /** The byte order of a descriptor already accepted by {@link #parse(String)}. */
  static ByteOrder orderOf(String descr) {
    return descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }
}

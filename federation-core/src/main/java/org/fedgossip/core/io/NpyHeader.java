package org.fedgossip.core.io;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parsed header of a {@code .npy} file: version, element type, byte order and shape.
 *
 * <p>The header text is a Python dictionary literal with exactly the keys {@code 'descr'}, {@code
 * 'fortran_order'} and {@code 'shape'} (NumPy NEP 1). {@link #parse(NpyVersion, String)} accepts
 * only that literal subset (quoted strings, {@code True}/{@code False}, tuples of non-negative
 * integers) and refuses Fortran order, so a header this class returns always describes a C-order
 * float array.
 *
 * @param version the format version
 * @param dtype the element type
 * @param byteOrder the byte order of the data in the file
 * @param shape the shape, entries at least 0; empty for a 0-d array
 * @param dataOffset bytes from the start of the file to the first element
 */
public record NpyHeader(
    NpyVersion version, NpyDtype dtype, ByteOrder byteOrder, long[] shape, long dataOffset) {

  /**
   * Validates the fields.
   *
   * @param version see the record component
   * @param dtype see the record component
   * @param byteOrder see the record component
   * @param shape see the record component
   * @param dataOffset see the record component
   */
  public NpyHeader {
    Objects.requireNonNull(version, "version must not be null");
    Objects.requireNonNull(dtype, "dtype must not be null");
    Objects.requireNonNull(byteOrder, "byteOrder must not be null");
    NpyArray.elementCount(Objects.requireNonNull(shape, "shape must not be null"));
    if (dataOffset < version.prefixBytes()) {
      throw new IllegalArgumentException(
          "dataOffset must be >= " + version.prefixBytes() + ", got " + dataOffset);
    }
  }

  /**
   * The number of elements the header declares.
   *
   * @return the product of the shape
   */
  public long elementCount() {
    return NpyArray.elementCount(shape);
  }

  /**
   * The number of data bytes the header declares.
   *
   * @return {@code elementCount × itemBytes}
   * @throws ArithmeticException if that overflows a long
   */
  public long dataBytes() {
    return Math.multiplyExact(elementCount(), (long) dtype.itemBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyHeader h
        && version == h.version
        && dtype == h.dtype
        && byteOrder.equals(h.byteOrder)
        && Arrays.equals(shape, h.shape)
        && dataOffset == h.dataOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, dtype, byteOrder, Arrays.hashCode(shape), dataOffset);
  }

  @Override
  public String toString() {
    return "NpyHeader[version="
        + version
        + ", descr="
        + dtype.descr(byteOrder)
        + ", shape="
        + Arrays.toString(shape)
        + ", dataOffset="
        + dataOffset
        + "]";
  }

  /**
   * Parses the header text (the dictionary literal and its padding) of a file.
   *
   * @param version the version read from the file's prefix
   * @param text the header text, padding and final newline included
   * @return the header, with {@code dataOffset = prefixBytes + text's encoded length}
   * @throws NpyFormatException if the text is not a dictionary with exactly the three required
   *     keys, the dtype is not supported, the order is Fortran, or the shape is invalid
   */
  public static NpyHeader parse(NpyVersion version, String text) throws NpyFormatException {
    Map<String, Object> dict = new DictParser(text).parseDict();
    for (String required : List.of("descr", "fortran_order", "shape")) {
      if (!dict.containsKey(required)) {
        throw new NpyFormatException("header has no '" + required + "' key: " + text.strip());
      }
    }
    if (dict.size() != 3) {
      List<String> extra = new ArrayList<>(dict.keySet());
      extra.removeAll(List.of("descr", "fortran_order", "shape"));
      throw new NpyFormatException("header has unexpected keys " + extra);
    }
    if (!(dict.get("descr") instanceof String descr)) {
      throw new NpyFormatException(
          "header 'descr' must be a string, got "
              + dict.get("descr")
              + " (structured dtypes are"
              + " not supported)");
    }
    NpyDtype dtype = NpyDtype.parse(descr);
    if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
      throw new NpyFormatException(
          "header 'fortran_order' must be True or False, got " + dict.get("fortran_order"));
    }
    if (fortranOrder) {
      throw new NpyFormatException(
          "Fortran-order arrays are not supported; save a C-order array"
              + " (numpy.ascontiguousarray) or transpose it before saving");
    }
    if (!(dict.get("shape") instanceof long[] shape)) {
      throw new NpyFormatException(
          "header 'shape' must be a tuple of integers, got " + dict.get("shape"));
    }
    try {
      NpyArray.elementCount(shape);
    } catch (IllegalArgumentException e) {
      throw new NpyFormatException("header 'shape' is invalid: " + e.getMessage());
    }
    long offset = version.prefixBytes() + (long) text.getBytes(version.charset()).length;
    return new NpyHeader(version, dtype, NpyDtype.orderOf(descr), shape, offset);
  }

  /** A recursive-descent parser for the Python literal subset a .npy header uses. */
  private static final class DictParser {
    private final String text;
    private int pos;

    DictParser(String text) {
      this.text = text;
    }

    Map<String, Object> parseDict() throws NpyFormatException {
      skipSpace();
      expect('{');
      Map<String, Object> dict = new HashMap<>();
      skipSpace();
      while (peek() != '}') {
        String key = parseString();
        skipSpace();
        expect(':');
        skipSpace();
        Object value = parseValue();
        if (dict.put(key, value) != null) {
          throw error("duplicate key '" + key + "'");
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
          skipSpace();
        } else if (peek() != '}') {
          throw error("expected ',' or '}'");
        }
      }
      pos++;
      skipSpace();
      if (pos != text.length()) {
        throw error("unexpected text after the dictionary");
      }
      return dict;
    }

    private Object parseValue() throws NpyFormatException {
      char c = peek();
      if (c == '\'' || c == '"') {
        return parseString();
      }
      if (c == '(') {
        return parseTuple();
      }
      if (text.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (text.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      throw error("expected a string, True, False or a tuple");
    }

    private long[] parseTuple() throws NpyFormatException {
      expect('(');
      List<Long> values = new ArrayList<>();
      boolean trailingComma = false;
      skipSpace();
      while (peek() != ')') {
        values.add(parseDimension());
        skipSpace();
        trailingComma = false;
        if (peek() == ',') {
          pos++;
          trailingComma = true;
          skipSpace();
        } else if (peek() != ')') {
          throw error("expected ',' or ')' in the shape tuple");
        }
      }
      pos++;
      if (values.size() == 1 && !trailingComma) {
        throw error("'(n)' is an integer in Python, not a tuple; a 1-d shape is written '(n,)'");
      }
      long[] shape = new long[values.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = values.get(i);
      }
      return shape;
    }

    private long parseDimension() throws NpyFormatException {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
      }
      String digits = text.substring(start, pos);
      if (digits.isEmpty() || digits.equals("-")) {
        throw error("expected an integer in the shape tuple");
      }
      if (peek() == 'L' || peek() == 'l') {
        pos++; // Python 2 long suffix, as written by old NumPy versions.
      }
      long value;
      try {
        value = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw error("shape dimension " + digits + " overflows a 64-bit integer");
      }
      if (value < 0) {
        throw error("shape dimension " + value + " is negative");
      }
      return value;
    }

    private String parseString() throws NpyFormatException {
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw error("expected a quoted string");
      }
      int end = text.indexOf(quote, pos + 1);
      if (end < 0) {
        throw error("unterminated string");
      }
      String value = text.substring(pos + 1, end);
      if (value.indexOf('\\') >= 0) {
        throw error("escape sequences are not supported in header strings");
      }
      pos = end + 1;
      return value;
    }

    private char peek() throws NpyFormatException {
      if (pos >= text.length()) {
        throw error("unexpected end of header");
      }
      return text.charAt(pos);
    }

    private void expect(char c) throws NpyFormatException {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private NpyFormatException error(String what) {
      String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text.strip();
      return new NpyFormatException(
          "unparseable header dictionary at character " + pos + ": " + what + " in: " + shown);
    }
  }
}

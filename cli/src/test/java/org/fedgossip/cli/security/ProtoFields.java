package org.fedgossip.cli.security;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few protobuf wire-format rules an attacker needs to read and rewrite a message without its
 * generated classes (which each module keeps in a non-exported package): varint and
 * length-delimited fields, read into a flat list and written back in order. Fixed-width fields are
 * not used by the messages the suite rewrites and are refused.
 */
final class ProtoFields {

  /** Wire type of a varint field. */
  static final int VARINT = 0;

  /** Wire type of a length-delimited field (bytes, strings, sub-messages, packed repeats). */
  static final int LENGTH_DELIMITED = 2;

  /**
   * One field as it appears on the wire.
   *
   * @param number the field number
   * @param wireType {@link #VARINT} or {@link #LENGTH_DELIMITED}
   * @param varint the value of a varint field
   * @param bytes the value of a length-delimited field, else null
   */
  record Field(int number, int wireType, long varint, byte[] bytes) {

    /** A length-delimited field. */
    static Field bytes(int number, byte[] value) {
      return new Field(number, LENGTH_DELIMITED, 0, value.clone());
    }

    /** A varint field. */
    static Field varint(int number, long value) {
      return new Field(number, VARINT, value, null);
    }
  }

  private ProtoFields() {}

  /**
   * Reads every top-level field of a message.
   *
   * @param message the encoded message
   * @return its fields in wire order
   * @throws IllegalArgumentException if the bytes are not varint and length-delimited fields
   */
  static List<Field> parse(byte[] message) {
    List<Field> fields = new ArrayList<>();
    int[] at = {0};
    while (at[0] < message.length) {
      long key = readVarint(message, at);
      int number = (int) (key >>> 3);
      int wireType = (int) (key & 7);
      if (wireType == VARINT) {
        fields.add(Field.varint(number, readVarint(message, at)));
      } else if (wireType == LENGTH_DELIMITED) {
        int length = (int) readVarint(message, at);
        if (length < 0 || at[0] + length > message.length) {
          throw new IllegalArgumentException("field " + number + " runs past the message end");
        }
        fields.add(
            new Field(
                number, LENGTH_DELIMITED, 0, Arrays.copyOfRange(message, at[0], at[0] + length)));
        at[0] += length;
      } else {
        throw new IllegalArgumentException("wire type " + wireType + " is not read here");
      }
    }
    return fields;
  }

  /**
   * Writes fields in the given order.
   *
   * @param fields the fields
   * @return the encoded message
   */
  static byte[] encode(List<Field> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Field f : fields) {
      writeVarint(out, ((long) f.number() << 3) | f.wireType());
      if (f.wireType() == VARINT) {
        writeVarint(out, f.varint());
      } else {
        writeVarint(out, f.bytes().length);
        out.writeBytes(f.bytes());
      }
    }
    return out.toByteArray();
  }

  /**
   * Writes fields in the given order.
   *
   * @param fields the fields
   * @return the encoded message
   */
  static byte[] encode(Field... fields) {
    return encode(List.of(fields));
  }

  /**
   * The values of every length-delimited field with a number, in order.
   *
   * @param message the encoded message
   * @param number the field number
   * @return the values
   */
  static List<byte[]> bytesFields(byte[] message, int number) {
    return parse(message).stream()
        .filter(f -> f.number() == number && f.wireType() == LENGTH_DELIMITED)
        .map(Field::bytes)
        .toList();
  }

  private static long readVarint(byte[] b, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= b.length) {
        throw new IllegalArgumentException("a varint runs past the message end");
      }
      int x = b[at[0]++] & 0xff;
      value |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("a varint is longer than 10 bytes");
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}

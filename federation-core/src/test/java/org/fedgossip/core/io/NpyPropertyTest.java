package org.fedgossip.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class NpyPropertyTest {

  private final NpyReader reader = new NpyReader();
  private final NpyWriter writer = new NpyWriter();

  @Provide
  Arbitrary<NpyArray> arrays() {
    return Arbitraries.longs()
        .between(0, 4)
        .array(long[].class)
        .ofMaxSize(4)
        .flatMap(
            shape -> {
              int n = (int) NpyArray.elementCount(shape);
              Arbitrary<NpyArray> f4 =
                  Arbitraries.floats()
                      .array(float[].class)
                      .ofSize(n)
                      .map(data -> new NpyArray.Float32(shape, data));
              Arbitrary<NpyArray> f8 =
                  Arbitraries.doubles()
                      .array(double[].class)
                      .ofSize(n)
                      .map(data -> new NpyArray.Float64(shape, data));
              return Arbitraries.oneOf(f4, f8);
            });
  }

  @Property(tries = 300)
  void everyArrayRoundTripsInEveryVersionWithAnAlignedHeader(
      @ForAll("arrays") NpyArray array, @ForAll NpyVersion version) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(array, out, version);
    byte[] bytes = out.toByteArray();
    NpyHeader header = NpyHeader.parse(version, headerText(bytes, version));
    assertThat(header.dataOffset() % NpyWriter.ALIGNMENT).isZero();
    assertThat(bytes[(int) header.dataOffset() - 1]).isEqualTo((byte) '\n');
    assertThat(bytes.length - header.dataOffset()).isEqualTo(header.dataBytes());
    assertThat(reader.read(ByteBuffer.wrap(bytes))).isEqualTo(array);
  }

  @Property(tries = 300)
  void everyProperPrefixIsRejectedAsTruncated(
      @ForAll("arrays") NpyArray array, @ForAll @IntRange(max = 100_000) int cut) {
    byte[] bytes = writer.toBytes(array);
    byte[] prefix = Arrays.copyOf(bytes, cut % bytes.length);
    assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(prefix)))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Property(tries = 1000)
  void corruptedHeadersEitherParseOrFailWithAFormatError(
      @ForAll("arrays") NpyArray array,
      @ForAll @IntRange(max = 127) int position,
      @ForAll byte value) {
    byte[] bytes = writer.toBytes(array);
    bytes[position % 128 < bytes.length ? position % 128 : 0] = value;
    try {
      NpyArray back = reader.read(ByteBuffer.wrap(bytes));
      assertThat(back.size()).isLessThanOrEqualTo(bytes.length);
    } catch (NpyFormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  private static String headerText(byte[] bytes, NpyVersion version) {
    int prefix = version.prefixBytes();
    int length =
        version.lengthFieldBytes() == 2
            ? (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8
            : ByteBuffer.wrap(bytes, 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    return new String(bytes, prefix, length, version.charset());
  }
}

package org.fedgossip.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  private final NpyReader reader = new NpyReader();
  private final NpyWriter writer = new NpyWriter();

  @TempDir Path dir;

  @Test
  void writesTheExactHeaderOfTheSpecForA1dFloat32Array() {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
    // 10 prefix bytes + 57 dictionary bytes + 1 newline = 68, padded up to 128 = 2 × 64.
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
    expected.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(" ".repeat(60).getBytes(StandardCharsets.US_ASCII));
    expected.write('\n');
    assertThat(expected.size()).isEqualTo(128);

    byte[] header = NpyWriter.header(NpyDtype.FLOAT32, new long[] {3}, NpyVersion.V1_0);
    assertThat(header).isEqualTo(expected.toByteArray());
  }

  @Test
  void reproducesAFileWrittenByNumpyByteForByte() throws IOException {
    NpyArray array = reader.read(ByteBuffer.wrap(NpyFiles.NUMPY_ARANGE3_F4));
    assertThat(array).isEqualTo(NpyArray.of(new float[] {0f, 1f, 2f}));
    assertThat(writer.toBytes(array)).isEqualTo(NpyFiles.NUMPY_ARANGE3_F4);
  }

  @Test
  void readsBigEndianFloat64WrittenByNumpy() throws IOException {
    NpyArray array = reader.read(new ByteArrayInputStream(NpyFiles.NUMPY_BIG_ENDIAN_F8));
    assertThat(array).isEqualTo(new NpyArray.Float64(new long[] {1, 2}, new double[] {1.5, -2.0}));
  }

  @Test
  void readsVersion2And3Headers() throws IOException {
    byte[] v2 =
        NpyFiles.file(
            2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyFiles.f4(0f, 1f));
    assertThat(reader.read(ByteBuffer.wrap(v2))).isEqualTo(NpyArray.of(new float[] {0f, 1f}));
    byte[] v3 =
        NpyFiles.file(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", new byte[8]);
    assertThat(reader.read(ByteBuffer.wrap(v3)))
        .isEqualTo(new NpyArray.Float64(new long[0], new double[] {0.0}));
  }

  @Test
  void roundTripsEveryDtypeShapeAndVersionThroughFilesStreamsAndBuffers() throws IOException {
    long[][] shapes = {{}, {0}, {5}, {2, 3}, {2, 0, 4}, {1, 1, 1, 1}};
    int file = 0;
    for (long[] shape : shapes) {
      int n = (int) NpyArray.elementCount(shape);
      float[] floats = new float[n];
      double[] doubles = new double[n];
      for (int i = 0; i < n; i++) {
        floats[i] = i * 0.5f - 1f;
        doubles[i] = Math.PI * i - 1e300 * (i % 2);
      }
      for (NpyArray array :
          new NpyArray[] {
            new NpyArray.Float32(shape, floats), new NpyArray.Float64(shape, doubles)
          }) {
        for (NpyVersion version : NpyVersion.values()) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          writer.write(array, out, version);
          byte[] bytes = out.toByteArray();
          assertThat(bytes[6]).isEqualTo((byte) version.major());
          assertThat(reader.read(ByteBuffer.wrap(bytes))).isEqualTo(array);
          assertThat(reader.read(new ByteArrayInputStream(bytes))).isEqualTo(array);
          Path path = dir.resolve("a" + file++ + ".npy");
          Files.write(path, bytes);
          assertThat(reader.read(path)).isEqualTo(array);
          assertThat(reader.readHeader(path).shape()).isEqualTo(shape);
        }
        Path path = dir.resolve("auto" + file++ + ".npy");
        writer.write(array, path);
        assertThat(reader.readHeader(path).dataOffset() % NpyWriter.ALIGNMENT).isZero();
        assertThat(reader.read(path)).isEqualTo(array);
        assertThat(Files.readAllBytes(path)[6]).isEqualTo((byte) 1);
      }
    }
  }

  @Test
  void roundTripsArraysSpanningManyReadChunksThroughAStream() throws IOException {
    int n = 100_003;
    float[] floats = new float[n];
    double[] doubles = new double[n];
    for (int i = 0; i < n; i++) {
      floats[i] = i;
      doubles[i] = -i / 3.0;
    }
    for (NpyArray array :
        new NpyArray[] {
          new NpyArray.Float32(new long[] {7, 14286, 1}, Arrays.copyOf(floats, 7 * 14286)),
          NpyArray.of(doubles)
        }) {
      byte[] bytes = writer.toBytes(array);
      assertThat(reader.read(new ByteArrayInputStream(bytes))).isEqualTo(array);
    }
  }

  @Test
  void writesVersion2OnlyWhenTheHeaderOutgrowsVersion1() {
    long[] manyAxes = new long[22_000];
    Arrays.fill(manyAxes, 1);
    assertThat(NpyWriter.versionFor(new long[] {3})).isEqualTo(NpyVersion.V1_0);
    assertThat(NpyWriter.versionFor(manyAxes)).isEqualTo(NpyVersion.V2_0);
    assertThatThrownBy(() -> NpyWriter.header(NpyDtype.FLOAT32, manyAxes, NpyVersion.V1_0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit version V1_0");
    byte[] header = NpyWriter.header(NpyDtype.FLOAT32, manyAxes, NpyVersion.V2_0);
    assertThat(header.length % 64).isZero();
    assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
  }

  @Test
  void streamsAndBuffersCanHoldSeveralArraysInARow() throws IOException {
    byte[] one = writer.toBytes(NpyArray.of(new float[] {1f, 2f}));
    byte[] two = writer.toBytes(NpyArray.of(new double[] {3.0}));
    ByteBuffer both = ByteBuffer.allocate(one.length + two.length).put(one).put(two).flip();
    assertThat(reader.read(both)).isEqualTo(NpyArray.of(new float[] {1f, 2f}));
    assertThat(reader.read(both)).isEqualTo(NpyArray.of(new double[] {3.0}));
    assertThat(both.hasRemaining()).isFalse();
  }

  @Test
  void rejectsATruncatedFileAtEveryLength() throws IOException {
    byte[] whole = NpyFiles.NUMPY_ARANGE3_F4;
    Path path = dir.resolve("cut.npy");
    for (int n = 0; n < whole.length; n++) {
      byte[] cut = Arrays.copyOf(whole, n);
      Files.write(path, cut);
      assertThatThrownBy(() -> reader.read(path))
          .as("length %d", n)
          .isInstanceOf(NpyFormatException.class)
          .hasMessageContaining("truncated");
      assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(cut)))
          .isInstanceOf(NpyFormatException.class)
          .hasMessageContaining("truncated");
      ByteBuffer buffer = ByteBuffer.wrap(cut);
      assertThatThrownBy(() -> reader.read(buffer)).isInstanceOf(NpyFormatException.class);
      assertThat(buffer.position()).isZero();
    }
  }

  @Test
  void rejectsTrailingBytesInAFile() throws IOException {
    Path path = dir.resolve("long.npy");
    byte[] longer = Arrays.copyOf(NpyFiles.NUMPY_ARANGE3_F4, NpyFiles.NUMPY_ARANGE3_F4.length + 3);
    Files.write(path, longer);
    assertThatThrownBy(() -> reader.read(path))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("3 bytes after the 12 data bytes");
  }

  @Test
  void refusesAHeaderClaimingATrillionElementsBeforeAllocating() throws IOException {
    byte[] file =
        NpyFiles.v1(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", new byte[0]);
    // Even the largest possible limit is far below 10^12, so nothing is allocated.
    NpyReader generous = new NpyReader(NpyReader.MAX_ELEMENTS_LIMIT, 1 << 16);
    assertThatThrownBy(() -> generous.read(new ByteArrayInputStream(file)))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("1000000000000 elements");
    Path path = dir.resolve("huge.npy");
    Files.write(path, file);
    assertThatThrownBy(() -> generous.read(path)).hasMessageContaining("1000000000000 elements");
  }

  @Test
  void checksTheDeclaredSizeAgainstTheRemainingBytesBeforeAllocating() throws IOException {
    // 2^30 float64 elements would be 8 GiB; the 4-byte file is refused from its size alone.
    byte[] file =
        NpyFiles.v1(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1073741824,), }", NpyFiles.f4(1f));
    NpyReader generous = new NpyReader(NpyReader.MAX_ELEMENTS_LIMIT, 1 << 16);
    Path path = dir.resolve("short.npy");
    Files.write(path, file);
    assertThatThrownBy(() -> generous.read(path))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("declares 8589934592 data bytes but only 4 remain");
    assertThatThrownBy(() -> generous.read(ByteBuffer.wrap(file)))
        .hasMessageContaining("only 4 remain");
  }

  @Test
  void aShortStreamClaimingTwoBillionElementsFailsAsTruncatedWithoutAllocatingThem() {
    // 2^31 − 9 float64 elements would be 16 GiB, beyond this JVM's heap: allocating the declared
    // size up front would throw OutOfMemoryError instead of the format error.
    byte[] file =
        NpyFiles.v1(
            "{'descr': '<f8', 'fortran_order': False, 'shape': ("
                + NpyReader.MAX_ELEMENTS_LIMIT
                + ",), }",
            new byte[100]);
    NpyReader generous = new NpyReader(NpyReader.MAX_ELEMENTS_LIMIT, 1 << 16);
    assertThatThrownBy(() -> generous.read(new ByteArrayInputStream(file)))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void enforcesTheCallersElementLimit() {
    NpyReader small = new NpyReader(2, 1 << 16);
    assertThatThrownBy(() -> small.read(ByteBuffer.wrap(NpyFiles.NUMPY_ARANGE3_F4)))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("declares 3 elements")
        .hasMessageContaining("limit of 2");
  }

  @Test
  void rejectsBadMagicAndVersion() {
    byte[] magic = NpyFiles.NUMPY_ARANGE3_F4.clone();
    magic[1] = 'n';
    assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(magic)))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("bad magic");
    byte[] version = NpyFiles.NUMPY_ARANGE3_F4.clone();
    version[6] = 4;
    assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(version)))
        .hasMessageContaining("unsupported format version 4.0");
  }

  @Test
  void rejectsOversizedHeaderLength() {
    byte[] file = NpyFiles.file(2, "{}", new byte[0]);
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7FFF_FFF0);
    assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(file)))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("header length 2147483632 exceeds the limit of 65536");
  }

  @Test
  void rejectsMalformedHeaderDictionariesNamingTheProblem() {
    String[][] cases = {
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,) ", "unexpected end of header"},
      {"not a dict", "unparseable header dictionary"},
      {"{'descr': '<f4', 'fortran_order': False}", "no 'shape' key"},
      {"{'descr': '<f4', 'shape': (1,), }", "no 'fortran_order' key"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': True}", "unexpected keys [x]"},
      {
        "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", "unsupported dtype descr '<i4'"
      },
      {"{'descr': '|f4', 'fortran_order': False, 'shape': (1,), }", "unsupported dtype descr"},
      {"{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", "Fortran-order"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "negative"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", "overflows"},
      {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }",
        "more than 9223372036854775807 elements"
      },
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (3), }", "not a tuple"},
      {"{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,), }", "must be True or False"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': 3, }", "expected a string"},
      {"{'descr': '<f4', 'descr': '<f4', 'shape': (1,), }", "duplicate key 'descr'"},
      {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "expected a string"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x", "unexpected text"},
    };
    for (String[] c : cases) {
      byte[] file = NpyFiles.v1(c[0], NpyFiles.f4(1f, 2f, 3f));
      assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(file)))
          .as(c[0])
          .isInstanceOf(NpyFormatException.class)
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void acceptsPython2LongSuffixesAndDoubleQuotes() throws IOException {
    byte[] file =
        NpyFiles.v1(
            "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1L, 2L)}",
            NpyFiles.f4(1f, 2f));
    assertThat(reader.read(ByteBuffer.wrap(file)))
        .isEqualTo(new NpyArray.Float32(new long[] {1, 2}, new float[] {1f, 2f}));
  }

  @Test
  void rejectsInvalidUtf8InAVersion3Header() {
    byte[] file =
        NpyFiles.file(
            3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", NpyFiles.f4(1f));
    file[20] = (byte) 0xC3;
    file[21] = (byte) 0x28;
    assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(file)))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void arraysValidateTheirShape() {
    assertThatThrownBy(() -> new NpyArray.Float32(new long[] {2, 2}, new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 4 elements but data has 3");
    assertThatThrownBy(() -> new NpyArray.Float64(new long[] {-1}, new double[0]))
        .hasMessageContaining("shape[0] must be >= 0, got -1");
    assertThatThrownBy(() -> new NpyReader(-1, 100)).hasMessageContaining("maxElements");
  }
}

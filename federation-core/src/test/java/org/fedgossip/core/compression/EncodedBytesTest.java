package org.fedgossip.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EncodedBytesTest {

  private static final float[] X = {0.5f, -3f, 2f, -2f, 0f, 3f, 1f};

  private static byte[] sparseBytes() {
    return new TopKSparsifier(3).encode(X).toBytes();
  }

  private static byte[] quantizedBytes() {
    return new StochasticQuantizer(new SplittableRandom(9)).encode(X).toBytes();
  }

  @Test
  void bytesRoundTripForBothKinds() {
    EncodedUpdate sparse = EncodedUpdate.fromBytes(sparseBytes(), 100);
    assertThat(sparse).isInstanceOf(SparseUpdate.class);
    assertThat(sparse.decode()).containsExactly(0f, -3f, 2f, 0f, 0f, 3f, 0f);

    QuantizedUpdate q = new StochasticQuantizer(new SplittableRandom(9)).encode(X);
    EncodedUpdate back = EncodedUpdate.fromBytes(q.toBytes(), X.length);
    assertThat(back).isInstanceOf(QuantizedUpdate.class);
    assertThat(back.decode()).containsExactly(q.decode());
    assertThat(back.toBytes()).isEqualTo(q.toBytes());
  }

  @Test
  void knownLayoutOfASparseUpdate() {
    byte[] expected =
        ByteBuffer.allocate(28)
            .put(new byte[] {0x46, 0x43, 1, 2})
            .putInt(5)
            .putInt(2)
            .putInt(1)
            .putInt(4)
            .putFloat(1.5f)
            .putFloat(-2f)
            .array();
    SparseUpdate s = new SparseUpdate(5, new int[] {1, 4}, new float[] {1.5f, -2f});
    assertThat(s.toBytes()).isEqualTo(expected);
  }

  @Test
  void rejectsTruncatedBytesAtEveryLength() {
    for (byte[] whole : new byte[][] {sparseBytes(), quantizedBytes()}) {
      for (int n = 0; n < whole.length; n++) {
        byte[] cut = Arrays.copyOf(whole, n);
        assertThatThrownBy(() -> EncodedUpdate.fromBytes(cut, 100))
            .as("length %d", n)
            .isInstanceOf(MalformedEncodingException.class);
      }
    }
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] longer = Arrays.copyOf(quantizedBytes(), quantizedBytes().length + 1);
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(longer, 100))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("must be 23 bytes, got 24");
  }

  @Test
  void rejectsBadMagicVersionAndKind() {
    byte[] b = sparseBytes();
    b[0] = 0x00;
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(b, 100)).hasMessageContaining("bad magic");
    byte[] v = sparseBytes();
    v[2] = 9;
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(v, 100)).hasMessageContaining("version 9");
    byte[] k = sparseBytes();
    k[3] = 7;
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(k, 100)).hasMessageContaining("kind 7");
  }

  @Test
  void rejectsAbsurdDimensionAndCountBeforeAllocating() {
    byte[] huge = ByteBuffer.allocate(12).put(new byte[] {0x46, 0x43, 1, 1}).putInt(-1).array();
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(huge, Integer.MAX_VALUE))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("dimension -1");
    byte[] overLimit = sparseBytes();
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(overLimit, 6))
        .hasMessageContaining("dimension 7 outside [0, 6]");
    byte[] count =
        ByteBuffer.allocate(12)
            .put(new byte[] {0x46, 0x43, 1, 2})
            .putInt(Integer.MAX_VALUE)
            .putInt(Integer.MAX_VALUE)
            .array();
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(count, Integer.MAX_VALUE))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("must be 17179869188 bytes, got 12");
  }

  @Test
  void rejectsUnorderedIndicesAndNonFiniteValues() {
    byte[] swapped = new SparseUpdate(5, new int[] {1, 4}, new float[] {1f, 2f}).toBytes().clone();
    ByteBuffer.wrap(swapped).putInt(12, 4).putInt(16, 1);
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(swapped, 100))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("indices[1] = 1");
    byte[] nan = quantizedBytes();
    ByteBuffer.wrap(nan).putFloat(8, Float.NaN);
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(nan, 100))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("min=NaN");
  }
}

package org.fedgossip.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CodecPropertyTest {

  @Provide
  Arbitrary<float[]> vectors() {
    Arbitrary<Float> value =
        Arbitraries.oneOf(
            Arbitraries.floats().between(-1e6f, 1e6f),
            Arbitraries.floats().between(-1f, 1f),
            Arbitraries.of(0f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE));
    return value.array(float[].class).ofMaxSize(64);
  }

  @Property(tries = 300)
  void quantizedDecodeIsWithinOneStepAndSurvivesBytes(
      @ForAll("vectors") float[] x, @ForAll long seed) {
    QuantizedUpdate q = new StochasticQuantizer(new SplittableRandom(seed)).encode(x);
    float[] y = q.decode();
    assertThat(y).hasSize(x.length);
    for (int i = 0; i < x.length; i++) {
      // One step, plus the single float rounding of the decoded value.
      assertThat(Math.abs((double) y[i] - x[i])).isLessThanOrEqualTo(q.step() + Math.ulp(y[i]));
    }
    EncodedUpdate back = EncodedUpdate.fromBytes(q.toBytes(), x.length);
    assertThat(back.decode()).containsExactly(y);
  }

  @Property(tries = 300)
  void topKKeepsExactValuesOfTheLargestMagnitudes(
      @ForAll("vectors") float[] x, @ForAll @IntRange(min = 1, max = 70) int k) {
    SparseUpdate s = new TopKSparsifier(k).encode(x);
    assertThat(s.count()).isEqualTo(Math.min(k, x.length));
    float[] y = s.decode();
    float smallestKept = Float.POSITIVE_INFINITY;
    float largestDropped = 0f;
    boolean[] kept = new boolean[x.length];
    for (int index : s.indices()) {
      kept[index] = true;
    }
    for (int i = 0; i < x.length; i++) {
      if (kept[i]) {
        assertThat(y[i]).isEqualTo(x[i]);
        smallestKept = Math.min(smallestKept, Math.abs(x[i]));
      } else {
        assertThat(y[i]).isEqualTo(0f);
        largestDropped = Math.max(largestDropped, Math.abs(x[i]));
      }
    }
    assertThat(largestDropped).isLessThanOrEqualTo(smallestKept);
    assertThat(EncodedUpdate.fromBytes(s.toBytes(), x.length).decode()).containsExactly(y);
  }

  @Property(tries = 300)
  void topKMatchesASortByMagnitudeThenIndex(
      @ForAll("tiedVectors") float[] x, @ForAll @IntRange(min = 1, max = 70) int k) {
    Integer[] order = new Integer[x.length];
    for (int i = 0; i < x.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int byMagnitude = Float.compare(Math.abs(x[b]), Math.abs(x[a]));
          return byMagnitude != 0 ? byMagnitude : Integer.compare(a, b);
        });
    int[] expected =
        Arrays.stream(order)
            .limit(Math.min(k, x.length))
            .mapToInt(Integer::intValue)
            .sorted()
            .toArray();
    assertThat(new TopKSparsifier(k).encode(x).indices()).containsExactly(expected);
  }

  /** Vectors with many equal magnitudes, to exercise tie-breaking and the three-way partition. */
  @Provide
  Arbitrary<float[]> tiedVectors() {
    return Arbitraries.of(0f, -0f, 1f, -1f, 2f, -2f, 0.5f).array(float[].class).ofMaxSize(100);
  }

  @Property(tries = 300)
  void selectFindsTheValueOfAnyRank(@ForAll @Size(min = 1, max = 200) int[] values, @ForAll int r) {
    int rank = Math.floorMod(r, values.length);
    int[] sorted = values.clone();
    Arrays.sort(sorted);
    assertThat(TopKSparsifier.select(values.clone(), rank)).isEqualTo(sorted[rank]);
  }

  @Property(tries = 300)
  void randomKKeepsExactlyKDistinctSortedIndices(
      @ForAll("vectors") float[] x, @ForAll @IntRange(min = 1, max = 70) int k, @ForAll long seed) {
    SparseUpdate s =
        new RandomKSparsifier(k, RandomKSparsifier.Scaling.NONE, new SplittableRandom(seed))
            .encode(x);
    assertThat(s.count()).isEqualTo(Math.min(k, x.length));
    assertThat(s.indices()).isSorted().doesNotHaveDuplicates();
    for (int j = 0; j < s.count(); j++) {
      assertThat(s.values()[j]).isEqualTo(x[s.indices()[j]]);
    }
  }

  @Property(tries = 300)
  void everyProperPrefixOfAnEncodingIsRejected(
      @ForAll("vectors") float[] x, @ForAll long seed, @ForAll @IntRange(max = 1000) int cut) {
    byte[] whole =
        seed % 2 == 0
            ? new StochasticQuantizer(new SplittableRandom(seed)).encode(x).toBytes()
            : new TopKSparsifier(5).encode(x).toBytes();
    byte[] prefix = Arrays.copyOf(whole, cut % whole.length);
    assertThatThrownBy(() -> EncodedUpdate.fromBytes(prefix, 1 << 20))
        .isInstanceOf(MalformedEncodingException.class);
  }

  @Property(tries = 300)
  void arbitraryBytesEitherDecodeOrFailCleanly(@ForAll @Size(max = 80) byte[] bytes) {
    // A valid header makes the interesting paths reachable; the rest is random.
    if (bytes.length >= 4 && bytes[0] % 3 != 0) {
      bytes[0] = EncodedUpdate.MAGIC_0;
      bytes[1] = EncodedUpdate.MAGIC_1;
      bytes[2] = EncodedUpdate.FORMAT_VERSION;
      bytes[3] = (byte) (1 + (bytes[3] & 1));
    }
    try {
      EncodedUpdate u = EncodedUpdate.fromBytes(bytes, 1 << 16);
      assertThat(u.decode()).hasSize(u.dimension());
      assertThat(u.toBytes()).isEqualTo(bytes);
    } catch (MalformedEncodingException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}

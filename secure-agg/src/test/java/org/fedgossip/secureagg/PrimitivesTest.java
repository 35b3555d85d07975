package org.fedgossip.secureagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fedgossip.trust.PeerId;
import org.junit.jupiter.api.Test;

class PrimitivesTest {

  private static final PeerId ALICE = PeerId.fromPublicKey(new byte[32]);
  private static final PeerId BOB = PeerId.fromPublicKey(filled(1));

  private static byte[] filled(int b) {
    byte[] out = new byte[32];
    java.util.Arrays.fill(out, (byte) b);
    return out;
  }

  @Test
  void x25519AgreementIsSymmetricAndRebuildsFromThePrivateKey() {
    X25519KeyPair a = X25519KeyPair.generate(TestRandom.seeded(1));
    X25519KeyPair b = X25519KeyPair.generate(TestRandom.seeded(2));
    assertThat(a.agree(b.publicKey())).isEqualTo(b.agree(a.publicKey()));
    assertThat(X25519KeyPair.fromPrivateKey(a.privateKey())).isEqualTo(a);
    assertThat(a.agree(new byte[32])).as("low-order point").isNull();
  }

  @Test
  void shareKeysDifferByDirectionAndPairwiseSeedsDoNot() {
    byte[] secret = filled(9);
    assertThat(SecAggKdf.shareKey(secret, ALICE, BOB, 1))
        .isNotEqualTo(SecAggKdf.shareKey(secret, BOB, ALICE, 1));
    assertThat(SecAggKdf.pairwiseSeed(secret, ALICE, BOB, 1))
        .isEqualTo(SecAggKdf.pairwiseSeed(secret, BOB, ALICE, 1))
        .isNotEqualTo(SecAggKdf.pairwiseSeed(secret, ALICE, BOB, 2));
  }

  @Test
  void shareCipherRoundTripsAndTamperingFailsTheTag() {
    byte[] key = filled(3);
    byte[] plaintext = "shares".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ShareCipher.Sealed sealed =
        ShareCipher.encrypt(key, ALICE, BOB, 5, plaintext, TestRandom.seeded(4));
    assertThat(ShareCipher.decrypt(key, ALICE, BOB, 5, sealed.nonce(), sealed.ciphertext()))
        .isEqualTo(plaintext);
    for (int i = 0; i < sealed.ciphertext().length; i++) {
      byte[] tampered = sealed.ciphertext().clone();
      tampered[i] ^= 1;
      assertThat(ShareCipher.decrypt(key, ALICE, BOB, 5, sealed.nonce(), tampered))
          .as("bit flipped in byte %d", i)
          .isNull();
    }
    assertThat(ShareCipher.decrypt(key, ALICE, BOB, 6, sealed.nonce(), sealed.ciphertext()))
        .as("other round")
        .isNull();
    assertThat(ShareCipher.decrypt(key, BOB, ALICE, 5, sealed.nonce(), sealed.ciphertext()))
        .as("swapped sender and receiver")
        .isNull();
  }

  @Test
  void maskIsTheLittleEndianAesCtrKeystream() throws Exception {
    byte[] seed = filled(5);
    int[] mask = new int[MaskExpander.CHUNK_BYTES / 4 + 3];
    new MaskExpander().add(seed, mask);
    assertIsKeystream(seed, mask);
  }

  @Test
  void eachLaneStartsTheCounterAtItsOwnBlock() throws Exception {
    byte[] seed = filled(9);
    // One term over 2^18 + 7 words is past the one-lane cut-off, so three lanes share it; the odd
    // length leaves a partial block at the end.
    int[] mask = new int[(int) MaskExpander.MIN_PARALLEL_WORDS + 7];
    new MaskExpander(3).add(seed, mask);
    assertIsKeystream(seed, mask);
  }

  /** Word i of {@code mask} is bytes [4i, 4i + 4) of AES-128-CTR(seed[0..16), counter 0), LE. */
  private static void assertIsKeystream(byte[] seed, int[] mask) throws Exception {
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
    ctr.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(seed, 0, 16, "AES"),
        new IvParameterSpec(new byte[16]));
    byte[] stream = ctr.doFinal(new byte[4 * mask.length]);
    VarHandle le = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < mask.length; i++) {
      assertThat(mask[i]).as("word %d", i).isEqualTo((int) le.get(stream, 4 * i));
    }
  }

  @Property(tries = 25)
  void lanesChangeNothingButTheTime(
      @ForAll @IntRange(min = 1, max = 120_000) int d,
      @ForAll @IntRange(min = 1, max = 7) int terms,
      @ForAll @IntRange(min = 2, max = 5) int lanes,
      @ForAll long seed) {
    java.util.Random r = new java.util.Random(seed);
    java.util.List<MaskExpander.Term> masks = new java.util.ArrayList<>();
    for (int i = 0; i < terms; i++) {
      byte[] key = new byte[32];
      r.nextBytes(key);
      masks.add(new MaskExpander.Term(key, r.nextBoolean()));
    }
    int[] start = r.ints(d).toArray();
    int[] oneLane = start.clone();
    MaskExpander single = new MaskExpander();
    for (MaskExpander.Term term : masks) {
      if (term.negate()) {
        single.subtract(term.seed(), oneLane);
      } else {
        single.add(term.seed(), oneLane);
      }
    }
    int[] split = start.clone();
    new MaskExpander(lanes).apply(masks, split);
    assertThat(split)
        .as("seed %d, d %d, %d terms, %d lanes", seed, d, terms, lanes)
        .isEqualTo(oneLane);
  }

  @Test
  void laneCountIsChecked() {
    assertThatThrownBy(() -> new MaskExpander(0)).hasMessageContaining("lanes");
    assertThatThrownBy(() -> new MaskExpander(MaskExpander.MAX_LANES + 1))
        .hasMessageContaining("got " + (MaskExpander.MAX_LANES + 1));
    assertThat(MaskExpander.machineLanes()).isBetween(1, MaskExpander.MAX_LANES);
  }

  @Property(tries = 20)
  void addThenSubtractIsTheIdentity(
      @ForAll @IntRange(min = 1, max = 40_000) int d, @ForAll long seed) {
    int[] v = new int[d];
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    for (int i = 0; i < d; i++) {
      v[i] = r.nextInt();
    }
    int[] original = v.clone();
    byte[] key = new byte[32];
    new java.util.Random(seed).nextBytes(key);
    MaskExpander expander = new MaskExpander();
    expander.add(key, v);
    assertThat(v).isNotEqualTo(original);
    expander.subtract(key, v);
    assertThat(v).isEqualTo(original);
  }

  @Test
  void quantiserBitsLeaveNoRoomForWrap() {
    assertThat(Quantizer.bitsFor(1)).isEqualTo(31);
    assertThat(Quantizer.bitsFor(100)).isEqualTo(25);
    assertThat(Quantizer.bitsFor(1000)).isEqualTo(22);
    for (int n : new int[] {1, 2, 3, 100, 1000, 65_537, 100_000}) {
      int b = Quantizer.bitsFor(n);
      assertThat((long) n * ((1L << b) - 1)).isLessThan(1L << 32);
      if (b < 31) {
        assertThat((long) n * ((1L << (b + 1)) - 1)).isGreaterThanOrEqualTo(1L << 32);
      }
    }
    assertThatThrownBy(() -> new Quantizer(0, 8)).hasMessageContaining("secagg.clipRange");
  }

  @Property(tries = 30)
  void dequantisedSumIsWithinOneQuantumPerSummand(
      @ForAll @IntRange(min = 1, max = 50) int m, @ForAll long seed) {
    Quantizer q = Quantizer.forParticipants(64, 2.0);
    int d = 200;
    double[] truth = new double[d];
    int[] sum = new int[d];
    java.util.SplittableRandom rounding = new java.util.SplittableRandom(seed);
    for (int p = 0; p < m; p++) {
      float[] x = TestRandom.vector(seed + p, d, 2.0f);
      int[] words = q.quantise(x, rounding);
      for (int i = 0; i < d; i++) {
        assertThat(Integer.toUnsignedLong(words[i])).isLessThan(1L << q.bits());
        truth[i] += x[i];
        sum[i] += words[i];
      }
    }
    double bound = m / q.scale();
    double[] back = q.dequantiseSum(sum, m);
    for (int i = 0; i < d; i++) {
      assertThat(Math.abs(back[i] - truth[i])).as("coordinate %d", i).isLessThan(bound);
    }
  }

  @Test
  void quantiserClipsOutOfRangeValues() {
    Quantizer q = new Quantizer(1.0, 8);
    int[] words = q.quantise(new float[] {-5f, 5f, Float.NaN}, new java.util.SplittableRandom(1));
    assertThat(words).containsExactly(0, 255, words[2]);
    assertThat(q.dequantiseSum(new int[] {words[0], words[1]}, 1)).containsExactly(-1.0, 1.0);
  }
}

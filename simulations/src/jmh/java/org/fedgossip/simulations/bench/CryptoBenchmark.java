package org.fedgossip.simulations.bench;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the cryptographic primitives on fedgossip's hot paths, each from the JDK's
 * provider and from BouncyCastle's lightweight API, to choose between them by measurement.
 *
 * <ul>
 *   <li>AES-128-GCM encryption of {@code aesBytes}: 16 KiB, the most plaintext one TLS record
 *       carries (RFC 8446, section 5.1), which is how TLS 1.3 encrypts a large payload; and 4 MiB
 *       in one call, where JDK 17's provider falls off its intrinsics. The nonce is a counter, so
 *       no key and nonce pair repeats.
 *   <li>Ed25519 (RFC 8032) signing and verification of a {@code signedBytes} payload (1 KiB by
 *       default: a gossip message), as done once per message by the sender and at every hop.
 * </ul>
 *
 * <p>Average time per operation, single thread. Each benchmark reads only its own state, so JMH
 * crosses only that state's parameters.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CryptoBenchmark {

  /** AES-GCM inputs: a seeded plaintext, one key for both providers, a nonce counter. */
  @State(Scope.Thread)
  public static class AesState {

    /** Bytes encrypted per operation. */
    @Param({"16384", "4194304"})
    public int aesBytes;

    byte[] plaintext;
    byte[] ciphertext;
    SecretKeySpec jdkKey;
    KeyParameter bcKey;
    Cipher jdkCipher;
    GCMModeCipher bcCipher;
    long nonceCounter;

    /** Builds the key and the seeded plaintext once per trial. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      SplittableRandom random = new SplittableRandom(1);
      plaintext = new byte[aesBytes];
      for (int i = 0; i < plaintext.length; i++) {
        plaintext[i] = (byte) random.nextInt();
      }
      ciphertext = new byte[aesBytes + 16];
      byte[] key = new byte[16];
      for (int i = 0; i < key.length; i++) {
        key[i] = (byte) random.nextInt();
      }
      jdkKey = new SecretKeySpec(key, "AES");
      bcKey = new KeyParameter(key);
      jdkCipher = Cipher.getInstance("AES/GCM/NoPadding");
      bcCipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    }

    byte[] nextNonce() {
      return ByteBuffer.allocate(12).putInt(0).putLong(++nonceCounter).array();
    }
  }

  /** Ed25519 inputs: one key pair in both providers' forms, a seeded message and its signature. */
  @State(Scope.Thread)
  public static class SignatureState {

    /** Bytes signed or verified per operation. */
    @Param({"1024"})
    public int signedBytes;

    byte[] message;
    KeyPair keys;
    Ed25519PrivateKeyParameters bcPrivate;
    Ed25519PublicKeyParameters bcPublic;
    byte[] signature;

    /** Builds the key pair and the seeded message once per trial. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      SplittableRandom random = new SplittableRandom(2);
      message = new byte[signedBytes];
      for (int i = 0; i < message.length; i++) {
        message[i] = (byte) random.nextInt();
      }
      keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      bcPrivate =
          (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(keys.getPrivate().getEncoded());
      bcPublic =
          (Ed25519PublicKeyParameters) PublicKeyFactory.createKey(keys.getPublic().getEncoded());
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(message);
      signature = s.sign();
    }
  }

  /** AES-128-GCM with the JDK's SunJCE provider (AES-NI and CLMUL intrinsics in HotSpot). */
  @Benchmark
  public int aesGcmJdk(AesState st) throws Exception {
    st.jdkCipher.init(Cipher.ENCRYPT_MODE, st.jdkKey, new GCMParameterSpec(128, st.nextNonce()));
    return st.jdkCipher.doFinal(st.plaintext, 0, st.plaintext.length, st.ciphertext, 0);
  }

  /** AES-128-GCM with BouncyCastle's lightweight engine (pure Java). */
  @Benchmark
  public int aesGcmBouncyCastle(AesState st) throws Exception {
    st.bcCipher.init(true, new AEADParameters(st.bcKey, 128, st.nextNonce()));
    int n = st.bcCipher.processBytes(st.plaintext, 0, st.plaintext.length, st.ciphertext, 0);
    return n + st.bcCipher.doFinal(st.ciphertext, n);
  }

  /** Ed25519 signing with the JDK's SunEC provider. */
  @Benchmark
  public byte[] ed25519SignJdk(SignatureState st) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(st.keys.getPrivate());
    s.update(st.message);
    return s.sign();
  }

  /** Ed25519 signing with BouncyCastle, the engine fedgossip's PayloadSigner uses. */
  @Benchmark
  public byte[] ed25519SignBouncyCastle(SignatureState st) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, st.bcPrivate);
    s.update(st.message, 0, st.message.length);
    return s.generateSignature();
  }

  /** Ed25519 verification with the JDK's SunEC provider. */
  @Benchmark
  public boolean ed25519VerifyJdk(SignatureState st) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(st.keys.getPublic());
    s.update(st.message);
    return s.verify(st.signature);
  }

  /** Ed25519 verification with BouncyCastle, the engine fedgossip's SignatureVerifier uses. */
  @Benchmark
  public boolean ed25519VerifyBouncyCastle(SignatureState st) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(false, st.bcPublic);
    s.update(st.message, 0, st.message.length);
    return s.verifySignature(st.signature);
  }
}

package org.fedgossip.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A peer's identity: the SHA-256 digest of its raw 32-byte Ed25519 public key.
 *
 * <p>Because the id is a hash of the key, a peer cannot claim another's id without that peer's
 * private key, and certificates from the federation CA bind the id to a name and a basket. The
 * printed form is {@code "fg"} followed by the 32 digest bytes in lower-case RFC 4648 base32
 * without padding (54 characters), readable and safe in file names, DNS labels and URLs. Instances
 * are immutable and compare by digest bytes (unsigned, lexicographic), so sorted collections of
 * peers have a stable order on every machine.
 */
public final class PeerId implements Comparable<PeerId> {

  /** Length of the digest in bytes. */
  public static final int DIGEST_BYTES = 32;

  /** Length of a raw Ed25519 public key in bytes (RFC 8032). */
  public static final int ED25519_PUBLIC_KEY_BYTES = 32;

  private static final String PREFIX = "fg";
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final int ENCODED_CHARS = (DIGEST_BYTES * 8 + 4) / 5;

  private final byte[] digest;
  private final int hash;

  private PeerId(byte[] digest) {
    this.digest = digest;
    this.hash = Arrays.hashCode(digest);
  }

  /**
   * Derives the id of a peer from its raw Ed25519 public key.
   *
   * @param rawPublicKey the 32-byte public key of RFC 8032, section 5.1.5
   * @return the id
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static PeerId fromPublicKey(byte[] rawPublicKey) {
    if (rawPublicKey == null || rawPublicKey.length != ED25519_PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has "
              + ED25519_PUBLIC_KEY_BYTES
              + " bytes, got "
              + (rawPublicKey == null ? "null" : rawPublicKey.length + " bytes"));
    }
    return new PeerId(sha256(rawPublicKey));
  }

  /**
   * Wraps a digest that was computed elsewhere, for example read from a wire message.
   *
   * @param digest 32 bytes; copied
   * @return the id
   * @throws IllegalArgumentException if the digest is not 32 bytes
   */
  public static PeerId fromDigest(byte[] digest) {
    if (digest == null || digest.length != DIGEST_BYTES) {
      throw new IllegalArgumentException(
          "a peer id digest has "
              + DIGEST_BYTES
              + " bytes, got "
              + (digest == null ? "null" : digest.length + " bytes"));
    }
    return new PeerId(digest.clone());
  }

  /**
   * Parses the printed form produced by {@link #toString()}.
   *
   * @param text {@code "fg"} and 52 base32 characters, any case
   * @return the id
   * @throws IllegalArgumentException naming the text if it is not a peer id
   */
  public static PeerId parse(String text) {
    if (text == null
        || text.length() != PREFIX.length() + ENCODED_CHARS
        || !text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new IllegalArgumentException(
          "not a peer id: '"
              + text
              + "' (expected 'fg' followed by "
              + ENCODED_CHARS
              + " base32 characters)");
    }
    String body = text.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    byte[] out = new byte[DIGEST_BYTES];
    long buffer = 0;
    int bits = 0;
    int index = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      int value;
      if (c >= 'a' && c <= 'z') {
        value = c - 'a';
      } else if (c >= '2' && c <= '7') {
        value = c - '2' + 26;
      } else {
        throw new IllegalArgumentException(
            "not a peer id: '" + text + "' has the character '" + c + "' outside base32");
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[index++] = (byte) (buffer >>> bits);
      }
    }
    // 52 characters carry 260 bits: the 4 bits left over must be zero for a canonical encoding.
    if ((buffer & ((1L << bits) - 1)) != 0) {
      throw new IllegalArgumentException("not a peer id: '" + text + "' is not canonical base32");
    }
    return new PeerId(out);
  }

  /**
   * The digest bytes.
   *
   * @return a copy of the 32 digest bytes
   */
  public byte[] toBytes() {
    return digest.clone();
  }

  /**
   * A short form for logs: the prefix and the first 10 base32 characters (50 bits).
   *
   * @return for example {@code "fgq3vx7k2mab"}
   */
  public String shortString() {
    return toString().substring(0, PREFIX.length() + 10);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(PREFIX.length() + ENCODED_CHARS).append(PREFIX);
    long buffer = 0;
    int bits = 0;
    for (byte b : digest) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        sb.append(BASE32[(int) (buffer >>> bits) & 31]);
      }
    }
    if (bits > 0) {
      sb.append(BASE32[(int) (buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }

  @Override
  public int compareTo(PeerId other) {
    return Arrays.compareUnsigned(digest, other.digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(digest, other.digest);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}

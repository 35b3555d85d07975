package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PeerIdTest {

  @Test
  void idIsTheSha256OfTheRawPublicKey() throws Exception {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);

    PeerId id = PeerId.fromPublicKey(key);

    assertThat(id.toBytes()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(key));
  }

  @Test
  void printedFormIsPrefixedLowerCaseBase32() {
    // SHA-256 of the empty string is e3b0c442...; the id wraps it as a digest.
    byte[] digest =
        HexFormat.of().parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    PeerId id = PeerId.fromDigest(digest);

    // Base32 of those bytes per RFC 4648 (the expected text is Python's base64.b32encode of the
    // digest, lower-cased and unpadded; by hand for the first 8 characters:
    // e3 b0 c4 42 98 -> 11100 01110 11000 01100 01000 10000 10100 11000 -> 4 o y m i q u y).
    assertThat(id.toString())
        .isEqualTo("fg4oymiquy7qobjgx36tejs35zeqt24qpemsnzgtfeswmrw6csxbkq")
        .hasSize(54)
        .matches("fg[a-z2-7]{52}");
    assertThat(id.shortString()).isEqualTo("fg4oymiquy7q");
  }

  @Test
  void realEd25519KeyGivesAStableId() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
    byte[] encoded = gen.generateKeyPair().getPublic().getEncoded();
    // X.509 SubjectPublicKeyInfo of Ed25519 is a 12-byte prefix then the 32-byte raw key.
    byte[] raw = Arrays.copyOfRange(encoded, 12, 44);

    assertThat(PeerId.fromPublicKey(raw)).isEqualTo(PeerId.fromPublicKey(raw.clone()));
  }

  @Property
  void parseInvertsToString(@ForAll @Size(32) byte[] digest) {
    PeerId id = PeerId.fromDigest(digest);

    assertThat(PeerId.parse(id.toString())).isEqualTo(id);
    assertThat(PeerId.parse(id.toString().toUpperCase(java.util.Locale.ROOT))).isEqualTo(id);
  }

  @Property
  void orderIsUnsignedLexicographicOnTheDigest(
      @ForAll @Size(32) byte[] a, @ForAll @Size(32) byte[] b) {
    int expected = Integer.signum(Arrays.compareUnsigned(a, b));

    assertThat(Integer.signum(PeerId.fromDigest(a).compareTo(PeerId.fromDigest(b))))
        .isEqualTo(expected);
  }

  @Test
  void refusesMalformedInputNamingIt() {
    assertThatThrownBy(() -> PeerId.fromPublicKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("31 bytes");
    assertThatThrownBy(() -> PeerId.parse("fg123"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'fg123'");
    String valid = PeerId.fromDigest(new byte[32]).toString();
    assertThatThrownBy(() -> PeerId.parse(valid.substring(0, 53) + "1"))
        .hasMessageContaining("outside base32");
    // The last character carries 1 data bit and 4 padding bits; a set padding bit is refused.
    assertThatThrownBy(() -> PeerId.parse(valid.substring(0, 53) + "b"))
        .hasMessageContaining("not canonical");
  }
}

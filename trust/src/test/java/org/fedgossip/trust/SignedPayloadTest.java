package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SignedPayloadTest {

  private static final KeyPair ALICE = Ed25519Keys.generate(TestPki.seeded(11));
  private static final KeyPair MALLORY = Ed25519Keys.generate(TestPki.seeded(12));
  private static final SignedPayload ORIGINAL =
      new PayloadSigner(ALICE)
          .sign("gossip.update", 7, 42, 1_700_000_000_000L, new byte[] {1, 2, 3, 4});

  @Test
  void shouldVerifyAnUntouchedPayloadWithTheSendersKey() {
    assertThat(ORIGINAL.sender()).isEqualTo(Ed25519Keys.peerId(ALICE.getPublic()));
    assertThat(ORIGINAL.signature()).hasSize(SignedPayload.SIGNATURE_BYTES);
    assertThat(SignatureVerifier.verify(ORIGINAL, ALICE.getPublic())).isTrue();
  }

  @Test
  void signaturesInteroperateWithTheJdkEd25519Provider() throws Exception {
    byte[] body = "model delta".getBytes(StandardCharsets.UTF_8);
    SignedPayload signed = new PayloadSigner(ALICE).sign("update", 7, 3, 1_000L, body);
    byte[] header = SignedPayload.header(signed.sender(), "update", 7, 3, 1_000L, body.length);

    // Our signature verifies under the JDK's RFC 8032 implementation...
    java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
    jdk.initVerify(ALICE.getPublic());
    jdk.update(header);
    jdk.update(body);
    assertThat(jdk.verify(signed.signature())).isTrue();

    // ...and a signature the JDK made verifies under ours.
    jdk.initSign(ALICE.getPrivate());
    jdk.update(header);
    jdk.update(body);
    SignedPayload jdkSigned =
        new SignedPayload(signed.sender(), "update", 7, 3, 1_000L, body, jdk.sign());
    assertThat(jdkSigned.signature()).isEqualTo(signed.signature());
    assertThat(SignatureVerifier.verify(jdkSigned, ALICE.getPublic())).isTrue();
  }

  @Test
  void shouldRefuseVerificationWithAnotherPeersKey() {
    assertThat(SignatureVerifier.verify(ORIGINAL, MALLORY.getPublic())).isFalse();
  }

  static Stream<Arguments> tamperings() {
    PeerId mallory = Ed25519Keys.peerId(MALLORY.getPublic());
    return Stream.of(
        Arguments.of(
            "sender", (UnaryOperator<SignedPayload>) p -> with(p, mallory, null, 0, 0, 0, null)),
        Arguments.of(
            "payloadType",
            (UnaryOperator<SignedPayload>) p -> with(p, null, "gossip.other", 0, 0, 0, null)),
        Arguments.of(
            "round", (UnaryOperator<SignedPayload>) p -> with(p, null, null, 1, 0, 0, null)),
        Arguments.of(
            "sequence", (UnaryOperator<SignedPayload>) p -> with(p, null, null, 0, 1, 0, null)),
        Arguments.of(
            "timestamp", (UnaryOperator<SignedPayload>) p -> with(p, null, null, 0, 0, 1, null)),
        Arguments.of(
            "payload byte",
            (UnaryOperator<SignedPayload>)
                p -> with(p, null, null, 0, 0, 0, new byte[] {1, 2, 3, 5})),
        Arguments.of(
            "payload truncated",
            (UnaryOperator<SignedPayload>) p -> with(p, null, null, 0, 0, 0, new byte[] {1, 2, 3})),
        Arguments.of(
            "signature",
            (UnaryOperator<SignedPayload>)
                p -> {
                  byte[] sig = p.signature().clone();
                  sig[0] ^= 1;
                  return new SignedPayload(
                      p.sender(),
                      p.payloadType(),
                      p.round(),
                      p.sequence(),
                      p.timestampMillis(),
                      p.payload(),
                      sig);
                }),
        Arguments.of(
            "signature length",
            (UnaryOperator<SignedPayload>)
                p ->
                    new SignedPayload(
                        p.sender(),
                        p.payloadType(),
                        p.round(),
                        p.sequence(),
                        p.timestampMillis(),
                        p.payload(),
                        new byte[3])));
  }

  @ParameterizedTest(name = "altering the {0} is detected")
  @MethodSource("tamperings")
  void shouldDetectARelayAlteringAnyField(String field, UnaryOperator<SignedPayload> tamper) {
    SignedPayload altered = tamper.apply(ORIGINAL);

    assertThat(altered).isNotEqualTo(ORIGINAL);
    assertThat(SignatureVerifier.verify(altered, ALICE.getPublic())).as(field).isFalse();
    assertThat(SignatureVerifier.verify(altered, MALLORY.getPublic())).as(field).isFalse();
  }

  @Test
  void shouldNotLetAMalloryReSignAsAlice() {
    SignedPayload byMallory =
        new PayloadSigner(MALLORY).sign("gossip.update", 7, 42, 1_700_000_000_000L, new byte[] {1});
    SignedPayload claimingAlice =
        new SignedPayload(
            ORIGINAL.sender(),
            byMallory.payloadType(),
            byMallory.round(),
            byMallory.sequence(),
            byMallory.timestampMillis(),
            byMallory.payload(),
            byMallory.signature());

    assertThat(SignatureVerifier.verify(claimingAlice, MALLORY.getPublic())).isFalse();
    assertThat(SignatureVerifier.verify(claimingAlice, ALICE.getPublic())).isFalse();
  }

  @Test
  void shouldEncodeFieldsLengthPrefixedBigEndianAfterTheDomainTag() {
    ByteBuffer b = ByteBuffer.wrap(ORIGINAL.canonicalEncoding());
    byte[] tag = readPrefixed(b);
    assertThat(new String(tag, StandardCharsets.US_ASCII)).isEqualTo(SignedPayload.DOMAIN_TAG);
    assertThat(readPrefixed(b)).isEqualTo(ORIGINAL.sender().toBytes());
    assertThat(new String(readPrefixed(b), StandardCharsets.UTF_8)).isEqualTo("gossip.update");
    assertThat(b.getLong()).isEqualTo(7);
    assertThat(b.getLong()).isEqualTo(42);
    assertThat(b.getLong()).isEqualTo(1_700_000_000_000L);
    assertThat(readPrefixed(b)).containsExactly(1, 2, 3, 4);
    assertThat(b.hasRemaining()).isFalse();
  }

  @Test
  void shouldKeepTypeAndPayloadBoundariesApart() {
    // Without length prefixes, ("ab", [c]) and ("a", [b, c]) could encode alike.
    PayloadSigner s = new PayloadSigner(ALICE);
    SignedPayload a = s.sign("ab", 0, 0, 0, "c".getBytes(StandardCharsets.US_ASCII));
    SignedPayload b = s.sign("a", 0, 0, 0, "bc".getBytes(StandardCharsets.US_ASCII));

    assertThat(a.canonicalEncoding()).isNotEqualTo(b.canonicalEncoding());
  }

  private static byte[] readPrefixed(ByteBuffer b) {
    byte[] out = new byte[b.getInt()];
    b.get(out);
    return out;
  }

  private static SignedPayload with(
      SignedPayload p,
      PeerId sender,
      String type,
      long dRound,
      long dSeq,
      long dTime,
      byte[] payload) {
    return new SignedPayload(
        sender != null ? sender : p.sender(),
        type != null ? type : p.payloadType(),
        p.round() + dRound,
        p.sequence() + dSeq,
        p.timestampMillis() + dTime,
        payload != null ? payload : p.payload(),
        p.signature());
  }
}

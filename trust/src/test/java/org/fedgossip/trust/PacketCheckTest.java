package org.fedgossip.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacketCheckTest {

  private static final long NOW = TestPki.T0.toEpochMilli() + 60_000;

  @TempDir Path dir;

  private FederationCa ca;
  private SecureRandom random;
  private TestPki.Peer alice;
  private TestPki.Peer bob;
  private PayloadSigner aliceSigner;
  private PacketCheck check;

  @BeforeEach
  void setUp() {
    ca = TestPki.newCa(dir.resolve("ca"), 1);
    random = TestPki.seeded(2);
    alice = TestPki.issue(ca, random, "alice", "basket-1");
    bob = TestPki.issue(ca, random, "bob", "basket-1");
    aliceSigner = new PayloadSigner(alice.keys());
    check =
        new PacketCheck(
            new PacketCheckConfig(1024, Set.of("gossip.update")),
            new CertificateValidator(ca.certificate(), ca.crl()),
            new ReplayGuard(ReplayGuardConfig.DEFAULT));
  }

  private SignedPayload update(long seq) {
    return aliceSigner.sign("gossip.update", 1, seq, NOW, new byte[16]);
  }

  @Test
  void shouldAcceptAValidPacketAndReturnTheSender() {
    Verdict v = check.check(update(1), alice.certificate(), NOW);

    assertThat(v.accepted()).isTrue();
    assertThat(v.sender().peerId()).isEqualTo(alice.id());
    assertThat(check.acceptedCount()).isEqualTo(1);
    assertThat(check.rejectedCounts().values()).allMatch(c -> c == 0);
  }

  @Test
  void shouldRejectEachFailureWithItsOwnCountedReason() throws Exception {
    FederationCa other = TestPki.newCa(dir.resolve("other"), 50);
    TestPki.Peer stranger = TestPki.issue(other, random, "alice", "basket-1");
    SignedPayload valid = update(1);
    byte[] badSig = valid.signature().clone();
    badSig[5] ^= 4;

    expect(
        aliceSigner.sign("gossip.update", 1, 2, NOW, new byte[1025]),
        alice,
        RejectReason.OVERSIZED);
    expect(
        aliceSigner.sign("gossip.nope", 1, 3, NOW, new byte[1]),
        alice,
        RejectReason.UNKNOWN_PAYLOAD_TYPE);
    expect(update(4), null, RejectReason.NO_CERTIFICATE);
    expect(update(5), stranger, RejectReason.UNKNOWN_CA);
    expect(update(6), bob, RejectReason.SENDER_MISMATCH);
    expect(
        new SignedPayload(
            valid.sender(),
            valid.payloadType(),
            valid.round(),
            valid.sequence(),
            valid.timestampMillis(),
            valid.payload(),
            badSig),
        alice,
        RejectReason.BAD_SIGNATURE);
    expect(valid, alice, null);
    expect(valid, alice, RejectReason.DUPLICATE);
    expect(
        aliceSigner.sign("gossip.update", 1, 7, NOW - 10 * 60_000, new byte[1]),
        alice,
        RejectReason.TOO_OLD);
    expect(
        aliceSigner.sign("gossip.update", 1, 8, NOW + 10 * 60_000, new byte[1]),
        alice,
        RejectReason.FROM_FUTURE);
    expect(aliceSigner.sign("gossip.update", 1, 1000, NOW, new byte[1]), alice, null);
    expect(
        aliceSigner.sign("gossip.update", 1, 9, NOW, new byte[1]),
        alice,
        RejectReason.BELOW_WINDOW);
    var caKey = PemFiles.readPrivateKey(dir.resolve("ca").resolve(FederationCa.KEY_FILE));
    var forged = TestPki.forgeWithClaimedId(ca, caKey, bob.keys().getPublic(), alice.id());
    expect(
        update(1001), new TestPki.Peer(bob.keys(), forged), RejectReason.CERTIFICATE_ID_MISMATCH);

    ca.revoke(alice.certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE, TestPki.T0);
    check.setValidator(new CertificateValidator(ca.certificate(), ca.crl()));
    expect(update(1002), alice, RejectReason.CERTIFICATE_REVOKED);
    expect(update(1003), bob, RejectReason.SENDER_MISMATCH);

    long expired = TestPki.T0.plus(FederationCa.DEFAULT_PEER_VALIDITY).toEpochMilli() + 1;
    Verdict late =
        check.check(
            new PayloadSigner(bob.keys()).sign("gossip.update", 1, 1, expired, new byte[1]),
            bob.certificate(),
            expired);
    assertThat(late.reason()).isEqualTo(RejectReason.CERTIFICATE_EXPIRED);

    assertThat(check.acceptedCount()).isEqualTo(2);
    for (RejectReason r : RejectReason.values()) {
      long want = r == RejectReason.SENDER_MISMATCH ? 2 : 1;
      assertThat(check.rejectedCount(r)).as(r.name()).isEqualTo(want);
    }
  }

  @Test
  void shouldNotLetAForgedPacketAdvanceTheReplayWindow() {
    SignedPayload genuine = update(5);
    SignedPayload forgedAhead =
        new SignedPayload(
            genuine.sender(),
            genuine.payloadType(),
            genuine.round(),
            5000,
            genuine.timestampMillis(),
            genuine.payload(),
            genuine.signature());

    assertThat(check.check(forgedAhead, alice.certificate(), NOW).reason())
        .isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(check.check(genuine, alice.certificate(), NOW).accepted()).isTrue();
  }

  private void expect(SignedPayload p, TestPki.Peer certOf, RejectReason reason) {
    Verdict v = check.check(p, certOf == null ? null : certOf.certificate(), NOW);
    assertThat(v.reason()).as("packet %s", p).isEqualTo(reason);
  }
}

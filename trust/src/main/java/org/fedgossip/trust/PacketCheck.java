package org.fedgossip.trust;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The generic checks on a received signed payload, composed in a fixed order, with a counter per
 * outcome for metrics.
 *
 * <p>Order: size limit, known payload type (both cheap and before any cryptography), the sender's
 * certificate ({@link CertificateValidator}: issued by the federation CA, within validity, id bound
 * to the key, not revoked), the certificate belongs to the payload's claimed sender, the Ed25519
 * signature, and last the {@link ReplayGuard}, so that only authentic packets can advance a
 * sender's replay window. The first failure decides the {@link Verdict}. Bad input is always a
 * verdict, never an exception. Thread-safe: the replay guard is used under this object's lock, the
 * counters are {@link LongAdder}s, and the validator can be swapped (for a new CRL) at any time.
 */
public final class PacketCheck {

  private final PacketCheckConfig config;
  private final ReplayGuard replayGuard;
  private volatile CertificateValidator validator;
  private final EnumMap<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
  private final LongAdder accepted = new LongAdder();

  /**
   * Creates the check.
   *
   * @param config size limit and known types
   * @param validator the certificate validator (CA and CRL)
   * @param replayGuard the replay guard; owned by this check from now on
   */
  public PacketCheck(
      PacketCheckConfig config, CertificateValidator validator, ReplayGuard replayGuard) {
    this.config = Objects.requireNonNull(config, "config");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.replayGuard = Objects.requireNonNull(replayGuard, "replayGuard");
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r, new LongAdder());
    }
  }

  /**
   * Installs a validator, typically the same CA with a newer CRL.
   *
   * @param newValidator the validator used by later checks
   */
  public void setValidator(CertificateValidator newValidator) {
    this.validator = Objects.requireNonNull(newValidator, "newValidator");
  }

  /**
   * Checks a packet and counts the outcome.
   *
   * @param packet the signed payload as received
   * @param senderCertificate the certificate of the payload's claimed sender, or null if none is
   *     known
   * @param nowMillis the receiver's time, Unix milliseconds
   * @return the verdict
   */
  public Verdict check(SignedPayload packet, X509Certificate senderCertificate, long nowMillis) {
    Verdict v = evaluate(packet, senderCertificate, nowMillis);
    if (v.accepted()) {
      accepted.increment();
    } else {
      rejected.get(v.reason()).increment();
    }
    return v;
  }

  private Verdict evaluate(
      SignedPayload packet, X509Certificate senderCertificate, long nowMillis) {
    Objects.requireNonNull(packet, "packet");
    if (packet.payload().length > config.maxPayloadBytes()) {
      return Verdict.reject(RejectReason.OVERSIZED, null);
    }
    if (!config.knownPayloadTypes().contains(packet.payloadType())) {
      return Verdict.reject(RejectReason.UNKNOWN_PAYLOAD_TYPE, null);
    }
    CertificateValidator.Result cert =
        validator.validate(senderCertificate, Instant.ofEpochMilli(nowMillis));
    if (!cert.ok()) {
      return Verdict.reject(RejectReason.of(cert.status()), cert.peer());
    }
    PeerCertificate sender = cert.peer();
    if (!sender.peerId().equals(packet.sender())) {
      return Verdict.reject(RejectReason.SENDER_MISMATCH, sender);
    }
    if (!SignatureVerifier.verify(packet, sender)) {
      return Verdict.reject(RejectReason.BAD_SIGNATURE, sender);
    }
    ReplayVerdict replay;
    synchronized (replayGuard) {
      replay =
          replayGuard.check(
              packet.sender(), packet.sequence(), packet.timestampMillis(), nowMillis);
    }
    if (replay != ReplayVerdict.ACCEPTED) {
      return Verdict.reject(RejectReason.of(replay), sender);
    }
    return Verdict.accept(sender);
  }

  /**
   * How many packets were refused for a reason.
   *
   * @param reason the reason
   * @return the count since creation
   */
  public long rejectedCount(RejectReason reason) {
    return rejected.get(reason).sum();
  }

  /**
   * How many packets were accepted.
   *
   * @return the count since creation
   */
  public long acceptedCount() {
    return accepted.sum();
  }

  /**
   * A snapshot of every rejection counter, for exporting metrics.
   *
   * @return reason to count, with every reason present
   */
  public Map<RejectReason, Long> rejectedCounts() {
    EnumMap<RejectReason, Long> out = new EnumMap<>(RejectReason.class);
    rejected.forEach((r, c) -> out.put(r, c.sum()));
    return out;
  }
}

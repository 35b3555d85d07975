package org.fedgossip.trust;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a {@link FederationCa}'s index of issued certificates ({@code issued.tsv}).
 *
 * @param serial the certificate serial number
 * @param peerId the peer the certificate was issued to
 * @param basket the peer's basket
 * @param displayName the peer's display name
 * @param notBefore start of validity
 * @param notAfter end of validity
 */
public record IssuedCertificate(
    BigInteger serial,
    PeerId peerId,
    String basket,
    String displayName,
    Instant notBefore,
    Instant notAfter) {

  /** Checks the components. */
  public IssuedCertificate {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(basket, "basket");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }

  String toLine() {
    return serial.toString(16)
        + '\t'
        + peerId
        + '\t'
        + basket
        + '\t'
        + notBefore
        + '\t'
        + notAfter
        + '\t'
        + displayName.replace('\t', ' ');
  }

  static IssuedCertificate fromLine(String line) {
    String[] f = line.split("\t", 6);
    if (f.length != 6) {
      throw new IllegalArgumentException("expected 6 tab-separated fields, got " + f.length);
    }
    return new IssuedCertificate(
        new BigInteger(f[0], 16),
        PeerId.parse(f[1]),
        f[2],
        f[5],
        Instant.parse(f[3]),
        Instant.parse(f[4]));
  }
}

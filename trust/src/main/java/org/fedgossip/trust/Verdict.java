package org.fedgossip.trust;

/**
 * The outcome of {@link PacketCheck#check}: accepted, or refused for one {@link RejectReason}.
 *
 * @param reason null when accepted, otherwise the first check that failed
 * @param sender the sender's parsed certificate when the certificate check got that far, else null
 */
public record Verdict(RejectReason reason, PeerCertificate sender) {

  /**
   * An acceptance.
   *
   * @param sender the sender's certificate
   * @return the verdict
   */
  public static Verdict accept(PeerCertificate sender) {
    return new Verdict(null, sender);
  }

  /**
   * A refusal.
   *
   * @param reason the reason
   * @param sender the certificate if it was parsed, else null
   * @return the verdict
   */
  public static Verdict reject(RejectReason reason, PeerCertificate sender) {
    if (reason == null) {
      throw new IllegalArgumentException("a rejection needs a reason");
    }
    return new Verdict(reason, sender);
  }

  /**
   * Whether the packet passed every check.
   *
   * @return true when there is no reject reason
   */
  public boolean accepted() {
    return reason == null;
  }
}

/**
 * Peer identity and the decision whether to believe what a peer sent. Knows nothing of models or
 * networking.
 */
module org.fedgossip.trust {
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;

  exports org.fedgossip.trust;
}

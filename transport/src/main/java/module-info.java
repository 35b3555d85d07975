/**
 * Moves bytes between peers: Netty with mutual TLS, or a seeded in-memory network in virtual time.
 * Knows nothing of what the payloads mean.
 */
module org.fedgossip.transport {
  requires org.fedgossip.trust;
// Will export org.fedgossip.transport once it holds code; javac refuses to export an empty package.
}

/**
 * Gossip inside one group: peer sampling, failure detection and push-pull dissemination of opaque
 * signed payloads. Knows nothing of models or baskets.
 */
module org.fedgossip.gossip {
  requires org.fedgossip.transport;
// Will export org.fedgossip.gossip once it holds code; javac refuses to export an empty package.
}

/**
 * Peer identity and the decision whether to believe what a peer sent. Knows nothing of models or
 * networking.
 */
module org.fedgossip.trust {
  // Will export org.fedgossip.trust once it holds code; javac refuses to export an empty package.
}

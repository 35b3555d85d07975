/**
 * The federated-learning domain of fedgossip: privacy accounting, robust aggregation, the staleness
 * buffer, update compression, vector math, the wire form of updates and global models, and durable
 * checkpoints and the audit log. It orchestrates the lower modules and knows nothing of Netty or of
 * the command line.
 */
module org.fedgossip.core {
  requires transitive org.fedgossip.basket;
  requires transitive org.fedgossip.secureagg;
  requires org.slf4j;
  requires com.google.protobuf;

  exports org.fedgossip.core.math;
  exports org.fedgossip.core.privacy;
  exports org.fedgossip.core.aggregation;
  exports org.fedgossip.core.buffer;
  exports org.fedgossip.core.compression;
  exports org.fedgossip.core.io;
  exports org.fedgossip.core.training;
  exports org.fedgossip.core.model;
  exports org.fedgossip.core.state;
  exports org.fedgossip.core.runtime;

  // Generated protobuf messages: protobuf reads their descriptors reflectively.
  opens org.fedgossip.core.proto to
      com.google.protobuf;
}

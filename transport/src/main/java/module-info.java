/**
 * Moves bytes between peers: Netty over TCP, or a seeded in-memory network in virtual time. Knows
 * nothing of what the payloads mean.
 */
module org.fedgossip.transport {
  requires transitive org.fedgossip.trust;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.codec;
  requires io.netty.handler;
  requires com.google.protobuf;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.slf4j;

  exports org.fedgossip.transport;
  exports org.fedgossip.transport.memory;
  exports org.fedgossip.transport.netty;

  // Generated protobuf messages: protobuf reads their descriptors reflectively.
  opens org.fedgossip.transport.netty.proto to
      com.google.protobuf;
}

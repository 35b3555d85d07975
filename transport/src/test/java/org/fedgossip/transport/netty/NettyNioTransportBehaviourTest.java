package org.fedgossip.transport.netty;

/** The transport behaviour suite over plaintext TCP on the JDK's NIO socket layer. */
class NettyNioTransportBehaviourTest extends NettyTransportBehaviourTest {
  @Override
  String socketLayer() {
    return "nio";
  }
}

package org.fedgossip.transport.netty;

/**
 * The transport behaviour suite over mutual TLS 1.3 with BoringSSL on the JDK's NIO socket layer.
 */
class NettyNioOpenSslTransportBehaviourTest extends NettyOpenSslTransportBehaviourTest {
  @Override
  String socketLayer() {
    return "nio";
  }
}

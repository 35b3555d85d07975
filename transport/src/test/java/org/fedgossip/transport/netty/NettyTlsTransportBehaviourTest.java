package org.fedgossip.transport.netty;

import java.util.Set;
import org.fedgossip.trust.PeerId;

/** Runs the transport behaviour suite over Netty with mutual TLS 1.3 on loopback. */
class NettyTlsTransportBehaviourTest extends NettyTransportBehaviourTest {

  private static final TestPki.Authority CA = TestPki.authority("behaviour suite CA");

  @Override
  TlsConfig tlsFor(PeerId id) {
    return TestPki.tls(TestPki.issue(CA, id), CA, Set.of());
  }
}

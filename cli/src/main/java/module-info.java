/**
 * The {@code fedgossip} command line. It is an application, so it exports nothing; its command
 * classes are opened to picocli, which reads their annotations reflectively.
 */
module org.fedgossip.cli {
  requires org.fedgossip.core;
  requires org.fedgossip.simulations;
  requires org.fedgossip.trust;
  requires org.fedgossip.transport;
  requires org.fedgossip.gossip;
  requires org.fedgossip.secureagg;
  requires java.management;
  requires jdk.management;
  requires java.net.http;
  requires jdk.httpserver;
  requires info.picocli;
  requires org.slf4j;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  requires org.knowm.xchart;
  requires java.desktop;

  opens org.fedgossip.cli to
      info.picocli;
}

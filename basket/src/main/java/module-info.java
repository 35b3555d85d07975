/**
 * Groups peers into domain baskets, one gossip group per basket, and elects each basket's Layer 2
 * delegate. Knows nothing of models.
 */
module org.fedgossip.basket {
  requires org.fedgossip.gossip;
// Will export org.fedgossip.basket once it holds code; javac refuses to export an empty package.
}

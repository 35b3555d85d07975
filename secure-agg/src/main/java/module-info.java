/**
 * SecAgg+ secure aggregation: the coordinator learns only the sum of the participants' vectors.
 * Knows nothing of where the vectors come from.
 */
module org.fedgossip.secureagg {
  requires org.fedgossip.transport;
// Will export org.fedgossip.secureagg once it holds code; javac refuses to export an empty package.
}

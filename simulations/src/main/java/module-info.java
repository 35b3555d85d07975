/**
 * Research tooling for fedgossip: datasets, models, attacks, scenario runners and benchmarks. It
 * runs the same protocol classes as the daemon.
 */
module org.fedgossip.simulations {
  requires transitive org.fedgossip.core;
  requires commons.math3;
  requires java.management;

  exports org.fedgossip.simulations;
  exports org.fedgossip.simulations.attack;
  exports org.fedgossip.simulations.data;
  exports org.fedgossip.simulations.model;
  exports org.fedgossip.simulations.partition;
  exports org.fedgossip.simulations.examples;
  exports org.fedgossip.simulations.scenario;
}

package org.fedgossip.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest, or "development build" when run from classes. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = FedGossip.class.getPackage().getImplementationVersion();
    return new String[] {
      "fedgossip " + (version == null ? "development build" : version),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}

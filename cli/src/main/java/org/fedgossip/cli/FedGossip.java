package org.fedgossip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fedgossip} top-level command: it holds the subcommands and exits with their code. */
@Command(
    name = "fedgossip",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Peer-to-peer hierarchical federated learning: gossip baskets, Byzantine-robust"
            + " aggregation, SecAgg+ secure aggregation and exact differential-privacy accounting.",
    subcommands = {
      CommandLine.HelpCommand.class,
      PrivacyCommand.class,
      AggregateCommand.class,
      KeygenCommand.class,
      InspectCommand.class,
      PeerCommand.class,
      StatusCommand.class,
      DemoCommand.class,
      AdminCommand.class,
      SimulateCommand.class,
      ChaosCommand.class,
      SimulateWorkerCommand.class,
      BenchCommand.class
    })
public final class FedGossip {

  private FedGossip() {}

  /**
   * Runs the command line and exits the JVM with the command's exit code.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * Builds the command line with every subcommand registered; tests execute it without exiting.
   *
   * @return a fresh command line
   */
  public static CommandLine newCommandLine() {
    return new CommandLine(new FedGossip()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}

package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FedGossipTest {

  @Test
  void helpListsTheProgramNameAndExitsZero() {
    StringWriter out = new StringWriter();
    CommandLine cli = FedGossip.newCommandLine();
    cli.setOut(new PrintWriter(out));

    int exit = cli.execute("--help");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("Usage: fedgossip").contains("federated learning");
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    CommandLine cli = FedGossip.newCommandLine();
    cli.setErr(new PrintWriter(new StringWriter()));

    assertThat(cli.execute("no-such-command")).isEqualTo(CommandLine.ExitCode.USAGE);
  }
}

package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fedgossip.cli.DemoFederation.DemoDataset;
import org.fedgossip.trust.TrustException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip demo}: tools to see a real federation on one machine; {@code demo init} lays one
 * out on disk (see {@link DemoFederation} for the layout, ports and data).
 *
 * <p>Usage errors (a bad option value) exit with 2 and name the option; runtime failures (a
 * non-empty output directory without {@code --force}, a file that cannot be written) exit with 1
 * and a one-line message.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = "Set up a local demo federation.",
    subcommands = {DemoCommand.Init.class})
final class DemoCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  DemoCommand() {}

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: use 'demo init'");
  }

  /** {@code fedgossip demo init}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = {
        "Lay out a complete local federation, ready to start: a CA, certificates and keys for the"
            + " coordinator and every peer, one peer.properties per process in its own folder,"
            + " each peer's own non-IID share of a bundled data set, a README.txt, and the"
            + " commands that start everything (printed on stdout).",
        "Ports: the coordinator listens on --base-port N, the peers on N+1, N+2, ...; each"
            + " process's metrics port is its port + 1000 (+ 2000 with more than 1000 processes)."
      })
  static final class Init implements Callable<Integer> {

    /** Names of what {@code --force} removes before writing: the layout of an earlier demo. */
    private static final Pattern DEMO_ENTRY =
        Pattern.compile("ca|roster|coordinator|basket-[a-z]-peer-[0-9]+|README\\.txt");

    /** Most breast-cancer peers: its 455 training rows give each about 10. */
    private static final int MAX_CANCER_PEERS = 45;

    @Spec private CommandSpec spec;

    @Option(
        names = "--baskets",
        paramLabel = "B",
        defaultValue = "2",
        description = "Number of baskets, in [2, 26] (named a to z). Default: ${DEFAULT-VALUE}.")
    private int baskets;

    @Option(
        names = "--peers-per-basket",
        paramLabel = "P",
        defaultValue = "3",
        description = "Peers in every basket, in [1, 64]. Default: ${DEFAULT-VALUE}.")
    private int peersPerBasket;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Directory to write; created if missing, must be empty unless --force.")
    private Path out;

    @Option(
        names = "--base-port",
        paramLabel = "N",
        defaultValue = "7400",
        description =
            "Coordinator's port; peers use the next ports, metrics ports are 1000 higher."
                + " In [1024, 65535], with every port it implies <= 65535."
                + " Default: ${DEFAULT-VALUE}.")
    private int basePort;

    @Option(
        names = "--dataset",
        paramLabel = "NAME",
        defaultValue = "mnist10k",
        description =
            "Bundled data set: mnist10k (softmax regression, IDX files) or breast-cancer"
                + " (logistic regression, standardised CSV). Default: ${DEFAULT-VALUE}.")
    private String datasetName;

    @Option(
        names = "--seed",
        paramLabel = "S",
        defaultValue = "1",
        description =
            "Seed of the data partition and of trainer.seed (the initial model)."
                + " Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(
        names = "--force",
        description =
            "Write into a non-empty --out: first remove an earlier demo's ca/, roster/,"
                + " coordinator/, basket-*-peer-*/ and README.txt there (other files are kept).")
    private boolean force;

    Init() {}

    @Override
    public Integer call() {
      requireRange("--baskets", baskets, 2, 26);
      requireRange("--peers-per-basket", peersPerBasket, 1, 64);
      requireRange("--base-port", basePort, 1024, 65_535);
      long highest = DemoFederation.highestPort(baskets, peersPerBasket, basePort);
      if (highest > 65_535) {
        int processes = DemoFederation.processes(baskets, peersPerBasket);
        throw usage(
            "--base-port",
            basePort
                + " needs ports up to "
                + highest
                + " ("
                + processes
                + " processes and their metrics ports "
                + DemoFederation.metricsOffset(processes)
                + " higher), beyond 65535; use at most "
                + (basePort - (highest - 65_535)));
      }
      DemoDataset dataset = DemoDataset.parse(datasetName);
      if (dataset == null) {
        throw usage(
            "--dataset",
            "'"
                + datasetName
                + "' is not one of "
                + Arrays.stream(DemoDataset.values())
                    .map(DemoDataset::optionValue)
                    .collect(Collectors.joining(", ")));
      }
      if (dataset == DemoDataset.BREAST_CANCER && baskets * peersPerBasket > MAX_CANCER_PEERS) {
        throw usage(
            "--baskets/--peers-per-basket",
            baskets
                + " x "
                + peersPerBasket
                + " = "
                + baskets * peersPerBasket
                + " peers, but breast-cancer has training rows for at most "
                + MAX_CANCER_PEERS
                + " (about 10 rows each)");
      }
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw usage("--out", "'" + out + "' is a file, not a directory");
      }
      try {
        if (!isEmpty(out)) {
          if (!force) {
            return KeygenCommand.fail(
                spec,
                "'"
                    + out
                    + "' is not empty; refusing to write a demo federation into it. Choose a new"
                    + " --out, or use --force to replace an earlier demo there.");
          }
          removeEarlierDemo(out);
        }
        DemoFederation federation =
            new DemoFederation(baskets, peersPerBasket, basePort, dataset, seed);
        PrintWriter err = spec.commandLine().getErr();
        federation.write(
            out,
            Clock.systemUTC().instant(),
            new SecureRandom(),
            line -> {
              err.println(line);
              err.flush();
            });
        printCommands(federation, dataset);
        return 0;
      } catch (IOException e) {
        return KeygenCommand.fail(spec, "cannot write the demo into '" + out + "': " + e);
      } catch (TrustException e) {
        return KeygenCommand.fail(spec, e.getMessage());
      }
    }

    private void printCommands(DemoFederation federation, DemoDataset dataset) {
      PrintWriter w = spec.commandLine().getOut();
      Path abs = out.toAbsolutePath().normalize();
      List<String> commands = federation.startCommands(out);
      w.println(
          "Demo federation written to "
              + abs
              + ": "
              + baskets
              + " baskets x "
              + peersPerBasket
              + " peers and a coordinator, data set "
              + dataset.optionValue()
              + ".");
      w.println("Start every process in its own terminal, the coordinator first:");
      for (String c : commands) {
        w.println("  " + c);
      }
      w.println("Then watch it:");
      w.println("  " + federation.statusCommand(out));
      w.println("(also in " + abs.resolve("README.txt") + ")");
      w.flush();
    }

    private static boolean isEmpty(Path dir) throws IOException {
      if (!Files.exists(dir)) {
        return true;
      }
      try (Stream<Path> entries = Files.list(dir)) {
        return entries.findAny().isEmpty();
      }
    }

    private static void removeEarlierDemo(Path dir) throws IOException {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          if (DEMO_ENTRY.matcher(entry.getFileName().toString()).matches()) {
            deleteTree(entry);
          }
        }
      }
    }

    private static void deleteTree(Path root) throws IOException {
      if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(root);
        return;
      }
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    }

    private void requireRange(String option, long value, long min, long max) {
      if (value < min || value > max) {
        throw usage(option, value + " is not in [" + min + ", " + max + "]");
      }
    }

    private ParameterException usage(String option, String message) {
      return new ParameterException(
          spec.commandLine(), "Invalid value for " + option + ": " + message);
    }
  }
}

package org.fedgossip.cli;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.fedgossip.cli.daemon.ConfigException;
import org.fedgossip.cli.daemon.ConfigKeysPrinter;
import org.fedgossip.cli.daemon.DaemonLifecycle;
import org.fedgossip.cli.daemon.DaemonRuntime;
import org.fedgossip.cli.daemon.FederationDaemonRuntime;
import org.fedgossip.cli.daemon.MetricsServer;
import org.fedgossip.cli.daemon.PeerConfig;
import org.fedgossip.trust.PeerCertificate;
import org.fedgossip.trust.PemFiles;
import org.fedgossip.trust.TrustException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip peer}: the daemon of one federation member or of the coordinator.
 *
 * <p>It loads and validates the configuration ({@link PeerConfig}: file, environment, {@code
 * --set}), checks the files it names, reads the process's identity from its certificate, starts the
 * metrics endpoint when {@code metrics.port > 0}, starts the federation runtime through a {@link
 * DaemonRuntime.Factory}, waits for a stop request (SIGTERM or SIGINT, through a shutdown hook) and
 * closes everything in reverse order.
 *
 * <p>Exit codes: 0 after a clean stop requested in-process, 2 for a bad configuration (the message
 * names the key), 1 when start fails for another reason. SIGTERM or SIGINT stops it cleanly with
 * exit 0 (see {@link DaemonLifecycle}).
 */
@Command(
    name = "peer",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Run a federation peer or the coordinator (peer.role) from a peer.properties file: validate"
          + " the configuration, serve /metrics, /health and /status on metrics.host:metrics.port"
          + " (when metrics.port > 0) and run until SIGTERM or Ctrl-C.",
      "Settings come from --set (highest), FEDGOSSIP_* environment variables (the key upper-cased,"
          + " '.' as '_'), the file, then defaults; --list-keys prints every key."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fedgossip peer --config hospital-a/peer.properties",
      "  fedgossip peer --config peer.properties --set metrics.port=9400",
      "  FEDGOSSIP_PRIVACY_EPSILON=4 fedgossip peer --config peer.properties",
      "  fedgossip peer --config peer.properties --check",
      "  fedgossip peer --list-keys"
    })
final class PeerCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(PeerCommand.class);

  /** How long the shutdown hook lets the daemon close after SIGTERM before the JVM halts. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  /** What {@code /health} says while no runtime is plugged in. */
  static final String NO_RUNTIME =
      "no federation runtime was started: the daemon validated its configuration and serves"
          + " metrics only";

  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The peer.properties file; relative paths in it resolve against its directory.")
  private Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override one key (repeatable); wins over the environment and the file. Relative paths"
              + " resolve against the working directory.")
  private List<String> sets = new ArrayList<>();

  @Option(
      names = "--list-keys",
      description = "Print every configuration key with its default, allowed values and meaning.")
  private boolean listKeys;

  @Option(
      names = "--check",
      description =
          "Validate the configuration and the files it names, print every effective value with"
              + " where it came from (command-line, environment, file, default), and exit.")
  private boolean check;

  @Option(
      names = "--markdown",
      description = "With --list-keys, print the Markdown table of docs/configuration.md instead.")
  private boolean markdown;

  private final Map<String, String> environment;
  private final DaemonLifecycle lifecycle;
  private final boolean installShutdownHook;
  private final DaemonRuntime.Factory runtimeFactory;

  /** The command as {@code fedgossip peer} runs it: the real environment and signal handling. */
  PeerCommand() {
    this(System.getenv(), new DaemonLifecycle(), true, FederationDaemonRuntime.factory());
  }

  /**
   * A command for tests and embedding.
   *
   * @param environment the environment variables to read {@code FEDGOSSIP_*} settings from
   * @param lifecycle the lifecycle to run; the caller may request a stop on it
   * @param installShutdownHook whether to turn SIGTERM/SIGINT into a stop request
   * @param runtimeFactory the federation runtime to start, or null while there is none
   */
  PeerCommand(
      Map<String, String> environment,
      DaemonLifecycle lifecycle,
      boolean installShutdownHook,
      DaemonRuntime.Factory runtimeFactory) {
    this.environment = Map.copyOf(environment);
    this.lifecycle = lifecycle;
    this.installShutdownHook = installShutdownHook;
    this.runtimeFactory = runtimeFactory;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (listKeys) {
      if (markdown) {
        out.print(ConfigKeysPrinter.markdownTable());
        out.flush();
      } else {
        ConfigKeysPrinter.printText(out);
      }
      return 0;
    }
    if (configFile == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing required option: '--config=FILE' (or use --list-keys)");
    }
    PeerConfig config;
    PeerCertificate identity;
    try {
      config = PeerConfig.load(configFile, environment, PeerConfig.parseAssignments(sets));
      checkFiles(config);
      identity = readIdentity(config);
    } catch (ConfigException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("fedgossip peer: error: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (check) {
      printEffective(out, config, identity);
      return 0;
    }
    LOG.info(
        "Configuration {} is valid: peer.role={}, peer id {}",
        configFile,
        config.role().configName(),
        identity.peerId());
    if (installShutdownHook) {
      lifecycle.installShutdownHook(SHUTDOWN_GRACE);
    }
    lifecycle.starting();
    try {
      Files.createDirectories(config.path("peer.dataDir"));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      lifecycle.register("meter registry", registry::close);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      Gauge.builder("fedgossip.daemon.info", () -> 1)
          .description("Always 1; the labels say what this process is")
          .tag("role", config.role().configName())
          .tag("peer_id", identity.peerId().toString())
          .tag("basket", identity.basket())
          .register(registry);
      AtomicReference<DaemonRuntime> runtime = new AtomicReference<>();
      Optional<InetSocketAddress> metricsAddress = config.metricsAddress();
      if (metricsAddress.isPresent()) {
        MetricsServer server =
            lifecycle.register(
                "metrics endpoint",
                MetricsServer.start(
                    metricsAddress.get(),
                    registry,
                    () ->
                        runtime.get() == null
                            ? Optional.of(NO_RUNTIME)
                            : runtime.get().unhealthyReason(),
                    () -> status(config, identity, runtime.get())));
        out.println(
            "fedgossip peer: serving /metrics, /health and /status on http://"
                + server.address().getHostString()
                + ":"
                + server.port());
      } else {
        out.println("fedgossip peer: metrics endpoint off (metrics.port=0)");
      }
      if (runtimeFactory != null) {
        runtime.set(
            lifecycle.register(
                "federation runtime",
                runtimeFactory.start(config, registry, System::nanoTime, Clock.systemUTC())));
      } else {
        out.println("fedgossip peer: configuration valid; " + NO_RUNTIME + ".");
      }
      lifecycle.running();
    } catch (Exception e) {
      lifecycle.failed(e);
      PrintWriter err = spec.commandLine().getErr();
      err.println("fedgossip peer: error: cannot start: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.println(
        "fedgossip peer: running as "
            + config.role().configName()
            + " "
            + identity.peerId()
            + "; stop with SIGTERM or Ctrl-C");
    out.flush();
    String reason = lifecycle.awaitStop();
    // Printed before closing: after a signal the JVM halts as soon as the close has finished.
    out.println("fedgossip peer: stopping (" + reason + ")");
    out.flush();
    lifecycle.close();
    List<Exception> errors = lifecycle.closeErrors();
    out.println(
        "fedgossip peer: stopped"
            + (errors.isEmpty() ? "" : "; " + errors.size() + " resource(s) failed to close"));
    out.flush();
    return errors.isEmpty() ? 0 : 1;
  }

  private static void printEffective(PrintWriter out, PeerConfig config, PeerCertificate identity) {
    out.println(
        "fedgossip peer: configuration valid for "
            + config.role().configName()
            + " "
            + identity.peerId()
            + " (basket "
            + identity.basket()
            + ")");
    int width = config.effectiveValues().keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, String> e : config.effectiveValues().entrySet()) {
      String source =
          config
              .source(e.getKey())
              .map(PeerConfig.Source::name)
              .orElse("")
              .toLowerCase(Locale.ROOT);
      out.printf("  %-" + width + "s = %s  (%s)%n", e.getKey(), e.getValue(), source);
    }
    out.flush();
  }

  /** The fields of {@code /status}: the identity, then whatever the runtime reports. */
  private Map<String, Object> status(
      PeerConfig config, PeerCertificate identity, DaemonRuntime runtime) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("role", config.role().configName());
    s.put("peer_id", identity.peerId().toString());
    s.put("name", config.optional("peer.name").orElse(identity.displayName()));
    s.put("basket", identity.basket());
    s.put("state", lifecycle.state().name());
    if (runtime == null) {
      s.put("runtime", "not available");
    } else {
      s.putAll(runtime.status());
    }
    return s;
  }

  /** Checks that the files the configuration names exist, naming the key of any that does not. */
  private static void checkFiles(PeerConfig config) {
    for (String key :
        List.of(
            "peer.key",
            "peer.crt",
            "peer.caCrt",
            "peer.crl",
            "trainer.trainImages",
            "trainer.trainLabels",
            "trainer.trainCsv",
            "trainer.evalImages",
            "trainer.evalLabels",
            "trainer.evalCsv")) {
      Optional<Path> file = config.isSet(key) ? Optional.of(config.path(key)) : Optional.empty();
      if (file.isPresent() && !Files.isRegularFile(file.get())) {
        throw new ConfigException(key, key + ": no such file: " + file.get());
      }
    }
    Path roster = config.path("peer.roster");
    if (!Files.isDirectory(roster)) {
      throw new ConfigException("peer.roster", "peer.roster: no such directory: " + roster);
    }
  }

  private static PeerCertificate readIdentity(PeerConfig config) {
    Path crt = config.path("peer.crt");
    try {
      return PeerCertificate.parse(PemFiles.readCertificate(crt));
    } catch (TrustException e) {
      throw new ConfigException(
          "peer.crt", "peer.crt: " + crt + " is not a peer certificate: " + e.getMessage(), e);
    }
  }
}

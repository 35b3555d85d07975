package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.fedgossip.transport.netty.FederationTls;
import org.fedgossip.transport.netty.NettyTransport;
import org.fedgossip.transport.netty.TlsConfig;
import org.fedgossip.transport.netty.TlsProvider;
import org.fedgossip.transport.netty.TransportConfig;
import org.fedgossip.trust.Ed25519Keys;
import org.fedgossip.trust.FederationCa;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.PemFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip bench transport}: the throughput of real Netty endpoints on loopback, P senders
 * streaming payloads of N bytes to one receiver.
 *
 * <p>Each sender keeps at most {@code --window} payloads in flight, from the send until the
 * receiver's handler has it (a closed loop: the receiver runs in the same JVM and frees the slot),
 * so the transport's bounded queue is never the limit and no backlog hides in socket buffers. After
 * a warm-up, the bytes the receiver's handler sees during the measured interval give the throughput
 * in GB/s (10^9 bytes per second), payload bytes only. Latency is from the {@code send} call to the
 * receiver's handler, matched per sender by the transport's per-link FIFO order; it includes the
 * time spent behind the window's earlier payloads.
 *
 * <p>With {@code --tls} every endpoint speaks mutual TLS 1.3 with a certificate from a temporary
 * {@link FederationCa} created for the run in a temporary directory (deleted afterwards), so the
 * handshake, the trust module's certificate check and the record encryption are all measured. The
 * JIT compiles the JDK's AES-GCM paths late (over ten seconds on two busy cores), so TLS figures
 * need a warm-up of 15 s or more.
 */
@Command(
    name = "transport",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Measure the Netty transport's throughput on loopback: --peers senders stream payloads of"
          + " --payload-bytes to one receiver; the result is payload GB/s (10^9 bytes/s) seen by"
          + " the receiver's handler after the first delivery and a warm-up. Plaintext TCP, or"
          + " mutual TLS 1.3 with certificates from a temporary federation CA (--tls), with"
          + " BoringSSL or the JDK's engine (--tls-engine).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fedgossip bench transport --payload-bytes 4194304",
      "  fedgossip bench transport --payload-bytes 4194304 --tls --baseline",
      "  fedgossip bench transport --payload-bytes 4194304 --tls --tls-engine jdk",
      "  fedgossip bench transport --payload-bytes 1024 --peers 50 --json",
    })
final class BenchTransportCommand implements Callable<Integer> {

  private static final int PAYLOAD_TYPE = 1;
  private static final int MAX_PAYLOAD_BYTES = 1 << 30;
  private static final int MAX_LATENCY_SAMPLES = 1 << 22;

  @Spec private CommandSpec spec;

  /** The TLS engine used, for the report: openssl, jdk or none. */
  private String engine = "none";

  /** The cipher suite the first sender's connection negotiated, or none. */
  private String cipherSuite = "none";

  @Option(
      names = "--payload-bytes",
      paramLabel = "N",
      defaultValue = "4194304",
      description = "Bytes per payload, in [0, 1073741823 - envelope] (default: ${DEFAULT-VALUE}).")
  private int payloadBytes;

  @Option(
      names = "--peers",
      paramLabel = "P",
      defaultValue = "1",
      description =
          "Sending peers, each with its own connection to the receiver, in [1, 1000]"
              + " (default: ${DEFAULT-VALUE}).")
  private int peers;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "5",
      description =
          "Length of the measured interval in seconds, in (0, 3600] (default: ${DEFAULT-VALUE}).")
  private double seconds;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "W",
      defaultValue = "2",
      description =
          "Warm-up before measuring, in seconds, in [0, 3600] (default: ${DEFAULT-VALUE}).")
  private double warmupSeconds;

  @Option(
      names = "--window",
      paramLabel = "K",
      defaultValue = "16",
      description =
          "Payloads each peer keeps in flight, from send until the receiver's handler has them,"
              + " in [1, 100000] (default: ${DEFAULT-VALUE}).")
  private int window;

  @Option(
      names = "--baseline",
      description =
          "Also measure a raw-socket copy on loopback in the same run (one blocking connection,"
              + " the same payload size, no framing), as the local limit.")
  private boolean baseline;

  @Option(
      names = "--tls",
      description =
          "Use mutual TLS 1.3: a temporary federation CA (deleted afterwards) issues each"
              + " endpoint's certificate. Give it --warmup-seconds 15 or more: the JIT compiles"
              + " the JDK's AES-GCM paths late.")
  private boolean tls;

  @Option(
      names = "--tls-engine",
      paramLabel = "E",
      defaultValue = "auto",
      description =
          "TLS engine with --tls (transport.tls.provider): auto (BoringSSL when its native"
              + " library loads, else the JDK's), openssl or jdk (default: ${DEFAULT-VALUE}).")
  private String tlsEngine;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call() throws Exception {
    validate();
    TlsProvider provider = parseEngine();
    if (!tls) {
      return measure(null);
    }
    Path directory = Files.createTempDirectory("fedgossip-bench-tls-");
    try {
      return measure(new BenchPki(directory, provider));
    } finally {
      deleteRecursively(directory);
    }
  }

  /** One endpoint's id and TLS settings (null for plaintext). */
  private record Endpoint(PeerId id, TlsConfig tls) {}

  /** A temporary federation CA that issues each endpoint's certificate and key files. */
  private static final class BenchPki {
    private final Path directory;
    private final FederationCa ca;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final TlsProvider provider;

    BenchPki(Path directory, TlsProvider provider) {
      this.directory = directory;
      this.provider = provider;
      this.ca =
          FederationCa.create(
              directory.resolve("ca"),
              "bench CA",
              clock.instant().minus(Duration.ofHours(1)),
              Duration.ofDays(2),
              random,
              false);
    }

    Endpoint endpoint(String name) {
      KeyPair keys = Ed25519Keys.generate(random);
      X509Certificate certificate =
          ca.issue(
              keys.getPublic(),
              name,
              "bench",
              clock.instant().minus(Duration.ofHours(1)),
              Duration.ofDays(1));
      Path crt = directory.resolve(name + ".crt");
      Path key = directory.resolve(name + ".key");
      PemFiles.writeCertificate(crt, certificate);
      PemFiles.writePrivateKey(key, keys.getPrivate());
      FederationTls federation =
          FederationTls.fromCaDirectory(directory.resolve("ca"), crt, key, clock, provider);
      return new Endpoint(Ed25519Keys.peerId(keys.getPublic()), federation.tlsConfig());
    }
  }

  private Endpoint endpoint(BenchPki pki, String name) {
    return pki == null ? new Endpoint(id(name), null) : pki.endpoint(name);
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private int measure(BenchPki pki) throws Exception {
    int maxFrame = (int) Math.min(MAX_PAYLOAD_BYTES, Math.max(64L << 20, payloadBytes + 4096L));
    TransportConfig config =
        TransportConfig.loopback()
            .withMaxFrameBytes(maxFrame)
            // A slot frees on receipt, which can precede the sender's write completion: leave room.
            .withOutboundQueueFrames(Math.min(1_000_000, 4 * window + 64));
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    AtomicLong receivedBytes = new AtomicLong();
    AtomicLong receivedMessages = new AtomicLong();
    // Per-link FIFO lets the receiver match the k-th payload from a sender to its k-th send time.
    Map<PeerId, Queue<Long>> sendTimes = new ConcurrentHashMap<>();
    Map<PeerId, Semaphore> windows = new ConcurrentHashMap<>();
    AtomicBoolean measuring = new AtomicBoolean();
    long[] latencies = new long[MAX_LATENCY_SAMPLES];
    AtomicInteger latencyCount = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<NettyTransport> senders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicLong failedSends = new AtomicLong();
    Endpoint receiving = endpoint(pki, "receiver");
    try (NettyTransport receiver =
        new NettyTransport(receiving.id(), loopback, config, 1L, receiving.tls())) {
      receiver.onReceive(
          PAYLOAD_TYPE,
          (from, type, payload) -> {
            long now = System.nanoTime();
            receivedBytes.addAndGet(payload.remaining());
            receivedMessages.incrementAndGet();
            // Closed loop: a sender's window slot frees when its payload reaches the handler.
            windows.get(from).release();
            Long sentAt = sendTimes.get(from).poll();
            if (sentAt != null && measuring.get()) {
              int slot = latencyCount.getAndIncrement();
              if (slot < latencies.length) {
                latencies[slot] = now - sentAt;
              }
            }
          });
      receiver.start();
      ByteBuffer payload = ByteBuffer.allocateDirect(payloadBytes);
      SplittableRandom random = new SplittableRandom(42L);
      while (payload.hasRemaining()) {
        payload.put((byte) random.nextInt());
      }
      payload.flip();
      ByteBuffer shared = payload.asReadOnlyBuffer();
      try {
        for (int i = 0; i < peers; i++) {
          // One event loop per sender: each stands for a peer process with one connection.
          Endpoint sending = endpoint(pki, "sender-" + i);
          NettyTransport sender =
              new NettyTransport(
                  sending.id(), loopback, config.withEventLoopThreads(1), 2L + i, sending.tls());
          senders.add(sender);
          Queue<Long> times = new ConcurrentLinkedQueue<>();
          sendTimes.put(sender.localId(), times);
          sender.start();
          sender.addPeer(receiver.localId(), receiver.localAddress());
          Semaphore outstanding = new Semaphore(window);
          windows.put(sender.localId(), outstanding);
          Thread thread =
              new Thread(
                  () -> {
                    while (!stop.get()) {
                      if (!tryAcquire(outstanding)) {
                        continue;
                      }
                      times.add(System.nanoTime());
                      sender
                          .send(receiver.localId(), PAYLOAD_TYPE, shared.duplicate())
                          .whenComplete(
                              (ok, error) -> {
                                if (error != null) {
                                  failedSends.incrementAndGet();
                                  outstanding.release();
                                }
                              });
                    }
                  },
                  "bench-sender-" + i);
          thread.setDaemon(true);
          threads.add(thread);
        }
        threads.forEach(Thread::start);
        // Connections open and classes load on the first sends: wait for the first delivery,
        // then warm up, so a short run does not measure start-up.
        long firstDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (receivedMessages.get() == 0 && System.nanoTime() < firstDeadline) {
          Thread.sleep(1);
        }
        if (receivedMessages.get() == 0) {
          spec.commandLine().getErr().println("no payload arrived within 30 s; giving up");
          return 1;
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        measuring.set(true);
        long bytesBefore = receivedBytes.get();
        long messagesBefore = receivedMessages.get();
        long startNanos = System.nanoTime();
        long cpuBefore = processCpuNanos();
        Thread.sleep((long) (seconds * 1000));
        long cpuNanos = processCpuNanos() - cpuBefore;
        long bytes = receivedBytes.get() - bytesBefore;
        long messages = receivedMessages.get() - messagesBefore;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        measuring.set(false);
        stop.set(true);
        for (Thread thread : threads) {
          thread.join(5_000);
        }
        engine = receiving.tls() == null ? "none" : receiving.tls().provider().configName();
        cipherSuite = senders.get(0).cipherSuite(receiver.localId()).orElse("none");
        double rawGigabytesPerSecond = baseline ? rawSocketGigabytesPerSecond() : Double.NaN;
        int samples = Math.min(latencyCount.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, samples);
        Arrays.sort(sorted);
        report(
            bytes / elapsed / 1e9,
            bytes == 0 || cpuNanos < 0 ? Double.NaN : cpuNanos / 1e9 / (bytes / 1e9),
            messages,
            elapsed,
            failedSends.get(),
            rawGigabytesPerSecond,
            percentileMicros(sorted, 0.50),
            percentileMicros(sorted, 0.99));
      } finally {
        stop.set(true);
        senders.forEach(NettyTransport::close);
      }
    }
    return 0;
  }

  /**
   * CPU time of the whole process (every thread: senders, event loops, receiver, collector), or -1
   * where the JVM cannot tell.
   */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  private static boolean tryAcquire(Semaphore semaphore) {
    try {
      return semaphore.tryAcquire(10, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Streams the payload over one blocking loopback socket for the same warm-up and interval and
   * returns the bytes read per second, in GB/s.
   */
  private double rawSocketGigabytesPerSecond() throws Exception {
    int chunk = Math.max(payloadBytes, 1);
    AtomicLong read = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    try (java.nio.channels.ServerSocketChannel server =
        java.nio.channels.ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread writer =
          new Thread(
              () -> {
                try (java.nio.channels.SocketChannel out =
                    java.nio.channels.SocketChannel.open(server.getLocalAddress())) {
                  ByteBuffer buffer = ByteBuffer.allocateDirect(chunk);
                  while (!stop.get()) {
                    buffer.clear();
                    while (buffer.hasRemaining() && !stop.get()) {
                      out.write(buffer);
                    }
                  }
                } catch (java.io.IOException e) {
                  // The reader closed its end: the measurement is over.
                }
              },
              "bench-raw-writer");
      writer.setDaemon(true);
      writer.start();
      try (java.nio.channels.SocketChannel in = server.accept()) {
        Thread reader =
            new Thread(
                () -> {
                  ByteBuffer buffer = ByteBuffer.allocateDirect(chunk);
                  try {
                    // Reads until the writer, told to stop, closes its end.
                    while (true) {
                      buffer.clear();
                      int n = in.read(buffer);
                      if (n < 0) {
                        return;
                      }
                      read.addAndGet(n);
                    }
                  } catch (java.io.IOException e) {
                    // Closed at the end of the measurement.
                  }
                },
                "bench-raw-reader");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep((long) (warmupSeconds * 1000));
        long before = read.get();
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long bytes = read.get() - before;
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        writer.join(5_000);
        reader.join(5_000);
        return bytes / elapsed / 1e9;
      }
    }
  }

  /** The nearest-rank percentile of sorted nanosecond samples, in microseconds; NaN if none. */
  private static double percentileMicros(long[] sortedNanos, double quantile) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(quantile * sortedNanos.length);
    return sortedNanos[Math.max(rank - 1, 0)] / 1e3;
  }

  private void report(
      double gigabytesPerSecond,
      double cpuSecondsPerGigabyte,
      long messages,
      double elapsed,
      long failed,
      double rawGigabytesPerSecond,
      double p50Micros,
      double p99Micros) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.printf(
          Locale.ROOT,
          "{\"gigabytes_per_second\": %.6f, \"payload_bytes\": %d, \"peers\": %d,"
              + " \"messages\": %d, \"seconds\": %.3f, \"latency_p50_micros\": %.1f,"
              + " \"latency_p99_micros\": %.1f, \"tls\": %b, \"tls_engine\": %s,"
              + " \"tls_cipher_suite\": %s, \"cpu_seconds_per_gigabyte\": %s%s}%n",
          gigabytesPerSecond,
          payloadBytes,
          peers,
          messages,
          elapsed,
          p50Micros,
          p99Micros,
          tls,
          Json.quote(engine),
          Json.quote(cipherSuite),
          Double.isNaN(cpuSecondsPerGigabyte)
              ? "null"
              : String.format(Locale.ROOT, "%.4f", cpuSecondsPerGigabyte),
          baseline
              ? String.format(
                  Locale.ROOT, ", \"raw_socket_gigabytes_per_second\": %.6f", rawGigabytesPerSecond)
              : "");
      out.flush();
      return;
    }
    if (baseline) {
      out.printf(
          Locale.ROOT, "raw socket copy (loopback, same run): %.3f GB/s%n", rawGigabytesPerSecond);
    }
    out.printf(
        Locale.ROOT,
        "transport (%s, loopback): %d sender(s), payload %d bytes%n"
            + "  %.3f GB/s, %.0f messages/s (%d messages in %.2f s, %d failed sends)%n"
            + "  latency send-to-handler: p50 %.1f us, p99 %.1f us (window %d per sender)%n"
            + "  CPU: %.3f s of process CPU time per GB moved (both ends are in this process)%n",
        tls ? "mutual TLS 1.3, engine " + engine + ", " + cipherSuite : "plaintext TCP",
        peers,
        payloadBytes,
        gigabytesPerSecond,
        messages / elapsed,
        messages,
        elapsed,
        failed,
        p50Micros,
        p99Micros,
        window,
        cpuSecondsPerGigabyte);
    out.flush();
  }

  private void validate() {
    if (payloadBytes < 0 || payloadBytes > MAX_PAYLOAD_BYTES - 4096) {
      throw usage(
          "--payload-bytes is "
              + payloadBytes
              + "; it must be in [0, "
              + (MAX_PAYLOAD_BYTES - 4096)
              + "]");
    }
    if (peers < 1 || peers > 1000) {
      throw usage("--peers is " + peers + "; it must be in [1, 1000]");
    }
    if (!(seconds > 0 && seconds <= 3600)) {
      throw usage("--seconds is " + seconds + "; it must be in (0, 3600]");
    }
    if (!(warmupSeconds >= 0 && warmupSeconds <= 3600)) {
      throw usage("--warmup-seconds is " + warmupSeconds + "; it must be in [0, 3600]");
    }
    if (window < 1 || window > 100_000) {
      throw usage("--window is " + window + "; it must be in [1, 100000]");
    }
  }

  private TlsProvider parseEngine() {
    try {
      return TlsProvider.parse(tlsEngine);
    } catch (IllegalArgumentException e) {
      throw usage("--tls-engine is " + tlsEngine + "; it must be one of auto, openssl, jdk");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static PeerId id(String label) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return PeerId.fromDigest(sha256.digest(("bench-" + label).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}

package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BenchTransportCommandTest extends CommandTestSupport {

  @Test
  void jsonReportsPositiveThroughputOverLoopback() {
    int exit =
        run(
            "bench",
            "transport",
            "--payload-bytes",
            "65536",
            "--peers",
            "2",
            "--seconds",
            "0.3",
            "--warmup-seconds",
            "0.1",
            "--json");

    assertThat(exit).as(err.toString()).isZero();
    String json = out.toString().strip();
    assertThat(json).startsWith("{\"gigabytes_per_second\": ").contains("\"peers\": 2");
    double gbps =
        Double.parseDouble(json.replaceAll("^\\{\"gigabytes_per_second\": ([0-9.]+),.*$", "$1"));
    assertThat(gbps).isPositive();
  }

  @Test
  void tlsRunReportsPositiveThroughputBesideTheBaselineAndDeletesItsTemporaryCa() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Set<Path> before = benchDirectories(tmp);
    int exit =
        run(
            "bench",
            "transport",
            "--tls",
            "--baseline",
            "--payload-bytes",
            "4096",
            "--seconds",
            "0.2",
            "--warmup-seconds",
            "0.05",
            "--json");

    assertThat(exit).as(err.toString()).isZero();
    String json = out.toString().strip();
    assertThat(json)
        .contains("\"tls\": true")
        .contains("\"tls_engine\": \"openssl\"")
        .contains("\"tls_cipher_suite\": \"TLS_AES_128_GCM_SHA256\"")
        .contains("\"raw_socket_gigabytes_per_second\": ")
        .containsPattern("\"cpu_seconds_per_gigabyte\": [0-9]+\\.[0-9]{4}");
    double gbps =
        Double.parseDouble(json.replaceAll("^\\{\"gigabytes_per_second\": ([0-9.]+),.*$", "$1"));
    assertThat(gbps).isPositive();
    assertThat(benchDirectories(tmp)).isEqualTo(before);
  }

  private static Set<Path> benchDirectories(Path tmp) throws Exception {
    try (Stream<Path> list = Files.list(tmp)) {
      return list.filter(p -> p.getFileName().toString().startsWith("fedgossip-bench-tls-"))
          .collect(Collectors.toSet());
    }
  }

  @Test
  void tlsEngineJdkRunsSunJsseAndABadEngineIsAUsageError() {
    int exit =
        run(
            "bench",
            "transport",
            "--tls",
            "--tls-engine",
            "jdk",
            "--payload-bytes",
            "4096",
            "--seconds",
            "0.2",
            "--warmup-seconds",
            "0.05",
            "--json");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("\"tls_engine\": \"jdk\"");

    assertThat(run("bench", "transport", "--tls", "--tls-engine", "gnutls")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--tls-engine is gnutls; it must be one of auto, openssl, jdk");
  }

  @Test
  void badOptionIsAUsageErrorNamingTheOptionAndRange() {
    int exit = run("bench", "transport", "--payload-bytes", "-1");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--payload-bytes is -1").contains("[0, ");
  }
}

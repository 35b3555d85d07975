package org.fedgossip.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The processes leg's parameters; the leg itself runs in {@code ChaosCommandTest} (slow). */
class ProcessLegTest {

  private static ProcessLeg.Config config(List<String> launcher) {
    return new ProcessLeg.Config(1, 8, 3, 2, 0.05, 300, 256, 21000, launcher, Path.of("out"));
  }

  @Test
  void theReportedJvmOptionsAreTheLaunchersOwnUpToTheClassPath() {
    List<String> launcher =
        List.of(
            "/jdk/bin/java",
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "--add-modules",
            "jdk.incubator.vector",
            "-cp",
            "a.jar:b.jar",
            "org.fedgossip.cli.FedGossip");
    assertThat(ProcessLeg.jvmOptions(config(launcher).launcher()))
        .isEqualTo("-Xmx256m -XX:+UseSerialGC --add-modules jdk.incubator.vector");
  }

  @Test
  void anEmptyLauncherIsRefusedByName() {
    assertThatThrownBy(() -> config(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("launcher");
  }
}

package org.fedgossip.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the loading of {@code peer.properties}: {@link PeerConfig#load} on a file with arbitrary
 * content, then the lower-module configurations built from it.
 *
 * <p>Byte 0 picks the mode. Odd: the rest is the file, as it is. Even: the rest is cut into lines;
 * the first byte of each line picks a known key (modulo the number of keys) and the rest of the
 * line is its value, so the fuzzer reaches every key's parser and the checks between keys. Files
 * above {@link PeerConfig#MAX_FILE_BYTES} are refused before they are read.
 *
 * <p>Property: loading either succeeds or throws {@link ConfigException} (never a {@code
 * NumberFormatException}, {@code NullPointerException} or other unchecked exception); an exception
 * that names a key names it in its message; a loaded configuration builds every lower-module
 * configuration (gossip, transport, TLS provider, privacy budget, rule, staleness buffer,
 * checkpoints) without an exception. Seeds and regression inputs: {@code
 * src/test/resources/org/fedgossip/cli/daemon/PeerConfigFuzzTestInputs/loadsArbitraryFile/}.
 */
class PeerConfigFuzzTest {

  private static final List<ConfigKey> KEYS = ConfigKeys.all();

  /** One scratch file per JVM, on tmpfs when there is one. */
  private static final Path FILE = scratchFile();

  private static Path scratchFile() {
    Path shm = Paths.get("/dev/shm");
    try {
      Path dir =
          Files.isDirectory(shm) && Files.isWritable(shm)
              ? Files.createTempDirectory(shm, "config-fuzz")
              : Files.createTempDirectory("config-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("peer.properties");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Turns each line's first byte into a known key: {@code <key>=<rest of the line>}. */
  static byte[] keyed(byte[] rest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int start = 0;
    while (start < rest.length) {
      int end = start;
      while (end < rest.length && rest[end] != '\n') {
        end++;
      }
      if (end > start) {
        String key = KEYS.get((rest[start] & 0xFF) % KEYS.size()).name();
        out.writeBytes((key + "=").getBytes(StandardCharsets.UTF_8));
        out.write(rest, start + 1, end - start - 1);
        out.write('\n');
      }
      start = end + 1;
    }
    return out.toByteArray();
  }

  @FuzzTest(maxDuration = "30s")
  void loadsArbitraryFile(byte[] input) throws IOException {
    byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    byte[] content = input.length > 0 && (input[0] & 1) == 1 ? rest : keyed(rest);
    Files.write(FILE, content);
    PeerConfig config;
    try {
      config = PeerConfig.load(FILE, Map.of(), Map.of());
    } catch (ConfigException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      refused.key().ifPresent(key -> assertThat(refused.getMessage()).contains(key));
      return;
    }
    assertThat(config.role()).isNotNull();
    assertThat(config.effectiveValues()).isNotEmpty();
    assertThat(config.toString()).isNotEmpty();
    assertThat(config.gossipConfig()).isNotNull();
    assertThat(config.transportConfig()).isNotNull();
    assertThat(config.tlsProvider()).isNotNull();
    assertThat(config.privacyBudget()).isNotNull();
    assertThat(config.ruleSpec()).isNotNull();
    assertThat(config.stalenessBufferConfig()).isNotNull();
    assertThat(config.checkpointConfig()).isNotNull();
    for (ConfigKey key : KEYS) {
      assertThat(config.optional(key.name())).isNotNull();
    }
  }
}

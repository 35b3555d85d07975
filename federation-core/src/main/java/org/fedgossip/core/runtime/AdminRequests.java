package org.fedgossip.core.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.fedgossip.trust.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator requests to a running coordinator, as files in its data directory's {@code admin/}
 * folder: only whoever may write the coordinator's data directory can make one, so no network
 * endpoint is needed. {@code fedgossip admin deregister} writes {@code deregister-<id>.request}
 * (write, fsync, rename); the coordinator picks it up within its housekeeping interval, records the
 * deregistration in its audit log and only then deletes the file, so a crash in between repeats the
 * request instead of losing it.
 */
public final class AdminRequests {

  private static final Logger LOG = LoggerFactory.getLogger(AdminRequests.class);

  /** The folder of requests inside a data directory. */
  public static final String FOLDER = "admin";

  private static final String PREFIX = "deregister-";
  private static final String SUFFIX = ".request";

  private AdminRequests() {}

  /**
   * Asks the coordinator owning a data directory to deregister a peer.
   *
   * @param dataDirectory the coordinator's {@code peer.dataDir}
   * @param peer the peer
   * @return the request file
   * @throws IOException if it cannot be written
   */
  public static Path requestDeregistration(Path dataDirectory, PeerId peer) throws IOException {
    Path folder = Files.createDirectories(dataDirectory.resolve(FOLDER));
    Path target = folder.resolve(PREFIX + peer + SUFFIX);
    Path temp = folder.resolve(PREFIX + peer + ".tmp");
    Files.write(temp, (peer + "\n").getBytes(StandardCharsets.US_ASCII));
    try (var channel =
        java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /**
   * Hands every pending deregistration request to the coordinator; each file is deleted once the
   * coordinator has recorded it. A malformed request is renamed to {@code .rejected} and logged.
   *
   * @param dataDirectory the coordinator's data directory
   * @param coordinator the coordinator
   * @param inFlight requests already handed over and not yet recorded, to skip
   */
  static void deregistrations(Path dataDirectory, Coordinator coordinator, Set<Path> inFlight) {
    Path folder = dataDirectory.resolve(FOLDER);
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, PREFIX + "*" + SUFFIX)) {
      for (Path f : files) {
        if (!inFlight.add(f)) {
          continue;
        }
        PeerId peer;
        try {
          peer = PeerId.parse(Files.readString(f, StandardCharsets.US_ASCII).strip());
        } catch (IOException | IllegalArgumentException e) {
          LOG.warn(
              "admin request {} is not a peer id; set aside as .rejected: {}", f, e.getMessage());
          Files.move(
              f,
              f.resolveSibling(f.getFileName() + ".rejected"),
              StandardCopyOption.REPLACE_EXISTING);
          inFlight.remove(f);
          continue;
        }
        coordinator.deregister(
            peer,
            () -> {
              try {
                Files.deleteIfExists(f);
              } catch (IOException e) {
                LOG.warn("could not delete the handled request {}: {}", f, e.toString());
              }
              inFlight.remove(f);
            });
      }
    } catch (IOException e) {
      LOG.warn("could not read the admin requests in {}: {}", folder, e.toString());
    }
  }
}

package org.fedgossip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops child JVMs that run {@code fedgossip} subcommands, for the multi-process
 * simulation and the multi-process tests: the same JVM binary, the same class path (or module
 * path), the Vector API module when this JVM has it, and a stop that never leaves a process behind.
 */
final class ChildJvm {

  /** The incubating Vector API module that {@code bin/fedgossip} adds for the SIMD Krum kernel. */
  static final String VECTOR_MODULE = "jdk.incubator.vector";

  private ChildJvm() {}

  /**
   * The command line of a child JVM that runs {@code fedgossip args...} on this JVM's code.
   *
   * @param jvmOptions options before the main class, for example {@code -Xmx256m}
   * @param args the {@code fedgossip} arguments
   * @return the command, the java binary first
   */
  static List<String> command(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
      command.add("--add-modules");
      command.add(VECTOR_MODULE);
    }
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null && FedGossip.class.getModule().isNamed()) {
      command.add("-p");
      command.add(modulePath);
      command.add("-m");
      command.add(FedGossip.class.getModule().getName() + "/" + FedGossip.class.getName());
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(FedGossip.class.getName());
    }
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Stops processes: asks each to stop (SIGTERM), waits up to the grace period for all of them,
   * then kills (SIGKILL) what is left and its descendants, and waits for the kills. Returns only
   * when none of them is alive, or after a further grace period if the OS does not comply.
   *
   * @param processes the processes; those already dead are skipped
   * @param grace how long to wait after SIGTERM
   */
  static void stopAll(Collection<Process> processes, Duration grace) {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroy();
      }
    }
    long end = System.nanoTime() + grace.toNanos();
    for (Process p : processes) {
      awaitExit(p, end - System.nanoTime());
    }
    for (Process p : processes) {
      if (p.isAlive()) {
        descendants(p.toHandle()).forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
    long killEnd = System.nanoTime() + grace.toNanos();
    for (Process p : processes) {
      awaitExit(p, killEnd - System.nanoTime());
    }
  }

  /**
   * A process's descendants, found by walking {@link ProcessHandle#children()}: on some Linux hosts
   * {@link ProcessHandle#descendants()} misses the children of a JVM that {@code children()} finds.
   *
   * @param root the process
   * @return its children, their children, and so on, parents first; filter with {@link #alive}
   */
  static List<ProcessHandle> descendants(ProcessHandle root) {
    List<ProcessHandle> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(ProcessHandle parent, List<ProcessHandle> out) {
    parent
        .children()
        .forEach(
            c -> {
              out.add(c);
              collect(c, out);
            });
  }

  /**
   * Whether a process runs: on Linux from {@code /proc/<pid>/stat} (present and not a zombie),
   * which does not depend on the start-time bookkeeping that {@link ProcessHandle#isAlive()}
   * checks; elsewhere {@code isAlive()}.
   *
   * @param process the process
   * @return true while it runs
   */
  static boolean alive(ProcessHandle process) {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return process.isAlive();
    }
    try {
      String stat = Files.readString(proc.resolve(Long.toString(process.pid())).resolve("stat"));
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitExit(Process p, long nanos) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          p.waitFor(Math.max(0, nanos), TimeUnit.NANOSECONDS);
          return;
        } catch (InterruptedException e) {
          // Cleanup must finish even if the caller is interrupted; the flag is restored below.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

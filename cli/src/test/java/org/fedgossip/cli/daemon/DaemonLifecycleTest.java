package org.fedgossip.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DaemonLifecycleTest {

  private final List<String> closed = new CopyOnWriteArrayList<>();

  private AutoCloseable resource(String name) {
    return () -> closed.add(name);
  }

  @Test
  void awaitStopReturnsTheReasonOfTheFirstStopRequestFromAnotherThread() throws Exception {
    DaemonLifecycle lifecycle = new DaemonLifecycle();
    lifecycle.starting();
    lifecycle.running();
    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      Future<String> reason = waiter.submit(() -> lifecycle.awaitStop());
      assertThat(lifecycle.awaitStop(Duration.ofMillis(20))).isFalse();
      assertThat(lifecycle.stopRequested()).isFalse();

      lifecycle.requestStop("test asked");
      lifecycle.requestStop("second request");

      assertThat(reason.get(5, TimeUnit.SECONDS)).isEqualTo("test asked");
      assertThat(lifecycle.stopRequested()).isTrue();
    } finally {
      waiter.shutdownNow();
    }
  }

  @Test
  void closeClosesInReverseOrderAndKeepsGoingPastErrors() {
    DaemonLifecycle lifecycle = new DaemonLifecycle();
    lifecycle.starting();
    lifecycle.register("metrics", resource("metrics"));
    lifecycle.register(
        "transport",
        () -> {
          closed.add("transport");
          throw new IOException("socket stuck");
        });
    lifecycle.running();
    lifecycle.register("runtime", resource("runtime"));

    lifecycle.close();
    lifecycle.close();

    assertThat(closed).containsExactly("runtime", "transport", "metrics");
    assertThat(lifecycle.state()).isEqualTo(DaemonLifecycle.State.CLOSED);
    assertThat(lifecycle.closeErrors())
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessage("socket stuck"));
  }

  @Test
  void aFailedStartClosesWhatWasOpenedAndEndsFailed() {
    DaemonLifecycle lifecycle = new DaemonLifecycle();
    lifecycle.starting();
    lifecycle.register("registry", resource("registry"));
    lifecycle.register("metrics", resource("metrics"));

    lifecycle.failed(new IOException("port busy"));

    assertThat(closed).containsExactly("metrics", "registry");
    assertThat(lifecycle.state()).isEqualTo(DaemonLifecycle.State.FAILED);
  }

  @Test
  void illegalTransitionsAreRefused() {
    DaemonLifecycle lifecycle = new DaemonLifecycle();
    assertThatThrownBy(lifecycle::running)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("from NEW");
    assertThatThrownBy(() -> lifecycle.register("x", resource("x")))
        .isInstanceOf(IllegalStateException.class);

    lifecycle.starting();
    assertThatThrownBy(lifecycle::starting).isInstanceOf(IllegalStateException.class);
    lifecycle.running();
    assertThatThrownBy(() -> lifecycle.failed(new RuntimeException()))
        .isInstanceOf(IllegalStateException.class);
    lifecycle.close();
    assertThatThrownBy(() -> lifecycle.register("late", resource("late")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CLOSED");
  }

  @Test
  void theShutdownHookIsInstalledOnceAndRemovedByClose() {
    DaemonLifecycle lifecycle = new DaemonLifecycle();
    lifecycle.installShutdownHook(Duration.ofSeconds(1));
    assertThatThrownBy(() -> lifecycle.installShutdownHook(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
    lifecycle.starting();
    lifecycle.running();

    lifecycle.close();

    assertThat(lifecycle.state()).isEqualTo(DaemonLifecycle.State.CLOSED);
    assertThat(lifecycle.hookInstalled()).isFalse();
  }
}

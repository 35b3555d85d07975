package org.fedgossip.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelRunnerTest {

  @Test
  void runsEveryTaskExactlyOnce() {
    try (ParallelRunner runner = ParallelRunner.withThreads(3)) {
      AtomicIntegerArray runs = new AtomicIntegerArray(100);
      runner.forEachTask(100, runs::incrementAndGet);
      for (int t = 0; t < 100; t++) {
        assertThat(runs.get(t)).isEqualTo(1);
      }
    }
  }

  @Test
  void rethrowsATaskFailure() {
    try (ParallelRunner runner = ParallelRunner.withThreads(2)) {
      assertThatThrownBy(
              () ->
                  runner.forEachTask(
                      10,
                      t -> {
                        if (t == 7) {
                          throw new IllegalStateException("task 7 failed");
                        }
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("task 7 failed");
    }
  }

  @Test
  void finishesOnTheCallerWhenTheExecutorRejectsHelpers() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    ParallelRunner runner = ParallelRunner.of(pool, 4);
    AtomicIntegerArray runs = new AtomicIntegerArray(20);
    runner.forEachTask(20, runs::incrementAndGet);
    for (int t = 0; t < 20; t++) {
      assertThat(runs.get(t)).isEqualTo(1);
    }
  }

  @Test
  void refusesParallelismBelowOne() {
    assertThatThrownBy(() -> ParallelRunner.withThreads(0))
        .hasMessage("parallelism must be >= 1, got 0");
  }
}

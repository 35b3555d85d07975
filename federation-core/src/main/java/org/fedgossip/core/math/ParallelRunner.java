package org.fedgossip.core.math;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs a fixed number of independent tasks on up to {@code parallelism} threads and waits for all.
 *
 * <p>Kernels that use it split their work into a fixed set of tasks whose partition does not depend
 * on the thread count, write each task's result to its own slot and combine the slots in task
 * order, so their results are bit-for-bit identical whatever the parallelism and the scheduling.
 * Nothing runs on the common pool: threads come from the executor passed in, or from a pool this
 * runner owns and shuts down on {@link #close()}.
 */
public final class ParallelRunner implements AutoCloseable {

  private static final ParallelRunner SEQUENTIAL = new ParallelRunner(Runnable::run, 1, null);

  private final Executor executor;
  private final int parallelism;
  private final ExecutorService owned;

  private ParallelRunner(Executor executor, int parallelism, ExecutorService owned) {
    this.executor = executor;
    this.parallelism = parallelism;
    this.owned = owned;
  }

  /**
   * A runner that runs every task on the calling thread.
   *
   * @return the shared sequential runner; closing it does nothing
   */
  public static ParallelRunner sequential() {
    return SEQUENTIAL;
  }

  /**
   * A runner that uses {@code parallelism − 1} threads of {@code executor} plus the calling thread.
   *
   * @param executor where helper tasks run; it must run them concurrently with the caller
   * @param parallelism the number of threads working at once, at least 1
   * @return a runner that does not own the executor
   * @throws IllegalArgumentException if {@code parallelism < 1}
   */
  public static ParallelRunner of(Executor executor, int parallelism) {
    Objects.requireNonNull(executor, "executor");
    requireParallelism(parallelism);
    return new ParallelRunner(executor, parallelism, null);
  }

  /**
   * A runner with its own pool of {@code threads − 1} daemon threads, shut down by {@link
   * #close()}.
   *
   * @param threads the number of threads working at once, at least 1
   * @return a runner owning its pool, or the sequential runner for one thread
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static ParallelRunner withThreads(int threads) {
    requireParallelism(threads);
    if (threads == 1) {
      return SEQUENTIAL;
    }
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads - 1,
            r -> {
              Thread t = new Thread(r, "fedgossip-kernel-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return new ParallelRunner(pool, threads, pool);
  }

  private static void requireParallelism(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
  }

  /**
   * The number of threads that work at once.
   *
   * @return at least 1
   */
  public int parallelism() {
    return parallelism;
  }

  /**
   * Runs {@code task.accept(t)} for every {@code t} in {@code [0, taskCount)} and waits for all.
   *
   * <p>Tasks are handed out in index order to whichever thread is free; each must write only its
   * own results. The first failure is rethrown after every started task has finished.
   *
   * @param taskCount the number of tasks, at least 0
   * @param task the task body, called once per index
   */
  public void forEachTask(int taskCount, IntConsumer task) {
    Objects.requireNonNull(task, "task");
    if (taskCount < 0) {
      throw new IllegalArgumentException("taskCount must be >= 0, got " + taskCount);
    }
    int workers = Math.min(parallelism, taskCount);
    if (workers <= 1) {
      for (int t = 0; t < taskCount; t++) {
        task.accept(t);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(workers - 1);
    Runnable worker =
        () -> {
          int t;
          while (failure.get() == null && (t = next.getAndIncrement()) < taskCount) {
            try {
              task.accept(t);
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            }
          }
        };
    for (int w = 1; w < workers; w++) {
      try {
        executor.execute(
            () -> {
              try {
                worker.run();
              } finally {
                done.countDown();
              }
            });
      } catch (RuntimeException e) {
        // A rejected helper does no work; the caller and the other helpers take its tasks.
        done.countDown();
      }
    }
    worker.run();
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    if (e instanceof Error) {
      throw (Error) e;
    }
    if (e != null) {
      throw new IllegalStateException(e);
    }
  }

  /** Shuts down the pool this runner owns, if any; a runner given an executor leaves it alone. */
  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
      try {
        owned.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

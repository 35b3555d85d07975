package org.fedgossip.core.math;

import java.util.Optional;

/**
 * Chooses the Gram kernel once per JVM: the Vector API kernel if the JVM was started with {@code
 * --add-modules jdk.incubator.vector} (for example through {@code JDK_JAVA_OPTIONS="--add-modules
 * jdk.incubator.vector"}), else the scalar one.
 *
 * <p>The choice is fixed for the life of the JVM, so results stay reproducible within a run.
 */
final class GramKernels {

  static final String VECTOR_CLASS = "org.fedgossip.core.math.VectorGramKernel";

  private static final GramKernel BEST = load();

  private GramKernels() {}

  static GramKernel best() {
    return BEST;
  }

  /** The vector kernel if its module is present and the class loads, else empty. */
  static Optional<GramKernel> vector() {
    Optional<Module> vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (vectorModule.isEmpty()) {
      return Optional.empty();
    }
    try {
      GramKernels.class.getModule().addReads(vectorModule.get());
      Object kernel = Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
      return Optional.of((GramKernel) kernel);
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static GramKernel load() {
    return vector().orElse(ScalarGramKernel.INSTANCE);
  }
}

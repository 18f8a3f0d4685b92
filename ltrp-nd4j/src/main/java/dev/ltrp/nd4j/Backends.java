package dev.ltrp.nd4j;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which ND4J backend runs the models: the CPU backend (always present) or the CUDA backend (added
 * by the build profile {@code -Pcuda}).
 *
 * <p>ND4J chooses once per JVM, at its first use, the available backend with the highest priority;
 * CUDA outranks the CPU unless the environment says otherwise ({@code BACKEND_PRIORITY_CPU}, {@code
 * BACKEND_PRIORITY_GPU}: environment variables, read once; {@code bin/ltrp --device} sets them).
 * This class reports and checks the choice; it cannot change it inside a running JVM.
 *
 * <p>Thread-safe.
 */
public final class Backends {

  /** The compute device of a backend. */
  public enum Device {
    /** ND4J's native CPU backend. */
    CPU,
    /** ND4J's CUDA backend. */
    CUDA;

    /** Parses {@code cpu} or {@code cuda} (case-insensitive). */
    public static Device parse(String name) {
      switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "cpu" -> {
          return CPU;
        }
        case "cuda", "gpu" -> {
          return CUDA;
        }
        default ->
            throw new IllegalArgumentException(
                "unknown device '" + name + "': expected cpu or cuda");
      }
    }
  }

  private Backends() {}

  /** The device of the backend ND4J loaded (loading it now if it is not loaded yet). */
  public static Device active() {
    String name = Nd4j.getBackend().getClass().getSimpleName();
    return name.toLowerCase(Locale.ROOT).contains("cuda") || name.contains("Cublas")
        ? Device.CUDA
        : Device.CPU;
  }

  /**
   * Whether the CUDA backend is the active one (JUnit {@code @EnabledIf} condition for GPU tests).
   */
  public static boolean cudaActive() {
    return active() == Device.CUDA;
  }

  /**
   * Checks that the active backend runs on {@code wanted}.
   *
   * @throws IllegalStateException explaining how to get the wanted backend otherwise
   */
  public static void require(Device wanted) {
    Device active = active();
    if (active == wanted) {
      return;
    }
    if (wanted == Device.CUDA) {
      throw new IllegalStateException(
          "the CUDA backend is not active (ND4J loaded the CPU"
              + " backend): build with ./mvnw -Pcuda, and run on a machine with an NVIDIA driver and"
              + " CUDA 11.6 libraries");
    }
    throw new IllegalStateException(
        "the CUDA backend is active but the CPU was asked for: set"
            + " BACKEND_PRIORITY_CPU=200 in the environment before starting the JVM (bin/ltrp"
            + " --device cpu does)");
  }
}

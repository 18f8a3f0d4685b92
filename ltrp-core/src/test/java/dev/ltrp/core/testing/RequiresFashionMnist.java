package dev.ltrp.core.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test (or class) that reads Fashion-MNIST from Debian's {@code dataset-fashion-mnist}
 * package. Where the package is not installed the test is skipped with a message saying how to
 * install it, so a contributor's {@code ./mvnw verify} works without it — except in CI ({@code
 * .ci/run} sets {@code LTRP_REQUIRE_DATA=1}; {@code CI=true} counts too), where the test runs and
 * fails loudly, so that CI can never lose its data silently.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresFashionMnist.Condition.class)
public @interface RequiresFashionMnist {

  /** Where the package puts the files. */
  Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** Enables the test where the data is installed or data is required. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (Files.isRegularFile(DIR.resolve("train-images-idx3-ubyte.gz"))) {
        return ConditionEvaluationResult.enabled("Fashion-MNIST is installed");
      }
      if (required()) {
        return ConditionEvaluationResult.enabled(
            "Fashion-MNIST is missing but required here"
                + " (LTRP_REQUIRE_DATA or CI): the test runs and fails");
      }
      return ConditionEvaluationResult.disabled(
          "Fashion-MNIST is not installed in "
              + DIR
              + ": sudo apt-get install -y dataset-fashion-mnist to run this test");
    }

    private static boolean required() {
      return "1".equals(System.getenv("LTRP_REQUIRE_DATA"))
          || "true".equalsIgnoreCase(System.getenv("CI"));
    }
  }
}

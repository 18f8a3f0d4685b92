package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The one-line descriptions {@link ErrorPolicy} prints for exceptions of every kind. */
class ErrorPolicyTest {

  @Test
  void fileSystemExceptionsSaySoRatherThanOnlyNamingThePath() {
    assertThat(ErrorPolicy.describe(new NoSuchFileException("a.pth")))
        .isEqualTo("no such file: a.pth");
    assertThat(ErrorPolicy.describe(new NoSuchFileException("a.pth", null, "--mae: no such file")))
        .isEqualTo("--mae: no such file: a.pth");
    assertThat(ErrorPolicy.describe(new UncheckedIOException(new AccessDeniedException("/x"))))
        .isEqualTo("permission denied: /x");
  }

  @Test
  void aGenericWrapperIsFollowedByItsCause() {
    Exception engine =
        new IllegalStateException(
            "ND4J failed to run the MAE oracle graph",
            new RuntimeException("native op conv2d failed"));

    assertThat(ErrorPolicy.describe(engine))
        .isEqualTo("ND4J failed to run the MAE oracle graph: native op conv2d failed");
  }

  @Test
  void anIoExceptionsMessageStandsAlone() {
    Exception bad = new IOException("config.json: not valid JSON: x", new RuntimeException("x"));

    assertThat(ErrorPolicy.describe(bad)).isEqualTo("config.json: not valid JSON: x");
  }

  @Test
  void messagesBecomeOneLineAndMissingMessagesAreNamed() {
    assertThat(ErrorPolicy.describe(new IllegalArgumentException("first\n  second\r\nthird")))
        .isEqualTo("first second third");
    assertThat(ErrorPolicy.describe(new IllegalStateException()))
        .isEqualTo("illegal state exception");
  }

  @Test
  void errorsCarriedByAWrapperAreDescribedThemselves() {
    assertThat(
            ErrorPolicy.describe(
                new ErrorPolicy.WrappedError(new OutOfMemoryError("Java heap space"))))
        .startsWith("out of memory (Java heap space)")
        .contains("LTRP_JAVA_OPTS");
    assertThat(
            ErrorPolicy.describe(
                new ErrorPolicy.WrappedError(new UnsatisfiedLinkError("no jnind4jcpu in path"))))
        .isEqualTo("no jnind4jcpu in path");
  }
}

package dev.ltrp.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CheckpointFormatExceptionTest {

  @Test
  void composesTheMessageFromTensorDetailAndOffset() {
    CheckpointFormatException both = new CheckpointFormatException("a.b", "is bad", 12, null);
    assertThat(both).hasMessage("tensor a.b is bad (offset 12)");
    assertThat(both.tensorName()).hasValue("a.b");
    assertThat(both.byteOffset()).hasValue(12);
    assertThat(both.detail()).isEqualTo("is bad");

    CheckpointFormatException plain = new CheckpointFormatException("file is empty");
    assertThat(plain).hasMessage("file is empty");
    assertThat(plain.tensorName()).isEmpty();
    assertThat(plain.byteOffset()).isEmpty();
    assertThat(CheckpointFormatException.atOffset("x", 0)).hasMessage("x (offset 0)");
    assertThat(CheckpointFormatException.forTensor("t", "is x")).hasMessage("tensor t is x");
  }

  @Test
  void allAreCheckedIoExceptions() {
    assertThat(new UnsafePickleException("os.system", 57))
        .isInstanceOf(CheckpointFormatException.class)
        .isInstanceOf(IOException.class)
        .hasMessage("pickle global os.system is not allowed (offset 57)");
    assertThat(CheckpointMismatchException.incompatible("pos_embed has 197 positions"))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessage("pos_embed has 197 positions")
        .satisfies(
            e -> assertThat(e.kind()).isEqualTo(CheckpointMismatchException.Kind.INCOMPATIBLE));
  }
}

package dev.ltrp.examples.cli;

import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.oracle.RemovalMode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters and completion candidates for the library's option types, shared by the
 * subcommands. A conversion error is a {@link TypeConversionException}, which picocli reports as
 * a usage error naming the option. Stateless and thread-safe.
 */
final class Converters {

  private Converters() {}

  /** {@code decoder}, {@code encoder} or {@code mask-token} (see {@link RemovalMode#parse}). */
  static final class RemovalModeConverter implements ITypeConverter<RemovalMode> {
    @Override
    public RemovalMode convert(String value) {
      try {
        return RemovalMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The removal modes' command-line names, for {@code ${COMPLETION-CANDIDATES}}. */
  static final class RemovalModeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(RemovalMode.values()).map(RemovalMode::cliName).iterator();
    }
  }

  /** The element types a safetensors file can be written in: {@code f32}, {@code f16}, {@code bf16}. */
  static final class WritableDTypeConverter implements ITypeConverter<DType> {
    static final List<DType> WRITABLE = List.of(DType.F32, DType.F16, DType.BF16);

    @Override
    public DType convert(String value) {
      String name = value.trim().toUpperCase(Locale.ROOT);
      for (DType t : WRITABLE) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      throw new TypeConversionException(
          "unknown dtype '" + value + "': expected f32, f16 or bf16");
    }
  }

  /** {@code f32}, {@code f16}, {@code bf16}, for {@code ${COMPLETION-CANDIDATES}}. */
  static final class WritableDTypeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return WritableDTypeConverter.WRITABLE.stream()
          .map(t -> t.name().toLowerCase(Locale.ROOT)).iterator();
    }
  }
}

package dev.ltrp.cli;

import dev.ltrp.core.checkpoint.DType;
import dev.ltrp.core.loss.RankingLoss;
import dev.ltrp.core.oracle.ReconstructionDistance;
import dev.ltrp.core.oracle.RemovalMode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters and completion candidates for the library's option types, shared by the
 * subcommands. A conversion error is a {@link TypeConversionException}, which picocli reports as a
 * usage error naming the option. Stateless and thread-safe.
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

  /** {@code l1} or {@code l2} (see {@link ReconstructionDistance#parse}). */
  static final class DistanceConverter implements ITypeConverter<ReconstructionDistance> {
    @Override
    public ReconstructionDistance convert(String value) {
      try {
        return ReconstructionDistance.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The distances' command-line names, for {@code ${COMPLETION-CANDIDATES}}. */
  static final class DistanceNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(ReconstructionDistance.values())
          .map(ReconstructionDistance::cliName)
          .iterator();
    }
  }

  /**
   * The element types a safetensors file can be written in: {@code f32}, {@code f16}, {@code bf16}.
   */
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
      throw new TypeConversionException("unknown dtype '" + value + "': expected f32, f16 or bf16");
    }
  }

  /** {@code f32}, {@code f16}, {@code bf16}, for {@code ${COMPLETION-CANDIDATES}}. */
  static final class WritableDTypeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return WritableDTypeConverter.WRITABLE.stream()
          .map(t -> t.name().toLowerCase(Locale.ROOT))
          .iterator();
    }
  }

  /**
   * {@code listmle}, {@code ranknet}, {@code listnet} or {@code pointwise} (see {@link
   * RankingLoss#parse}).
   */
  static final class RankingLossConverter implements ITypeConverter<RankingLoss> {
    @Override
    public RankingLoss convert(String value) {
      try {
        return RankingLoss.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The losses' command-line names, for {@code ${COMPLETION-CANDIDATES}}. */
  static final class RankingLossNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(RankingLoss.values()).map(RankingLoss::cliName).iterator();
    }
  }

  /**
   * {@code random}, {@code variance}, {@code dpc-knn} or {@code oracle} (see {@link
   * Baseline#parse}).
   */
  static final class BaselineConverter implements ITypeConverter<Baseline> {
    @Override
    public Baseline convert(String value) {
      try {
        return Baseline.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The baselines' command-line names, for {@code ${COMPLETION-CANDIDATES}}. */
  static final class BaselineNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Baseline.values()).map(Baseline::cliName).iterator();
    }
  }
}

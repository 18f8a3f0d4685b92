package dev.ltrp.eval;

import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The evaluation's committed Fashion-MNIST models, shipped in this module's jar: the teacher MAE
 * ({@code ltrp-eval/models/fashion-mnist/mae.safetensors}, 8,000 steps, see docs/EVAL-TEACHER.md)
 * and the LTRP ranker trained on its oracle ({@code ranker.safetensors}, see
 * docs/DOWNSTREAM.md). {@code ltrp eval} reuses them unless told to retrain. Thread-safe.
 */
public final class EvalModels {

  private static final String DIR = "dev/ltrp/eval/models/fashion-mnist/";

  private EvalModels() {}

  /** The Fashion-MNIST teacher MAE. */
  public static MaeWeights fashionMnistTeacher() throws IOException {
    Path file = extract("mae.safetensors");
    try {
      return MaeWeights.load(file, null);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The LTRP ranker trained on the Fashion-MNIST teacher's oracle. */
  public static RankerWeights fashionMnistRanker() throws IOException {
    Path file = extract("ranker.safetensors");
    try {
      return RankerWeights.load(file, null);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Copies a class-path model file to a temporary file: the readers map files from disk. */
  private static Path extract(String name) throws IOException {
    try (InputStream in = EvalModels.class.getClassLoader().getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IOException("the evaluation model " + DIR + name + " is not on the class path");
      }
      Path file = Files.createTempFile("ltrp-eval-", "-" + name);
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    }
  }
}

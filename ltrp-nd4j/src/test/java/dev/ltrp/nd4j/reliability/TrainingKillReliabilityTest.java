package dev.ltrp.nd4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchGrid;
import dev.ltrp.core.checkpoint.Checkpoints;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.data.ImageFolder;
import dev.ltrp.core.data.ImageSource;
import dev.ltrp.core.data.TrainingImages;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.testing.Fixtures;
import dev.ltrp.core.testing.SyntheticImages;
import dev.ltrp.nd4j.training.MaePretrainer;
import dev.ltrp.nd4j.training.TrainingCheckpoint;
import dev.ltrp.nd4j.training.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long runs lose nothing: a pretraining killed with SIGKILL in the middle of writing a checkpoint
 * (it writes one after every step) always leaves the previous checkpoint, which loads, and the run
 * resumed from it ends with weights identical to those of an uninterrupted run; a loss that becomes
 * NaN stops the run with a clear message and leaves the last good checkpoint.
 */
@Tag("slow")
class TrainingKillReliabilityTest {

  /**
   * Kills; each lands in the second or third checkpoint write of a (resumed) run, so that every run
   * leaves at least one checkpoint of its own.
   */
  private static final int KILLS = 4;

  @TempDir static Path dir;
  private static Path images;

  @BeforeAll
  static void writeImages() throws IOException {
    images = SyntheticImages.write(dir.resolve("images"), 8, 40, 36, 2);
  }

  @Test
  void aRunKilledWhileWritingCheckpointsResumesToTheUninterruptedWeights() throws Exception {
    Path checkpoint = dir.resolve("kill/checkpoint.safetensors");
    Files.createDirectories(checkpoint.getParent());
    SplittableRandom random = new SplittableRandom(7); // kills in writes 2, 2, 3, 3
    long lastStep = 0;
    int killedMidWrite = 0;
    List<String> history = new ArrayList<>();
    for (int kill = 0; kill < KILLS; kill++) {
      Set<String> before = temporaryFiles(checkpoint);
      Process child = start(checkpoint, "-");
      boolean writing;
      try {
        writing = awaitWrite(checkpoint, before, 2 + random.nextInt(2), child);
      } finally {
        // SIGKILL on Linux, the moment the write's temporary file is seen.
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      if (!writing) {
        break; // the run completed before the chosen write
      }
      // Nothing deletes the temporary file of a write killed before its rename.
      Set<String> left = temporaryFiles(checkpoint);
      left.removeAll(before);
      boolean midWrite = !left.isEmpty();
      killedMidWrite += midWrite ? 1 : 0;
      // Whatever the moment, the checkpoint is a complete one, and none is lost.
      TrainingCheckpoint loaded = TrainingCheckpoint.load(checkpoint);
      assertThat(loaded.state().step()).isGreaterThan(lastStep);
      lastStep = loaded.state().step();
      history.add(
          "step "
              + lastStep
              + (midWrite
                  ? " (killed writing step " + (lastStep + 1) + ")"
                  : " (killed after the write)"));
    }
    Path finalWeights = dir.resolve("kill/final.safetensors");
    Process last = start(checkpoint, finalWeights.toString());
    assertThat(last.waitFor(180, TimeUnit.SECONDS)).as("the resumed run finishes").isTrue();
    assertThat(last.exitValue()).as("exit status of the resumed run").isZero();

    StateDict uninterrupted = PretrainingChild.run(images).build().train().weights().stateDict();
    System.out.printf(
        "kill -9 test: checkpoints left by %d kills: %s; %d killed during a"
            + " checkpoint write%n",
        history.size(), history, killedMidWrite);
    assertThat(history).hasSize(KILLS);
    assertThat(killedMidWrite)
        .as("kills that landed during a checkpoint write")
        .isGreaterThanOrEqualTo(1);
    assertThat(Checkpoints.read(finalWeights)).isEqualTo(uninterrupted);
  }

  /** A child JVM on the test class path running {@link PretrainingChild}. */
  private static Process start(Path checkpoint, String finalWeights) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                PretrainingChild.class.getName(),
                images.toString(),
                checkpoint.toString(),
                finalWeights));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  /**
   * Waits until the child has begun its {@code n}-th checkpoint write (a new temporary file beside
   * the checkpoint, see {@code SafetensorsWriter}) and returns {@code true} at once, or {@code
   * false} if the child exited first. Polls every 0.2 ms: a write of this 1 MB checkpoint, fsync
   * included, lasts milliseconds.
   */
  private static boolean awaitWrite(Path checkpoint, Set<String> before, int n, Process child)
      throws IOException {
    Set<String> seen = new HashSet<>(before);
    int writes = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (String name : temporaryFiles(checkpoint)) {
        if (seen.add(name) && ++writes == n) {
          return true;
        }
      }
      if (!child.isAlive()) {
        return false;
      }
      LockSupport.parkNanos(200_000);
    }
    throw new AssertionError("the child began no checkpoint write in 120 s");
  }

  /** The temporary files of (killed or ongoing) atomic writes of {@code checkpoint}. */
  private static Set<String> temporaryFiles(Path checkpoint) throws IOException {
    String prefix = "." + checkpoint.getFileName() + ".";
    try (Stream<Path> files = Files.list(checkpoint.getParent())) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.startsWith(prefix) && f.endsWith(".tmp"))
          .collect(Collectors.toCollection(HashSet::new));
    } catch (java.nio.file.NoSuchFileException e) {
      return new HashSet<>(); // listed while a file vanished: try again on the next poll
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A loss that stops being finite (here: the images of step 4 on hold pixels near {@code
   * Float.MAX_VALUE}, whose squared error overflows) stops MAE pretraining with a message naming
   * the step and saying that the last checkpoint is intact, and that checkpoint, of step 3, loads.
   */
  @Test
  void aNonFiniteLossStopsPretrainingWithAClearMessageAndKeepsTheLastCheckpoint() throws Exception {
    MaeConfig config = MaeConfig.readJson(Fixtures.path("fixtures/tiny-mae/config.json"));
    TrainingImages clean = TrainingImages.builder(ImageFolder.scan(images), config.grid()).build();
    int batch = 2;
    ImageSource poisoned = new PoisonedAfter(clean, 3 * batch);
    Path checkpoint = dir.resolve("nan/checkpoint.safetensors");
    Files.createDirectories(checkpoint.getParent());
    MaePretrainer run =
        MaePretrainer.builder(poisoned, MaeWeights.random(config, 5))
            .setSteps(10)
            .optBatchSize(batch)
            .optLr(1e-3)
            .optSeed(9)
            .optCheckpoint(checkpoint, 1)
            .build();
    assertThatThrownBy(run::train)
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("step 4")
        .hasMessageContaining("the loss is")
        .hasMessageContaining("is intact");
    assertThat(TrainingCheckpoint.load(checkpoint).state().step()).isEqualTo(3);
  }

  /**
   * Delivers the images of {@code source} until {@code clean} have been delivered, then images
   * whose every value is 3e38 (finite, as {@link ImageTensor} requires, but overflowing any
   * square).
   */
  private static final class PoisonedAfter implements ImageSource {
    private final ImageSource source;
    private final int clean;
    private final AtomicInteger delivered = new AtomicInteger();

    PoisonedAfter(ImageSource source, int clean) {
      this.source = source;
      this.clean = clean;
    }

    private ImageTensor maybePoison(ImageTensor image) {
      if (delivered.incrementAndGet() <= clean) {
        return image;
      }
      float[] huge = new float[image.size()];
      Arrays.fill(huge, 3e38f);
      return ImageTensor.of(image.channels(), image.height(), image.width(), huge);
    }

    @Override
    public PatchGrid grid() {
      return source.grid();
    }

    @Override
    public int channels() {
      return source.channels();
    }

    @Override
    public int size() {
      return source.size();
    }

    @Override
    public String name(int index) {
      return source.name(index);
    }

    @Override
    public ImageTensor image(int index) throws IOException {
      return maybePoison(source.image(index));
    }

    @Override
    public ImageTensor augmented(int index, SplittableRandom random) throws IOException {
      return maybePoison(source.augmented(index, random));
    }

    @Override
    public ImageSource subset(int... indices) {
      return new PoisonedAfter(source.subset(indices), clean);
    }
  }
}

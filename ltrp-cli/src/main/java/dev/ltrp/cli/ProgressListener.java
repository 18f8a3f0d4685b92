package dev.ltrp.cli;

import dev.ltrp.core.training.TrainingListener;
import java.io.PrintStream;
import java.util.Map;

/**
 * The command line's view of a training run: a {@link ProgressBar} on standard error, drawn from
 * the trainer's {@link TrainingListener} calls (the library itself draws nothing). Not thread-safe;
 * the trainers call it from one thread.
 */
final class ProgressListener implements TrainingListener {

  private final String label;
  private final PrintStream out;
  private ProgressBar bar;

  ProgressListener(String label, PrintStream out) {
    this.label = label;
    this.out = out;
  }

  @Override
  public void onStart(long firstStep, long totalSteps, int itemsPerStep) {
    bar =
        ProgressBar.builder()
            .setTotal(totalSteps)
            .setLabel(label)
            .setOut(out)
            .optItemsPerStep(itemsPerStep, "img")
            .build();
  }

  @Override
  public void onStep(long step, double loss, double lr, double seconds) {
    bar.update(step, Map.of("loss", loss));
  }

  @Override
  public void onFinish(long lastStep) {
    bar.finish();
  }
}

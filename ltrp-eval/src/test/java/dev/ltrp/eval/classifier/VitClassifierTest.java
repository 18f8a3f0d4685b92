package dev.ltrp.eval.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.api.ImageTensor;
import dev.ltrp.api.PatchScores;
import dev.ltrp.core.checkpoint.StateDict;
import dev.ltrp.core.checkpoint.Tensor;
import dev.ltrp.core.data.IdxImages;
import dev.ltrp.core.model.MaeConfig;
import dev.ltrp.core.model.MaeWeights;
import dev.ltrp.core.model.RankerConfig;
import dev.ltrp.core.model.TensorSpec;
import dev.ltrp.core.model.WeightInit;
import dev.ltrp.core.testing.RequiresFashionMnist;
import dev.ltrp.eval.testing.FashionMnist;
import dev.ltrp.nd4j.testing.GradientChecks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The evaluation's classifier: gradients, learning on Fashion-MNIST, token dropping, attention. */
@Tag("slow")
class VitClassifierTest {

  private static final RankerConfig SMALL = new RankerConfig(28, 4, 1, 48, 3, 4, 2.0);

  @Test
  void everyTrainedTensorHasTheRightGradient() {
    RankerConfig tiny = new RankerConfig(8, 4, 1, 16, 2, 2, 2.0);
    WeightInit init = new WeightInit(3);
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (TensorSpec spec : ClassifierGraph.tensors(tiny, 3)) {
      w.put(spec.name(), Tensor.of(spec.shape(), init.normal(spec.size(), 0.3)));
    }
    SameDiff sd = ClassifierGraph.build(tiny, 3, StateDict.of(w), DataType.DOUBLE);
    SplittableRandom r = new SplittableRandom(1);
    double[] patches = new double[2 * 3 * 16];
    double[] positions = new double[2 * 3 * 16];
    for (int i = 0; i < patches.length; i++) {
      patches[i] = r.nextDouble(-1, 1);
      positions[i] = r.nextDouble(-1, 1);
    }
    Map<String, INDArray> in =
        Map.of(
            ClassifierGraph.PATCHES,
                org.nd4j.linalg.factory.Nd4j.createFromArray(patches).reshape(2, 3, 16),
            ClassifierGraph.POSITIONS,
                org.nd4j.linalg.factory.Nd4j.createFromArray(positions).reshape(2, 3, 16),
            ClassifierGraph.LABELS,
                org.nd4j.linalg.factory.Nd4j.createFromArray(new double[] {0, 1, 0, 0, 0, 1})
                    .reshape(2, 3));
    GradientChecks.Result result = GradientChecks.checkSubset(sd, in, 3, 5);
    assertThat(result.failed()).as(result.toString()).isZero();
  }

  @Test
  @RequiresFashionMnist
  void learnsFashionMnistAndClassifiesFromKeptPatchesOnly() throws IOException {
    IdxImages train = FashionMnist.load(true).limit(6000);
    IdxImages test = FashionMnist.load(false).limit(500);
    try (VitClassifier classifier = VitClassifier.create(SMALL, 10, 1)) {
      List<Double> losses = classifier.train(train, train::label, 150, 64, 2e-3, 0.2, 2);
      assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0));
      double full = accuracy(classifier, test, 49);
      double quarter = accuracy(classifier, test, 12);
      System.out.printf(
          "classifier after 150 steps: accuracy %.3f with all 49 patches, %.3f with"
              + " 12 random ones%n",
          full, quarter);
      // Observed 0.698 and 0.558 (seeded, so only float differences between machines move them;
      // on 500 images one binomial std is ~2 points). Chance is 0.10; with timm's N(0, 0.02)
      // init this run reached only 0.50, which is what the first bound catches.
      assertThat(full).as("accuracy with every patch").isGreaterThan(0.6);
      assertThat(quarter).as("token dropping still classifies").isGreaterThan(0.45);

      List<PatchScores> attention =
          classifier.attentionRanker().rankBatch(List.of(test.image(0), test.image(1)));
      for (PatchScores s : attention) {
        double sum = 0;
        for (float v : s.scores()) {
          sum += v;
        }
        // softmax weights over cls + 49 patches: the patches' share is below 1
        assertThat(sum).isBetween(0.0, 1.0 + 1e-5);
      }
    }
  }

  @Test
  @RequiresFashionMnist
  void fromEncoderTakesTheBodyFromTheMaeAndOnlyTheHeadFromTheSeed() {
    MaeConfig mae = MaeConfig.of(28, 4, 1, 48, 3, 4, 32, 1, 4, 2.0);
    IdxImages test = FashionMnist.load(false).limit(2);
    List<ImageTensor> images = List.of(test.image(0), test.image(1));
    try (VitClassifier a = VitClassifier.fromEncoder(MaeWeights.random(mae, 5), 10, 1);
        VitClassifier b = VitClassifier.fromEncoder(MaeWeights.random(mae, 5), 10, 2);
        VitClassifier other = VitClassifier.fromEncoder(MaeWeights.random(mae, 6), 10, 1)) {
      assertThat(a.body()).isEqualTo(SMALL);
      // The attention does not depend on the head: equal bodies give equal maps (same float ops).
      float[] mapA = a.attentionRanker().rankBatch(images).get(1).scores();
      assertThat(b.attentionRanker().rankBatch(images).get(1).scores()).containsExactly(mapA);
      assertThat(other.attentionRanker().rankBatch(images).get(1).scores()).isNotEqualTo(mapA);
    }
  }

  @Test
  @RequiresFashionMnist
  void fineTuneShowsTheClassifierOnlyTheSelectedPatches() throws IOException {
    IdxImages train = FashionMnist.load(true).limit(4000);
    IdxImages test = FashionMnist.load(false).limit(400);
    MaeWeights mae = MaeWeights.random(MaeConfig.of(28, 4, 1, 48, 3, 4, 32, 1, 4, 2.0), 3);
    // Patch 0 is the top-left 4x4 corner, black in nearly every Fashion-MNIST image; the centre
    // column (17, 24, 31) crosses every item.
    int[] corner = {0, 1, 7};
    int[] centre = {17, 24, 31};
    double[] accuracy = new double[2];
    int[][] selections = {corner, centre};
    for (int s = 0; s < 2; s++) {
      int[] kept = selections[s];
      try (VitClassifier classifier = VitClassifier.fromEncoder(mae, 10, 1)) {
        classifier.fineTune(train, train::label, (index, image, random) -> kept, 100, 64, 2e-3, 4);
        List<ImageTensor> images = new ArrayList<>();
        List<int[]> keptEach = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
          images.add(test.image(i));
          keptEach.add(kept);
        }
        int[] predicted = classifier.predict(images, keptEach);
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
          right += predicted[i] == test.label(i) ? 1 : 0;
        }
        accuracy[s] = right / (double) predicted.length;
      }
    }
    System.out.printf(
        "fine-tuned on 3 corner patches: %.3f, on 3 centre patches: %.3f%n",
        accuracy[0], accuracy[1]);
    // Observed 0.205 and 0.478 (400 test images: one binomial std is ~2 points). A corner of
    // mostly black pixels carries little class information (patches 1 and 7 catch the widest
    // items' edges), so a classifier that really sees only its selection stays far below one
    // that sees the centre.
    assertThat(accuracy[0]).as("accuracy from the black corner").isLessThan(0.3);
    assertThat(accuracy[1]).as("accuracy from the centre column").isGreaterThan(accuracy[0] + 0.2);
  }

  private static double accuracy(VitClassifier classifier, IdxImages test, int keep) {
    List<ImageTensor> images = new ArrayList<>();
    List<int[]> kept = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < test.size(); i++) {
      images.add(test.image(i));
      int[] p = dev.ltrp.core.selection.PatchSubsets.all(49);
      for (int a = 48; a > 0; a--) {
        int b = r.nextInt(a + 1);
        int t = p[a];
        p[a] = p[b];
        p[b] = t;
      }
      int[] chosen = java.util.Arrays.copyOf(p, keep);
      java.util.Arrays.sort(chosen);
      kept.add(chosen);
    }
    int[] predicted = classifier.predict(images, kept);
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += predicted[i] == test.label(i) ? 1 : 0;
    }
    return right / (double) predicted.length;
  }
}

/**
 * The training data of the ranker, engine-free: the unlabeled images ({@link
 * dev.ltrp.core.data.ImageFolder}, with a seeded train/held-out split), which images each step uses
 * ({@link dev.ltrp.core.data.TrainingBatches}: seeded epoch permutations, fully determined by the
 * seed and the step so a resumed run repeats the same batches), the training augmentation ({@link
 * dev.ltrp.core.data.RandomResizedCrop}: torchvision's random resized crop and horizontal flip,
 * Pillow-exact bicubic), and the derivation of every per-step, per-item random stream from one seed
 * ({@link dev.ltrp.core.data.Seeds}).
 *
 * <p>Held-out (validation) images take no randomness: they go through {@link
 * dev.ltrp.core.image.ImagePreprocessor} with {@link
 * dev.ltrp.core.image.ResizeMode#RESIZE_CROP_RATIO}, the reference's {@code Resize(256) +
 * CenterCrop(224)}. Training images are read with {@link dev.ltrp.core.image.ImageLoader},
 * augmented with {@code RandomResizedCrop.apply}, and normalized with {@link
 * dev.ltrp.core.image.ImagePreprocessor#normalize(java.awt.image.BufferedImage)}.
 *
 * <p>Every type here is immutable and thread-safe; the {@link java.util.SplittableRandom}s they
 * hand out or take are not, and belong to one thread.
 */
package dev.ltrp.core.data;

/**
 * Engine-free image handling: decoding files into RGB images, the preprocessing that turns them
 * into the normalized {@code [3, H, W]} tensors the models consume, patchify/unpatchify, and
 * rendering tensors, kept patches and score heat maps back into images.
 *
 * <p>The pipeline from a file to a model input is {@link dev.ltrp.core.image.ImageLoader} (decode,
 * EXIF orientation, colour conversion, size limits) then {@link
 * dev.ltrp.core.image.ImagePreprocessor} (resize, center crop, {@code x/255}, per-channel
 * normalization). Resampling reproduces Pillow's 8-bit bicubic {@code Image.resize} exactly and the
 * crop reproduces torchvision's {@code center_crop}, so that a tensor built here matches the
 * reference PyTorch evaluation transform.
 *
 * <p>Every type in this package is immutable or stateless and safe for concurrent use.
 */
package dev.ltrp.core.image;

package dev.ltrp.core.image;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Objects;

/**
 * Converts any decoded {@link BufferedImage} into an 8-bit sRGB {@link BufferedImage#TYPE_INT_RGB}
 * image the way Pillow's {@code convert("RGB")} does, sample by sample and without colour
 * management:
 *
 * <ul>
 *   <li>grey: {@code R = G = B = grey} (Java's own {@code getRGB} would instead brighten grey
 *       images, because it treats {@code CS_GRAY} as linear);
 *   <li>palette: the palette entry's colour;
 *   <li>alpha (RGBA, grey + alpha, palette transparency): dropped, keeping the stored colour, like
 *       Pillow; or, with {@link #toRgb(BufferedImage, Color)}, composited over a background;
 *   <li>16 bits per sample: the high byte ({@code v >> 8}), as Pillow does for 16-bit RGB (Pillow
 *       clips 16-bit grey to 255 instead, which is a Pillow defect not reproduced here); other bit
 *       depths are rescaled to 0–255 with rounding;
 *   <li>CMYK: Pillow's formula {@code R = (255 − K) − round(C · (255 − K) / 255)} (same for G with
 *       M and B with Y);
 *   <li>embedded ICC profiles are ignored (samples are taken as sRGB), as Pillow does by default;
 *       colour spaces other than RGB, grey and CMYK, and non-integer samples, go through Java's
 *       colour conversion.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class RgbConverter {

  private RgbConverter() {}

  /**
   * Converts {@code image} to a new {@code TYPE_INT_RGB} image of the same size, dropping any alpha
   * channel (Pillow's {@code convert("RGB")}). The input is not modified; the result never shares
   * pixels with it.
   */
  public static BufferedImage toRgb(BufferedImage image) {
    return convert(Objects.requireNonNull(image, "image"), null);
  }

  /**
   * Converts {@code image} to a new {@code TYPE_INT_RGB} image of the same size, compositing any
   * transparency over {@code background}: {@code out = round((c · a + bg · (255 − a)) / 255)} per
   * channel with straight (non-premultiplied) alpha. Images without alpha are converted as by
   * {@link #toRgb(BufferedImage)}.
   *
   * @param background the colour behind transparent pixels; its own alpha is ignored
   */
  public static BufferedImage toRgb(BufferedImage image, Color background) {
    Objects.requireNonNull(background, "background");
    return convert(Objects.requireNonNull(image, "image"), background);
  }

  /**
   * {@code image} itself when it already is a plain {@code TYPE_INT_RGB} image (one int per pixel,
   * no offset or stride, as {@link ImageLoader} and this class make them), else a converted copy as
   * by {@link #toRgb(BufferedImage)}. For read-only use: an image is converted once on its way in,
   * not again at every step.
   */
  static BufferedImage asStandardRgb(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        && image.getRaster().getDataBuffer() instanceof DataBufferInt buffer
        && buffer.getNumBanks() == 1
        && buffer.getOffset() == 0
        && buffer.getData().length == image.getWidth() * image.getHeight()
        && image.getRaster().getSampleModelTranslateX() == 0
        && image.getRaster().getSampleModelTranslateY() == 0
        && image.getRaster().getWidth() == image.getWidth()
        && image.getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel model
        && model.getScanlineStride() == image.getWidth()) {
      return image;
    }
    return toRgb(image);
  }

  /**
   * The packed {@code 0xRRGGBB} pixels of an image made by this package (a fresh {@code
   * TYPE_INT_RGB} image whose raster has no offset), row-major, without copying.
   */
  static int[] data(BufferedImage standardRgb) {
    return ((DataBufferInt) standardRgb.getRaster().getDataBuffer()).getData();
  }

  /** Wraps packed {@code 0xRRGGBB} pixels (row-major, {@code width · height}) into an image. */
  static BufferedImage fromData(int[] rgb, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    System.arraycopy(rgb, 0, data(out), 0, rgb.length);
    return out;
  }

  private static BufferedImage convert(BufferedImage image, Color background) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] o = data(out);
    int bgR = background == null ? -1 : background.getRed();
    int bgG = background == null ? -1 : background.getGreen();
    int bgB = background == null ? -1 : background.getBlue();
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int type = image.getType();
    if (type == BufferedImage.TYPE_INT_RGB
        || (type == BufferedImage.TYPE_INT_ARGB && background == null)) {
      // Already packed 0x(AA)RRGGBB: copy rows (the common case, e.g. our own images).
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getDataElements(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          o[y * w + x] = row[x] & 0xFFFFFF;
        }
      }
      return out;
    }
    if (cm instanceof IndexColorModel icm && raster.getNumBands() == 1) {
      int size = icm.getMapSize();
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getPixels(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          int i = row[x];
          if (i < 0 || i >= size) {
            o[y * w + x] = 0; // an index past the palette: Pillow's zero-filled palette is black
            continue;
          }
          o[y * w + x] =
              blend(icm.getRed(i), icm.getGreen(i), icm.getBlue(i), icm.getAlpha(i), bgR, bgG, bgB);
        }
      }
      return out;
    }
    int kind = bandLayout(cm);
    if (kind < 0) {
      // Unusual colour models (float samples, premultiplied alpha, Lab, ...): Java's conversion.
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = image.getRGB(x, y);
          o[y * w + x] =
              blend(
                  (argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, argb >>> 24, bgR, bgG, bgB);
        }
      }
      return out;
    }
    int colors = cm.getNumColorComponents();
    int bands = raster.getNumBands();
    int[] bits = cm.getComponentSize();
    boolean alpha = cm.hasAlpha();
    int[] row = new int[w * bands];
    for (int y = 0; y < h; y++) {
      raster.getPixels(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int p = x * bands;
        int a = alpha ? to8(row[p + colors], bits[colors]) : 255;
        int r;
        int g;
        int b;
        if (kind == ColorSpace.TYPE_GRAY) {
          r = to8(row[p], bits[0]);
          g = r;
          b = r;
        } else if (kind == ColorSpace.TYPE_RGB) {
          r = to8(row[p], bits[0]);
          g = to8(row[p + 1], bits[1]);
          b = to8(row[p + 2], bits[2]);
        } else { // CMYK
          int k = to8(row[p + 3], bits[3]);
          r = cmykToChannel(to8(row[p], bits[0]), k);
          g = cmykToChannel(to8(row[p + 1], bits[1]), k);
          b = cmykToChannel(to8(row[p + 2], bits[2]), k);
        }
        o[y * w + x] = blend(r, g, b, a, bgR, bgG, bgB);
      }
    }
    return out;
  }

  /**
   * The colour space type whose samples can be read band by band ({@link ColorSpace#TYPE_RGB},
   * {@code TYPE_GRAY} or {@code TYPE_CMYK}), or -1 when the generic conversion is needed.
   */
  private static int bandLayout(ColorModel cm) {
    if (!(cm instanceof ComponentColorModel || cm instanceof DirectColorModel)) {
      return -1;
    }
    int transfer = cm.getTransferType();
    if (transfer != DataBuffer.TYPE_BYTE
        && transfer != DataBuffer.TYPE_USHORT
        && transfer != DataBuffer.TYPE_INT) {
      return -1;
    }
    if (cm.hasAlpha() && cm.isAlphaPremultiplied()) {
      return -1;
    }
    for (int bits : cm.getComponentSize()) {
      if (bits < 1 || bits > 16) {
        return -1;
      }
    }
    int type = cm.getColorSpace().getType();
    int colors = cm.getNumColorComponents();
    if ((type == ColorSpace.TYPE_RGB && colors == 3)
        || (type == ColorSpace.TYPE_GRAY && colors == 1)
        || (type == ColorSpace.TYPE_CMYK && colors == 4)) {
      return type;
    }
    return -1;
  }

  /**
   * Converts a JPEG's raw 4-channel raster (as {@code ImageReader.readRaster} returns it, without
   * colour conversion) to RGB: YCCK is first turned into CMYK with libjpeg's integer arithmetic,
   * Adobe-inverted CMYK is un-inverted, then Pillow's CMYK formula applies.
   *
   * @param inverted whether the file has an Adobe APP14 segment (Adobe writers store CMYK inverted)
   * @param ycck whether the Adobe transform says YCCK (2)
   */
  static BufferedImage cmykRasterToRgb(Raster raster, boolean inverted, boolean ycck) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] o = data(out);
    int[] row = new int[w * 4];
    for (int y = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int p = 4 * x;
        int c = row[p] & 0xFF;
        int m = row[p + 1] & 0xFF;
        int ye = row[p + 2] & 0xFF;
        int k = row[p + 3] & 0xFF;
        if (ycck) {
          int lum = c;
          int cb = m - 128;
          int cr = ye - 128;
          c = 255 - clamp(lum + ((FIX_1_402 * cr + ONE_HALF) >> SCALE_BITS));
          m = 255 - clamp(lum + ((-FIX_0_34414 * cb - FIX_0_71414 * cr + ONE_HALF) >> SCALE_BITS));
          ye = 255 - clamp(lum + ((FIX_1_772 * cb + ONE_HALF) >> SCALE_BITS));
        }
        if (inverted) {
          c = 255 - c;
          m = 255 - m;
          ye = 255 - ye;
          k = 255 - k;
        }
        o[y * w + x] =
            (cmykToChannel(c, k) << 16) | (cmykToChannel(m, k) << 8) | cmykToChannel(ye, k);
      }
    }
    return out;
  }

  // libjpeg's fixed-point YCC constants (jdcolor.c, SCALEBITS = 16).
  private static final int SCALE_BITS = 16;
  private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
  private static final int FIX_1_402 = fix(1.40200);
  private static final int FIX_1_772 = fix(1.77200);
  private static final int FIX_0_71414 = fix(0.71414);
  private static final int FIX_0_34414 = fix(0.34414);

  private static int fix(double x) {
    return (int) (x * (1L << SCALE_BITS) + 0.5);
  }

  /** Pillow's {@code cmyk2rgb} for one channel: {@code (255 − k) − MULDIV255(c, 255 − k)}. */
  static int cmykToChannel(int c, int k) {
    int nk = 255 - k;
    int t = c * nk + 128;
    return clamp(nk - (((t >> 8) + t) >> 8));
  }

  /** Rescales an unsigned {@code bits}-bit sample to 8 bits (16 bits: the high byte). */
  static int to8(int v, int bits) {
    if (bits == 8) {
      return v & 0xFF;
    }
    if (bits == 16) {
      return (v >>> 8) & 0xFF;
    }
    int max = (1 << bits) - 1;
    return clamp((v * 255 + max / 2) / max);
  }

  private static int blend(int r, int g, int b, int a, int bgR, int bgG, int bgB) {
    if (bgR >= 0 && a < 255) {
      r = (r * a + bgR * (255 - a) + 127) / 255;
      g = (g * a + bgG * (255 - a) + 127) / 255;
      b = (b * a + bgB * (255 - a) + 127) / 255;
    }
    return (r << 16) | (g << 8) | b;
  }

  static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }
}

package dev.ltrp.core.model;

/**
 * The fixed 2-D sine-cosine position embeddings of MAE and of the LTRP ranker.
 *
 * <p>For a {@code rows × cols} grid and width {@code D}: the first {@code D/2} dimensions encode
 * the patch's <b>column</b> and the last {@code D/2} its row (the reference builds its grid with
 * {@code meshgrid(w, h)}, which puts the column first); within each half the first quarter of
 * {@code D} is {@code sin(pos · ω_k)} and the second {@code cos(pos · ω_k)}, {@code ω_k = 1 /
 * 10000^(k / (D/4))}, {@code k = 0 … D/4 − 1}. The optional class-token row is all zeros. Computed
 * in double precision and rounded to float once, like the reference (numpy float64, then {@code
 * .float()}).
 */
public final class SinCosPositionEmbedding {

  private SinCosPositionEmbedding() {}

  /**
   * The embedding as a row-major {@code [(cls ? 1 : 0) + rows · cols, width]} array.
   *
   * @throws IllegalArgumentException if {@code width} is not a positive multiple of 4
   */
  public static float[] create(int width, int rows, int cols, boolean clsToken) {
    if (width <= 0 || width % 4 != 0) {
      throw new IllegalArgumentException(
          "sin-cos embedding width must be a positive multiple of 4, got " + width);
    }
    int offset = clsToken ? 1 : 0;
    int quarter = width / 4;
    float[] out = new float[(offset + rows * cols) * width];
    double[] omega = new double[quarter];
    for (int k = 0; k < quarter; k++) {
      omega[k] = 1.0 / Math.pow(10000.0, k / (double) quarter);
    }
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int base = (offset + r * cols + c) * width;
        for (int k = 0; k < quarter; k++) {
          out[base + k] = (float) Math.sin(c * omega[k]);
          out[base + quarter + k] = (float) Math.cos(c * omega[k]);
          out[base + 2 * quarter + k] = (float) Math.sin(r * omega[k]);
          out[base + 3 * quarter + k] = (float) Math.cos(r * omega[k]);
        }
      }
    }
    return out;
  }
}

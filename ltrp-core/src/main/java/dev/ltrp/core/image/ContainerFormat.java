package dev.ltrp.core.image;

/**
 * The image file formats the loader accepts, recognised by their leading bytes (never by the file
 * name, so that a text file named {@code .png} is reported as such).
 */
enum ContainerFormat {
  JPEG("jpeg"),
  PNG("png"),
  GIF("gif"),
  BMP("bmp"),
  TIFF("tiff");

  private final String imageIoName;

  ContainerFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The format name {@code javax.imageio} registers its reader under. */
  String imageIoName() {
    return imageIoName;
  }

  /** The format whose signature {@code data} starts with, or {@code null} when none matches. */
  static ContainerFormat sniff(byte[] data) {
    if (startsWith(data, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(data, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(data, 'G', 'I', 'F', '8', '7', 'a')
        || startsWith(data, 'G', 'I', 'F', '8', '9', 'a')) {
      return GIF;
    }
    if (startsWith(data, 'B', 'M') && data.length >= 26) {
      return BMP;
    }
    if (startsWith(data, 'I', 'I', 42, 0) || startsWith(data, 'M', 'M', 0, 42)) {
      return TIFF;
    }
    return null;
  }

  private static boolean startsWith(byte[] data, int... signature) {
    if (data.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((data[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  /** Up to the first {@code n} bytes as hex, for error messages. */
  static String leadingBytes(byte[] data, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(n, data.length); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02x", data[i] & 0xFF));
    }
    return sb.toString();
  }
}

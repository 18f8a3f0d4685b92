package dev.ltrp.core.image;

import java.nio.charset.StandardCharsets;

/**
 * The little metadata the loader needs from a file, read straight from its bytes: the EXIF
 * orientation tag (JPEG APP1 "Exif" segment or PNG {@code eXIf} chunk) and, for JPEG, the Adobe
 * APP14 colour transform. Malformed metadata is ignored (orientation 1, no Adobe segment), as
 * Pillow does; it never makes a readable image fail.
 *
 * @param orientation EXIF orientation 1–8 (1 when absent or invalid)
 * @param adobeTransform the Adobe APP14 transform byte (0 unknown/CMYK, 1 YCbCr, 2 YCCK), or -1
 *     when the file has no Adobe segment
 */
record ContainerMetadata(int orientation, int adobeTransform) {

  static final ContainerMetadata NONE = new ContainerMetadata(1, -1);

  private static final int TAG_ORIENTATION = 0x0112;

  /** Reads the metadata of a file of the given format; formats without any give {@link #NONE}. */
  static ContainerMetadata of(byte[] data, ContainerFormat format) {
    return switch (format) {
      case JPEG -> ofJpeg(data);
      case PNG -> ofPng(data);
      default -> NONE;
    };
  }

  private static ContainerMetadata ofJpeg(byte[] data) {
    int orientation = 1;
    int adobe = -1;
    boolean exifSeen = false;
    int pos = 2;
    while (pos + 4 <= data.length) {
      if ((data[pos] & 0xFF) != 0xFF) {
        break; // not at a marker: the header is malformed, stop looking
      }
      int marker = data[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++; // fill byte
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        pos += 2; // markers without a length
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        break; // start of scan or end of image: no more header segments
      }
      int length = u16(data, pos + 2, false);
      int payload = pos + 4;
      int payloadLength = length - 2;
      if (length < 2 || payload + payloadLength > data.length) {
        break;
      }
      if (marker == 0xE1 && !exifSeen && payloadLength >= 6 && matches(data, payload, "Exif\0\0")) {
        exifSeen = true; // like Pillow, only the first Exif segment counts
        orientation = tiffOrientation(data, payload + 6, payloadLength - 6);
      } else if (marker == 0xEE && payloadLength >= 12 && matches(data, payload, "Adobe")) {
        adobe = data[payload + 11] & 0xFF;
      }
      pos = payload + payloadLength;
    }
    return new ContainerMetadata(orientation, adobe);
  }

  private static ContainerMetadata ofPng(byte[] data) {
    int pos = 8;
    while (pos + 12 <= data.length) {
      long length = u32(data, pos, false);
      if (length > data.length - pos - 12L) {
        break;
      }
      int payload = pos + 8;
      if (matches(data, pos + 4, "eXIf")) {
        int start = payload;
        int len = (int) length;
        if (len >= 6 && matches(data, start, "Exif\0\0")) {
          start += 6; // some writers keep the JPEG-style prefix
          len -= 6;
        }
        return new ContainerMetadata(tiffOrientation(data, start, len), -1);
      }
      if (matches(data, pos + 4, "IEND")) {
        break;
      }
      pos = payload + (int) length + 4;
    }
    return NONE;
  }

  /** The orientation tag of IFD0 of the TIFF structure at {@code data[start, start+length)}. */
  static int tiffOrientation(byte[] data, int start, int length) {
    if (length < 8 || start < 0 || start + length > data.length) {
      return 1;
    }
    boolean little;
    if (data[start] == 'I' && data[start + 1] == 'I') {
      little = true;
    } else if (data[start] == 'M' && data[start + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    if (u16(data, start + 2, little) != 42) {
      return 1;
    }
    long ifd = u32(data, start + 4, little);
    if (ifd < 8 || ifd + 2 > length) {
      return 1;
    }
    int entries = u16(data, start + (int) ifd, little);
    for (int i = 0; i < entries; i++) {
      int e = start + (int) ifd + 2 + 12 * i;
      if (e + 12 > start + length) {
        break;
      }
      if (u16(data, e, little) != TAG_ORIENTATION) {
        continue;
      }
      int type = u16(data, e + 2, little);
      long value =
          switch (type) {
            case 3 -> u16(data, e + 8, little); // SHORT, the type the standard prescribes
            case 4 -> u32(data, e + 8, little); // LONG, written by a few tools
            case 1 -> data[e + 8] & 0xFF; // BYTE
            default -> 1;
          };
      return value >= 1 && value <= 8 ? (int) value : 1;
    }
    return 1;
  }

  private static boolean matches(byte[] data, int pos, String ascii) {
    byte[] expected = ascii.getBytes(StandardCharsets.ISO_8859_1);
    if (pos + expected.length > data.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (data[pos + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] d, int pos, boolean little) {
    int a = d[pos] & 0xFF;
    int b = d[pos + 1] & 0xFF;
    return little ? a | (b << 8) : (a << 8) | b;
  }

  private static long u32(byte[] d, int pos, boolean little) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      int b = d[pos + (little ? 3 - i : i)] & 0xFF;
      v = (v << 8) | b;
    }
    return v;
  }
}

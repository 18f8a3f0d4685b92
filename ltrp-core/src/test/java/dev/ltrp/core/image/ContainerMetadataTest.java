package dev.ltrp.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ContainerMetadataTest {

  /** A TIFF header plus IFD0 with one entry: the orientation tag of the given type and value. */
  private static byte[] tiff(boolean little, int type, int value) {
    byte[] t = new byte[8 + 2 + 12 + 4];
    t[0] = t[1] = (byte) (little ? 'I' : 'M');
    put16(t, 2, 42, little);
    put32(t, 4, 8, little);
    put16(t, 8, 1, little);
    put16(t, 10, 0x0112, little);
    put16(t, 12, type, little);
    put32(t, 14, 1, little);
    if (type == 3) {
      put16(t, 18, value, little);
    } else {
      put32(t, 18, value, little);
    }
    return t;
  }

  private static void put16(byte[] b, int pos, int v, boolean little) {
    b[pos + (little ? 0 : 1)] = (byte) v;
    b[pos + (little ? 1 : 0)] = (byte) (v >> 8);
  }

  private static void put32(byte[] b, int pos, int v, boolean little) {
    for (int i = 0; i < 4; i++) {
      b[pos + (little ? i : 3 - i)] = (byte) (v >> (8 * i));
    }
  }

  @Test
  void readsOrientationInBothByteOrdersAndTypes() {
    for (boolean little : new boolean[] {true, false}) {
      for (int o = 1; o <= 8; o++) {
        byte[] t = tiff(little, 3, o);
        assertThat(ContainerMetadata.tiffOrientation(t, 0, t.length)).isEqualTo(o);
      }
      byte[] asLong = tiff(little, 4, 6);
      assertThat(ContainerMetadata.tiffOrientation(asLong, 0, asLong.length)).isEqualTo(6);
    }
  }

  @Test
  void malformedExifMeansNoRotation() {
    byte[] t = tiff(true, 3, 9); // out of range
    assertThat(ContainerMetadata.tiffOrientation(t, 0, t.length)).isEqualTo(1);
    byte[] badOffset = tiff(true, 3, 6);
    put32(badOffset, 4, 1_000_000, true);
    assertThat(ContainerMetadata.tiffOrientation(badOffset, 0, badOffset.length)).isEqualTo(1);
    byte[] cut = tiff(false, 3, 6);
    assertThat(ContainerMetadata.tiffOrientation(cut, 0, 15)).isEqualTo(1);
    assertThat(ContainerMetadata.tiffOrientation(new byte[] {'X', 'X', 0, 42, 0, 0, 0, 8}, 0, 8))
        .isEqualTo(1);
  }

  @Test
  void jpegAndPngFixturesCarryTheirTags() throws IOException {
    byte[] exif6 = Files.readAllBytes(TestImages.resource("exif6.jpg"));
    assertThat(ContainerMetadata.of(exif6, ContainerFormat.JPEG).orientation()).isEqualTo(6);
    assertThat(ContainerMetadata.of(exif6, ContainerFormat.JPEG).adobeTransform()).isEqualTo(-1);
    byte[] cmyk = Files.readAllBytes(TestImages.resource("cmyk.jpg"));
    assertThat(ContainerMetadata.of(cmyk, ContainerFormat.JPEG).adobeTransform()).isEqualTo(0);
    byte[] png = Files.readAllBytes(TestImages.resource("orientation8.png"));
    assertThat(ContainerMetadata.of(png, ContainerFormat.PNG).orientation()).isEqualTo(8);
    byte[] plain = Files.readAllBytes(TestImages.resource("gray.png"));
    assertThat(ContainerMetadata.of(plain, ContainerFormat.PNG)).isEqualTo(ContainerMetadata.NONE);
  }

  @Test
  void truncationWarningsAreRecognised() {
    assertThat(ImageLoader.isTruncation("Premature end of JPEG file")).isTrue();
    assertThat(ImageLoader.isTruncation("Truncated File - Missing EOI marker")).isTrue();
    assertThat(ImageLoader.isTruncation("Corrupt JPEG data: 3 extraneous bytes before marker 0xd9"))
        .isFalse();
  }

  @Test
  void formatsAreSniffedFromContentNotName() {
    assertThat(ContainerFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}))
        .isEqualTo(ContainerFormat.JPEG);
    assertThat(ContainerFormat.sniff("GIF89a....".getBytes())).isEqualTo(ContainerFormat.GIF);
    assertThat(ContainerFormat.sniff("MM\0*".getBytes())).isEqualTo(ContainerFormat.TIFF);
    assertThat(ContainerFormat.sniff("hello".getBytes())).isNull();
    assertThat(ContainerFormat.sniff(new byte[0])).isNull();
  }
}

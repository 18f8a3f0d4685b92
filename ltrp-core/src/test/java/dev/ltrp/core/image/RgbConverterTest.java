package dev.ltrp.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class RgbConverterTest {

  private static int only(BufferedImage image) {
    BufferedImage rgb = RgbConverter.toRgb(image);
    assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(rgb).isNotSameAs(image);
    return rgb.getRGB(0, 0) & 0xFFFFFF;
  }

  @Test
  void grayIsCopiedNotGammaConverted() {
    BufferedImage gray = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 128);
    assertThat(only(gray)).isEqualTo(0x808080);
  }

  @Test
  void packedFormats() {
    BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00123456); // fully transparent
    assertThat(only(argb)).isEqualTo(0x123456);
    assertThat(RgbConverter.toRgb(argb, Color.WHITE).getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    BufferedImage rgb565 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_565_RGB);
    rgb565.getRaster().setDataElements(0, 0, new short[] {(short) 0xF81F}); // red + blue
    assertThat(only(rgb565)).isEqualTo(0xFF00FF);
    BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0x0A0B0C);
    assertThat(only(bgr)).isEqualTo(0x0A0B0C);
    BufferedImage binary = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
    binary.getRaster().setSample(1, 0, 0, 1);
    BufferedImage converted = RgbConverter.toRgb(binary);
    assertThat(converted.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0);
    assertThat(converted.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
  }

  @Test
  void premultipliedAlphaFallsBackToJavasConversion() {
    BufferedImage pre = new BufferedImage(1, 1, BufferedImage.TYPE_4BYTE_ABGR_PRE);
    pre.setRGB(0, 0, 0x80FF0000);
    int rgb = only(pre);
    assertThat(TestImages.red(rgb)).isBetween(253, 255);
    assertThat(TestImages.green(rgb)).isZero();
  }

  @Test
  void pillowsCmykFormula() {
    assertThat(RgbConverter.cmykToChannel(60, 20)).isEqualTo(180);
    assertThat(RgbConverter.cmykToChannel(30, 20)).isEqualTo(207);
    assertThat(RgbConverter.cmykToChannel(0, 128)).isEqualTo(127);
    assertThat(RgbConverter.cmykToChannel(255, 0)).isEqualTo(0);
    assertThat(RgbConverter.cmykToChannel(0, 0)).isEqualTo(255);
  }

  @Test
  void bitDepthRescaling() {
    assertThat(RgbConverter.to8(65535, 16)).isEqualTo(255);
    assertThat(RgbConverter.to8(0x80FF, 16)).isEqualTo(0x80);
    assertThat(RgbConverter.to8(31, 5)).isEqualTo(255);
    assertThat(RgbConverter.to8(1, 1)).isEqualTo(255);
    assertThat(RgbConverter.to8(2, 2)).isEqualTo(170);
  }
}

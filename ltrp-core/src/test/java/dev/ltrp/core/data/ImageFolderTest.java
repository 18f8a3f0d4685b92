package dev.ltrp.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

  @TempDir Path dir;

  private void touch(String relative) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {1, 2, 3});
  }

  private ImageFolder folderOf(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      touch(String.format("c%d/img_%03d.jpg", i % 3, i));
    }
    return ImageFolder.scan(dir);
  }

  @Test
  void scansNestedFoldersSortedWithMixedCaseExtensions() throws IOException {
    touch("b/cat.JPG");
    touch("a/z/deep.png");
    touch("a/dog.Jpeg");
    touch("top.bmp");
    touch("a/anim.GIF");
    touch("a/notes.txt");
    touch("a/noext");
    touch("a/jpg");
    touch("a/archive.jpg.zip");

    ImageFolder folder = ImageFolder.scan(dir);

    assertThat(folder.relativePaths())
        .containsExactly("a/anim.GIF", "a/dog.Jpeg", "a/z/deep.png", "b/cat.JPG", "top.bmp");
    assertThat(folder.size()).isEqualTo(5);
    assertThat(folder.root()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(folder.path(3)).isEqualTo(dir.toAbsolutePath().resolve("b").resolve("cat.JPG"));
    assertThat(folder.relativePath(0)).isEqualTo("a/anim.GIF");
    assertThatThrownBy(() -> folder.path(5)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void skipsHiddenFilesAndFolders() throws IOException {
    touch("a/visible.jpg");
    touch("a/.hidden.jpg");
    touch("a/._visible.jpg");
    touch(".cache/thumb.png");
    touch("a/.git/objects/x.png");

    assertThat(ImageFolder.scan(dir).relativePaths()).containsExactly("a/visible.jpg");
  }

  @Test
  void aHiddenRootIsStillScanned() throws IOException {
    Path hidden = dir.resolve(".data");
    Files.createDirectories(hidden);
    Files.write(hidden.resolve("x.png"), new byte[] {1});

    assertThat(ImageFolder.scan(hidden).relativePaths()).containsExactly("x.png");
  }

  @Test
  void emptyOrImagelessFolderIsAnError() throws IOException {
    assertThatThrownBy(() -> ImageFolder.scan(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no image file");
    touch("readme.txt");
    touch("sub/data.csv");
    assertThatThrownBy(() -> ImageFolder.scan(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no image file")
        .hasMessageContaining("jpeg");
  }

  @Test
  void missingFolderOrFileIsAnError() throws IOException {
    assertThatThrownBy(() -> ImageFolder.scan(dir.resolve("missing")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
    touch("file.jpg");
    assertThatThrownBy(() -> ImageFolder.scan(dir.resolve("file.jpg")))
        .isInstanceOf(NotDirectoryException.class);
  }

  @Test
  void followsLinksButNotLoops() throws IOException {
    touch("real/a.jpg");
    Path outside = Files.createTempDirectory(dir.getParent(), "outside");
    try {
      Files.write(outside.resolve("b.png"), new byte[] {1});
      try {
        Files.createSymbolicLink(dir.resolve("real/loop"), dir);
        Files.createSymbolicLink(dir.resolve("linked"), outside);
        Files.createSymbolicLink(dir.resolve("broken.jpg"), dir.resolve("nowhere.jpg"));
      } catch (UnsupportedOperationException | IOException e) {
        assumeTrue(false, "symbolic links are not supported here: " + e);
      }

      assertThat(ImageFolder.scan(dir).relativePaths())
          .containsExactly("linked/b.png", "real/a.jpg");
    } finally {
      Files.deleteIfExists(outside.resolve("b.png"));
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void splitIsDeterministicDisjointAndComplete() throws IOException {
    ImageFolder folder = folderOf(50);

    ImageFolder.Split split = folder.split(0.2, 7L);
    ImageFolder.Split again = ImageFolder.scan(dir).split(0.2, 7L);

    assertThat(split).isEqualTo(again);
    assertThat(split.heldOut().size()).isEqualTo(10);
    assertThat(split.train().size()).isEqualTo(40);
    Set<String> union = new HashSet<>(split.train().relativePaths());
    union.addAll(split.heldOut().relativePaths());
    assertThat(union).containsExactlyInAnyOrderElementsOf(folder.relativePaths());
    assertThat(split.train().relativePaths())
        .doesNotContainAnyElementsOf(split.heldOut().relativePaths());
    assertThat(split.train().relativePaths()).isSorted();
    assertThat(split.heldOut().relativePaths()).isSorted();
    assertThat(split.train().root()).isEqualTo(folder.root());
    assertThat(folder.split(0.2, 8L).heldOut()).isNotEqualTo(split.heldOut());
  }

  @Test
  void splitDependsOnPathsNotOnOtherFiles() throws IOException {
    ImageFolder before = folderOf(40);
    List<String> heldBefore = before.split(0.25, 3L).heldOut().relativePaths();
    touch("zz/new.jpg");

    List<String> heldAfter = ImageFolder.scan(dir).split(0.25, 3L).heldOut().relativePaths();

    // Ten of forty, then ten of forty-one: at most one file changes sides.
    List<String> common = new ArrayList<>(heldBefore);
    common.retainAll(heldAfter);
    assertThat(common).hasSizeGreaterThanOrEqualTo(9);
  }

  @Test
  void splitSizes() throws IOException {
    ImageFolder folder = folderOf(10);
    assertThat(folder.split(0.0, 1L).heldOut().isEmpty()).isTrue();
    assertThat(folder.split(0.0, 1L).train()).isEqualTo(folder);
    assertThat(folder.split(0.001, 1L).heldOut().size()).isEqualTo(1);
    assertThat(folder.split(0.25, 1L).heldOut().size()).isEqualTo(3); // round(2.5) = 3
    assertThat(folder.split(0.99, 1L).heldOut().size()).isEqualTo(9);
    assertThat(folder.subset(4).split(0.5, 1L).heldOut().size()).isZero();
    assertThat(folder.subset(4, 7).split(0.01, 1L).heldOut().size()).isEqualTo(1);
    assertThatThrownBy(() -> folder.split(1.0, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.0");
    assertThatThrownBy(() -> folder.split(-0.1, 1L)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> folder.split(Double.NaN, 1L))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void subsetKeepsIndexOrderAndRejectsDuplicates() throws IOException {
    ImageFolder folder = folderOf(6);
    ImageFolder sub = folder.subset(5, 0, 2);

    assertThat(sub.relativePaths())
        .containsExactly(folder.relativePath(0), folder.relativePath(2), folder.relativePath(5));
    assertThat(folder.subset().isEmpty()).isTrue();
    assertThatThrownBy(() -> folder.subset(1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1");
    assertThatThrownBy(() -> folder.subset(6)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(folder.limit(2).relativePaths())
        .containsExactly(folder.relativePath(0), folder.relativePath(1));
    assertThat(folder.limit(100)).isSameAs(folder);
  }
}

package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.core.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error policy: every failure is one line {@code ltrp <command>: <message>} on standard error
 * naming the problem, with exit code 2 for a command line that cannot be understood and 1 for any
 * other failure, nothing on standard output and no stack trace unless {@code --verbose}.
 */
class CliErrorsTest {

  private static final Path MAE = RepoFiles.tinyMae("mae.pth");
  private static final Path CONFIG = RepoFiles.tinyMae("config.json");
  private static final Path PHOTO = RepoFiles.sample("chelsea.jpg");

  @Test
  void missingCheckpointIsAFailureNamingTheOptionAndFile() {
    CliRun run =
        CliRun.ltrp(
            "oracle",
            "--mae",
            "no/such/mae.pth",
            "--arch",
            CONFIG,
            "--image",
            PHOTO,
            "--visible",
            "0");

    assertOneLineError(run, 1, "ltrp oracle: --mae: no such file: no/such/mae.pth");
  }

  @Test
  void missingImageIsAFailureNamingTheOption() {
    CliRun run =
        CliRun.ltrp(
            "oracle", "--mae", MAE, "--arch", CONFIG, "--image", "missing.jpg", "--visible", "0");

    assertOneLineError(run, 1, "--image: no such file: missing.jpg");
  }

  @Test
  void visibleIndexOutsideTheGridIsAUsageError() {
    CliRun run =
        CliRun.ltrp(
            "oracle", "--mae", MAE, "--arch", CONFIG, "--image", PHOTO, "--visible", "0,64");

    assertOneLineError(run, 2, "--visible: patch index 64 is outside [0, 64)");
    assertThat(run.err()).contains("8x8");
  }

  @Test
  void repeatedVisibleIndexIsAUsageError() {
    CliRun run =
        CliRun.ltrp("oracle", "--mae", MAE, "--arch", CONFIG, "--image", PHOTO, "--visible", "3,3");

    assertOneLineError(run, 2, "--visible: patch 3 is listed twice");
  }

  @Test
  void nonNumericVisibleIndexIsAUsageError() {
    CliRun run = CliRun.ltrp("oracle", "--mae", MAE, "--image", PHOTO, "--visible", "0,x");

    assertOneLineError(run, 2, "--visible: 'x' in '0,x' is not a patch index");
  }

  @Test
  void maskRatioAboveOneIsAUsageError() {
    CliRun run =
        CliRun.ltrp(
            "oracle", "--mae", MAE, "--arch", CONFIG, "--image", PHOTO, "--mask-ratio", "1.5");

    assertOneLineError(run, 2, "--mask-ratio must be in (0, 1), got 1.5");
  }

  @Test
  void unknownRemovalModeIsAUsageErrorListingTheModes() {
    CliRun run =
        CliRun.ltrp(
            "oracle",
            "--mae",
            MAE,
            "--arch",
            CONFIG,
            "--image",
            PHOTO,
            "--visible",
            "0",
            "--removal",
            "sideways");

    assertOneLineError(run, 2, "unknown removal mode 'sideways'");
    assertThat(run.err()).contains("--removal", "decoder, encoder or mask-token");
  }

  @Test
  void visibleAndMaskRatioTogetherAreAUsageError() {
    CliRun run =
        CliRun.ltrp(
            "oracle", "--mae", MAE, "--image", PHOTO, "--visible", "0", "--mask-ratio", "0.9");

    assertOneLineError(run, 2, "mutually exclusive");
    assertThat(run.err()).contains("--visible", "--mask-ratio");
  }

  @Test
  void neitherVisibleNorMaskRatioIsAUsageError() {
    CliRun run = CliRun.ltrp("oracle", "--mae", MAE, "--image", PHOTO);

    assertOneLineError(run, 2, "Missing required argument");
    assertThat(run.err()).contains("--visible", "--mask-ratio");
  }

  @Test
  void seedWithoutMaskRatioIsAUsageError() {
    CliRun run = CliRun.ltrp("oracle", "--mae", MAE, "--image", PHOTO, "--seed", "4");

    assertOneLineError(run, 2, "--mask-ratio");
  }

  @Test
  void unknownPresetIsAUsageError() {
    CliRun run =
        CliRun.ltrp(
            "oracle", "--mae", MAE, "--arch", "gigantic", "--image", PHOTO, "--visible", "0");

    assertOneLineError(run, 2, "--arch: unknown MAE preset 'gigantic'");
  }

  @Test
  void misspeltOptionIsAUsageErrorWithASuggestion() {
    CliRun run =
        CliRun.ltrp(
            "oracle", "--mae", MAE, "--image", PHOTO, "--visible", "0", "--removl", "encoder");

    assertOneLineError(run, 2, "Unknown options: '--removl', 'encoder'");
    assertThat(run.err()).contains("did you mean --removal", "see 'ltrp oracle --help'");
  }

  @Test
  void missingSubcommandIsAUsageError() {
    CliRun run = CliRun.ltrp();

    assertOneLineError(run, 2, "ltrp: Missing required subcommand");
  }

  @Test
  void checkpointThatIsNotACheckpointIsAFailure() {
    CliRun run = CliRun.ltrp("oracle", "--mae", PHOTO, "--image", PHOTO, "--visible", "0");

    assertOneLineError(run, 1, "unrecognized checkpoint format");
  }

  @Test
  void tinyCheckpointWithoutArchIsAFailureSayingSo() {
    CliRun run = CliRun.ltrp("oracle", "--mae", MAE, "--image", PHOTO, "--visible", "0");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("ltrp oracle: ").doesNotContain("\tat ");
  }

  @Test
  void imageThatIsNotAnImageIsAFailure(@TempDir Path dir) throws IOException {
    Path text = Files.writeString(dir.resolve("photo.jpg"), "not a JPEG");
    CliRun run =
        CliRun.ltrp("oracle", "--mae", MAE, "--arch", CONFIG, "--image", text, "--visible", "0");

    assertOneLineError(run, 1, "photo.jpg");
  }

  @Test
  void verbosePrintsTheStackTraceAfterTheLine() {
    CliRun run =
        CliRun.ltrp("oracle", "--verbose", "--mae", PHOTO, "--image", PHOTO, "--visible", "0");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines().get(0)).startsWith("ltrp oracle: unrecognized checkpoint format");
    assertThat(run.err()).contains("\tat dev.ltrp.");
  }

  @Test
  void convertOfAMissingFileIsAFailure(@TempDir Path dir) {
    CliRun run = CliRun.ltrp("convert", dir.resolve("in.pth"), dir.resolve("out.safetensors"));

    assertOneLineError(run, 1, "ltrp convert: IN: no such file: ");
  }

  @Test
  void convertToAnUnknownDtypeIsAUsageError(@TempDir Path dir) {
    CliRun run = CliRun.ltrp("convert", MAE, dir.resolve("out.safetensors"), "--dtype", "f8");

    assertOneLineError(run, 2, "unknown dtype 'f8': expected f32, f16 or bf16");
  }

  @Test
  void helpAndVersionSucceedOnStandardOutput() {
    CliRun help = CliRun.ltrp("--help");
    CliRun oracleHelp = CliRun.ltrp("oracle", "--help");
    CliRun version = CliRun.ltrp("--version");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("Usage: ltrp", "oracle", "scoremaps", "train", "keep", "convert");
    assertThat(oracleHelp.exitCode()).isZero();
    assertThat(oracleHelp.out())
        .contains("--mae", "--mask-ratio", "--verbose", "decoder, encoder,", "mask-token");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).isEqualTo("ltrp dev" + System.lineSeparator());
  }

  private static void assertOneLineError(CliRun run, int exitCode, String expected) {
    run.assertOneLineError(exitCode, expected);
  }
}

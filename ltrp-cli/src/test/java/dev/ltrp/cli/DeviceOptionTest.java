package dev.ltrp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltrp.core.testing.RepoFiles;
import dev.ltrp.nd4j.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/** {@code --device}: checks that the models run where the user asked, or says how to get there. */
class DeviceOptionTest {

  private static CliRun oracle(String device) {
    return CliRun.ltrp(
        "--device",
        device,
        "oracle",
        "--mae",
        RepoFiles.tinyMae("mae.pth"),
        "--arch",
        RepoFiles.tinyMae("config.json"),
        "--image",
        RepoFiles.sample("chelsea.jpg"),
        "--visible",
        "0,9,18");
  }

  @Test
  @DisabledIf("dev.ltrp.nd4j.Backends#cudaActive")
  void cpuIsAcceptedWhereTheCpuBackendRuns() {
    CliRun run = oracle("cpu");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"grid\":[8,8]");
  }

  @Test
  @DisabledIf("dev.ltrp.nd4j.Backends#cudaActive")
  void cudaOnACpuOnlyRunSaysHowToGetIt() {
    oracle("cuda").assertOneLineError(1, "the CUDA backend is not active");
  }

  @Test
  void anUnknownDeviceIsAUsageError() {
    oracle("tpu").assertOneLineError(2, "unknown device 'tpu': expected cpu or cuda");
  }

  @Test
  void theActiveDeviceIsOneOfTheTwo() {
    assertThat(Backends.active()).isIn(Backends.Device.CPU, Backends.Device.CUDA);
  }
}

package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --state-dir}: a policy fetched in one run is in effect in the next (issue #5). */
class StateDirTest {

  @TempDir Path state;

  private LoopbackWorld world;

  @BeforeEach
  void start() {
    world = LoopbackWorld.start(1);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private Cli.Result policy(boolean withState) {
    List<String> args = new ArrayList<>(List.of("policy", "--json"));
    args.addAll(world.cliOptions());
    if (withState) {
      args.addAll(List.of("--state-dir", state.toString()));
    }
    args.add("kept.test");
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void stateDir_policyGoneInSecondRun_cachedPolicyStillInEffect() {
    world.publish("kept.test", "7",
        "version: STSv1\nmode: enforce\nmx: mx.kept.test\nmax_age: 604800\n");
    Cli.Result first = policy(true);
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.OK);
    assertThat(first.json().get("source").asText()).isEqualTo("fetched");

    world.policyServer.removePolicy("mta-sts.kept.test");
    world.dns.remove("_mta-sts.kept.test");

    Cli.Result second = policy(true);
    assertThat(second.code()).as(second.err() + second.out()).isEqualTo(ExitCodes.OK);
    assertThat(second.json().get("source").asText()).isIn("cache", "cache-fallback");
    assertThat(second.json().get("policy").get("mode").asText()).isEqualTo("enforce");

    Cli.Result memoryOnly = policy(false);
    assertThat(memoryOnly.code()).isEqualTo(ExitCodes.NEGATIVE);
  }

  @Test
  void stateDir_sameTxtIdInSecondRun_sourceCacheWithoutRefetch() {
    world.publish("kept.test", "7",
        "version: STSv1\nmode: enforce\nmx: mx.kept.test\nmax_age: 604800\n");
    Cli.Result first = policy(true);
    assertThat(first.json().get("source").asText()).isEqualTo("fetched");
    assertThat(world.policyServer.requestCount("mta-sts.kept.test")).isEqualTo(1);

    Cli.Result second = policy(true);
    assertThat(second.code()).as(second.err() + second.out()).isEqualTo(ExitCodes.OK);
    assertThat(second.json().get("source").asText()).isEqualTo("cache");
    assertThat(second.json().get("record").get("id").asText()).isEqualTo("7");
    assertThat(second.json().get("policy").get("mx").get(0).asText()).isEqualTo("mx.kept.test");
    assertThat(second.json().get("error").isNull()).isTrue();
    // the TXT id matched, so the policy host was not asked again (RFC 8461 section 5.1)
    assertThat(world.policyServer.requestCount("mta-sts.kept.test")).isEqualTo(1);
  }

  @Test
  void stateDir_txtRemovedBeforeSecondRun_sourceCacheFallback() {
    world.publish("kept.test", "7",
        "version: STSv1\nmode: enforce\nmx: mx.kept.test\nmax_age: 604800\n");
    assertThat(policy(true).json().get("source").asText()).isEqualTo("fetched");

    world.dns.remove("_mta-sts.kept.test");

    Cli.Result second = policy(true);
    assertThat(second.code()).as(second.err() + second.out()).isEqualTo(ExitCodes.OK);
    assertThat(second.json().get("source").asText()).isEqualTo("cache-fallback");
    assertThat(second.json().get("record").isNull()).isTrue();
    assertThat(second.json().get("policy").get("mode").asText()).isEqualTo("enforce");
  }

  @Test
  void stateDir_notADirectory_usageError() throws Exception {
    Path file = java.nio.file.Files.writeString(state.resolve("f"), "x");
    List<String> args = new ArrayList<>(List.of("policy", "--state-dir", file.toString()));
    args.addAll(world.cliOptions());
    args.add("kept.test");
    Cli.run(args.toArray(String[]::new)).assertOneLineError(ExitCodes.USAGE);
  }
}

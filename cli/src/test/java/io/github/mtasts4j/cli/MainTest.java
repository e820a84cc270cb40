package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

  @TempDir Path dir;

  @Test
  void main_noCommand_usageError() {
    Cli.run().assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void main_unknownOption_usageErrorWithHint() {
    Cli.Result r = Cli.run("policy", "--bogus", "example.com");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--bogus").contains("--help");
    r.assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void help_everyCommand_printsUsageAndExitsZero() {
    for (String cmd : new String[] {"policy", "lint", "check", "send", "generate", "demo",
        "completion"}) {
      Cli.Result r = Cli.run(cmd, "--help");
      assertThat(r.code()).as(cmd).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).as(cmd).contains("Usage: mtasts4j " + cmd);
    }
    assertThat(Cli.run("--help").out()).contains("policy").contains("demo");
  }

  @Test
  void help_commonOptions_listedButPolicyPortHidden() {
    Cli.Result r = Cli.run("policy", "--help");
    assertThat(r.out()).contains("--dns").contains("--trust-anchors").contains("--smtp-port")
        .contains("--state-dir").contains("--timeout").contains("--json")
        .doesNotContain("--policy-port");
  }

  @Test
  void completion_bashScript_mentionsEverySubcommand() {
    Cli.Result r = Cli.run("completion");
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("complete -F").contains("check").contains("generate")
        .contains("--dns");
  }

  @Test
  void dnsOption_malformed_usageError() {
    Cli.Result r = Cli.run("policy", "--dns", "[::1:53", "example.com");
    r.assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("--dns");
  }

  @Test
  void dnsOption_badPort_usageError() {
    Cli.run("policy", "--dns", "127.0.0.1:99999", "example.com")
        .assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void dnsServer_ipv6InBrackets_parsed() {
    var a = new Converters.DnsServer().convert("[::1]:5353");
    assertThat(a.getPort()).isEqualTo(5353);
    assertThat(a.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(new Converters.DnsServer().convert("127.0.0.2").getPort()).isEqualTo(53);
    assertThat(new Converters.DnsServer().convert("::1").getPort()).isEqualTo(53);
  }

  @Test
  void policy_malformedDomain_usageError() {
    Cli.Result r = Cli.run("policy", "bad..example");
    r.assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void check_malformedDomain_usageError() {
    Cli.Result r = Cli.run("check", "-bad-.example").assertOneLineError(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void check_unreachableResolver_failVerdictExit1NoStackTrace() throws Exception {
    int deadPort;
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
      deadPort = s.getLocalPort();
    }
    Cli.Result r = Cli.run("check", "--json", "--dns", "127.0.0.1:" + deadPort, "--timeout",
        "0.5", "example.com");
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(r.json().get("verdict").asText()).isEqualTo("fail");
    assertThat(r.json().get("checks").get(0).get("detail").asText()).contains("DNS lookup failed");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void timeout_notANumber_usageError() {
    Cli.run("policy", "--timeout", "soon", "example.com").assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void trustAnchors_unreadable_oneLineError() {
    Cli.run("policy", "--trust-anchors", "/nonexistent/ca.pem", "--dns", "127.0.0.1:9",
        "example.com").assertOneLineError(ExitCodes.USAGE);
  }

  /**
   * The same bad input with and without {@code -v}/{@code --verbose}: without it one line and no
   * stack frames; with it the same first line, then the stack trace.
   */
  @ParameterizedTest
  @ValueSource(strings = {"-v", "--verbose"})
  void verbose_sameBadInput_stackTraceOnlyWithIt(String flag) {
    String missing = dir.resolve("missing-policy.txt").toString();
    List<List<String>> inputs = List.of(
        List.of("lint", missing),
        List.of("policy", "--trust-anchors", dir.resolve("missing-ca.pem").toString(), "--dns",
            "127.0.0.1:9", "example.com"));
    for (List<String> input : inputs) {
      Cli.Result quiet = Cli.run(input.toArray(String[]::new))
          .assertOneLineError(ExitCodes.USAGE);
      assertThat(quiet.err().lines()).as(quiet.err()).hasSize(1);
      assertThat(quiet.err()).doesNotContain("at io.github").contains("cannot");

      List<String> withFlag = new ArrayList<>(input);
      withFlag.add(1, flag);
      Cli.Result loud = Cli.run(withFlag.toArray(String[]::new));
      assertThat(loud.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(loud.out()).isEmpty();
      assertThat(loud.err().lines().findFirst()).contains(quiet.err().strip());
      assertThat(loud.err()).as(loud.err()).contains("UserException")
          .contains("\tat io.github.mtasts4j.cli.");
      assertThat(loud.err().lines().count()).isGreaterThan(2);
    }
  }

  @Test
  void tlsName_wildcard_coversExactlyOneLabel() {
    assertThat(TlsProbe.nameMatches("*.example.com", "mx.example.com")).isTrue();
    assertThat(TlsProbe.nameMatches("*.example.com", "a.mx.example.com")).isFalse();
    assertThat(TlsProbe.nameMatches("*.example.com", "example.com")).isFalse();
    assertThat(TlsProbe.nameMatches("MX.Example.com.", "mx.example.com")).isTrue();
    assertThat(TlsProbe.nameMatches("m*.example.com", "mx.example.com")).isFalse();
  }

  @Test
  void lint_deviceWithoutEnd_usageErrorAtTheSizeLimitNotOutOfMemory() {
    assumeTrue(Files.isReadable(Path.of("/dev/zero")), "needs /dev/zero");
    Cli.run("lint", "/dev/zero").assertOneLineError(ExitCodes.USAGE);
    assertThat(Cli.run("lint", "/dev/zero").err()).contains("more than the limit");
  }

  @Test
  void trustAnchors_notARegularFile_usageError() {
    assumeTrue(Files.isReadable(Path.of("/dev/zero")), "needs /dev/zero");
    Cli.Result r = Cli.run("policy", "--trust-anchors", "/dev/zero", "example.com");
    r.assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("not a regular file");
  }
}

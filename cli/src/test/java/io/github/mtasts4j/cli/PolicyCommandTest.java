package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyCommandTest {
  private static final String ENFORCE =
      "version: STSv1\nmode: enforce\nmx: mx.good.test\nmx: *.backup.good.test\nmax_age: 604800\n";

  private LoopbackWorld world;

  @BeforeEach
  void start() {
    world = LoopbackWorld.start(2);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private Cli.Result policy(String... extra) {
    List<String> args = new ArrayList<>(List.of("policy"));
    args.addAll(world.cliOptions());
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void policy_published_exit0AndEveryJsonField() {
    world.publish("good.test", "20260101000000Z", ENFORCE);
    Cli.Result r = policy("--json", "good.test");
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(ExitCodes.OK);
    JsonNode j = r.json();
    assertThat(j.get("domain").asText()).isEqualTo("good.test");
    assertThat(j.get("record").get("id").asText()).isEqualTo("20260101000000Z");
    assertThat(j.get("record").get("raw").asText()).isEqualTo("v=STSv1; id=20260101000000Z");
    JsonNode p = j.get("policy");
    assertThat(p.get("version").asText()).isEqualTo("STSv1");
    assertThat(p.get("mode").asText()).isEqualTo("enforce");
    assertThat(p.get("max_age").asLong()).isEqualTo(604800L);
    assertThat(p.get("mx")).hasSize(2);
    assertThat(p.get("mx").get(1).asText()).isEqualTo("*.backup.good.test");
    assertThat(j.get("source").asText()).isEqualTo("fetched");
    assertThat(j.has("error")).isTrue();
    assertThat(j.get("error").isNull()).isTrue();
  }

  @Test
  void policy_modeNone_stillInEffectExit0() {
    world.publish("none.test", "1", "version: STSv1\nmode: none\nmax_age: 86400\n");
    Cli.Result r = policy("--json", "none.test");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.json().get("policy").get("mode").asText()).isEqualTo("none");
  }

  @Test
  void policy_published_humanTable() {
    world.publish("good.test", "abc", ENFORCE);
    Cli.Result r = policy("good.test");
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).containsPattern("mode\\s+enforce").containsPattern("source\\s+fetched")
        .containsPattern("mx\\s+mx.good.test");
  }

  @Test
  void policy_noRecord_exit1SourceNone() {
    world.dns.a("nothing.test", "127.0.0.1");
    Cli.Result r = policy("--json", "nothing.test");
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    JsonNode j = r.json();
    assertThat(j.get("record").isNull()).isTrue();
    assertThat(j.get("policy").isNull()).isTrue();
    assertThat(j.get("source").asText()).isEqualTo("none");
    assertThat(j.get("error").get("type").asText()).isEqualTo("no-policy-found");
  }

  @Test
  void policy_policyFileMissing_fetchErrorExit1() {
    world.publish("gone.test", "1", ENFORCE);
    world.policyServer.removePolicy("mta-sts.gone.test");
    Cli.Result r = policy("--json", "gone.test");
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    JsonNode j = r.json();
    assertThat(j.get("record").get("id").asText()).isEqualTo("1");
    assertThat(j.get("policy").isNull()).isTrue();
    assertThat(j.get("source").asText()).isEqualTo("none");
    assertThat(j.get("error").get("type").asText()).isEqualTo("sts-policy-fetch-error");
    assertThat(j.get("error").get("detail").asText()).isNotBlank();
  }

  @Test
  void policy_policyHostCertificateWrongName_webpkiInvalid() {
    world.publish("wrong.test", "1", ENFORCE);
    world.policyServer.identity("mta-sts.wrong.test", world.pki.issue("mta-sts.other.test"));
    Cli.Result r = policy("--json", "wrong.test");
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("sts-webpki-invalid");
  }

  @Test
  void policy_invalidPolicyBody_policyInvalid() {
    world.publish("bad.test", "1", "version: STSv1\nmode: enforced\nmx: a.bad.test\nmax_age: 1\n");
    Cli.Result r = policy("--json", "bad.test");
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("sts-policy-invalid");
  }

  @Test
  void policy_unreachableResolver_oneLineNonZeroNoStackTrace() throws Exception {
    int deadPort;
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      deadPort = s.getLocalPort();
    }
    Cli.Result r = Cli.run("policy", "--dns", "127.0.0.1:" + deadPort, "--timeout", "0.5",
        "example.com");
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat((r.out() + r.err()).lines().filter(l -> !l.isBlank()).count()).isEqualTo(1);
    assertThat(r.out() + r.err()).contains("dns-error").doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void policy_txtLookupFails_itIsNotMadeASecondTimeJustToShowTheRecord() {
    world.dns.servfail("_mta-sts.broken.test");
    Cli.Result r = policy("--json", "broken.test");
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(r.json().get("error").get("type").asText()).isEqualTo("dns-error");
    long afterOne = world.dns.count("_mta-sts.broken.test", "TXT");
    world.dns.servfail("_mta-sts.broken2.test");
    // the same failing lookup made once by a client like the CLI's: the queries one lookup takes
    io.github.mtasts4j.spi.DnsClient.servers(
            List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), world.dns.port())),
            java.time.Duration.ofSeconds(10))
        .txt(io.github.mtasts4j.DomainName.of("_mta-sts.broken2.test"));
    assertThat(afterOne).isPositive().isEqualTo(world.dns.count("_mta-sts.broken2.test", "TXT"));
  }
}

package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mtasts4j.cli.LoopbackWorld.MxKind;
import io.github.mtasts4j.cli.StallingMx.Stall;
import io.github.mtasts4j.testing.LoopbackAddresses;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.PolicyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckCommandTest {

  /** The 3 s a probe of one address gets with --timeout 1, plus a cold JVM on a busy machine. */
  private static final Duration WITHIN = Duration.ofSeconds(20);
  /** Past {@link #WITHIN}: ends a run that hangs (before the probe deadline, it did). */
  private static final Duration HUNG = Duration.ofSeconds(30);

  private LoopbackWorld world;
  private final List<StallingMx> stalling = new ArrayList<>();

  @BeforeEach
  void start() {
    world = LoopbackWorld.start(4);
  }

  @AfterEach
  void stop() {
    stalling.forEach(StallingMx::close);
    world.close();
  }

  private Cli.Result check(String... extra) {
    List<String> args = new ArrayList<>(List.of("check"));
    args.addAll(world.cliOptions());
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  /**
   * Publishes a clean enforce policy for {@code domain} whose one MX, {@code host}, is a
   * {@link StallingMx} on an address of its own (the world's SMTP port); returns that address.
   */
  private InetAddress stallingMx(String domain, String host, Stall stall) {
    world.publish(domain, "1", "version: STSv1\nmode: enforce\nmx: " + host
        + "\nmax_age: 604800\n");
    world.dns.txt("_smtp._tls." + domain, "v=TLSRPTv1; rua=mailto:tls@" + domain);
    world.dns.mx(domain, 10, host);
    return stallingAddress(host, stall);
  }

  /** Gives {@code host} one more address, a {@link StallingMx} on the world's SMTP port. */
  private InetAddress stallingAddress(String host, Stall stall) {
    InetAddress address = LoopbackAddresses.allocate(1).get(0);
    stalling.add(StallingMx.start(address, world.smtpPort(), stall));
    world.dns.a(host, address.getHostAddress());
    return address;
  }

  /** Runs check with --timeout 2 (room for the good servers on a loaded machine), ending a hang. */
  private Cli.Result checkWithinBound(String domain) {
    return assertTimeoutPreemptively(HUNG, () -> check("--json", "--timeout", "2", domain),
        "check still running: the probe of one address has no overall deadline");
  }

  private static JsonNode item(JsonNode j, String name) {
    for (JsonNode c : j.get("checks")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check named " + name + " in " + j);
  }

  private static List<String> statuses(JsonNode j, String name) {
    List<String> s = new ArrayList<>();
    for (JsonNode c : j.get("checks")) {
      if (c.get("name").asText().equals(name)) {
        s.add(c.get("status").asText());
      }
    }
    return s;
  }

  @Test
  void check_healthySetup_passExit0() {
    world.publish("good.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.good.test\nmax_age: 1209600\n");
    world.dns.txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=mailto:tls@good.test");
    world.mx("good.test", 10, "mx.good.test", MxKind.GOOD);
    Cli.Result r = check("--json", "good.test");
    JsonNode j = r.json();
    assertThat(j.get("verdict").asText()).as(r.out()).isEqualTo("pass");
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(j.get("domain").asText()).isEqualTo("good.test");
    for (JsonNode c : j.get("checks")) {
      assertThat(c.get("status").asText()).isEqualTo("pass");
      assertThat(c.get("detail").asText()).isNotBlank();
    }
    assertThat(item(j, "txt-record").get("detail").asText()).contains("v=STSv1; id=1");
    assertThat(item(j, "tlsrpt-record").get("detail").asText()).contains("mailto:tls@good.test");
    assertThat(item(j, "mx-in-policy:mx.good.test").get("status").asText()).isEqualTo("pass");
    assertThat(item(j, "mx-tls:mx.good.test").get("detail").asText()).contains("expires");
    // check really spoke SMTP to the MX, with SNI = the MX name
    assertThat(world.receivers().get("mx.good.test").tlsServerNames()).contains("mx.good.test");
  }

  @Test
  void check_pitfalls_warnExit0() {
    world.publish("warn.test", "1",
        "version: STSv1\nmode: testing\nmx: *.warn.test\nmax_age: 3600\n");
    world.mx("warn.test", 10, "mx.warn.test", MxKind.GOOD);
    world.mx("warn.test", 20, "backup.elsewhere.test", MxKind.GOOD);
    Cli.Result r = check("--json", "warn.test");
    JsonNode j = r.json();
    assertThat(j.get("verdict").asText()).as(r.out()).isEqualTo("warn");
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(item(j, "policy-mode").get("status").asText()).isEqualTo("warn");
    assertThat(item(j, "policy-max-age").get("status").asText()).isEqualTo("warn");
    assertThat(statuses(j, "policy-wildcard")).contains("warn");
    assertThat(item(j, "mx-in-policy:backup.elsewhere.test").get("status").asText())
        .isEqualTo("warn");
    assertThat(item(j, "mx-in-policy:backup.elsewhere.test").get("detail").asText())
        .contains("senders");
    assertThat(item(j, "tlsrpt-record").get("status").asText()).isEqualTo("warn");
  }

  @Test
  void check_enforceWithBadMxCertificate_failExit1() {
    world.publish("bad.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.bad.test\nmx: plain.bad.test\nmax_age: 604800\n");
    world.mx("bad.test", 10, "mx.bad.test", MxKind.WRONG_NAME);
    world.mx("bad.test", 20, "plain.bad.test", MxKind.PLAIN);
    Cli.Result r = check("--json", "bad.test");
    JsonNode j = r.json();
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(j.get("verdict").asText()).isEqualTo("fail");
    JsonNode wrong = item(j, "mx-tls:mx.bad.test");
    assertThat(wrong.get("status").asText()).isEqualTo("fail");
    assertThat(wrong.get("detail").asText()).contains("certificate-host-mismatch")
        .contains("will not deliver");
    JsonNode plain = item(j, "mx-tls:plain.bad.test");
    assertThat(plain.get("detail").asText()).contains("starttls-not-supported");
  }

  @Test
  void check_mxWithTwoAddresses_secondHasAWrongCertificate_failNamesThatAddress() {
    world.publish("two.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.two.test\nmax_age: 604800\n");
    LoopbackMx good = world.mx("two.test", 10, "mx.two.test", MxKind.GOOD);
    LoopbackMx wrong = world.anotherAddress("mx.two.test", MxKind.WRONG_NAME);
    Cli.Result r = check("--json", "two.test");
    JsonNode j = r.json();
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
    JsonNode tls = item(j, "mx-tls:mx.two.test");
    assertThat(tls.get("status").asText()).isEqualTo("fail");
    assertThat(tls.get("detail").asText())
        .contains("certificate-host-mismatch (at " + wrong.address().getHostAddress() + ")")
        .doesNotContain(good.address().getHostAddress())
        .contains("every one must pass");
    // both addresses were spoken to, each with SNI = the MX name
    assertThat(good.tlsServerNames()).contains("mx.two.test");
    assertThat(wrong.tlsServerNames()).contains("mx.two.test");
  }

  @Test
  void check_mxWithTwoAddresses_oneUnreachable_warnsAndSaysWhichWasNotChecked() {
    world.publish("half.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.half.test\nmax_age: 604800\n");
    world.dns.txt("_smtp._tls.half.test", "v=TLSRPTv1; rua=mailto:tls@half.test");
    LoopbackMx good = world.mx("half.test", 10, "mx.half.test", MxKind.GOOD);
    String silent = LoopbackAddresses.allocate(1).get(0).getHostAddress(); // nothing listens
    world.dns.a("mx.half.test", silent);
    Cli.Result r = check("--json", "half.test");
    JsonNode j = r.json();
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.OK);
    assertThat(j.get("verdict").asText()).isEqualTo("warn");
    JsonNode tls = item(j, "mx-tls:mx.half.test");
    assertThat(tls.get("status").asText()).isEqualTo("warn");
    assertThat(tls.get("detail").asText())
        .contains("cannot connect to " + silent + ":" + world.smtpPort())
        .contains("where reached");
    assertThat(good.tlsServerNames()).contains("mx.half.test");
  }

  @Test
  void check_policyHostWithTwoAddresses_secondHasAWrongCertificate_failNamesThatAddress() {
    world.publish("twoweb.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.twoweb.test\nmax_age: 604800\n");
    world.mx("twoweb.test", 10, "mx.twoweb.test", MxKind.GOOD);
    InetAddress second = LoopbackAddresses.allocate(1).get(0);
    try (PolicyServer wrong = PolicyServer.start(second, world.policyServer.port())) {
      wrong.identity("mta-sts.twoweb.test", world.pki.issue("other.invalid"));
      wrong.policy("mta-sts.twoweb.test", "version: STSv1\nmode: none\nmax_age: 86400\n");
      world.dns.a("mta-sts.twoweb.test", second.getHostAddress());

      Cli.Result r = check("--json", "twoweb.test");

      assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
      JsonNode host = item(r.json(), "policy-host-certificate");
      assertThat(host.get("status").asText()).isEqualTo("fail");
      assertThat(host.get("detail").asText())
          .contains("certificate-host-mismatch")
          .contains("(at " + second.getHostAddress() + ")")
          .doesNotContain("(at " + world.policyServer.address().getHostAddress() + ")")
          .contains("every one must pass");
      assertThat(wrong.serverNames()).contains("mta-sts.twoweb.test");
      assertThat(world.policyServer.serverNames()).contains("mta-sts.twoweb.test");
    }
  }

  @Test
  void check_policyHostSecondAddressNeverAnswersTheHandshake_failsAsFetchErrorNotWebPki()
      throws Exception {
    world.publish("mute.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.mute.test\nmax_age: 604800\n");
    world.mx("mute.test", 10, "mx.mute.test", MxKind.GOOD);
    InetAddress second = LoopbackAddresses.allocate(1).get(0);
    try (ServerSocket mute = new ServerSocket()) {
      mute.bind(new InetSocketAddress(second, world.policyServer.port()));
      world.dns.a("mta-sts.mute.test", second.getHostAddress()); // accepts, never speaks TLS

      Cli.Result r = checkWithinBound("mute.test");

      assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
      JsonNode host = item(r.json(), "policy-host-certificate");
      assertThat(host.get("status").asText()).isEqualTo("fail");
      assertThat(host.get("detail").asText())
          .contains("sts-policy-fetch-error (at " + second.getHostAddress() + ")")
          .contains("TLS handshake failed")
          .doesNotContain("sts-webpki-invalid")
          .contains("every one must pass");
    }
  }

  @Test
  void check_mxSecondAddressRefusesWith554_failsNotWarns() throws Exception {
    world.publish("refuse.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.refuse.test\nmax_age: 604800\n");
    LoopbackMx good = world.mx("refuse.test", 10, "mx.refuse.test", MxKind.GOOD);
    InetAddress second = LoopbackAddresses.allocate(1).get(0);
    try (ServerSocket refusing = new ServerSocket()) {
      refusing.bind(new InetSocketAddress(second, world.smtpPort()));
      Thread t = new Thread(() -> {
        while (!refusing.isClosed()) {
          try (Socket s = refusing.accept()) {
            s.getOutputStream().write("554 no SMTP service here\r\n".getBytes(US_ASCII));
          } catch (IOException e) {
            // closed: the test is over
          }
        }
      }, "refusing-mx");
      t.setDaemon(true);
      t.start();
      world.dns.a("mx.refuse.test", second.getHostAddress());

      Cli.Result r = check("--json", "refuse.test");

      assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
      JsonNode tls = item(r.json(), "mx-tls:mx.refuse.test");
      assertThat(tls.get("status").asText()).isEqualTo("fail");
      assertThat(tls.get("detail").asText())
          .contains("(at " + second.getHostAddress() + ")")
          .contains("554 no SMTP service here")
          .doesNotContain(good.address().getHostAddress());
    }
  }

  @Test
  void check_expiredMxCertificate_fails() {
    world.publish("old.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.old.test\nmax_age: 604800\n");
    world.mx("old.test", 10, "mx.old.test", MxKind.EXPIRED);
    JsonNode j = check("--json", "old.test").json();
    assertThat(item(j, "mx-tls:mx.old.test").get("detail").asText())
        .contains("certificate-expired");
  }

  @Test
  void check_mxCertificateExpiringWithin14Days_warns() {
    world.publish("soon.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.soon.test\nmax_age: 604800\n");
    world.dns.txt("_smtp._tls.soon.test", "v=TLSRPTv1; rua=mailto:tls@soon.test");
    world.mx("soon.test", 10, "mx.soon.test", MxKind.EXPIRING_SOON);
    Cli.Result r = check("--json", "soon.test");
    JsonNode j = r.json();
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(j.get("verdict").asText()).isEqualTo("warn");
    JsonNode tls = item(j, "mx-tls:mx.soon.test");
    assertThat(tls.get("status").asText()).isEqualTo("warn");
    assertThat(tls.get("detail").asText()).containsPattern("in [45] days").contains("renew");
  }

  @Test
  void check_noRecord_failExit1HumanTable() {
    world.mx("none.test", 10, "mx.none.test", MxKind.GOOD);
    Cli.Result r = check("none.test");
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(r.out()).containsPattern("fail\\s+txt-record\\s+no v=STSv1 TXT record")
        .contains("verdict: fail");
  }

  @Test
  void check_mailcowExtraDomain_adviceNamesExactRecordsAndSan() {
    // primary example.test is fine; other.test lacks its CNAMEs and the SAN.
    world.mx("other.test", 10, "mail.example.test", MxKind.GOOD);
    world.dns.a("mta-sts.other.test", world.policyServer.address().getHostAddress());
    world.policyServer.identity("mta-sts.other.test", world.pki.issue("mail.example.test"));
    Cli.Result r = check("--json", "--mailcow", "other.test");
    JsonNode j = r.json();
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(item(j, "txt-record").get("detail").asText())
        .contains("_mta-sts.other.test. IN CNAME _mta-sts.example.test.");
    assertThat(item(j, "policy-host-certificate").get("detail").asText())
        .contains("ADDITIONAL_SAN=mta-sts.*").contains("acme-mailcow");
    assertThat(item(j, "tlsrpt-record").get("detail").asText())
        .contains("_smtp._tls.other.test. IN CNAME _smtp._tls.example.test.");
  }

  @Test
  void check_mailcowMissingPolicyHost_adviceIsCnameToMailcowHost() {
    world.mx("other.test", 10, "mail.example.test", MxKind.GOOD);
    JsonNode j = check("--json", "--mailcow", "other.test").json();
    assertThat(item(j, "policy-host-certificate").get("detail").asText())
        .contains("mta-sts.other.test. IN CNAME mail.example.test.");
  }

  @Test
  void check_policyServedAsTextHtml_policyFileFailsNamingTheMediaType() {
    world.publish("html.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.html.test\nmax_age: 604800\n");
    // a newer stub wins in WireMock: same host, same path, same body, but text/html
    world.policyServer.wireMock().stubFor(get(urlPathEqualTo(PolicyServer.POLICY_PATH))
        .withHost(equalToIgnoreCase("mta-sts.html.test"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
            .withBody("version: STSv1\nmode: enforce\nmx: mx.html.test\nmax_age: 604800\n")));
    world.mx("html.test", 10, "mx.html.test", MxKind.GOOD);

    Cli.Result r = check("--json", "html.test");
    JsonNode j = r.json();

    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(j.get("verdict").asText()).isEqualTo("fail");
    assertThat(world.policyServer.requestCount("mta-sts.html.test")).isPositive();
    JsonNode file = item(j, "policy-file");
    assertThat(file.get("status").asText()).isEqualTo("fail");
    assertThat(file.get("detail").asText()).contains("sts-policy-invalid").contains("text/html")
        .contains("text/plain");
    assertThat(item(j, "txt-record").get("status").asText()).isEqualTo("pass");
    assertThat(item(j, "policy-host-certificate").get("status").asText()).isEqualTo("pass");
  }

  @Test
  void check_invalidPolicyBody_policyFileFailsNamingTheProblem() {
    world.publish("inv.test", "1",
        "version: STSv1\nmode: enforced\nmx: mx.inv.test\nmax_age: 604800\n");
    world.mx("inv.test", 10, "mx.inv.test", MxKind.GOOD);

    Cli.Result r = check("--json", "inv.test");
    JsonNode j = r.json();

    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(j.get("verdict").asText()).isEqualTo("fail");
    JsonNode file = item(j, "policy-file");
    assertThat(file.get("status").asText()).isEqualTo("fail");
    assertThat(file.get("detail").asText()).contains("sts-policy-invalid").contains("mode")
        .contains("enforced");
    assertThat(item(j, "txt-record").get("status").asText()).isEqualTo("pass");
  }

  @Test
  void check_mxDripsItsGreeting_failsTimedOutAtTheProbeDeadline() {
    InetAddress drip = stallingMx("drip.test", "mx.drip.test", Stall.DRIP_GREETING);
    long start = System.nanoTime();
    Cli.Result r = checkWithinBound("drip.test");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    JsonNode j = r.json();
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(j.get("verdict").asText()).isEqualTo("fail");
    JsonNode tls = item(j, "mx-tls:mx.drip.test");
    assertThat(tls.get("status").asText()).isEqualTo("fail");
    assertThat(tls.get("detail").asText())
        .contains(drip.getHostAddress() + ":" + world.smtpPort())
        .contains("timed out after 6 s")
        .doesNotContain("\tat ");
    // every other check passed: the stalled MX alone makes the verdict
    assertThat(statuses(j, "txt-record")).containsExactly("pass");
    assertThat(statuses(j, "policy-host-certificate")).containsExactly("pass");
    assertThat(took).isLessThan(WITHIN);
  }

  @Test
  void check_mxWithTwoAddresses_secondDripsTheTlsHandshake_failsNamingItTimedOut() {
    world.publish("slow.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.slow.test\nmax_age: 604800\n");
    LoopbackMx good = world.mx("slow.test", 10, "mx.slow.test", MxKind.GOOD);
    InetAddress drip = stallingAddress("mx.slow.test", Stall.DRIP_HANDSHAKE);
    long start = System.nanoTime();
    Cli.Result r = checkWithinBound("slow.test");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    JsonNode j = r.json();
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
    JsonNode tls = item(j, "mx-tls:mx.slow.test");
    assertThat(tls.get("status").asText()).isEqualTo("fail");
    assertThat(tls.get("detail").asText())
        .contains("(at " + drip.getHostAddress() + ")")
        .contains("TLS handshake failed: timed out after 6 s")
        .doesNotContain(good.address().getHostAddress())
        .contains("every one must pass");
    assertThat(good.tlsServerNames()).contains("mx.slow.test");
    assertThat(took).isLessThan(WITHIN);
  }

  @Test
  void check_mxWithTwoAddresses_secondAcceptsThenStallsItsGreeting_failsNotWarns() {
    // Reaching an address that then misbehaves is no firewall artefact of where check runs:
    // senders that reach it fail there too, so it fails like a bad certificate would.
    world.publish("stall2.test", "1",
        "version: STSv1\nmode: enforce\nmx: mx.stall2.test\nmax_age: 604800\n");
    world.dns.txt("_smtp._tls.stall2.test", "v=TLSRPTv1; rua=mailto:tls@stall2.test");
    LoopbackMx good = world.mx("stall2.test", 10, "mx.stall2.test", MxKind.GOOD);
    InetAddress drip = stallingAddress("mx.stall2.test", Stall.DRIP_GREETING);
    Cli.Result r = checkWithinBound("stall2.test");
    JsonNode j = r.json();
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
    JsonNode tls = item(j, "mx-tls:mx.stall2.test");
    assertThat(tls.get("status").asText()).isEqualTo("fail");
    assertThat(tls.get("detail").asText())
        .contains("(at " + drip.getHostAddress() + ")")
        .contains("timed out after 6 s")
        .contains("every one must pass")
        .doesNotContain("where reached")
        .doesNotContain(good.address().getHostAddress());
  }

  @Test
  void check_mxSendsAnEndlessReplyLine_failsReplyLineTooLong() {
    InetAddress flood = stallingMx("long.test", "mx.long.test", Stall.ENDLESS_LINE);
    Cli.Result r = checkWithinBound("long.test");
    JsonNode j = r.json();
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
    JsonNode tls = item(j, "mx-tls:mx.long.test");
    assertThat(tls.get("status").asText()).isEqualTo("fail");
    assertThat(tls.get("detail").asText())
        .contains(flood.getHostAddress() + ":" + world.smtpPort())
        .contains("reply line too long")
        .doesNotContain("Exception");
  }

  @Test
  void check_mxSendsAnEndlessMultilineReply_failsReplyTooLong() {
    InetAddress flood = stallingMx("many.test", "mx.many.test", Stall.ENDLESS_REPLY);
    Cli.Result r = checkWithinBound("many.test");
    JsonNode j = r.json();
    assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.NEGATIVE);
    JsonNode tls = item(j, "mx-tls:mx.many.test");
    assertThat(tls.get("status").asText()).isEqualTo("fail");
    assertThat(tls.get("detail").asText())
        .contains(flood.getHostAddress() + ":" + world.smtpPort())
        .contains("reply too long")
        .doesNotContain("Exception");
  }
}

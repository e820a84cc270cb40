package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mtasts4j.cli.LoopbackWorld.MxKind;
import io.github.mtasts4j.testing.BrokenStartTlsMx;
import io.github.mtasts4j.testing.ImplicitTlsMx;
import io.github.mtasts4j.testing.LoopbackAddresses;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.ReceivedMessage;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendCommandTest {

  @TempDir Path dir;

  private LoopbackWorld world;

  @BeforeEach
  void start() {
    world = LoopbackWorld.start(6);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private static String policy(String mode, String... mx) {
    StringBuilder sb = new StringBuilder("version: STSv1\nmode: " + mode + "\n");
    for (String m : mx) {
      sb.append("mx: ").append(m).append('\n');
    }
    return sb.append("max_age: 604800\n").toString();
  }

  private Cli.Result send(String... extra) {
    List<String> args = new ArrayList<>(List.of("send"));
    args.addAll(world.cliOptions());
    args.addAll(List.of("--timeout", "5", "--from", "alice@sender.test", "--helo",
        "sender.test"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void send_enforceGoodMx_deliveredOverTlsExit0AndEveryJsonField() {
    world.publish("good.test", "1", policy("enforce", "mx.good.test"));
    LoopbackMx mx = world.mx("good.test", 10, "mx.good.test", MxKind.GOOD);
    Cli.Result r = send("--json", "--to", "bob@good.test", "--subject", "hi", "--body",
        "marker-good");
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(ExitCodes.OK);

    List<ReceivedMessage> got = mx.messages();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).overTls()).isTrue();
    assertThat(got.get(0).recipients()).containsExactly("bob@good.test");
    assertThat(got.get(0).envelopeFrom()).isEqualTo("alice@sender.test");
    assertThat(got.get(0).text()).contains("marker-good").contains("Subject: hi");

    JsonNode res = r.json().get("results");
    assertThat(res).hasSize(1);
    JsonNode d = res.get(0);
    assertThat(d.get("domain").asText()).isEqualTo("good.test");
    assertThat(d.get("recipients").get(0).asText()).isEqualTo("bob@good.test");
    assertThat(d.get("policy").get("mode").asText()).isEqualTo("enforce");
    assertThat(d.get("policy").get("version").asText()).isEqualTo("STSv1");
    assertThat(d.get("policy").get("max_age").asLong()).isEqualTo(604800);
    assertThat(d.get("policy").get("mx").get(0).asText()).isEqualTo("mx.good.test");
    assertThat(d.get("policy_source").asText()).isEqualTo("fetched");
    assertThat(d.get("status").asText()).isEqualTo("delivered");
    assertThat(d.get("reason").asText()).isNotBlank();
    JsonNode a = d.get("attempts").get(0);
    assertThat(a.get("mx").asText()).isEqualTo("mx.good.test");
    assertThat(a.get("preference").asInt()).isEqualTo(10);
    assertThat(a.get("policy_match").asBoolean()).isTrue();
    assertThat(a.get("tls").asText()).isEqualTo("verified");
    assertThat(a.has("failure")).isTrue();
    assertThat(a.get("failure").isNull()).isTrue();
    assertThat(a.get("outcome").asText()).isEqualTo("delivered");
  }

  @Test
  void send_enforceBadCertificate_deferredExit4NothingArrives() {
    world.publish("bad.test", "1", policy("enforce", "mx.bad.test"));
    LoopbackMx mx = world.mx("bad.test", 10, "mx.bad.test", MxKind.WRONG_NAME);
    Cli.Result r = send("--json", "--to", "bob@bad.test", "--subject", "s", "--body", "b");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_DELIVERED);
    assertThat(mx.messages()).isEmpty();
    JsonNode d = r.json().get("results").get(0);
    assertThat(d.get("status").asText()).isEqualTo("deferred");
    assertThat(d.get("attempts").findValuesAsText("failure"))
        .contains("certificate-host-mismatch");
  }

  @Test
  void send_enforceNoStarttls_deferredNeverSentInCleartext() {
    world.publish("plain.test", "1", policy("enforce", "mx.plain.test"));
    LoopbackMx mx = world.mx("plain.test", 10, "mx.plain.test", MxKind.PLAIN);
    Cli.Result r = send("--json", "--to", "bob@plain.test", "--subject", "s", "--body", "b");
    assertThat(r.code()).isEqualTo(ExitCodes.NOT_DELIVERED);
    assertThat(mx.messages()).isEmpty();
    JsonNode a = r.json().get("results").get(0).get("attempts").get(0);
    assertThat(a.get("tls").asText()).isEqualTo("not-offered");
    assertThat(a.get("failure").asText()).isEqualTo("starttls-not-supported");
  }

  @Test
  void send_mxOutsidePolicy_skippedNeverConnectedDeliveredToNext() {
    world.publish("out.test", "1", policy("enforce", "mx.out.test"));
    LoopbackMx rogue = world.mx("out.test", 5, "rogue.out.test", MxKind.GOOD);
    LoopbackMx good = world.mx("out.test", 10, "mx.out.test", MxKind.GOOD);
    Cli.Result r = send("--json", "--to", "bob@out.test", "--subject", "s", "--body", "b");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(rogue.connectionCount()).isZero();
    assertThat(good.messages()).hasSize(1);
    JsonNode attempts = r.json().get("results").get(0).get("attempts");
    assertThat(attempts.get(0).get("mx").asText()).isEqualTo("rogue.out.test");
    assertThat(attempts.get(0).get("policy_match").asBoolean()).isFalse();
    assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("skipped");
    assertThat(attempts.get(0).get("tls").asText()).isEqualTo("not-attempted");
  }

  @Test
  void send_testingModeBadCertificate_deliveredFailureRecorded() {
    world.publish("try.test", "1", policy("testing", "mx.try.test"));
    LoopbackMx mx = world.mx("try.test", 10, "mx.try.test", MxKind.EXPIRED);
    Cli.Result r = send("--json", "--to", "bob@try.test", "--subject", "s", "--body", "b");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(mx.messages()).hasSize(1);
    JsonNode a = r.json().get("results").get(0).get("attempts").get(0);
    assertThat(a.get("tls").asText()).isEqualTo("unverified");
    assertThat(a.get("failure").asText()).isEqualTo("certificate-expired");
    assertThat(a.get("outcome").asText()).isEqualTo("delivered");
  }

  @Test
  void send_testingModeWrongName_deliveredOverTlsReportedUnverified() {
    world.publish("tryname.test", "1", policy("testing", "mx.tryname.test"));
    LoopbackMx mx = world.mx("tryname.test", 10, "mx.tryname.test", MxKind.WRONG_NAME);
    Cli.Result r = send("--json", "--to", "bob@tryname.test", "--subject", "s", "--body",
        "marker-unverified");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(mx.messages()).singleElement().satisfies(m -> {
      assertThat(m.overTls()).isTrue();
      assertThat(m.text()).contains("marker-unverified");
    });
    JsonNode d = r.json().get("results").get(0);
    assertThat(d.get("status").asText()).isEqualTo("delivered");
    assertThat(d.get("policy").get("mode").asText()).isEqualTo("testing");
    JsonNode a = d.get("attempts").get(0);
    assertThat(a.get("tls").asText()).isEqualTo("unverified");
    assertThat(a.get("failure").asText()).isEqualTo("certificate-host-mismatch");
    assertThat(a.get("outcome").asText()).isEqualTo("delivered");
  }

  /** A STARTTLS handshake that fails: a receiver on its own loopback address, same port. */
  private BrokenStartTlsMx brokenMx(String domain, String host) {
    InetAddress address = LoopbackAddresses.allocate(1).get(0);
    BrokenStartTlsMx server = new BrokenStartTlsMx(address, world.smtpPort());
    world.dns.mx(domain, 10, host);
    world.dns.a(host, address.getHostAddress());
    return server;
  }

  @Test
  void send_enforceStarttlsHandshakeFails_tlsFailedDeferredExit4NothingArrives() {
    world.publish("hs.test", "1", policy("enforce", "mx.hs.test"));
    try (BrokenStartTlsMx server = brokenMx("hs.test", "mx.hs.test")) {
      Cli.Result r = send("--json", "--to", "bob@hs.test", "--subject", "s", "--body", "b");
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_DELIVERED);
      assertThat(server.messages()).isEmpty();
      assertThat(server.connectionCount()).isEqualTo(1); // no cleartext retry under enforce
      JsonNode d = r.json().get("results").get(0);
      assertThat(d.get("status").asText()).isEqualTo("deferred");
      JsonNode a = d.get("attempts").get(0);
      assertThat(a.get("mx").asText()).isEqualTo("mx.hs.test");
      assertThat(a.get("tls").asText()).isEqualTo("failed");
      assertThat(a.get("failure").asText()).isEqualTo("validation-failure");
      assertThat(a.get("outcome").asText()).isEqualTo("failed");
    }
  }

  @Test
  void send_noPolicyStarttlsHandshakeFails_tlsFailedDeliveredInCleartext() {
    try (BrokenStartTlsMx server = brokenMx("hsplain.test", "mx.hsplain.test")) {
      Cli.Result r = send("--json", "--to", "bob@hsplain.test", "--subject", "s", "--body",
          "marker-cleartext");
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
      assertThat(server.connectionCount()).isEqualTo(2);
      assertThat(server.messages()).singleElement()
          .satisfies(m -> assertThat(m.text()).contains("marker-cleartext"));
      JsonNode a = r.json().get("results").get(0).get("attempts").get(0);
      assertThat(a.get("tls").asText()).isEqualTo("failed");
      assertThat(a.get("outcome").asText()).isEqualTo("delivered");
    }
  }

  @Test
  void send_recipientRejected5xx_failedExit4NothingArrives() {
    world.publish("rej.test", "1", policy("enforce", "mx.rej.test"));
    LoopbackMx mx = world.mx("rej.test", 10, "mx.rej.test", MxKind.GOOD);
    LoopbackMx backup = world.mx("rej.test", 20, "mx2.rej.test", MxKind.GOOD);
    mx.rejectRecipients(550, "5.1.1 no such user here");
    Cli.Result r = send("--json", "--to", "nobody@rej.test", "--subject", "s", "--body", "b");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_DELIVERED);
    assertThat(mx.messages()).isEmpty();
    assertThat(backup.connectionCount()).isZero(); // a permanent answer is not retried elsewhere
    JsonNode d = r.json().get("results").get(0);
    assertThat(d.get("status").asText()).isEqualTo("failed");
    assertThat(d.get("reason").asText()).contains("550");
    assertThat(d.get("attempts")).hasSize(1);
    JsonNode a = d.get("attempts").get(0);
    assertThat(a.get("tls").asText()).isEqualTo("verified");
    assertThat(a.get("outcome").asText()).isEqualTo("failed");
  }

  @Test
  void send_twoDomainsOneRefused_exit4HumanTable() {
    world.publish("good.test", "1", policy("enforce", "mx.good.test"));
    LoopbackMx good = world.mx("good.test", 10, "mx.good.test", MxKind.GOOD);
    world.publish("bad.test", "1", policy("enforce", "mx.bad.test"));
    world.mx("bad.test", 10, "mx.bad.test", MxKind.SELF_SIGNED);
    Cli.Result r = send("--to", "bob@good.test", "--to", "carol@bad.test", "--subject", "s",
        "--body", "b");
    assertThat(r.code()).isEqualTo(ExitCodes.NOT_DELIVERED);
    assertThat(good.messages()).hasSize(1);
    assertThat(good.messages().get(0).recipients()).containsExactly("bob@good.test");
    assertThat(r.out()).contains("good.test: delivered").contains("bad.test: deferred")
        .contains("certificate-not-trusted");
  }

  @Test
  void send_messageFile_sentAsIs() throws Exception {
    world.mx("nopol.test", 10, "mx.nopol.test", MxKind.GOOD);
    Path msg = dir.resolve("m.eml");
    Files.writeString(msg, "From: alice@sender.test\r\nTo: bob@nopol.test\r\nSubject: file\r\n"
        + "\r\nbody-from-file\r\n");
    Cli.Result r = send("--json", "--to", "bob@nopol.test", "--message", msg.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.json().get("results").get(0).get("policy").isNull()).isTrue();
    assertThat(r.json().get("results").get(0).get("policy_source").asText()).isEqualTo("none");
    assertThat(world.receivers().get("mx.nopol.test").messages().get(0).text())
        .contains("body-from-file");
  }

  @Test
  void send_malformedRecipient_usageError() {
    Cli.Result r = send("--to", "not-an-address", "--subject", "s", "--body", "b")
        .assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("--to");
  }

  @Test
  void send_malformedRecipientDomain_usageError() {
    send("--to", "bob@bad..domain", "--subject", "s", "--body", "b")
        .assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void send_unreadableMessageFile_usageError() {
    send("--to", "bob@x.test", "--message", dir.resolve("missing.eml").toString())
        .assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void send_messageAndSubjectTogether_usageError() {
    Cli.run("send", "--from", "a@b.test", "--to", "c@d.test", "--message", "x", "--subject", "s",
        "--body", "b").assertOneLineError(ExitCodes.USAGE);
  }

  private Path passwordFile(String password) throws Exception {
    Path f = dir.resolve("relay-password");
    Files.writeString(f, password + "\n");
    return f;
  }

  @Test
  void send_relayWithCredentials_deliveredThroughTheSmartHostAuthenticatedOverTls()
      throws Exception {
    LoopbackMx relay = world.relayWithAuth("smtp.relay.test", "app@sender.test", "s3cret");
    Cli.Result r = send("--json", "--relay", "smtp.relay.test", "--relay-user", "app@sender.test",
        "--relay-password-file", passwordFile("s3cret").toString(),
        "--to", "bob@far.test", "--to", "carol@other.test", "--subject", "hi", "--body", "relayed");
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(ExitCodes.OK);
    JsonNode result = r.json().get("results").get(0);
    assertThat(r.json().get("results")).hasSize(1);
    assertThat(result.get("domain").asText()).isEqualTo("smtp.relay.test");
    assertThat(result.get("status").asText()).isEqualTo("delivered");
    assertThat(result.get("attempts").get(0).get("tls").asText()).isEqualTo("verified");
    assertThat(relay.messages()).singleElement().satisfies(m -> {
      assertThat(m.recipients()).containsExactly("bob@far.test", "carol@other.test");
      assertThat(m.overTls()).isTrue();
      assertThat(m.authenticatedUser()).isEqualTo("app@sender.test");
    });
    assertThat(r.out()).doesNotContain("s3cret");
  }

  @Test
  void send_relayWithWrongPassword_failedExit4NothingRelayed() throws Exception {
    LoopbackMx relay = world.relayWithAuth("smtp.relay.test", "app@sender.test", "s3cret");
    Cli.Result r = send("--json", "--relay", "smtp.relay.test", "--relay-user", "app@sender.test",
        "--relay-password-file", passwordFile("wrong").toString(),
        "--to", "bob@far.test", "--subject", "hi", "--body", "relayed");
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(ExitCodes.NOT_DELIVERED);
    JsonNode result = r.json().get("results").get(0);
    assertThat(result.get("status").asText()).isEqualTo("failed");
    assertThat(result.get("reason").asText()).contains("authentication");
    assertThat(relay.messages()).isEmpty();
    assertThat(r.out() + r.err()).doesNotContain("wrong");
  }

  @Test
  void send_relayUserWithoutPasswordFile_usageErrorExit2() {
    Cli.Result r = send("--relay", "smtp.relay.test", "--relay-user", "app@sender.test",
        "--to", "bob@far.test", "--subject", "hi", "--body", "x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--relay-user and --relay-password-file go together");
  }

  @Test
  void send_relayCredentialsWithoutRelay_usageErrorExit2() throws Exception {
    Cli.Result r = send("--relay-user", "app@sender.test",
        "--relay-password-file", passwordFile("s3cret").toString(),
        "--to", "bob@far.test", "--subject", "hi", "--body", "x");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--relay-password-file and --relay-implicit-tls need --relay");
  }

  @Test
  void send_relayImplicitTls_deliveredOverTlsFromTheFirstByte() {
    ImplicitTlsMx relay = world.implicitTlsRelay("smtps.relay.test");
    Cli.Result r = send("--json", "--relay", "smtps.relay.test", "--relay-implicit-tls",
        "--to", "bob@far.test", "--subject", "hi", "--body", "relayed");
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(ExitCodes.OK);
    JsonNode attempt = r.json().get("results").get(0).get("attempts").get(0);
    assertThat(attempt.get("tls").asText()).isEqualTo("verified");
    assertThat(relay.messages()).singleElement()
        .satisfies(m -> assertThat(m.overTls()).isTrue());
  }

  @Test
  void send_relayGivenAsAddressOrWithBadPort_usageErrorNamingRelay() {
    for (String bad : List.of("127.0.0.1:25", "[::1]:25", "smtp.relay.test:", "smtp.relay.test:99999")) {
      Cli.Result r = send("--relay", bad, "--to", "bob@far.test", "--subject", "hi", "--body", "x")
          .assertOneLineError(ExitCodes.USAGE);
      assertThat(r.err()).as(bad).contains("--relay: ").doesNotContain("For input string");
    }
  }

  @Test
  void send_senderWithULabelDomain_sentWithItsALabel() {
    world.publish("good.test", "1", policy("enforce", "mx.good.test"));
    LoopbackMx mx = world.mx("good.test", 10, "mx.good.test", MxKind.GOOD);
    List<String> args = new ArrayList<>(List.of("send"));
    args.addAll(world.cliOptions());
    args.addAll(List.of("--timeout", "5", "--from", "alice@bücher.test", "--to", "bob@good.test",
        "--subject", "hi", "--body", "x"));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(ExitCodes.OK);
    assertThat(mx.messages()).singleElement()
        .extracting(ReceivedMessage::envelopeFrom).isEqualTo("alice@xn--bcher-kva.test");
  }
}

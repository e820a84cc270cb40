package io.github.mtasts4j.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.mtasts4j.cli.LoopbackWorld.MxKind;
import io.github.mtasts4j.testing.LoopbackMx;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code send --state-dir} records TLS sessions; {@code report show|send} reports them (RFC 8460). */
class ReportCommandTest {

  @TempDir Path state;

  private LoopbackWorld world;
  private LocalDate today;

  @BeforeEach
  void start() {
    world = LoopbackWorld.start(4);
    today = LocalDate.now(Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    world.close();
    // sessions are stamped with the system clock: a run across midnight UTC cannot be checked
    assumeTrue(today.equals(LocalDate.now(Clock.systemUTC())), "crossed midnight UTC");
  }

  private static String policy(String mode, String... mx) {
    StringBuilder sb = new StringBuilder("version: STSv1\nmode: " + mode + "\n");
    for (String m : mx) {
      sb.append("mx: ").append(m).append('\n');
    }
    return sb.append("max_age: 604800\n").toString();
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(world.cliOptions());
    all.addAll(List.of("--timeout", "5", "--state-dir", state.toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  private void send(String to, int expectedCode) {
    Cli.Result r = cli("send", "--from", "alice@sender.test", "--helo", "sender.test", "--to", to,
        "--subject", "s", "--body", "b");
    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(expectedCode);
  }

  private static JsonNode reportFor(JsonNode show, String domain) {
    for (JsonNode r : show.get("reports")) {
      if (r.get("policies").get(0).get("policy").get("policy-domain").asText().equals(domain)) {
        return r;
      }
    }
    throw new AssertionError("no report for " + domain + " in " + show);
  }

  @Test
  void reportShow_afterSendWithStateDir_countsAndFailureTypesPerPolicyDomain() {
    world.publish("good.test", "1", policy("enforce", "mx.good.test"));
    LoopbackMx good = world.mx("good.test", 10, "mx.good.test", MxKind.GOOD);
    world.publish("try.test", "1", policy("testing", "mx.try.test"));
    world.mx("try.test", 10, "mx.try.test", MxKind.EXPIRED);
    world.publish("bad.test", "1", policy("enforce", "mx.bad.test"));
    LoopbackMx bad = world.mx("bad.test", 10, "mx.bad.test", MxKind.WRONG_NAME);

    send("bob@good.test", ExitCodes.OK);
    send("bob@good.test", ExitCodes.OK);
    send("bob@try.test", ExitCodes.OK);
    send("bob@bad.test", ExitCodes.NOT_DELIVERED);
    assertThat(good.messages()).hasSize(2);
    assertThat(bad.messages()).isEmpty();
    assertThat(state.resolve("tlsrpt")).isDirectory();

    Cli.Result r = Cli.run("report", "show", "--state-dir", state.toString(), "--json");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode show = r.json();
    assertThat(show.get("date").asText()).isEqualTo(today.toString());
    assertThat(show.get("reports")).hasSize(3);

    JsonNode goodReport = reportFor(show, "good.test");
    assertThat(goodReport.get("report-id").asText()).isEqualTo("pending");
    assertThat(goodReport.get("date-range").get("start-datetime").asText())
        .isEqualTo(today + "T00:00:00Z");
    JsonNode goodPolicy = goodReport.get("policies").get(0);
    assertThat(goodPolicy.get("policy").get("policy-type").asText()).isEqualTo("sts");
    assertThat(goodPolicy.get("policy").get("mx-host").get(0).asText()).isEqualTo("mx.good.test");
    assertThat(goodPolicy.get("summary").get("total-successful-session-count").asLong())
        .isEqualTo(2);
    assertThat(goodPolicy.get("summary").get("total-failure-session-count").asLong()).isZero();
    assertThat(goodPolicy.has("failure-details")).isFalse();

    JsonNode tryPolicy = reportFor(show, "try.test").get("policies").get(0);
    assertThat(tryPolicy.get("summary").get("total-failure-session-count").asLong()).isEqualTo(1);
    JsonNode tryDetail = tryPolicy.get("failure-details").get(0);
    assertThat(tryDetail.get("result-type").asText()).isEqualTo("certificate-expired");
    assertThat(tryDetail.get("receiving-mx-hostname").asText()).isEqualTo("mx.try.test");
    assertThat(tryDetail.get("failed-session-count").asLong()).isEqualTo(1);

    JsonNode badPolicy = reportFor(show, "bad.test").get("policies").get(0);
    assertThat(badPolicy.get("summary").get("total-successful-session-count").asLong()).isZero();
    assertThat(badPolicy.get("failure-details").get(0).get("result-type").asText())
        .isEqualTo("certificate-host-mismatch");

    Cli.Result text = Cli.run("report", "show", "--state-dir", state.toString(),
        "--date", today.toString());
    assertThat(text.code()).isEqualTo(ExitCodes.OK);
    assertThat(text.out()).contains("good.test").contains("certificate-expired")
        .contains("certificate-host-mismatch").contains("sts (testing)");
  }

  @Test
  void reportSend_httpsRua_postsGzipReportAndShowListsTheSentReport() throws Exception {
    world.publish("good.test", "1", policy("testing", "mx.good.test"));
    world.mx("good.test", 10, "mx.good.test", MxKind.EXPIRED);
    world.dns.txt("_smtp._tls.good.test",
        "v=TLSRPTv1; rua=https://mta-sts.good.test:" + world.policyServer.port() + "/tlsrpt");
    var wm = world.policyServer.wireMock();
    wm.stubFor(post(urlEqualTo("/tlsrpt")).willReturn(aResponse().withStatus(201)));

    send("bob@good.test", ExitCodes.OK);
    Cli.Result r = cli("report", "send", "--date", today.toString(), "--org", "Sender Org",
        "--contact", "tlsrpt@sender.test", "--json");

    assertThat(r.code()).as(r.err() + r.out()).isEqualTo(ExitCodes.OK);
    JsonNode d = r.json().get("deliveries");
    assertThat(r.json().get("date").asText()).isEqualTo(today.toString());
    assertThat(d).hasSize(1);
    assertThat(d.get(0).get("policy_domain").asText()).isEqualTo("good.test");
    assertThat(d.get(0).get("destination").asText()).endsWith("/tlsrpt");
    assertThat(d.get(0).get("state").asText()).isEqualTo("delivered");

    List<LoggedRequest> posts = wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")));
    assertThat(posts).hasSize(1);
    assertThat(posts.get(0).getHeader("Content-Type")).isEqualTo("application/tlsrpt+gzip");
    JsonNode report = new ObjectMapper().readTree(body(posts.get(0)));
    assertThat(report.get("organization-name").asText()).isEqualTo("Sender Org");
    assertThat(report.get("contact-info").asText()).isEqualTo("tlsrpt@sender.test");
    String reportId = report.get("report-id").asText();
    assertThat(reportId).isNotEqualTo("pending").endsWith("@sender.test");
    JsonNode p = report.get("policies").get(0);
    assertThat(p.get("policy").get("policy-domain").asText()).isEqualTo("good.test");
    assertThat(p.get("summary").get("total-failure-session-count").asLong()).isEqualTo(1);
    assertThat(p.get("failure-details").get(0).get("result-type").asText())
        .isEqualTo("certificate-expired");

    Cli.Result show = Cli.run("report", "show", "--state-dir", state.toString(), "--date",
        today.toString(), "--json");
    assertThat(show.json().get("reports")).singleElement()
        .satisfies(rep -> assertThat(rep.get("report-id").asText()).isEqualTo(reportId));

    // a second run sends nothing twice
    Cli.Result again = cli("report", "send", "--date", today.toString(), "--org", "Sender Org",
        "--contact", "tlsrpt@sender.test", "--json");
    assertThat(again.code()).isEqualTo(ExitCodes.OK);
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")))).hasSize(1);
  }

  /** The body as sent: gzip, unless WireMock already inflated it (then Content-Length says). */
  private static String body(LoggedRequest request) throws Exception {
    byte[] body = request.getBody();
    if (body.length > 1 && body[0] == (byte) 0x1f && body[1] == (byte) 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    assertThat(Integer.parseInt(request.getHeader("Content-Length"))).isLessThan(body.length);
    return new String(body, StandardCharsets.UTF_8);
  }

  @Test
  void reportSend_mailtoWithoutDkimKey_gaveUpExit4() {
    world.publish("good.test", "1", policy("enforce", "mx.good.test"));
    world.mx("good.test", 10, "mx.good.test", MxKind.GOOD);
    world.dns.txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=mailto:tlsrpt@good.test");
    send("bob@good.test", ExitCodes.OK);

    Cli.Result r = cli("report", "send", "--date", today.toString(), "--org", "O", "--contact",
        "tlsrpt@sender.test", "--json");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_DELIVERED);
    JsonNode d = r.json().get("deliveries").get(0);
    assertThat(d.get("destination").asText()).isEqualTo("mailto:tlsrpt@good.test");
    assertThat(d.get("state").asText()).isEqualTo("gave-up");
    assertThat(d.get("detail").asText()).contains("DKIM");
  }

  @Test
  void reportShow_withoutStateDir_usageErrorOneLine() {
    Cli.Result r = Cli.run("report", "show", "--json").assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("--state-dir");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void reportSend_withoutStateDir_usageErrorOneLine() {
    Cli.run("report", "send", "--org", "O", "--contact", "a@b.test")
        .assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void report_noSubcommand_usageError() {
    Cli.run("report").assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void reportSend_futureDate_usageError() {
    cli("report", "send", "--date", today.plusDays(2).toString(), "--org", "O", "--contact",
        "a@b.test").assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void reportSend_unreadableDkimKey_usageError() {
    Cli.Result r = cli("report", "send", "--org", "O", "--contact", "a@b.test", "--dkim-key",
        state.resolve("missing.pem").toString(), "--dkim-selector", "tlsrpt")
        .assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("--dkim-key");
  }

  @Test
  void reportShow_malformedDate_usageError() {
    Cli.run("report", "show", "--state-dir", state.toString(), "--date", "01/05/2026")
        .assertOneLineError(ExitCodes.USAGE);
  }

  @Test
  void reportShow_futureDate_usageErrorAsDocumented() {
    String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
    Cli.Result r = Cli.run("report", "show", "--state-dir", state.toString(), "--date", tomorrow)
        .assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("--date").contains("future");
  }

  @Test
  void reportSend_malformedRelayOrHelo_usageErrorEvenWithNothingToSend() {
    Cli.Result relay = cli("report", "send", "--org", "O", "--contact", "a@b.test",
        "--relay", "exa mple").assertOneLineError(ExitCodes.USAGE);
    assertThat(relay.err()).contains("--relay");
    Cli.Result helo = cli("report", "send", "--org", "O", "--contact", "a@b.test",
        "--helo", "a b").assertOneLineError(ExitCodes.USAGE);
    assertThat(helo.err()).contains("--helo");
  }

  @Test
  void reportShow_missingStateDir_usageErrorNothingCreated() {
    Path missing = state.resolve("nope");
    Cli.run("report", "show", "--state-dir", missing.toString())
        .assertOneLineError(ExitCodes.USAGE);
    assertThat(Files.exists(missing)).isFalse();
  }
}

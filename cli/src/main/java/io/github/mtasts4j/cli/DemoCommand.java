package io.github.mtasts4j.cli;

import io.github.mtasts4j.cli.LoopbackWorld.MxKind;
import io.github.mtasts4j.smtp.Attempt;
import io.github.mtasts4j.smtp.DeliveryReport;
import io.github.mtasts4j.smtp.DirectDelivery;
import io.github.mtasts4j.testing.LoopbackMx;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code demo}: a self-contained showcase on loopback. It starts an in-process DNS server, an HTTPS
 * policy host and several SMTP servers under a throw-away CA, then delivers one message per
 * scenario through the same code path as {@code send}, and shows where each message really
 * arrived.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run an offline showcase on loopback: an in-process DNS server, HTTPS policy host and SMTP"
          + " servers with a generated CA, then deliveries that show enforcement (a good MX, an"
          + " MX outside the policy, a bad certificate, no STARTTLS, testing mode).",
      "No network beyond 127.0.0.0/8, no root, no fixed ports. Exit 0 when every scenario"
          + " behaved as RFC 8461 requires, 1 otherwise."
    })
final class DemoCommand extends BaseCommand {

  private static final String ID = "20260101000000Z";

  /** One scenario: a recipient domain set up to show one behaviour, and what must happen. */
  record Scenario(
      String name,
      String domain,
      @Nullable String mode,
      String expectedStatus,
      @Nullable String expectedFailure,
      @Nullable String expectedArrival) {}

  /** JSON shape of one scenario's result. */
  record ScenarioView(
      String name,
      String domain,
      @Nullable String mode,
      List<SendCommand.AttemptView> attempts,
      String status,
      String reason,
      List<String> arrivedAt,
      List<String> neverConnected,
      boolean asExpected) {}

  /** JSON shape of {@code demo}. */
  record DemoOutput(List<ScenarioView> scenarios, boolean allAsExpected, long elapsedMillis) {}

  @Override
  public Integer call() {
    long start = System.nanoTime();
    List<Scenario> scenarios = new ArrayList<>();
    List<ScenarioView> views = new ArrayList<>();
    try (LoopbackWorld world = LoopbackWorld.start(8)) {
      setUp(world, scenarios);
      CommonOptions o = new CommonOptions();
      o.dns = List.of(world.dns.address());
      o.trustAnchors = world.trustPem;
      o.smtpPort = world.smtpPort();
      o.policyPort = world.policyServer.port();
      o.timeout = common.timeout.compareTo(Duration.ofSeconds(5)) > 0
          ? Duration.ofSeconds(5) : common.timeout;
      try (Services s = new Services(o)) {
        DirectDelivery delivery =
            DirectDelivery.newBuilder()
                .mtaSts(s.mtaSts)
                .heloName("demo.mtasts4j.test")
                .smtpPort(o.smtpPort)
                .connectTimeout(o.timeout)
                .readTimeout(o.timeout)
                .build();
        for (Scenario sc : scenarios) {
          views.add(run(world, delivery, sc));
        }
      }
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      boolean ok = views.stream().allMatch(ScenarioView::asExpected);
      if (common.json) {
        printJson(new DemoOutput(views, ok, elapsed));
      } else {
        print(world, views, ok, elapsed);
      }
      return ok ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }
  }

  private static void setUp(LoopbackWorld w, List<Scenario> scenarios) {
    w.publish("good.test", ID, policy("enforce", "mx.good.test"));
    w.mx("good.test", 10, "mx.good.test", MxKind.GOOD);
    scenarios.add(new Scenario("good MX", "good.test", "enforce", "delivered", null,
        "mx.good.test"));

    w.publish("outside.test", ID, policy("enforce", "mx.outside.test"));
    w.mx("outside.test", 10, "rogue.outside.test", MxKind.GOOD);
    w.mx("outside.test", 20, "mx.outside.test", MxKind.GOOD);
    scenarios.add(new Scenario("MX outside the policy", "outside.test", "enforce", "delivered",
        "validation-failure", "mx.outside.test"));

    w.publish("badcert.test", ID, policy("enforce", "mx.badcert.test"));
    w.mx("badcert.test", 10, "mx.badcert.test", MxKind.WRONG_NAME);
    scenarios.add(new Scenario("bad certificate, enforce", "badcert.test", "enforce", "deferred",
        "certificate-host-mismatch", null));

    w.publish("nostarttls.test", ID, policy("enforce", "mx.nostarttls.test"));
    w.mx("nostarttls.test", 10, "mx.nostarttls.test", MxKind.PLAIN);
    scenarios.add(new Scenario("no STARTTLS, enforce", "nostarttls.test", "enforce", "deferred",
        "starttls-not-supported", null));

    w.publish("testing.test", ID, policy("testing", "mx.testing.test"));
    w.mx("testing.test", 10, "mx.testing.test", MxKind.EXPIRED);
    scenarios.add(new Scenario("bad certificate, testing", "testing.test", "testing",
        "delivered", "certificate-expired", "mx.testing.test"));

    w.mx("nopolicy.test", 10, "mx.nopolicy.test", MxKind.PLAIN);
    scenarios.add(new Scenario("no policy, no STARTTLS", "nopolicy.test", null, "delivered", null,
        "mx.nopolicy.test"));
  }

  private static String policy(String mode, String mx) {
    return "version: STSv1\nmode: " + mode + "\nmx: " + mx + "\nmax_age: 604800\n";
  }

  private ScenarioView run(LoopbackWorld world, DirectDelivery delivery, Scenario sc) {
    String marker = "demo-" + sc.domain();
    DeliveryReport report;
    try {
      Session session = Session.getInstance(new Properties());
      MimeMessage m = new MimeMessage(session);
      InternetAddress from = new InternetAddress("demo@sender.test");
      InternetAddress to = new InternetAddress("user@" + sc.domain());
      m.setFrom(from);
      m.setRecipient(jakarta.mail.Message.RecipientType.TO, to);
      m.setSubject("mtasts4j demo: " + sc.name());
      m.setText("Scenario " + sc.name() + "\nMarker: " + marker + "\n", "UTF-8");
      m.saveChanges();
      report = delivery.deliver(m, from, List.of(to)).get(0);
    } catch (MessagingException e) {
      throw new IllegalStateException("cannot build the demo message", e);
    }
    List<String> arrived = world.arrivedAt(marker);
    List<String> neverConnected = new ArrayList<>();
    for (Attempt a : report.attempts()) {
      LoopbackMx mx = world.receivers().get(a.mx().value());
      if (a.outcome() == Attempt.Outcome.SKIPPED && mx != null && mx.connectionCount() == 0) {
        neverConnected.add(a.mx().value());
      }
    }
    List<SendCommand.AttemptView> attempts =
        report.attempts().stream().map(SendCommand.AttemptView::of).toList();
    boolean failureSeen =
        sc.expectedFailure() == null
            || attempts.stream().anyMatch(a -> sc.expectedFailure().equals(a.failure()));
    boolean arrivalOk =
        sc.expectedArrival() == null
            ? arrived.isEmpty()
            : arrived.size() == 1 && arrived.get(0).startsWith(sc.expectedArrival() + " ");
    boolean skipOk =
        attempts.stream().noneMatch(a -> a.outcome().equals("skipped"))
            || !neverConnected.isEmpty();
    boolean ok = report.status().token().equals(sc.expectedStatus()) && failureSeen && arrivalOk
        && skipOk;
    return new ScenarioView(sc.name(), sc.domain(), sc.mode(), attempts,
        report.status().token(), report.reason(), arrived, neverConnected, ok);
  }

  private void print(LoopbackWorld world, List<ScenarioView> views, boolean ok, long elapsed) {
    var out = out();
    out.println("mtasts4j demo: everything below runs on loopback, nothing leaves this machine.");
    out.println("  DNS server 127.0.0.1:" + world.dns.port() + ", HTTPS policy host 127.0.0.1:"
        + world.policyServer.port() + ", " + world.receivers().size()
        + " SMTP servers on 127.x.x.x:" + world.smtpPort() + ", a throw-away CA.");
    out.println();
    Text.Table t = new Text.Table("SCENARIO", "MODE", "MX", "POLICY", "TLS", "FAILURE",
        "ATTEMPT", "STATUS", "ARRIVED AT", "OK");
    for (ScenarioView v : views) {
      boolean first = true;
      List<SendCommand.AttemptView> attempts = v.attempts();
      if (attempts.isEmpty()) {
        t.row(v.name(), mode(v), "-", "-", "-", "-", "-", v.status(), arrival(v),
            v.asExpected() ? "yes" : "NO");
      }
      for (SendCommand.AttemptView a : attempts) {
        String attempt = a.outcome()
            + (v.neverConnected().contains(a.mx()) ? " (never connected)" : "");
        t.row(first ? v.name() : "", first ? mode(v) : "", a.mx(),
            v.mode() == null ? "-" : a.policyMatch() ? "match" : "no match", a.tls(),
            a.failure() == null ? "-" : a.failure(), attempt,
            first ? v.status() : "", first ? arrival(v) : "",
            first ? (v.asExpected() ? "yes" : "NO") : "");
        first = false;
      }
    }
    t.print(out, "");
    out.println();
    out.println(ok
        ? "All " + views.size() + " scenarios behaved as RFC 8461 requires (" + elapsed + " ms)."
        : "Some scenarios did NOT behave as expected (" + elapsed + " ms); see the OK column.");
  }

  private static String mode(ScenarioView v) {
    return v.mode() == null ? "(none)" : v.mode();
  }

  private static String arrival(ScenarioView v) {
    return v.arrivedAt().isEmpty() ? "nowhere" : String.join(", ", v.arrivedAt());
  }
}

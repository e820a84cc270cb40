package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.LoopbackMx;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's three ways in, kept compiling and running (only ports and DNS differ). */
class ExamplesTest {
  private final MailWorld world = new MailWorld(2);

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void readme_directDelivery() {
    LoopbackMx mx = world.starttls("mx1.example.test", MailWorld.PKI.issue("mx1.example.test"));
    world.mx("example.test", 10, "mx1.example.test");
    world.policy("example.test", "ex1", "enforce", "*.example.test");
    MtaSts mtaSts = world.mtaSts;
    MimeMessage message = MailWorld.message("bob@example.test");
    List<TlsSessionEvent> tlsReportInput = new ArrayList<>();

    DirectDelivery delivery = DirectDelivery.newBuilder()
        .mtaSts(mtaSts)                       // policies, DNS, trust anchors, clock
        .heloName("mail.sender.example")
        .tlsSessionListener(tlsReportInput::add)
        .smtpPort(world.port())               // README: omit (port 25)
        .build();
    for (DeliveryReport report : delivery.deliver(message)) {
      // report.status(): DELIVERED, DEFERRED (retry later) or FAILED (bounce)
      assertThat(report.status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    assertThat(mx.messages()).hasSize(1);
    assertThat(tlsReportInput).singleElement().satisfies(e -> assertThat(e.success()).isTrue());
  }

  @Test
  void readme_smartHost() {
    LoopbackMx relayHost =
        world.starttlsWithAuth("smtp.relay.example.test",
            MailWorld.PKI.issue("smtp.relay.example.test"), "app@sender.example", "secret");
    char[] password = "secret".toCharArray();
    world.policy("relay.example.test", "r1", "enforce", "smtp.relay.example.test");
    MimeMessage message = MailWorld.message("bob@anywhere.test");

    SmartHostRelay relay = SmartHostRelay.newBuilder(DomainName.of("smtp.relay.example.test"))
        .policyDomain(DomainName.of("relay.example.test"))   // default: the smart host's name
        .mtaSts(world.mtaSts)
        .heloName("app.sender.example")
        .port(world.port())                                  // README: 587
        .credentials("app@sender.example", password)
        .build();
    DeliveryReport report = relay.deliver(message);

    assertThat(report.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(relayHost.messages()).singleElement()
        .satisfies(m -> assertThat(m.authenticatedUser()).isEqualTo("app@sender.example"));
  }

  @Test
  void readme_rawSeam() {
    world.mx("example.test", 10, "mx1.example.test");
    world.mx("example.test", 20, "backup.elsewhere.test");
    world.policy("example.test", "ex1", "enforce", "*.example.test");
    PolicySource policies = world.mtaSts;     // or the cache module's PolicyCache
    DnsClient dns = world.dnsClient;

    MxPlanner planner = MxPlanner.of(policies, dns);
    List<String> toTry = new ArrayList<>();
    if (planner.plan(DomainName.of("example.test")) instanceof DeliveryPlan.Ready plan) {
      for (MxCandidate mx : plan.candidates()) {
        if (mx.skip()) {
          continue;                             // enforce: never connect outside the policy
        }
        // Connect to mx.host(); STARTTLS with
        //   tls.socketFactory(mx.host(), mx.requirement(), observation)
        // or check your own session with tls.verify(sslSession, mx.host()).
        toTry.add(mx.host() + " " + mx.requirement());
      }
    }

    assertThat(toTry).containsExactly("mx1.example.test VERIFIED");
  }
}

package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.PolicyServer;
import io.github.mtasts4j.testing.TestPki;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the README's library example compiling and true, run against loopback servers. */
class ExamplesTest {

  /** The README example, with the resolver and trust anchors passed in. */
  static String readmeExample(InetSocketAddress resolver, TrustAnchors anchors, int policyPort) {
    StringBuilder out = new StringBuilder();
    // --- README: looking a policy up ---
    try (MtaSts mtaSts =
        MtaSts.newBuilder()
            .dns(DnsClient.servers(List.of(resolver), Duration.ofSeconds(3)))
            .trustAnchors(anchors) // default: TrustAnchors.jdkDefault()
            .policyPort(policyPort) // tests and demo only; 443 otherwise
            .build()) {
      Resolution r = mtaSts.resolve(DomainName.of("example.test"));
      if (r instanceof Resolution.Active active) {
        Policy policy = active.policy();
        boolean allowed = policy.matches(DomainName.of("mx1.example.test"));
        out.append(policy.mode().token()).append(" mx1 allowed=").append(allowed);
      } else if (r instanceof Resolution.Failed failed) {
        out.append("no policy, report ").append(failed.failure().type().token());
      } else {
        out.append("no MTA-STS");
      }
    }
    // --- end of README example ---
    return out.toString();
  }

  @Test
  void readmeExample_activePolicy_reportsModeAndMatch() {
    TestPki pki = TestPki.create("examples CA");
    try (LoopbackDnsServer dns = LoopbackDnsServer.start();
        PolicyServer web = PolicyServer.start()) {
      dns.txt("_mta-sts.example.test", "v=STSv1; id=20261128T000000");
      dns.a("mta-sts.example.test", web.address().getHostAddress());
      web.identity("mta-sts.example.test", pki.issue("mta-sts.example.test"));
      web.policy(
          "mta-sts.example.test",
          "version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 604800\n");

      String result =
          readmeExample(dns.address(), TrustAnchors.of(List.of(pki.root())), web.port());

      assertThat(result).isEqualTo("enforce mx1 allowed=true");
    }
  }

  @Test
  void readmeExample_policyHostWithUntrustedCertificate_reportsWebPkiFailure() {
    TestPki pki = TestPki.create("examples CA");
    TestPki stranger = TestPki.create("stranger CA");
    try (LoopbackDnsServer dns = LoopbackDnsServer.start();
        PolicyServer web = PolicyServer.start()) {
      dns.txt("_mta-sts.example.test", "v=STSv1; id=1");
      dns.a("mta-sts.example.test", web.address().getHostAddress());
      web.identity("mta-sts.example.test", stranger.issue("mta-sts.example.test"));
      web.policy("mta-sts.example.test", "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 1\n");

      String result =
          readmeExample(dns.address(), TrustAnchors.of(List.of(pki.root())), web.port());

      assertThat(result).isEqualTo("no policy, report sts-webpki-invalid");
    }
  }
}

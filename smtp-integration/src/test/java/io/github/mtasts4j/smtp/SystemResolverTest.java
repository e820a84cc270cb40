package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.testing.LoopbackMx;
import java.security.Permission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every name a delivery needs is resolved through the configured {@code DnsClient}, never through
 * the JVM's own resolver: that one has no deadline of ours and may not even know the names (split
 * horizon, or the loopback world here). A SecurityManager sees each lookup the JVM makes
 * ({@code checkConnect(host, -1)}); the module's tests run with {@code
 * -Djava.security.manager=allow} for this.
 */
@SuppressWarnings("removal") // the SecurityManager is the only JDK 17 hook on name lookups
class SystemResolverTest {
  private static final String USER = "app@relay.test";
  private static final String PASSWORD = "s3cret-Pa55";

  private final MailWorld world = new MailWorld(2);
  private final List<String> lookups = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    System.setSecurityManager(null);
    world.close();
  }

  private void recordSystemLookups() {
    try {
      installRecorder();
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("this JVM allows no SecurityManager (JDK 24+, or started without"
          + " -Djava.security.manager=allow), the only hook on its name lookups");
    }
  }

  private void installRecorder() {
    System.setSecurityManager(
        new SecurityManager() {
          @Override
          public void checkPermission(Permission perm) {}

          @Override
          public void checkPermission(Permission perm, Object context) {}

          @Override
          public void checkConnect(String host, int port) {
            if (port == -1) {
              lookups.add(host);
            }
          }
        });
  }

  @Test
  void directDeliveryUnderEnforce_noSystemLookupOfAnyName() {
    LoopbackMx mx = world.starttls("mx.sys.test", MailWorld.PKI.issue("mx.sys.test"));
    world.mx("sys.test", 10, "mx.sys.test");
    world.policy("sys.test", "1", "enforce", "mx.sys.test");
    DirectDelivery delivery = world.direct().build();
    recordSystemLookups();

    DeliveryReport r = delivery.deliver(MailWorld.message("bob@sys.test")).get(0);
    System.setSecurityManager(null);

    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(mx.messages()).hasSize(1);
    assertThat(lookups).noneMatch(h -> h.endsWith(".test"));
  }

  @Test
  void relayWithRefusedCredentials_noSystemLookupOfTheSmartHost() {
    world.starttlsWithAuth(
        "smtp.relay.test", MailWorld.PKI.issue("smtp.relay.test"), USER, PASSWORD);
    SmartHostRelay relay =
        world.relay("smtp.relay.test").credentials(USER, "wrong".toCharArray()).build();
    recordSystemLookups();

    DeliveryReport r = relay.deliver(MailWorld.message("a@rcpt.test"));
    System.setSecurityManager(null);

    assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(lookups).noneMatch(h -> h.endsWith(".test"));
  }
}

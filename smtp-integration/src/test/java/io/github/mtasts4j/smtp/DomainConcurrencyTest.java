package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.ReceivedMessage;
import io.github.mtasts4j.testing.ScriptedServer;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recipient domains of one message are delivered independently and at the same time. */
class DomainConcurrencyTest {
  private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(\\S+)");

  private final MailWorld world = new MailWorld(4);
  private ScriptedServer silent;

  @AfterEach
  void close() {
    if (silent != null) {
      silent.close();
    }
    world.close();
  }

  /** An MX for {@code domain} that accepts connections and says nothing until closed. */
  private void silentMx(String domain) {
    silent = ScriptedServer.on(world.address("mx." + domain)).port(world.port()).start(s -> {});
    world.mx(domain, 10, "mx." + domain);
  }

  private LoopbackMx goodMx(String domain) {
    LoopbackMx mx = world.starttls("mx." + domain, MailWorld.PKI.issue("mx." + domain));
    world.mx(domain, 10, "mx." + domain);
    return mx;
  }

  @Test
  void aSilentDomainDoesNotHoldUpTheNextDomain() throws Exception {
    silentMx("silent.test");
    LoopbackMx good = goodMx("good.test");
    world.policy("good.test", "1", "enforce", "mx.good.test");
    DirectDelivery delivery = world.direct().readTimeout(Duration.ofSeconds(20)).build();

    // The silent domain comes first: delivered one after the other, good.test would wait 20 s.
    CompletableFuture<List<DeliveryReport>> future =
        CompletableFuture.supplyAsync(
            () -> delivery.deliver(MailWorld.message("bob@silent.test", "carol@good.test")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (good.messages().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5); // waiting for an event (the message's arrival), bounded
    }

    assertThat(good.messages()).as("good.test received while silent.test hangs").hasSize(1);
    assertThat(future).isNotDone();
    silent.close();
    List<DeliveryReport> reports = future.get(30, TimeUnit.SECONDS);
    assertThat(reports).extracting(r -> r.domain().value()).containsExactly("silent.test", "good.test");
    assertThat(reports.get(0).status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(reports.get(1).status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(reports.get(1).attempts()).hasSize(1);
    assertThat(reports.get(1).attempts().get(0).mx().value()).isEqualTo("mx.good.test");
    assertThat(reports.get(1).attempts().get(0).tls()).isEqualTo(TlsState.VERIFIED);
    assertThat(good.messages().get(0).recipients()).containsExactly("carol@good.test");
  }

  @Test
  void everyDomainReceivesTheSameMessageWithTheCallersMessageId() throws Exception {
    LoopbackMx a = goodMx("a.test");
    LoopbackMx b = goodMx("b.test");
    LoopbackMx c = goodMx("c.test");
    MimeMessage message = MailWorld.message("x@a.test", "y@b.test", "z@c.test");

    List<DeliveryReport> reports = world.direct().build().deliver(message);

    assertThat(reports).extracting(r -> r.domain().value()).containsExactly("a.test", "b.test", "c.test");
    assertThat(reports).allSatisfy(r -> assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED));
    String callersId = message.getMessageID();
    assertThat(callersId).isNotBlank();
    for (LoopbackMx mx : List.of(a, b, c)) {
      assertThat(mx.messages()).hasSize(1);
      ReceivedMessage received = mx.messages().get(0);
      assertThat(messageId(received)).isEqualTo(callersId);
      assertThat(received.text()).contains("Subject: MTA-STS test").contains("hello over loopback");
    }
  }

  @Test
  void oneAtATimeStillDeliversEveryDomainInOrder() throws Exception {
    LoopbackMx a = goodMx("a.test");
    LoopbackMx b = goodMx("b.test");

    List<DeliveryReport> reports =
        world.direct().domainConcurrency(1).build().deliver(MailWorld.message("x@a.test", "y@b.test"));

    assertThat(reports).extracting(r -> r.domain().value()).containsExactly("a.test", "b.test");
    assertThat(reports).allSatisfy(r -> assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED));
    assertThat(a.messages()).hasSize(1);
    assertThat(b.messages()).hasSize(1);
  }

  @Test
  void anErrorInOneDomainIsThrownAfterEveryOtherDomainIsDone() throws Exception {
    goodMx("a.test");
    LoopbackMx b = goodMx("b.test");
    LoopbackMx c = goodMx("c.test");
    DirectDelivery delivery =
        world.direct()
            .tlsSessionListener(
                event -> {
                  if (event.policyDomain().value().equals("a.test")) {
                    throw new AssertionError("listener bug for a.test");
                  }
                })
            .build();

    assertThatThrownBy(() -> delivery.deliver(MailWorld.message("x@a.test", "y@b.test", "z@c.test")))
        .isInstanceOf(AssertionError.class)
        .hasMessage("listener bug for a.test");

    // the call returned only after the other domains were delivered, not while they were in flight
    assertThat(b.messages()).hasSize(1);
    assertThat(c.messages()).hasSize(1);
  }

  @Test
  void aMessageThatCannotBeCopiedFailsBeforeAnyDomainIsDeliveredTo() throws Exception {
    LoopbackMx a = goodMx("a.test");
    LoopbackMx b = goodMx("b.test");
    LoopbackMx c = goodMx("c.test");
    MimeMessage message = MailWorld.message("x@a.test", "y@b.test", "z@c.test");
    ReadableOnce body = new ReadableOnce();
    message.setDataHandler(new DataHandler(body));
    message.saveChanges(); // reads the body to choose a transfer encoding
    body.readsLeft.set(1);

    assertThatThrownBy(() -> world.direct().build().deliver(message))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be serialized");

    // the first copy succeeded; no thread may have delivered it before the second failed
    assertThat(a.messages()).isEmpty();
    assertThat(b.messages()).isEmpty();
    assertThat(c.messages()).isEmpty();
    assertThat(a.connectionCount() + b.connectionCount() + c.connectionCount()).isZero();
  }

  /** A body readable as often as {@link #readsLeft} says: the first copy works, the next fails. */
  private static final class ReadableOnce implements DataSource {
    final AtomicInteger readsLeft = new AtomicInteger(Integer.MAX_VALUE);

    @Override
    public InputStream getInputStream() throws IOException {
      if (readsLeft.getAndDecrement() <= 0) {
        throw new IOException("body gone");
      }
      return new ByteArrayInputStream("hello once\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      throw new IOException("read-only");
    }

    @Override
    public String getContentType() {
      return "text/plain; charset=us-ascii";
    }

    @Override
    public String getName() {
      return "body";
    }
  }

  @Test
  void concurrencyBelowOneIsRejected() {
    assertThatThrownBy(() -> DirectDelivery.newBuilder().domainConcurrency(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  private static String messageId(ReceivedMessage m) {
    Matcher matcher = MESSAGE_ID.matcher(m.text());
    assertThat(matcher.find()).as("Message-ID header in %s", m.text()).isTrue();
    return matcher.group(1);
  }
}

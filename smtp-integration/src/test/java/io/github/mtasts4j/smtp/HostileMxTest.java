package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.ScriptedServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An MX that accepts TCP and then misbehaves before or during its greeting. Each SMTP reply read
 * must stay bounded in size and time, and the next MX must then be tried (STS-62, STS-64).
 */
class HostileMxTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final MailWorld world = new MailWorld(2);
  private ScriptedServer hostile;

  @AfterEach
  void close() {
    if (hostile != null) {
      hostile.close();
    }
    world.close();
  }

  private interface Behaviour {
    void run(OutputStream out) throws IOException, InterruptedException;
  }

  /** mx1 (preference 10) behaves as told; mx2 (preference 20) is a good receiver. */
  private LoopbackMx hostileThenGood(String domain, Behaviour behaviour) {
    hostile =
        ScriptedServer.on(world.address("mx1." + domain))
            .port(world.port())
            .start(s -> behaviour.run(s.getOutputStream()));
    LoopbackMx good = world.starttls("mx2." + domain, MailWorld.PKI.issue("mx2." + domain));
    world.mx(domain, 10, "mx1." + domain);
    world.mx(domain, 20, "mx2." + domain);
    return good;
  }

  private DeliveryReport deliverWithin(String rcpt, Duration readTimeout) throws Exception {
    DirectDelivery delivery = world.direct().readTimeout(readTimeout).build();
    CompletableFuture<List<DeliveryReport>> future =
        CompletableFuture.supplyAsync(() -> delivery.deliver(MailWorld.message(rcpt)));
    try {
      List<DeliveryReport> reports = future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(reports).hasSize(1);
      return reports.get(0);
    } finally {
      hostile.close(); // unblocks a delivery stuck on the hostile MX, so the test ends anyway
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void assertFirstFailedSecondDelivered(DeliveryReport r, LoopbackMx good) {
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.attempts()).hasSize(2);
    assertThat(r.attempts().get(0).mx().value()).startsWith("mx1.");
    assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.FAILED);
    assertThat(r.attempts().get(1).outcome()).isEqualTo(Attempt.Outcome.DELIVERED);
    assertThat(good.messages()).hasSize(1);
  }

  @Test
  void endlessBannerLine_sessionAbandonedAndNextMxUsed() throws Exception {
    LoopbackMx good =
        hostileThenGood(
            "longline.test",
            out -> {
              out.write(ascii("220 "));
              byte[] junk = new byte[64 * 1024];
              Arrays.fill(junk, (byte) 'a');
              while (true) {
                out.write(junk); // no line end, ever
              }
            });

    DeliveryReport r = deliverWithin("bob@longline.test", Duration.ofSeconds(5));

    assertFirstFailedSecondDelivered(r, good);
    assertThat(r.attempts().get(0).detail()).contains("bytes");
  }

  @Test
  void endlessMultilineBanner_sessionAbandonedAndNextMxUsed() throws Exception {
    LoopbackMx good =
        hostileThenGood(
            "manylines.test",
            out -> {
              byte[] lines = ascii("220-hello\r\n".repeat(4096));
              while (true) {
                out.write(lines); // a continuation line after another, never a last line
              }
            });

    DeliveryReport r = deliverWithin("bob@manylines.test", Duration.ofSeconds(5));

    assertFirstFailedSecondDelivered(r, good);
    assertThat(r.attempts().get(0).detail()).contains("bytes");
  }

  @Test
  void bannerDribbledFasterThanReadTimeout_replyDeadlineHoldsAndNextMxUsed() throws Exception {
    LoopbackMx good =
        hostileThenGood(
            "drip.test",
            out -> {
              while (true) {
                out.write(ascii("220-still here\r\n"));
                out.flush();
                Thread.sleep(100); // the hostile server's pace, well inside the read timeout
              }
            });

    DeliveryReport r = deliverWithin("bob@drip.test", Duration.ofMillis(800));

    assertFirstFailedSecondDelivered(r, good);
  }

  @Test
  void silentAfterAccept_readTimeoutAndNextMxUsed() throws Exception {
    LoopbackMx good = hostileThenGood("silent.test", out -> {});

    DeliveryReport r = deliverWithin("bob@silent.test", Duration.ofMillis(800));

    assertFirstFailedSecondDelivered(r, good);
  }
}

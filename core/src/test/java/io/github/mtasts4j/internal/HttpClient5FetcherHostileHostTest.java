package io.github.mtasts4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.CertificateVerifier;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A policy host that speaks just enough TLS/HTTP to hurt: endless or huge header lines, or a TLS
 * handshake that never completes. Every read of the fetch must stay bounded in size and time.
 */
class HttpClient5FetcherHostileHostTest {
  private static final TestPki PKI = TestPki.create("hostile host CA");
  private static final String HOST = "mta-sts.example.test";
  private static final DomainName DOMAIN = DomainName.of("example.test");

  private final LoopbackDnsServer dns = LoopbackDnsServer.start();
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private HttpClient5Fetcher fetcher;

  @AfterEach
  void stop() throws Exception {
    done.countDown();
    if (fetcher != null) {
      fetcher.close();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
    dns.close();
  }

  /** Serves one TLS connection: the handler writes whatever it wants after the handshake. */
  private int tlsServer(Handler handler) throws IOException {
    ServerIdentity identity = PKI.issue(HOST);
    SSLServerSocket server =
        (SSLServerSocket)
            identity
                .serverSslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    closeables.add(server);
    Thread t =
        new Thread(
            () -> {
              try (SSLSocket s = (SSLSocket) server.accept()) {
                closeables.add(s);
                s.startHandshake();
                s.getInputStream().read(new byte[4096]); // the request
                handler.handle(s.getOutputStream());
              } catch (IOException | InterruptedException ignored) {
                // the client hung up, as it should
              }
            },
            "hostile-policy-host");
    t.setDaemon(true);
    t.start();
    return server.getLocalPort();
  }

  private interface Handler {
    void handle(OutputStream out) throws IOException, InterruptedException;
  }

  private HttpClient5Fetcher fetcher(int port, Duration io, Duration total) {
    dns.a(HOST, "127.0.0.1");
    fetcher =
        new HttpClient5Fetcher(
            DnsClient.servers(List.of(dns.address()), Duration.ofMillis(500)),
            CertificateVerifier.of(TrustAnchors.of(List.of(PKI.root())), InstantSource.system()),
            io,
            io,
            total,
            port);
    return fetcher;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void fetch_tenThousandHeadersThenStall_fetchErrorWithoutWaitingForTimeouts() throws Exception {
    int port =
        tlsServer(
            out -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"));
              StringBuilder headers = new StringBuilder();
              for (int i = 0; i < 10_000; i++) {
                headers.append("X-Junk-").append(i).append(": x\r\n");
              }
              out.write(ascii(headers.toString()));
              out.flush();
              done.await(); // never ends the header block
            });
    fetcher(port, Duration.ofSeconds(20), Duration.ofSeconds(20));

    long start = System.nanoTime();
    FetchResult result = fetcher.fetch(DOMAIN);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.FetchFailed.class,
            f -> {
              assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
              assertThat(f.failure().detail()).containsIgnoringCase("header");
            });
  }

  @Test
  void fetch_oneHeaderLineOfOneMebibyteThenStall_fetchErrorWithoutWaitingForTimeouts()
      throws Exception {
    int port =
        tlsServer(
            out -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nX-Huge: "));
              byte[] chunk = ascii("a".repeat(64 * 1024));
              for (int i = 0; i < 16; i++) {
                out.write(chunk);
              }
              out.flush();
              done.await(); // the line never ends
            });
    fetcher(port, Duration.ofSeconds(20), Duration.ofSeconds(20));

    long start = System.nanoTime();
    FetchResult result = fetcher.fetch(DOMAIN);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.FetchFailed.class,
            f -> assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR));
  }

  @Test
  void fetch_tcpAcceptedButNoTlsHandshake_totalDeadlineHolds() throws Exception {
    ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    closeables.add(server);
    Thread t =
        new Thread(
            () -> {
              try (Socket s = server.accept()) {
                done.await(); // never answers the ClientHello
              } catch (IOException | InterruptedException ignored) {
                // closed by the test
              }
            },
            "silent-policy-host");
    t.setDaemon(true);
    t.start();
    fetcher(server.getLocalPort(), Duration.ofSeconds(20), Duration.ofMillis(700));

    long start = System.nanoTime();
    FetchResult result = fetcher.fetch(DOMAIN);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.FetchFailed.class,
            f -> {
              assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
              assertThat(f.failure().detail()).contains("did not complete within 700 ms");
            });
  }

  @Test
  void fetch_headersDribbledOneByteAtATime_totalDeadlineHolds() throws Exception {
    int port =
        tlsServer(
            out -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nX-A: "));
              for (int i = 0; i < 10_000; i++) {
                out.write(ascii(i % 10 == 9 ? "\r\nX-A: " : "a"));
                out.flush();
                Thread.sleep(50); // the hostile server's pace, not a test wait
              }
            });
    fetcher(port, Duration.ofSeconds(20), Duration.ofMillis(700));

    long start = System.nanoTime();
    FetchResult result = fetcher.fetch(DOMAIN);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.FetchFailed.class,
            f -> assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR));
  }

  /** Connect and total limits of a minute: only the one-second read timeout can end the fetch. */
  private FetchResult fetchWithOnlyReadTimeoutShort(int port) throws Exception {
    dns.a(HOST, "127.0.0.1");
    fetcher =
        new HttpClient5Fetcher(
            DnsClient.servers(List.of(dns.address()), Duration.ofMillis(500)),
            CertificateVerifier.of(TrustAnchors.of(List.of(PKI.root())), InstantSource.system()),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofSeconds(60),
            port);
    long start = System.nanoTime();
    FetchResult result =
        CompletableFuture.supplyAsync(() -> fetcher.fetch(DOMAIN)).get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    return result;
  }

  @Test
  void fetch_requestReadButNoResponse_readTimeoutAloneEndsIt() throws Exception {
    int port = tlsServer(out -> done.await()); // handshake done, request read, never answers
    FetchResult result = fetchWithOnlyReadTimeoutShort(port);
    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.FetchFailed.class,
            f -> {
              assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
              assertThat(f.failure().detail()).doesNotContain("did not complete within");
            });
  }

  @Test
  void fetch_bodyStallsAfterFirstBytes_readTimeoutAloneEndsIt() throws Exception {
    int port =
        tlsServer(
            out -> {
              out.write(
                  ascii(
                      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
                          + "version: STSv1\n"));
              out.flush();
              done.await(); // the other bytes never come
            });
    FetchResult result = fetchWithOnlyReadTimeoutShort(port);
    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.FetchFailed.class,
            f -> {
              assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
              assertThat(f.failure().detail()).doesNotContain("did not complete within");
            });
  }
}

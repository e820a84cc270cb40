package io.github.mtasts4j.benchmarks;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.cache.PolicyCache;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.PolicyServer;
import io.github.mtasts4j.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end lookups on loopback (issue #7 item 4), SampleTime with percentiles. In-process
 * servers: {@link LoopbackDnsServer} (TXT and A records), {@link PolicyServer} (TLS with a {@link
 * TestPki} certificate, relaying to WireMock).
 *
 * <ul>
 *   <li>{@code cold_lib}: {@link MtaSts#resolve} with a new {@link MtaSts} per call (built and
 *       closed outside the timed part), so every call pays TXT query, A query, TCP connect, a full
 *       TLS handshake (no session resumption, no pooled connection), GET and parse.
 *   <li>{@code cold_bareTls}: the baseline, in the same run: a new {@link SSLContext} per call
 *       (outside the timed part), then connect to the same server, full handshake with SNI and
 *       hostname verification, GET of the policy and read of the body. No DNS, no parse.
 *       {@code TCP_NODELAY} on, like the library's HTTP client.
 *   <li>{@code warm_lib}: {@link PolicyCache#resolve} of a cached policy whose TXT check must be
 *       repeated on every call ({@code txtRecheckInterval(0, 0)}): one TXT query, id compared,
 *       cached policy returned.
 *   <li>{@code warm_dnsTxt}: the baseline for it: the same TXT query through the library's DNS
 *       client alone.
 * </ul>
 *
 * <p>Run (about 2 minutes): {@code java -jar benchmarks/target/benchmarks.jar EndToEndBench -rf
 * json -rff e2e.json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EndToEndBench {
  static final String DOMAIN = "example.test";
  static final String POLICY_HOST = "mta-sts.example.test";
  static final byte[] REQUEST =
      ("GET " + PolicyServer.POLICY_PATH + " HTTP/1.1\r\nHost: " + POLICY_HOST
              + "\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  TestPki pki;
  LoopbackDnsServer dns;
  PolicyServer web;
  DomainName domain;
  DnsClient dnsClient;
  MtaSts warmMtaSts;
  PolicyCache warmCache;

  /** Per-call objects, built outside the timed part. */
  MtaSts coldMtaSts;
  SSLContext coldContext;

  /** Starts the servers and a warm cache, and checks that every path gets the policy. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    pki = TestPki.create("bench CA");
    dns = LoopbackDnsServer.start();
    web = PolicyServer.start();
    web.identity(POLICY_HOST, pki.issue(POLICY_HOST));
    web.policy(POLICY_HOST, Inputs.POL4);
    dns.txt("_mta-sts." + DOMAIN, 3600, "v=STSv1; id=bench1");
    dns.a(POLICY_HOST, "127.0.0.1");
    domain = DomainName.of(DOMAIN);
    dnsClient = DnsClient.servers(List.of(dns.address()), Duration.ofSeconds(2));

    warmMtaSts = newMtaSts();
    warmCache =
        PolicyCache.newBuilder(warmMtaSts)
            .txtRecheckInterval(Duration.ZERO, Duration.ZERO)
            .build();
    Inputs.check(warmCache.resolve(domain) instanceof Resolution.Active a
        && a.source() == Source.FETCHED, "warm cache filled");
    Inputs.check(warm_lib() instanceof Resolution.Active a && a.source() == Source.CACHE,
        "warm lookup answers from the cache");
    Inputs.check(warmCache.stats().fetches() == 1, "warm lookups do not fetch");
    Inputs.check(warm_dnsTxt() instanceof DnsAnswer.Found<String>, "TXT found");

    newPerCall();
    Inputs.check(cold_lib() instanceof Resolution.Active a && a.source() == Source.FETCHED,
        "cold lookup fetches");
    closePerCall();
    newPerCall();
    Inputs.check(cold_bareTls() == Inputs.POL4.length(), "bare GET returns the policy");
    closePerCall();
  }

  private MtaSts newMtaSts() {
    return MtaSts.newBuilder()
        .dns(dnsClient)
        .trustAnchors(TrustAnchors.of(List.of(pki.root())))
        .policyPort(web.port())
        .build();
  }

  /** Builds a fresh client and a fresh TLS context for the next call. */
  @Setup(Level.Invocation)
  public void newPerCall() {
    coldMtaSts = newMtaSts();
    coldContext = pki.clientSslContext();
  }

  /** Releases the per-call client. */
  @TearDown(Level.Invocation)
  public void closePerCall() {
    coldMtaSts.close();
  }

  /** Stops everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    warmCache.close();
    warmMtaSts.close();
    web.close();
    dns.close();
  }

  /** mtasts4j, cold: DNS, TLS, HTTP, parse. */
  @Benchmark
  public Resolution cold_lib() {
    return coldMtaSts.resolve(domain);
  }

  /** Baseline: a bare TLS handshake and GET to the same server. */
  @Benchmark
  public int cold_bareTls() throws IOException {
    try (SSLSocket s = (SSLSocket) coldContext.getSocketFactory().createSocket()) {
      s.setTcpNoDelay(true); // as HttpClient 5 sets it by default (SocketConfig.DEFAULT)
      s.connect(new InetSocketAddress(web.address(), web.port()), 5_000);
      s.setSoTimeout(5_000);
      SSLParameters p = s.getSSLParameters();
      p.setServerNames(List.of(new SNIHostName(POLICY_HOST)));
      p.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(p);
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      out.write(REQUEST);
      out.flush();
      return readBody(s.getInputStream());
    }
  }

  /** mtasts4j, warm: TXT re-check, cached policy. */
  @Benchmark
  public Resolution warm_lib() {
    return warmCache.resolve(domain);
  }

  /** Baseline: the TXT query alone. */
  @Benchmark
  public DnsAnswer<String> warm_dnsTxt() {
    return dnsClient.txt(domain.prefixed("_mta-sts"));
  }

  /** Reads a 200 response (Content-Length or chunked); returns the body length. */
  private static int readBody(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the header");
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
          ? state + 1 : (b == '\r' ? 1 : 0);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    if (!h.startsWith("HTTP/1.1 200")) {
      throw new IOException("unexpected status: " + h.lines().findFirst().orElse(""));
    }
    String lower = h.toLowerCase(java.util.Locale.ROOT);
    int at = lower.indexOf("content-length:");
    if (at >= 0) {
      int length = Integer.parseInt(h.substring(at + 15, h.indexOf('\r', at)).strip());
      if (in.readNBytes(length).length != length) {
        throw new IOException("short body");
      }
      return length;
    }
    if (!lower.contains("transfer-encoding: chunked")) {
      throw new IOException("neither Content-Length nor chunked");
    }
    int total = 0;
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailer fields
        }
        return total;
      }
      if (in.readNBytes(size).length != size) {
        throw new IOException("short chunk");
      }
      total += size;
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed in a chunk header");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }
}

package io.github.mtasts4j.internal;

import io.github.mtasts4j.CertificateRejectedException;
import io.github.mtasts4j.CertificateVerifier;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.InvalidPolicyException;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.PolicyFetcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link PolicyFetcher}, on Apache HttpClient 5 (classic API). Not API.
 *
 * <p>RFC 8461 §3.3 as applied here:
 *
 * <ul>
 *   <li>{@code GET https://mta-sts.<domain>/.well-known/mta-sts.txt}, port 443 unless a test port
 *       was configured; the policy host's addresses come from the library's {@link DnsClient};
 *   <li>TLS 1.2 or 1.3 only; the certificate is checked by {@link CertificateVerifier} (PKIX to the
 *       anchors, validity at the injected clock, SAN DNS-ID of the policy host, no CN); SNI is the
 *       policy host (the JDK sends the name the TLS socket is created for);
 *   <li>no redirects, no cookies, no authentication, no HTTP cache or conditional requests, no
 *       automatic retries, no content compression; {@code User-Agent: mtasts4j};
 *   <li>only status 200 is a success; the media type must be {@code text/plain} (type compared
 *       case-insensitively, parameters ignored);
 *   <li>at most {@value #MAX_BODY_BYTES} bytes of body, counted while streaming ({@code
 *       Content-Length} is not trusted); a longer body is an {@code sts-policy-fetch-error} (the
 *       policy could not be retrieved within the limit);
 *   <li>the body must be UTF-8 ({@code sts-policy-invalid} otherwise) and a valid policy;
 *   <li>connect and read timeouts per socket operation, plus one total deadline enforced by
 *       aborting the request, so a server that dribbles bytes cannot hold the fetch longer.
 * </ul>
 *
 * <p>Failures map to {@code sts-webpki-invalid} (certificate rejected), {@code
 * sts-policy-invalid} (bad media type or body) and {@code sts-policy-fetch-error} (everything
 * else). Thread-safe; {@link #close()} releases the connection pool.
 */
public final class HttpClient5Fetcher implements PolicyFetcher, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpClient5Fetcher.class);

  /** The body size limit RFC 8461 §3.3 suggests: 64 KiB. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** The path of the policy file. */
  public static final String WELL_KNOWN_PATH = "/.well-known/mta-sts.txt";

  private static final String USER_AGENT = "mtasts4j";

  private final CloseableHttpClient client;
  private final Duration totalTimeout;
  private final int port;

  /**
   * Creates a fetcher.
   *
   * @param dns resolves the policy host
   * @param verifier checks the policy host's certificate
   * @param connectTimeout TCP connect (and TLS handshake) timeout
   * @param readTimeout longest wait for the next bytes
   * @param totalTimeout deadline for the whole fetch
   * @param port the policy host's port: 443 except in tests
   */
  public HttpClient5Fetcher(
      DnsClient dns,
      CertificateVerifier verifier,
      Duration connectTimeout,
      Duration readTimeout,
      Duration totalTimeout,
      int port) {
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(verifier, "verifier");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    requirePositive(totalTimeout, "totalTimeout");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    this.totalTimeout = totalTimeout;
    this.port = port;

    DefaultClientTlsStrategy tls =
        new DefaultClientTlsStrategy(
            verifier.sslContext(),
            new String[] {"TLSv1.3", "TLSv1.2"},
            null,
            SSLBufferMode.STATIC,
            HostnameVerificationPolicy.CLIENT,
            (host, session) -> hostMatches(host, session));
    PoolingHttpClientConnectionManager connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new LibraryDnsResolver(dns))
            .setTlsSocketStrategy(tls)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(connectTimeout))
                    .setSocketTimeout(Timeout.of(readTimeout))
                    .build())
            .setMaxConnTotal(16)
            .setMaxConnPerRoute(2)
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(connections)
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setRedirectsEnabled(false)
                    .setAuthenticationEnabled(false)
                    .setContentCompressionEnabled(false)
                    .setExpectContinueEnabled(false)
                    .setConnectionRequestTimeout(Timeout.of(totalTimeout))
                    .setResponseTimeout(Timeout.of(readTimeout))
                    .build())
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableAutomaticRetries()
            .disableContentCompression()
            .disableConnectionState()
            .setUserAgent(USER_AGENT)
            .build();
  }

  private static void requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }

  private static boolean hostMatches(String host, SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0
          && chain[0] instanceof X509Certificate leaf
          && CertificateVerifier.matchesDnsId(leaf, DomainName.of(host));
    } catch (SSLPeerUnverifiedException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The URL fetched for {@code policyDomain}. */
  public URI policyUri(DomainName policyDomain) {
    DomainName host = policyDomain.prefixed("mta-sts");
    try {
      return new URI("https", null, host.value(), port == 443 ? -1 : port, WELL_KNOWN_PATH, null,
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("no URL can be built for " + host, e);
    }
  }

  @Override
  public FetchResult fetch(DomainName policyDomain) {
    Objects.requireNonNull(policyDomain, "policyDomain");
    URI uri = policyUri(policyDomain);
    HttpGet request = new HttpGet(uri);
    long deadline = System.nanoTime() + totalTimeout.toNanos();
    AtomicBoolean timedOut = new AtomicBoolean();
    // The cancel (an immediate close) runs on the delay timer's own thread: on the common pool it
    // would wait behind whatever else the application keeps busy there.
    CompletableFuture<Void> watchdog =
        CompletableFuture.runAsync(
            () -> {
              timedOut.set(true);
              request.cancel();
            },
            CompletableFuture.delayedExecutor(
                totalTimeout.toNanos(), TimeUnit.NANOSECONDS, Runnable::run));
    try {
      LOG.debug("fetching {}", uri);
      ClassicHttpResponse response = client.executeOpen(null, request, null);
      FetchResult result;
      try {
        result = read(uri, response, request, deadline, timedOut);
      } catch (IOException | RuntimeException e) {
        request.cancel();
        closeQuietly(response);
        throw e;
      }
      if (result instanceof FetchResult.FetchFailed) {
        request.cancel(); // never drain what is left of a rejected response
      }
      closeQuietly(response);
      return result;
    } catch (IOException e) {
      return failedOn(uri, e, timedOut.get());
    } catch (RuntimeException e) {
      if (timedOut.get()) {
        return timeout(uri);
      }
      LOG.debug("unexpected failure fetching {}", uri, e);
      return fetchError(uri + ": " + oneLine(e));
    } finally {
      watchdog.cancel(false);
    }
  }

  private static void closeQuietly(ClassicHttpResponse response) {
    try {
      response.close();
    } catch (IOException e) {
      LOG.debug("closing the policy response failed: {}", e.toString());
    }
  }

  private FetchResult read(
      URI uri,
      ClassicHttpResponse response,
      HttpGet request,
      long deadline,
      AtomicBoolean timedOut)
      throws IOException {
    int status = response.getCode();
    if (status != 200) {
      Header location = response.getFirstHeader("Location");
      String redirect =
          status >= 300 && status < 400 && location != null
              ? " (redirect to " + location.getValue() + " not followed)"
              : "";
      return fetchError(uri + " answered HTTP " + status + redirect + "; only 200 is accepted");
    }
    HttpEntity entity = response.getEntity();
    Header contentType = response.getFirstHeader("Content-Type");
    String mediaType =
        contentType == null
            ? ""
            : contentType.getValue().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("text/plain")) {
      return invalid(
          uri + " served media type "
              + (contentType == null ? "(none)" : "'" + contentType.getValue() + "'")
              + "; text/plain is required");
    }
    if (entity == null) {
      return invalid(uri + " served an empty body");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = entity.getContent()) {
      while (true) {
        if (System.nanoTime() - deadline >= 0) {
          timedOut.set(true);
          return timeout(uri);
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
          break;
        }
        if (body.size() + n > MAX_BODY_BYTES) {
          request.cancel();
          return fetchError(
              uri + " served a body larger than " + MAX_BODY_BYTES + " bytes; not read further");
        }
        body.write(buffer, 0, n);
      }
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      return invalid(uri + " served a body that is not valid UTF-8");
    }
    try {
      return new FetchResult.Fetched(Policy.parse(text), text);
    } catch (InvalidPolicyException e) {
      return invalid(uri + " served an invalid policy: " + e.getMessage());
    }
  }

  private FetchResult failedOn(URI uri, IOException e, boolean timedOut) {
    CertificateRejectedException rejected = findCause(e, CertificateRejectedException.class);
    if (rejected != null) {
      return new FetchResult.FetchFailed(
          new Failure(
              ResultType.STS_WEBPKI_INVALID,
              rejected.failure().type().token() + ": " + rejected.failure().detail()));
    }
    if (e instanceof SSLPeerUnverifiedException) {
      return new FetchResult.FetchFailed(
          new Failure(
              ResultType.STS_WEBPKI_INVALID,
              "certificate of " + uri.getHost() + " has no DNS-ID matching it"));
    }
    if (e instanceof SSLHandshakeException && findCause(e, CertificateException.class) != null) {
      return new FetchResult.FetchFailed(
          new Failure(
              ResultType.STS_WEBPKI_INVALID,
              "certificate of " + uri.getHost() + " rejected: " + oneLine(e)));
    }
    if (timedOut) {
      return timeout(uri);
    }
    if (e instanceof UnknownHostException) {
      return fetchError("cannot resolve " + uri.getHost() + ": " + e.getMessage());
    }
    if (e instanceof SSLException) {
      return fetchError("TLS with " + uri.getHost() + " failed: " + oneLine(e));
    }
    return fetchError(uri + ": " + oneLine(e));
  }

  private FetchResult timeout(URI uri) {
    return fetchError(uri + " did not complete within " + totalTimeout.toMillis() + " ms");
  }

  private static FetchResult fetchError(String detail) {
    return new FetchResult.FetchFailed(new Failure(ResultType.STS_POLICY_FETCH_ERROR, detail));
  }

  private static FetchResult invalid(String detail) {
    return new FetchResult.FetchFailed(new Failure(ResultType.STS_POLICY_INVALID, detail));
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String oneLine(Throwable t) {
    String message = t.getMessage();
    String name = t.getClass().getSimpleName();
    return message == null ? name : name + ": " + message.replaceAll("\\s+", " ");
  }

  /** Closes the connection pool. */
  @Override
  public void close() {
    client.close(CloseMode.GRACEFUL);
  }

  /** Resolves policy hosts through the library's {@link DnsClient}, never the JDK resolver. */
  private static final class LibraryDnsResolver implements DnsResolver {
    private final DnsClient dns;

    LibraryDnsResolver(DnsClient dns) {
      this.dns = dns;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      DomainName name;
      try {
        name = DomainName.of(host);
      } catch (IllegalArgumentException e) {
        throw new UnknownHostException(host + " is not a domain name");
      }
      DnsAnswer<InetAddress> answer = dns.addresses(name);
      if (answer instanceof DnsAnswer.Found<InetAddress> found) {
        List<InetAddress> records = found.records();
        return records.toArray(new InetAddress[0]);
      }
      if (answer instanceof DnsAnswer.NotFound<InetAddress> notFound) {
        throw new UnknownHostException(notFound.detail());
      }
      throw new UnknownHostException(((DnsAnswer.Error<InetAddress>) answer).detail());
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  }
}

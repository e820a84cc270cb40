package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.smtp.internal.Alarms;
import io.github.mtasts4j.smtp.internal.BoundedSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import org.apache.hc.client5.http.DnsResolver;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a report by HTTPS POST (RFC 8460 §5.4): body gzip-compressed with {@code Content-Type:
 * application/tlsrpt+gzip}; 200 or 201 is success, anything else a failed attempt. Certificates
 * are verified (RPT-8 allows ignoring errors; this library does not), redirects are not followed,
 * connect and read times are bounded, and the whole POST has a deadline, enforced by aborting the
 * request, so an endpoint that dribbles its answer cannot hold the sender longer. Only the status
 * line and headers are read: the response body is never read, and the connection is dropped
 * instead of being drained for reuse, since an endpoint may send a body without end; the head is
 * limited in line length and header count.
 */
final class HttpsSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpsSender.class);
  static final ContentType TLSRPT_GZIP = ContentType.create("application/tlsrpt+gzip");
  /** Bounds the response head, which HttpClient otherwise reads without limit. */
  private static final Http1Config RESPONSE_HEAD_LIMITS =
      Http1Config.custom().setMaxLineLength(8 * 1024).setMaxHeaderCount(100).build();

  private final CloseableHttpClient client;
  private final Duration deadline;

  HttpsSender(SSLContext sslContext, Duration timeout, Duration deadline, DnsClient dns) {
    this.deadline = deadline;
    Timeout t = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
    this.client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setDnsResolver(new Resolver(dns))
                    .setConnectionFactory(
                        ManagedHttpClientConnectionFactory.builder()
                            .http1Config(RESPONSE_HEAD_LIMITS)
                            .build())
                    .setTlsSocketStrategy(new DefaultClientTlsStrategy(sslContext))
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setRedirectsEnabled(false)
                    .setResponseTimeout(t)
                    .setConnectionRequestTimeout(t)
                    .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .build();
  }

  void send(URI destination, byte[] gzipped) throws DeliveryException {
    if (!"https".equalsIgnoreCase(destination.getScheme())) {
      throw new DeliveryException("not an https URI: " + destination);
    }
    HttpPost post = new HttpPost(destination);
    post.setEntity(new ByteArrayEntity(gzipped, TLSRPT_GZIP));
    AtomicBoolean expired = new AtomicBoolean();
    // Cancelling closes the connection, which ends a blocked read or write at once.
    ScheduledFuture<?> watchdog =
        Alarms.after(
            BoundedSocket.saturatedNanos(deadline),
            () -> {
              expired.set(true);
              post.cancel();
            });
    int status;
    try {
      ClassicHttpResponse response = client.executeOpen(null, post, null);
      status = response.getCode();
      post.cancel(); // closing the response would otherwise read the body to its end
      closeQuietly(response);
    } catch (IOException | RuntimeException e) {
      post.cancel();
      if (expired.get()) {
        throw new DeliveryException(
            "POST " + destination + " did not complete within " + deadline.toMillis() + " ms");
      }
      if (e instanceof RuntimeException unexpected) {
        throw unexpected;
      }
      throw new DeliveryException(
          "POST " + destination + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      watchdog.cancel(false);
    }
    if (status != 200 && status != 201) {
      throw new DeliveryException("POST " + destination + " answered HTTP " + status);
    }
    LOG.debug("POST {} answered HTTP {}", destination, status);
  }

  private static void closeQuietly(ClassicHttpResponse response) {
    try {
      response.close();
    } catch (IOException e) {
      LOG.debug("closing the response failed: {}", e.toString());
    }
  }

  /** Resolves report hosts through the library's DNS client, like every other lookup. */
  private record Resolver(DnsClient dns) implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      if (host.matches("[0-9.]+") || host.indexOf(':') >= 0) {
        return new InetAddress[] {InetAddress.getByName(host)}; // a literal: no lookup happens
      }
      DnsAnswer<InetAddress> answer;
      try {
        answer = dns.addresses(Keys.domain(host));
      } catch (IllegalArgumentException e) {
        throw new UnknownHostException("invalid host name " + host);
      }
      if (answer instanceof DnsAnswer.Found<InetAddress> found) {
        return found.records().toArray(new InetAddress[0]);
      }
      throw new UnknownHostException("no address for " + host);
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}

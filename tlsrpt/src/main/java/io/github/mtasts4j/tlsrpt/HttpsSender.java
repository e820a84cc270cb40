package io.github.mtasts4j.tlsrpt;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import org.apache.hc.client5.http.DnsResolver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a report by HTTPS POST (RFC 8460 §5.4): body gzip-compressed with {@code Content-Type:
 * application/tlsrpt+gzip}; 200 or 201 is success, anything else a failed attempt. Certificates
 * are verified (RPT-8 allows ignoring errors; this library does not), redirects are not followed,
 * and connect, read and total times are bounded.
 */
final class HttpsSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpsSender.class);
  static final ContentType TLSRPT_GZIP = ContentType.create("application/tlsrpt+gzip");
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final CloseableHttpClient client;

  HttpsSender(SSLContext sslContext, Duration timeout, DnsClient dns) {
    Timeout t = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
    this.client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setDnsResolver(new Resolver(dns))
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
    int status;
    try {
      status =
          client.execute(
              post,
              response -> {
                drain(response.getEntity());
                return response.getCode();
              });
    } catch (IOException e) {
      throw new DeliveryException(
          "POST " + destination + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (status != 200 && status != 201) {
      throw new DeliveryException("POST " + destination + " answered HTTP " + status);
    }
    LOG.debug("POST {} answered HTTP {}", destination, status);
  }

  private static void drain(HttpEntity entity) throws IOException {
    if (entity == null) {
      return;
    }
    try (InputStream in = entity.getContent()) {
      byte[] buf = new byte[4096];
      long total = 0;
      int n;
      while (total < MAX_RESPONSE_BYTES && (n = in.read(buf)) >= 0) {
        total += n;
      }
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

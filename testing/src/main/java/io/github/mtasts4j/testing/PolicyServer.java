package io.github.mtasts4j.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS policy hosts on loopback: one TLS listener on 127.0.0.1 (ephemeral port) that serves any
 * number of policy host names, choosing the certificate by the client's SNI.
 *
 * <p>Each TLS connection is terminated here and relayed in plain HTTP/1.1 to an embedded WireMock
 * server on 127.0.0.1, which does all HTTP behaviour: {@link #policy(String, String)} for the common
 * case, {@link #wireMock()} for anything else (status codes, media types, redirects, chunked or
 * dribbled bodies, delays; match the policy host with {@code withHost(...)}). WireMock's gzip is
 * disabled, so bodies go out exactly as stubbed.
 *
 * <p>A fresh TLS context is used for every connection, so TLS session resumption never skips
 * certificate selection and every handshake's SNI is observed in {@link #serverNames()}. Both legs
 * of the relay use {@code TCP_NODELAY}, so the relay adds no Nagle or delayed-ACK stalls and
 * timings measured through it are those of the client and WireMock. Thread-safe.
 */
public final class PolicyServer implements AutoCloseable {

  /** The path RFC 8461 §3.3 fetches the policy from. */
  public static final String POLICY_PATH = "/.well-known/mta-sts.txt";

  private static final Logger LOG = LoggerFactory.getLogger(PolicyServer.class);
  private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

  private final WireMockServer wireMock;
  private final ServerSocket listener;
  private final ExecutorService threads;
  private final Map<String, String> aliasByHost = new ConcurrentHashMap<>();
  private final Map<String, ServerIdentity> identityByAlias = new ConcurrentHashMap<>();
  private final AtomicLong aliasCounter = new AtomicLong();
  private volatile @Nullable String defaultAlias;
  private final Map<String, UUID> policyStubs = new ConcurrentHashMap<>();
  private final List<String> serverNames = new CopyOnWriteArrayList<>();
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private PolicyServer(WireMockServer wireMock, ServerSocket listener) {
    this.wireMock = wireMock;
    this.listener = listener;
    this.threads = Executors.newCachedThreadPool(Daemons.factory("policy-server-" + listener.getLocalPort()));
  }

  /**
   * Starts WireMock and the TLS front on 127.0.0.1, both on ephemeral ports.
   *
   * @return the running server; no identities or policies yet
   */
  public static PolicyServer start() {
    return start(InetAddress.getLoopbackAddress(), 0);
  }

  /**
   * Starts WireMock on an ephemeral port of 127.0.0.1 and the TLS front on {@code address:port},
   * for a policy host with more than one address (each its own server on the same port).
   *
   * @param address the loopback address the TLS front listens on
   * @param port its port, or 0 for an ephemeral one
   * @return the running server; no identities or policies yet
   */
  public static PolicyServer start(InetAddress address, int port) {
    WireMockServer wm =
        new WireMockServer(
            wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .http2PlainDisabled(true)
                .gzipDisabled(true)
                .maxRequestJournalEntries(10_000)
                .notifier(new Slf4jNotifier(false)));
    wm.start();
    ServerSocket ss;
    try {
      ss = new ServerSocket();
      ss.bind(new InetSocketAddress(address, port), 50);
    } catch (IOException e) {
      wm.stop();
      throw new java.io.UncheckedIOException("cannot bind policy server listener", e);
    }
    PolicyServer server = new PolicyServer(wm, ss);
    server.threads.execute(server::acceptLoop);
    LOG.debug("policy server on {}:{} relaying to WireMock port {}", ss.getInetAddress(), ss.getLocalPort(), wm.port());
    return server;
  }

  /**
   * Returns the listener's address (127.0.0.1 unless started on another).
   *
   * @return the address
   */
  public InetAddress address() {
    return listener.getInetAddress();
  }

  /**
   * Returns the HTTPS port.
   *
   * @return the port
   */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Returns the policy URL a client would use for this host on this server's port, e.g. {@code
   * https://mta-sts.example.com:41234/.well-known/mta-sts.txt}. The host name must still be
   * resolved to {@link #address()} by the client.
   *
   * @param policyHost e.g. {@code mta-sts.example.com}
   * @return the URI
   */
  public URI uri(String policyHost) {
    return URI.create("https://" + policyHost + ":" + port() + POLICY_PATH);
  }

  /**
   * Serves this identity to clients whose SNI equals {@code hostName} (case-insensitive).
   *
   * @param hostName the SNI host name
   * @param id the identity; replaces any earlier one for that name
   */
  public void identity(String hostName, ServerIdentity id) {
    String alias = register(id);
    aliasByHost.put(hostName.toLowerCase(Locale.ROOT), alias);
  }

  /**
   * Serves this identity when the client sent no SNI, or an SNI with no identity of its own.
   *
   * @param id the identity
   */
  public void defaultIdentity(ServerIdentity id) {
    defaultAlias = register(id);
  }

  private String register(ServerIdentity id) {
    Objects.requireNonNull(id, "id");
    String alias = "id" + aliasCounter.incrementAndGet();
    identityByAlias.put(alias, id);
    return alias;
  }

  /**
   * Stubs {@code GET /.well-known/mta-sts.txt} with {@code Host: policyHost} (port ignored,
   * case-insensitive) to answer 200, {@code Content-Type: text/plain}, with this body. Calling it
   * again for the same host replaces the body.
   *
   * @param policyHost e.g. {@code mta-sts.example.com}
   * @param body the policy text, sent verbatim (UTF-8)
   */
  public void policy(String policyHost, String body) {
    String host = policyHost.toLowerCase(Locale.ROOT);
    StubMapping stub =
        wireMock.stubFor(
            get(urlPathEqualTo(POLICY_PATH))
                .withHost(equalToIgnoreCase(host))
                .willReturn(
                    aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain")
                        .withBody(body)));
    UUID old = policyStubs.put(host, stub.getId());
    if (old != null) {
      wireMock.removeStubMapping(old);
    }
  }

  /**
   * Removes the stub made by {@link #policy(String, String)} for this host (WireMock then answers
   * 404).
   *
   * @param policyHost the host
   */
  public void removePolicy(String policyHost) {
    UUID old = policyStubs.remove(policyHost.toLowerCase(Locale.ROOT));
    if (old != null) {
      wireMock.removeStubMapping(old);
    }
  }

  /**
   * Returns the embedded WireMock server (plain HTTP on 127.0.0.1) for custom stubs and request
   * verification. Requests arrive with the client's {@code Host} header.
   *
   * @return the WireMock server
   */
  public WireMockServer wireMock() {
    return wireMock;
  }

  /**
   * Returns the SNI host names received, one per TLS handshake that reached certificate selection,
   * in order; an empty string stands for a handshake without SNI.
   *
   * @return an immutable snapshot
   */
  public List<String> serverNames() {
    return List.copyOf(serverNames);
  }

  /**
   * Counts GET requests for {@link #POLICY_PATH} whose Host header names {@code policyHost}.
   *
   * @param policyHost the host, any case
   * @return the count
   */
  public long requestCount(String policyHost) {
    return wireMock
        .countRequestsMatching(
            getRequestedFor(urlPathEqualTo(POLICY_PATH))
                .withHost(equalToIgnoreCase(policyHost))
                .build())
        .getCount();
  }

  /**
   * Forgets identities, stubs (including policies), WireMock's request journal and the recorded
   * server names, so one running server can be shared by several tests run one after another.
   */
  public void reset() {
    aliasByHost.clear();
    identityByAlias.clear();
    defaultAlias = null;
    policyStubs.clear();
    wireMock.resetAll();
    serverNames.clear();
  }

  /** Stops the TLS front and WireMock, closing relayed connections. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      listener.close();
    } catch (IOException e) {
      LOG.debug("closing policy listener", e);
    }
    for (Socket s : openSockets) {
      closeQuietly(s);
    }
    threads.shutdownNow();
    wireMock.stop();
  }

  @Override
  public String toString() {
    return "PolicyServer[127.0.0.1:" + port() + "]";
  }

  // ---------------------------------------------------------------- TLS front and relay

  private void acceptLoop() {
    while (!closed.get()) {
      Socket raw;
      try {
        raw = listener.accept();
      } catch (IOException e) {
        if (!closed.get()) {
          LOG.debug("policy server accept failed", e);
        }
        return;
      }
      openSockets.add(raw);
      try {
        threads.execute(() -> serve(raw));
      } catch (RuntimeException e) {
        closeQuietly(raw);
        openSockets.remove(raw);
      }
    }
  }

  private void serve(Socket raw) {
    SniKeyManager km = new SniKeyManager();
    SSLSocket tls = null;
    Socket backend = null;
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new javax.net.ssl.KeyManager[] {km}, null, null);
      tls =
          (SSLSocket)
              ctx.getSocketFactory()
                  .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
      tls.setUseClientMode(false);
      openSockets.add(tls);
      raw.setTcpNoDelay(true);
      raw.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
      tls.startHandshake();
      raw.setSoTimeout(0);
      backend = new Socket();
      openSockets.add(backend);
      backend.setTcpNoDelay(true);
      backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), wireMock.port()), 5000);
      Socket b = backend;
      SSLSocket t = tls;
      threads.execute(() -> pump(b, t));
      pump(tls, backend);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.debug("policy server connection ended: {}", e.toString());
    } finally {
      // TLS first, so a client still connected gets a close_notify rather than a bare FIN.
      if (tls != null) {
        closeQuietly(tls);
        openSockets.remove(tls);
      }
      closeQuietly(raw);
      openSockets.remove(raw);
      if (backend != null) {
        closeQuietly(backend);
        openSockets.remove(backend);
      }
    }
  }

  /** Copies from one socket to the other until EOF or error, then closes both. */
  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      LOG.trace("relay ended", e);
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      LOG.trace("close", e);
    }
  }

  /** Picks the identity by SNI and remembers what the client asked for; one per connection. */
  private final class SniKeyManager extends X509ExtendedKeyManager {
    volatile boolean sawClientHello;
    volatile @Nullable String sni;

    @Override
    public @Nullable String chooseServerAlias(
        String keyType, java.security.@Nullable Principal @Nullable [] issuers, @Nullable Socket socket) {
      SSLSession hs = socket instanceof SSLSocket s ? s.getHandshakeSession() : null;
      return choose(keyType, hs);
    }

    @Override
    public @Nullable String chooseEngineServerAlias(
        String keyType, java.security.@Nullable Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
      return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    private @Nullable String choose(String keyType, @Nullable SSLSession hs) {
      if (!sawClientHello) {
        sawClientHello = true;
        if (hs instanceof ExtendedSSLSession ext) {
          for (SNIServerName n : ext.getRequestedServerNames()) {
            if (n instanceof SNIHostName h) {
              sni = h.getAsciiName().toLowerCase(Locale.ROOT);
            }
          }
        }
        // Recorded before the certificate goes out, so a client that rejects it sees it recorded.
        String seen = sni;
        serverNames.add(seen == null ? "" : seen);
      }
      String requested = sni;
      String alias = requested == null ? null : aliasByHost.get(requested);
      if (alias == null) {
        alias = defaultAlias;
      }
      if (alias == null) {
        return null;
      }
      ServerIdentity id = identityByAlias.get(alias);
      if (id == null || !id.privateKey().getAlgorithm().equalsIgnoreCase(keyType)) {
        return null;
      }
      return alias;
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
      ServerIdentity id = identityByAlias.get(alias);
      return id == null ? null : id.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
      ServerIdentity id = identityByAlias.get(alias);
      return id == null ? null : id.privateKey();
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, java.security.@Nullable Principal @Nullable [] issuers) {
      return identityByAlias.keySet().toArray(new String[0]);
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, java.security.@Nullable Principal @Nullable [] issuers) {
      return null;
    }

    @Override
    public @Nullable String chooseClientAlias(
        String @Nullable [] keyType, java.security.@Nullable Principal @Nullable [] issuers, @Nullable Socket socket) {
      return null;
    }
  }
}

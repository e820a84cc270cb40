package io.github.mtasts4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * An SMTP receiver (SubEthaSMTP) bound to one explicit loopback address and port, recording what
 * it receives. Use {@link LoopbackAddresses} to run several MX hosts on the same port.
 *
 * <p>Thread-safe. Threads are daemons; {@link #close()} is fast and idempotent.
 */
public final class LoopbackMx implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoopbackMx.class);
  private static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

  private record Rejection(int code, String text) {}

  /** The one user name and password a receiver that requires AUTH accepts. */
  private record Login(String username, String password) {}

  private final InetAddress address;
  private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
  private final List<String> tlsServerNames = new CopyOnWriteArrayList<>();
  private final List<AuthAttempt> authAttempts = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutorService executor;
  private volatile @Nullable Rejection rcptRejection;
  private volatile @Nullable Rejection authRejection;
  private @Nullable SMTPServer smtp;

  private LoopbackMx(InetAddress address) {
    this.address = address;
    this.executor = Executors.newCachedThreadPool(Daemons.factory("loopback-mx-" + address.getHostAddress()));
  }

  /**
   * Starts a receiver that offers STARTTLS (not required) with this identity.
   *
   * @param bind a loopback address
   * @param port the port, or 0 for an ephemeral one
   * @param identity the certificate served after STARTTLS
   * @return the running receiver
   */
  public static LoopbackMx starttls(InetAddress bind, int port, ServerIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    return start(bind, port, identity, null);
  }

  /**
   * Starts a receiver like a submission server: it offers STARTTLS with this identity, advertises
   * {@code AUTH PLAIN LOGIN} only once TLS is up, accepts only these credentials, and answers
   * {@code MAIL} with 530 until the session has authenticated. Each AUTH exchange is recorded in
   * {@link #authAttempts()}, and each message carries its {@link
   * ReceivedMessage#authenticatedUser()}.
   *
   * @param bind a loopback address
   * @param port the port, or 0 for an ephemeral one
   * @param identity the certificate served after STARTTLS
   * @param username the only user name accepted
   * @param password the only password accepted
   * @return the running receiver
   */
  public static LoopbackMx starttlsWithAuth(
      InetAddress bind, int port, ServerIdentity identity, String username, String password) {
    Objects.requireNonNull(identity, "identity");
    return start(bind, port, identity, new Login(
        Objects.requireNonNull(username, "username"), Objects.requireNonNull(password, "password")));
  }

  /**
   * Starts a receiver that does not offer STARTTLS.
   *
   * @param bind a loopback address
   * @param port the port, or 0 for an ephemeral one
   * @return the running receiver
   */
  public static LoopbackMx plain(InetAddress bind, int port) {
    return start(bind, port, null, null);
  }

  private static LoopbackMx start(
      InetAddress bind, int port, @Nullable ServerIdentity identity, @Nullable Login login) {
    Objects.requireNonNull(bind, "bind");
    if (!bind.isLoopbackAddress()) {
      throw new IllegalArgumentException("LoopbackMx binds to loopback addresses only: " + bind);
    }
    LoopbackMx mx = new LoopbackMx(bind);
    SMTPServer.Builder b =
        SMTPServer.port(port)
            .bindAddress(bind)
            .hostName("loopback-mx.test")
            .softwareName("mtasts4j LoopbackMx")
            .executorService(mx.executor)
            .connectionTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
            .maxMessageSize(MAX_MESSAGE_BYTES)
            .serverSocketFactory(() -> new CountingServerSocket(mx.connections))
            .messageHandlerFactory(mx::newHandler);
    if (identity != null) {
      b.enableTLS(true).requireTLS(false).startTlsSocketFactory(socket -> mx.upgrade(socket, identity));
    } else {
      b.enableTLS(false);
    }
    if (login != null) {
      b.authenticationHandlerFactory(mx.new RecordingAuthFactory(login)).requireAuth(true);
    }
    SMTPServer server = b.build();
    mx.smtp = server;
    try {
      server.start();
    } catch (RuntimeException e) {
      mx.executor.shutdownNow();
      throw e;
    }
    LOG.debug("LoopbackMx on {}:{} (STARTTLS {})", bind.getHostAddress(), mx.port(), identity != null);
    return mx;
  }

  /**
   * Returns the bound address.
   *
   * @return the address
   */
  public InetAddress address() {
    return address;
  }

  /**
   * Returns the bound port.
   *
   * @return the port
   */
  public int port() {
    SMTPServer s = Objects.requireNonNull(smtp);
    return s.getPortAllocated();
  }

  /**
   * Returns the complete DATA transactions received so far, in order.
   *
   * @return an immutable snapshot
   */
  public List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  /**
   * Counts TCP connections accepted, including ones that failed the TLS handshake or sent nothing.
   *
   * @return the count
   */
  public int connectionCount() {
    return connections.get();
  }

  /**
   * Returns the SNI host names clients sent during STARTTLS handshakes that reached certificate
   * selection, in order; an empty string stands for a handshake without SNI.
   *
   * @return an immutable snapshot
   */
  public List<String> tlsServerNames() {
    return List.copyOf(tlsServerNames);
  }

  /**
   * Answers every subsequent RCPT TO with this reply instead of accepting it.
   *
   * @param code the SMTP reply code, e.g. 550 or 451
   * @param text the reply text
   */
  public void rejectRecipients(int code, String text) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("a rejection needs a 4xx or 5xx code: " + code);
    }
    rcptRejection = new Rejection(code, Objects.requireNonNull(text, "text"));
  }

  /**
   * Returns the AUTH exchanges that ended (accepted or rejected) so far, in order; a receiver
   * started without AUTH never has any.
   *
   * @return an immutable snapshot
   */
  public List<AuthAttempt> authAttempts() {
    return List.copyOf(authAttempts);
  }

  /**
   * Answers every subsequent AUTH exchange with this reply instead of checking the credentials,
   * once the client has sent them.
   *
   * @param code the SMTP reply code, e.g. 454 or 535
   * @param text the reply text
   */
  public void rejectAuth(int code, String text) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("a rejection needs a 4xx or 5xx code: " + code);
    }
    authRejection = new Rejection(code, Objects.requireNonNull(text, "text"));
  }

  /** Accepts recipients again after {@link #rejectRecipients(int, String)}. */
  public void acceptRecipients() {
    rcptRejection = null;
  }

  /** Stops listening and ends open sessions. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    SMTPServer s = smtp;
    if (s != null) {
      try {
        s.stop();
      } catch (RuntimeException e) {
        LOG.debug("stopping LoopbackMx", e);
      }
    }
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "LoopbackMx[" + address.getHostAddress() + ":" + (smtp == null ? 0 : port()) + "]";
  }

  // ---------------------------------------------------------------- internals

  private SSLSocket upgrade(Socket socket, ServerIdentity identity) throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {new RecordingKeyManager(identity)}, null, null);
      SSLSocket tls =
          (SSLSocket)
              ctx.getSocketFactory()
                  .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
      tls.setUseClientMode(false);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up STARTTLS", e);
    }
  }

  private MessageHandler newHandler(MessageContext ctx) {
    return new MessageHandler() {
      private String from = "";
      private final List<String> rcpts = new ArrayList<>();

      @Override
      public void from(String f) {
        from = f;
      }

      @Override
      public void recipient(String r) throws RejectException {
        Rejection rej = rcptRejection;
        if (rej != null) {
          throw new RejectException(rej.code(), rej.text());
        }
        rcpts.add(r);
      }

      @Override
      public @Nullable String data(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        boolean tls = ctx instanceof Session s && s.isTLSStarted();
        String user =
            ctx.getAuthenticationHandler().map(h -> String.valueOf(h.getIdentity())).orElse(null);
        messages.add(new ReceivedMessage(from, rcpts, buf.toByteArray(), tls, user));
        return null;
      }

      @Override
      public void done() {}
    };
  }

  /**
   * SubEtha's PLAIN and LOGIN handlers checking one login, wrapped so that each exchange is
   * recorded with its mechanism and user name, and can be answered with a scripted rejection.
   */
  private final class RecordingAuthFactory implements AuthenticationHandlerFactory {
    private final Login login;
    private final List<String> mechanisms;

    RecordingAuthFactory(Login login) {
      this.login = login;
      this.mechanisms = new EasyAuthenticationHandlerFactory((u, p, c) -> {}).getAuthenticationMechanisms();
    }

    @Override
    public List<String> getAuthenticationMechanisms() {
      return mechanisms;
    }

    @Override
    public AuthenticationHandler create() {
      return new AuthenticationHandler() {
        private final AuthenticationHandler delegate =
            new EasyAuthenticationHandlerFactory(this::check).create();
        private String mechanism = "";
        private String username = "";
        private @Nullable Rejection scripted;

        private void check(String user, String password, MessageContext ctx)
            throws LoginFailedException {
          username = user;
          Rejection rej = authRejection;
          if (rej != null) {
            record(false, ctx);
            scripted = rej; // the validator can only say 535; auth() replies with this instead
            return;
          }
          if (!login.username().equals(user) || !login.password().equals(password)) {
            record(false, ctx);
            throw new LoginFailedException();
          }
          record(true, ctx);
        }

        private void record(boolean accepted, MessageContext ctx) {
          boolean tls = ctx instanceof Session s && s.isTLSStarted();
          authAttempts.add(new AuthAttempt(mechanism, username, accepted, tls));
        }

        @Override
        public Optional<String> auth(String clientInput, MessageContext ctx)
            throws RejectException {
          if (mechanism.isEmpty()) {
            String[] words = clientInput.trim().split("\\s+");
            mechanism = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
          }
          Optional<String> next = delegate.auth(clientInput, ctx);
          Rejection rej = scripted;
          if (rej != null) {
            throw new RejectException(rej.code(), rej.text());
          }
          return next;
        }

        @Override
        public Object getIdentity() {
          return delegate.getIdentity();
        }
      };
    }
  }

  /** Counts every accepted connection before SubEtha sees it. */
  private static final class CountingServerSocket extends ServerSocket {
    private final AtomicInteger counter;

    CountingServerSocket(AtomicInteger counter) throws IOException {
      this.counter = counter;
    }

    @Override
    public Socket accept() throws IOException {
      Socket s = super.accept();
      counter.incrementAndGet();
      try {
        s.setTcpNoDelay(true); // SMTP replies are small writes: no Nagle stalls on loopback
      } catch (SocketException e) {
        // the connection already failed; SubEtha finds out on first use
      }
      return s;
    }
  }

  /** Serves one identity and records the SNI of each handshake. */
  private final class RecordingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "mx";
    private final ServerIdentity identity;
    private final AtomicBoolean recorded = new AtomicBoolean();

    RecordingKeyManager(ServerIdentity identity) {
      this.identity = identity;
    }

    private @Nullable String choose(String keyType, @Nullable SSLSession hs) {
      if (recorded.compareAndSet(false, true)) {
        String sni = "";
        if (hs instanceof ExtendedSSLSession ext) {
          for (SNIServerName n : ext.getRequestedServerNames()) {
            if (n instanceof SNIHostName h) {
              sni = h.getAsciiName().toLowerCase(Locale.ROOT);
            }
          }
        }
        tlsServerNames.add(sni);
      }
      return identity.privateKey().getAlgorithm().equalsIgnoreCase(keyType) ? ALIAS : null;
    }

    @Override
    public @Nullable String chooseServerAlias(
        String keyType, java.security.@Nullable Principal @Nullable [] issuers, @Nullable Socket socket) {
      return choose(keyType, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
    }

    @Override
    public @Nullable String chooseEngineServerAlias(
        String keyType, java.security.@Nullable Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
      return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? identity.chain().toArray(new X509Certificate[0]) : null;
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? identity.privateKey() : null;
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, java.security.@Nullable Principal @Nullable [] issuers) {
      return new String[] {ALIAS};
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

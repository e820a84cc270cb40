package io.github.mtasts4j.cli;

import io.github.mtasts4j.smtp.internal.Alarms;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.smtp.MxTlsVerifier;
import io.github.mtasts4j.smtp.TlsObservation;
import io.github.mtasts4j.smtp.TlsRequirement;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Opens TLS sessions to a host at every one of its addresses, since senders may reach any of
 * them, the way {@code check} audits it: directly (policy host, HTTPS port) or after SMTP
 * EHLO/STARTTLS (MX host), with SNI set to the host name and trust limited to
 * the configured anchors. TLS setup and the certificate check are {@link MxTlsVerifier}'s (TLS 1.2
 * or later, SNI, PKIX to the anchors at the system time, SAN DNS-ID for the host as RFC 8461 §4.2
 * asks: no CN fallback, a wildcard covers exactly one left-most label). Nothing here trusts a
 * certificate the verifier rejects: a failed check ends the handshake, and only the presented
 * chain is kept to explain why.
 *
 * <p>Every network operation waits at most the configured timeout, and the whole probe of one
 * address (connect to QUIT) at most {@value #DEADLINE_FACTOR} times that: a watchdog closes the
 * socket at the deadline, which ends a read, write or handshake that a server keeps alive by
 * dripping bytes (the library's shared alarm timer, {@link Alarms}). SMTP replies are bounded in
 * line length and line count.
 */
final class TlsProbe {
  /** RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; this leaves generous slack. */
  private static final int MAX_LINE = 1000;
  private static final int MAX_LINES = 100;
  static final int DEADLINE_FACTOR = 3;

  private final DnsClient dns;
  private final TrustAnchors trust;
  private final Duration timeout;
  private final Duration deadline;

  TlsProbe(DnsClient dns, TrustAnchors trust, Duration timeout) {
    this.dns = dns;
    this.trust = trust;
    this.timeout = timeout;
    this.deadline = timeout.multipliedBy(DEADLINE_FACTOR);
  }

  /** What the probe found. */
  sealed interface Outcome {}

  /** The host name has no address, or every address refused the connection. */
  record Unreachable(String detail) implements Outcome {}

  /**
   * The connection was opened, but the exchange failed before any certificate could be judged:
   * over SMTP the server stalled, refused the session (5xx), dropped the connection or broke the
   * reply syntax; over HTTPS the TLS handshake failed without a certificate being rejected.
   */
  record SessionFailed(String detail) implements Outcome {}

  /** SMTP only: the server answered EHLO without STARTTLS, or refused the STARTTLS command. */
  record NoStarttls(String detail) implements Outcome {}

  /**
   * A TLS handshake was attempted.
   *
   * @param failure null when the chain is trusted and the name matches
   * @param leaf the server's certificate, when it presented one
   */
  record Tls(
      @Nullable ResultType failure,
      String detail,
      @Nullable X509Certificate leaf,
      @Nullable String protocol)
      implements Outcome {
    /** Days until the leaf certificate expires (negative when already expired). */
    long daysLeft(Instant now) {
      return leaf == null ? 0 : Duration.between(now, leaf.getNotAfter().toInstant()).toDays();
    }
  }

  /**
   * What the probe found at one of a host's addresses.
   *
   * @param address null when the host has no address at all
   */
  record AtAddress(@Nullable InetAddress address, Outcome outcome) {}

  /**
   * SMTP (greeting, EHLO, STARTTLS, handshake, QUIT) to every address of {@code host} in turn, as
   * senders may reach any of them: one element per address, or a single one without an address
   * when DNS gives none.
   */
  List<AtAddress> smtpEveryAddress(DomainName host, int port) {
    return everyAddress(host, port, true);
  }

  /**
   * Direct TLS to every address of {@code host} (the policy host) in turn, as senders may fetch
   * the policy from any of them: one element per address, or a single one without an address
   * when DNS gives none.
   */
  List<AtAddress> httpsEveryAddress(DomainName host, int port) {
    return everyAddress(host, port, false);
  }

  private List<AtAddress> everyAddress(DomainName host, int port, boolean smtp) {
    List<InetAddress> addresses = new ArrayList<>();
    Unreachable none = resolve(host, addresses);
    if (none != null) {
      return List.of(new AtAddress(null, none));
    }
    List<AtAddress> results = new ArrayList<>();
    for (InetAddress address : addresses) {
      List<String> errors = new ArrayList<>(1);
      Outcome o = probeAt(address, host, port, smtp, errors);
      results.add(new AtAddress(
          address, o != null ? o : new Unreachable("cannot connect to " + errors.get(0))));
    }
    return List.copyOf(results);
  }

  /** Adds {@code host}'s addresses to {@code into}; says why there are none, else null. */
  private @Nullable Unreachable resolve(DomainName host, List<InetAddress> into) {
    DnsAnswer<InetAddress> answer = dns.addresses(host);
    if (answer instanceof DnsAnswer.Found<InetAddress> found) {
      into.addAll(found.records());
      return null;
    }
    String why =
        answer instanceof DnsAnswer.NotFound<InetAddress> nf ? nf.detail()
            : ((DnsAnswer.Error<InetAddress>) answer).detail();
    return new Unreachable("no address for " + host + ": " + why);
  }

  /**
   * Probes one address; null when no connection could be opened, the reason then added to
   * {@code connectErrors}.
   */
  private @Nullable Outcome probeAt(
      InetAddress address, DomainName host, int port, boolean smtp, List<String> connectErrors) {
    Socket socket = new Socket();
    try (Alarm alarm = new Alarm(socket)) {
      try {
        socket.connect(new InetSocketAddress(address, port), millis(timeout));
        socket.setSoTimeout(millis(timeout));
      } catch (IOException e) {
        connectErrors.add(address.getHostAddress() + ":" + port + " "
            + (alarm.rang() ? timedOut() : describe(e)));
        return null;
      }
      try {
        return smtp ? starttls(socket, host, port, alarm)
            : handshake(socket, host, port, false, alarm);
      } catch (IOException e) {
        String why = alarm.rang() ? timedOut()
            : e instanceof BadReply ? e.getMessage()
            : describe(e);
        return new SessionFailed(
            "connection to " + address.getHostAddress() + ":" + port + " failed: " + why);
      }
    } finally {
      close(socket);
    }
  }

  private String timedOut() {
    return "timed out after " + seconds(deadline) + " s (the limit for one address, "
        + DEADLINE_FACTOR + " times --timeout)";
  }

  /**
   * Closes the socket when the probe's deadline passes; closing it before then disarms it. A
   * blocked read or handshake then fails, and {@link #rang()} tells that failure from others.
   */
  private final class Alarm implements AutoCloseable {
    private final AtomicBoolean rang = new AtomicBoolean();
    private final ScheduledFuture<?> ring;

    Alarm(Socket socket) {
      ring = Alarms.after(deadline.toNanos(), () -> {
        rang.set(true);
        TlsProbe.close(socket);
      });
    }

    boolean rang() {
      return rang.get();
    }

    @Override
    public void close() {
      ring.cancel(false);
    }
  }

  private Outcome starttls(Socket socket, DomainName host, int port, Alarm alarm)
      throws IOException {
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    List<String> greeting = reply(in);
    if (!code(greeting).startsWith("2")) {
      String refused = "server refused the session: " + String.join(" ", greeting);
      // A 4xx may be aimed at where the check runs (rate limits, block lists); a 5xx is for all.
      return code(greeting).startsWith("5") ? new SessionFailed(refused) : new Unreachable(refused);
    }
    send(out, "EHLO mtasts4j-check.invalid");
    List<String> ehlo = reply(in);
    if (!code(ehlo).equals("250")) {
      send(out, "QUIT");
      return new NoStarttls("EHLO was refused: " + String.join(" ", ehlo));
    }
    boolean offered =
        ehlo.stream().anyMatch(l -> l.length() > 4 && l.substring(4).trim().equalsIgnoreCase("STARTTLS"));
    if (!offered) {
      send(out, "QUIT");
      return new NoStarttls("the EHLO reply does not offer STARTTLS");
    }
    send(out, "STARTTLS");
    List<String> go = reply(in);
    if (!code(go).equals("220")) {
      send(out, "QUIT");
      return new NoStarttls("STARTTLS was refused: " + String.join(" ", go));
    }
    return handshake(socket, host, port, true, alarm);
  }

  /** The TLS handshake on {@code plain}, then QUIT when SMTP (STARTTLS) came first. */
  private Outcome handshake(Socket plain, DomainName host, int port, boolean smtp, Alarm alarm)
      throws IOException {
    TlsObservation seen = new TlsObservation();
    SSLSocket tls =
        (SSLSocket)
            MxTlsVerifier.of(trust, InstantSource.system())
                .socketFactory(host, TlsRequirement.VERIFIED, seen)
                .createSocket(plain, host.value(), port, true);
    try {
      tls.startHandshake();
    } catch (IOException e) {
      if (seen.failure() == null && (!smtp || alarm.rang())) {
        String why = "TLS handshake failed: " + (alarm.rang() ? timedOut() : describe(e));
        // Over STARTTLS any handshake failure is validation-failure (RFC 8460 §4.3); for the
        // policy host only a rejected certificate is sts-webpki-invalid, the rest a fetch error.
        return smtp
            ? new Tls(ResultType.VALIDATION_FAILURE, why, leaf(seen), null)
            : new SessionFailed(why);
      }
      return rejected(seen, host, e);
    }
    String protocol = tls.getSession().getProtocol();
    try {
      try {
        if (smtp) {
          send(tls.getOutputStream(), "QUIT");
        }
      } catch (IOException ignored) {
        // the audit result does not depend on a polite goodbye
      }
    } finally {
      close(tls);
    }
    X509Certificate leaf = leaf(seen);
    if (leaf == null) {
      return new Tls(ResultType.VALIDATION_FAILURE, "no certificate was presented", null, protocol);
    }
    return new Tls(null, "certificate valid for " + host, leaf, protocol);
  }

  /** Explains a failed handshake from what the verifier recorded before it ended it. */
  private static Tls rejected(TlsObservation seen, DomainName host, IOException e) {
    X509Certificate leaf = leaf(seen);
    Failure failure = seen.failure();
    if (leaf == null || failure == null) {
      return new Tls(
          ResultType.VALIDATION_FAILURE, "TLS handshake failed: " + describe(e), leaf, null);
    }
    String detail =
        switch (failure.type()) {
          case CERTIFICATE_EXPIRED -> "the certificate is expired or not yet valid (valid "
              + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")";
          case CERTIFICATE_NOT_TRUSTED -> "the certificate chain does not lead to a trusted CA"
              + " (issuer " + leaf.getIssuerX500Principal().getName() + ")";
          case CERTIFICATE_HOST_MISMATCH -> {
            List<String> names = dnsNames(leaf);
            yield "the certificate is not valid for " + host + " (its DNS names: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + ")";
          }
          default -> failure.detail();
        };
    return new Tls(failure.type(), detail, leaf, null);
  }

  private static @Nullable X509Certificate leaf(TlsObservation seen) {
    List<X509Certificate> chain = seen.chain();
    return chain.isEmpty() ? null : chain.get(0);
  }

  /** The SAN dNSName entries of {@code cert}. */
  static List<String> dnsNames(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      var sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // an unparsable SAN extension holds no usable DNS-ID
    }
    return names;
  }

  /** RFC 8461 §4.2 with RFC 6125: exact, or {@code *.} standing for one whole left-most label. */
  static boolean nameMatches(String pattern, String host) {
    String p = stripDot(pattern.toLowerCase(Locale.ROOT));
    String h = stripDot(host.toLowerCase(Locale.ROOT));
    if (p.isEmpty() || h.isEmpty()) {
      return false;
    }
    if (p.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot + 1).equals(p.substring(2)) && !p.substring(2).contains("*");
    }
    return !p.contains("*") && p.equals(h);
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static List<String> reply(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    while (lines.size() < MAX_LINES) {
      String line = readLine(in);
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return lines;
      }
    }
    throw new BadReply("reply too long: more than " + MAX_LINES + " lines");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      if (c == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw new BadReply("reply line too long: more than " + MAX_LINE + " octets");
      }
      sb.append((char) c);
    }
  }

  /** The server broke the reply syntax or its limits; the message says how. */
  private static final class BadReply extends IOException {
    private static final long serialVersionUID = 1L;

    BadReply(String message) {
      super(message);
    }
  }

  private static String code(List<String> reply) {
    String first = reply.get(0);
    return first.length() >= 3 ? first.substring(0, 3) : first;
  }

  private static void send(OutputStream out, String command) throws IOException {
    out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    String name = e.getClass().getSimpleName();
    return Text.oneLine(m == null || m.isBlank() ? name : name + ": " + m);
  }

  /** {@code d} in seconds, as few digits as it needs ("3", "1.5"). */
  private static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}

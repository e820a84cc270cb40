package io.github.mtasts4j;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Checks a TLS server certificate chain the way RFC 8461 requires for the policy host (§3.3) and
 * MX hosts (§4.2): PKIX to one of the {@link TrustAnchors}, every certificate valid at the
 * injected clock's time, and a SAN DNS-ID matching the host. Immutable and thread-safe.
 *
 * <p>Name matching ({@link #matchesDnsId}) uses only SAN {@code dNSName} entries, never the
 * subject CN. A wildcard is accepted only as the complete left-most label ({@code *.example.com})
 * and stands for exactly one label; it never matches the bare parent and needs at least two labels
 * after it ({@code *.com} matches nothing). Comparison is ASCII case-insensitive after stripping
 * one trailing dot; SAN entries with non-ASCII characters never match (certificates carry
 * A-labels, and {@link DomainName} is already in A-label form).
 *
 * <p>When several checks fail, the first in this order is reported: chain to a trusted anchor
 * ({@link ResultType#CERTIFICATE_NOT_TRUSTED}), validity period ({@link
 * ResultType#CERTIFICATE_EXPIRED}), host name ({@link ResultType#CERTIFICATE_HOST_MISMATCH}),
 * then key usage ({@link ResultType#VALIDATION_FAILURE}). So an expired self-signed certificate
 * is "not trusted", and an expired certificate for the wrong name is "expired". Revocation is not
 * checked (RFC 8461 makes it optional).
 */
public final class CertificateVerifier {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
  private static final int SAN_DNS_NAME = 2;

  private final TrustAnchors anchors;
  private final InstantSource clock;

  private CertificateVerifier(TrustAnchors anchors, InstantSource clock) {
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A verifier trusting {@code anchors} and judging validity periods at {@code clock}'s time.
   *
   * @param anchors the trusted CA certificates
   * @param clock the wall clock
   */
  public static CertificateVerifier of(TrustAnchors anchors, InstantSource clock) {
    return new CertificateVerifier(anchors, clock);
  }

  /** The trust anchors. */
  public TrustAnchors anchors() {
    return anchors;
  }

  /** The clock validity periods are judged at. */
  public InstantSource clock() {
    return clock;
  }

  /**
   * Verifies {@code chain} (leaf first, as a TLS server sends it) for {@code host}.
   *
   * @param chain the certificates presented by the server, leaf first
   * @param host the name the client connected to: the policy host or the MX host
   * @return empty when the certificate is acceptable, otherwise the first failed check (see the
   *     class description for the order)
   */
  public Optional<Failure> verify(List<X509Certificate> chain, DomainName host) {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(host, "host");
    if (chain.isEmpty()) {
      return Optional.of(
          new Failure(ResultType.VALIDATION_FAILURE, host + " presented no certificate"));
    }
    X509Certificate leaf = chain.get(0);
    Instant now = clock.instant();
    Optional<Failure> pkix = validatePath(chain, host, now);
    if (pkix.isPresent()) {
      return pkix;
    }
    if (!matchesDnsId(leaf, host)) {
      List<String> names = dnsNames(leaf);
      String found =
          names.isEmpty()
              ? "has no DNS name (SAN dNSName; the subject CN is not used)"
              : "is for " + String.join(", ", names);
      return Optional.of(
          new Failure(
              ResultType.CERTIFICATE_HOST_MISMATCH,
              "certificate of " + host + " " + found + ", not " + host));
    }
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages != null
          && !usages.contains(SERVER_AUTH)
          && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
        return Optional.of(
            new Failure(
                ResultType.VALIDATION_FAILURE,
                "certificate of " + host + " is not for TLS servers (extended key usage "
                    + usages + ")"));
      }
    } catch (CertificateParsingException e) {
      return Optional.of(
          new Failure(
              ResultType.VALIDATION_FAILURE,
              "certificate of " + host + " has an unreadable extended key usage"));
    }
    return Optional.empty();
  }

  /**
   * Returns true when a SAN {@code dNSName} of {@code leaf} matches {@code host} under the rules in
   * the class description. The subject CN is never consulted.
   */
  public static boolean matchesDnsId(X509Certificate leaf, DomainName host) {
    Objects.requireNonNull(leaf, "leaf");
    Objects.requireNonNull(host, "host");
    for (String name : dnsNames(leaf)) {
      if (dnsIdMatches(name, host)) {
        return true;
      }
    }
    return false;
  }

  /** Returns true when one DNS-ID (a SAN {@code dNSName} value) matches {@code host}. */
  static boolean dnsIdMatches(String dnsId, DomainName host) {
    String id = dnsId;
    if (id.endsWith(".")) {
      id = id.substring(0, id.length() - 1);
    }
    if (id.isEmpty() || !isAscii(id)) {
      return false;
    }
    id = asciiLowerCase(id);
    String target = host.value();
    if (id.startsWith("*.")) {
      String suffix = id.substring(2);
      if (suffix.indexOf('*') >= 0
          || suffix.indexOf('.') <= 0
          || suffix.endsWith(".")
          || suffix.contains("..")) {
        return false;
      }
      int dot = target.indexOf('.');
      return dot > 0 && target.substring(dot + 1).equals(suffix);
    }
    return id.indexOf('*') < 0 && id.equals(target);
  }

  /**
   * A trust manager for a TLS client connecting to {@code host}: it accepts a server chain only
   * when {@link #verify} finds no failure, and otherwise throws a {@link
   * CertificateRejectedException} carrying the {@link Failure}. It rejects every client chain.
   */
  public X509ExtendedTrustManager trustManager(DomainName host) {
    Objects.requireNonNull(host, "host");
    return new VerifyingTrustManager(host);
  }

  /**
   * A trust manager that checks each server chain against the host name the TLS socket or engine
   * was created for ({@link SSLSession#getPeerHost()} of the handshake session), so one instance
   * can serve a connection pool. It fails when that name is unknown or not a valid domain name.
   */
  public X509ExtendedTrustManager trustManager() {
    return new VerifyingTrustManager(null);
  }

  /**
   * A TLS context (TLS 1.2 or later negotiated by the JDK defaults) whose trust decision is {@link
   * #trustManager(DomainName)}: use it for one connection to {@code host}.
   */
  public SSLContext sslContext(DomainName host) {
    return newContext(trustManager(host));
  }

  /** A TLS context whose trust decision is {@link #trustManager()}. */
  public SSLContext sslContext() {
    return newContext(trustManager());
  }

  private static SSLContext newContext(X509ExtendedTrustManager manager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {manager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e, e);
    }
  }

  private Optional<Failure> validatePath(
      List<X509Certificate> chain, DomainName host, Instant now) {
    // Anchors sent by the server are dropped: PKIX paths end below the anchor.
    Set<X509Certificate> anchorSet = new HashSet<>(anchors.certificates());
    List<X509Certificate> path = new ArrayList<>(chain);
    while (path.size() > 1 && anchorSet.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(anchors.pkixAnchors());
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
      return Optional.empty();
    } catch (CertPathValidatorException e) {
      return Optional.of(classify(e, path, host, now));
    } catch (CertificateException
        | InvalidAlgorithmParameterException
        | NoSuchAlgorithmException e) {
      return Optional.of(
          new Failure(
              ResultType.VALIDATION_FAILURE,
              "certificate chain of " + host + " cannot be checked: " + e.getMessage()));
    }
  }

  private static Failure classify(
      CertPathValidatorException e, List<X509Certificate> path, DomainName host, Instant now) {
    X509Certificate culprit =
        e.getIndex() >= 0 && e.getIndex() < path.size()
            ? path.get(e.getIndex())
            : path.get(path.size() - 1);
    String which = which(culprit, path, host);
    CertPathValidatorException.Reason reason = e.getReason();
    if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
      return new Failure(
          ResultType.CERTIFICATE_EXPIRED,
          which + " expired at " + culprit.getNotAfter().toInstant() + " (now " + now + ")");
    }
    if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      return new Failure(
          ResultType.CERTIFICATE_EXPIRED,
          which + " is not valid before " + culprit.getNotBefore().toInstant() + " (now " + now
              + ")");
    }
    if (reason == PKIXReason.NO_TRUST_ANCHOR) {
      X509Certificate top = path.get(path.size() - 1);
      boolean selfSigned =
          top.getSubjectX500Principal().equals(top.getIssuerX500Principal());
      String detail =
          selfSigned
              ? which(top, path, host) + " is self-signed and not a trust anchor"
              : "certificate chain of " + host + " does not lead to a trusted anchor (issuer "
                  + top.getIssuerX500Principal().getName() + ")";
      return new Failure(ResultType.CERTIFICATE_NOT_TRUSTED, detail);
    }
    if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE
        || reason == PKIXReason.NAME_CHAINING
        || reason == PKIXReason.NOT_CA_CERT
        || reason == PKIXReason.PATH_TOO_LONG
        || reason == PKIXReason.INVALID_KEY_USAGE
        || reason == PKIXReason.INVALID_NAME
        || reason == PKIXReason.INVALID_POLICY) {
      return new Failure(
          ResultType.CERTIFICATE_NOT_TRUSTED,
          which + " is not trusted: " + reason.toString().toLowerCase(Locale.ROOT)
              .replace('_', ' '));
    }
    return new Failure(
        ResultType.VALIDATION_FAILURE,
        which + " failed validation: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
  }

  private static String which(X509Certificate cert, List<X509Certificate> path, DomainName host) {
    return cert == path.get(0)
        ? "certificate of " + host
        : "certificate " + cert.getSubjectX500Principal().getName() + " in the chain of " + host;
  }

  private static List<String> dnsNames(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return names;
    }
    if (sans == null) {
      return names;
    }
    for (List<?> san : sans) {
      if (san.size() >= 2
          && san.get(0) instanceof Integer type
          && type == SAN_DNS_NAME
          && san.get(1) instanceof String name) {
        names.add(name);
      }
    }
    return names;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7e || s.charAt(i) < 0x21) {
        return false;
      }
    }
    return true;
  }

  private static String asciiLowerCase(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /** Runs {@link #verify} from inside a TLS handshake. */
  private final class VerifyingTrustManager extends X509ExtendedTrustManager {
    private final @Nullable DomainName fixedHost;

    VerifyingTrustManager(@Nullable DomainName fixedHost) {
      this.fixedHost = fixedHost;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      SSLSession session =
          socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
      check(chain, session == null ? null : session.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      SSLSession session = engine == null ? null : engine.getHandshakeSession();
      check(chain, session == null ? null : session.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain, null);
    }

    private void check(X509Certificate[] chain, @Nullable String peerHost)
        throws CertificateException {
      DomainName host = fixedHost;
      if (host == null) {
        if (peerHost == null) {
          throw new CertificateRejectedException(
              new Failure(
                  ResultType.VALIDATION_FAILURE,
                  "the TLS connection carries no host name to check the certificate against"));
        }
        try {
          host = DomainName.of(peerHost);
        } catch (IllegalArgumentException e) {
          throw new CertificateRejectedException(
              new Failure(
                  ResultType.VALIDATION_FAILURE,
                  "TLS peer " + peerHost + " is not a domain name; no DNS-ID can match it"));
        }
      }
      Optional<Failure> failure = verify(chain == null ? List.of() : List.of(chain), host);
      if (failure.isPresent()) {
        throw new CertificateRejectedException(failure.get());
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      rejectClient();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      rejectClient();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      rejectClient();
    }

    private void rejectClient() throws CertificateException {
      throw new CertificateException("this trust manager only checks TLS servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return anchors.certificates().toArray(new X509Certificate[0]);
    }
  }
}

package io.github.mtasts4j.smtp;

import io.github.mtasts4j.smtp.internal.BoundedSocket;
import io.github.mtasts4j.CertificateRejectedException;
import io.github.mtasts4j.CertificateVerifier;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.TrustAnchors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies the TLS session with an MX host the way RFC 8461 §4.2 requires: the chain leads to one
 * of the trust anchors, every certificate is within its validity period, and the leaf carries a SAN
 * DNS-ID matching the <em>MX host name</em> (never the recipient domain, never the subject CN).
 * Failures are RFC 8460 result types. Immutable and thread-safe.
 *
 * <p>For SMTP clients that only accept a {@link SSLSocketFactory} or {@link X509TrustManager},
 * {@link #socketFactory} and {@link #trustManager} bind these checks to one MX host: SNI carries the
 * MX host name (STS-61), only TLS 1.2 and 1.3 are enabled, and the outcome is written to a {@link
 * TlsObservation}. With {@link TlsRequirement#VERIFIED} a failed check aborts the handshake. With
 * {@link TlsRequirement#OPPORTUNISTIC} it is recorded and the handshake goes on, because RFC 8461
 * §5 asks for TLS even with an invalid certificate in that case and mail clients such as Angus Mail
 * do not fall back to cleartext after a failed handshake; the recorded failure is what gets
 * reported. Nothing here ever accepts a certificate silently.
 *
 * <pre>{@code
 * MxTlsVerifier tls = MxTlsVerifier.of(TrustAnchors.jdkDefault(), InstantSource.system());
 * Optional<Failure> problem = tls.verify(sslSocket.getSession(), DomainName.of("mx1.example.com"));
 * }</pre>
 */
public final class MxTlsVerifier {
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private final CertificateVerifier certificates;

  private MxTlsVerifier(CertificateVerifier certificates) {
    this.certificates = Objects.requireNonNull(certificates, "certificates");
  }

  /**
   * A verifier trusting {@code anchors}, judging validity at {@code clock}'s time.
   *
   * @param anchors the trusted CA certificates
   * @param clock the wall clock
   */
  public static MxTlsVerifier of(TrustAnchors anchors, InstantSource clock) {
    return new MxTlsVerifier(CertificateVerifier.of(anchors, clock));
  }

  /** A verifier delegating the certificate checks to {@code certificates}. */
  public static MxTlsVerifier of(CertificateVerifier certificates) {
    return new MxTlsVerifier(certificates);
  }

  /** The TLS protocol versions enabled on sockets made by {@link #socketFactory}. */
  public static List<String> protocols() {
    return PROTOCOLS;
  }

  /**
   * Verifies a chain presented by {@code mx}.
   *
   * @param chain the server's certificates, leaf first
   * @param mx the MX host name the client connected to
   * @return empty when verified, otherwise the failure
   */
  public Optional<Failure> verify(List<X509Certificate> chain, DomainName mx) {
    return certificates.verify(chain, mx);
  }

  /**
   * Verifies an established TLS session with {@code mx}: for an MTA that runs its own handshake
   * with a permissive-for-observation trust manager and decides afterwards.
   *
   * @param session the session after the handshake
   * @param mx the MX host name the client connected to
   * @return empty when verified, otherwise the failure ({@code validation-failure} when the peer
   *     presented no X.509 certificate)
   */
  public Optional<Failure> verify(SSLSession session, DomainName mx) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(mx, "mx");
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.of(
          new Failure(ResultType.VALIDATION_FAILURE, mx + " presented no certificate"));
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate c : peer) {
      if (!(c instanceof X509Certificate x509)) {
        return Optional.of(
            new Failure(ResultType.VALIDATION_FAILURE, mx + " presented a non-X.509 certificate"));
      }
      chain.add(x509);
    }
    return verify(chain, mx);
  }

  /**
   * A trust manager for one connection to {@code mx}. It runs {@link #verify(List, DomainName)} on
   * the server chain and records the result in {@code observation}. Under {@link
   * TlsRequirement#VERIFIED} a failure throws a {@link CertificateRejectedException} carrying it;
   * under {@link TlsRequirement#OPPORTUNISTIC} it is only recorded. Client chains are always
   * rejected.
   *
   * @param mx the MX host name, the reference identity
   * @param requirement whether a failure aborts the handshake
   * @param observation where the outcome is recorded
   */
  public X509ExtendedTrustManager trustManager(
      DomainName mx, TlsRequirement requirement, TlsObservation observation) {
    return new RecordingTrustManager(
        Objects.requireNonNull(mx, "mx"),
        Objects.requireNonNull(requirement, "requirement"),
        Objects.requireNonNull(observation, "observation"));
  }

  /**
   * A socket factory for one connection to {@code mx}, for STARTTLS ({@link
   * SSLSocketFactory#createSocket(Socket, String, int, boolean)}) or implicit TLS. Every socket it
   * makes uses {@link #trustManager}, sends SNI = {@code mx} whatever host name the caller passes,
   * and enables only TLS 1.2 and 1.3.
   *
   * @param mx the MX host name, the reference identity
   * @param requirement whether a failure aborts the handshake
   * @param observation where the outcome is recorded
   */
  public SSLSocketFactory socketFactory(
      DomainName mx, TlsRequirement requirement, TlsObservation observation) {
    X509ExtendedTrustManager tm = trustManager(mx, requirement, observation);
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {tm}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
    return new MxSocketFactory(context.getSocketFactory(), mx, observation);
  }

  private final class RecordingTrustManager extends X509ExtendedTrustManager {
    private final DomainName mx;
    private final TlsRequirement requirement;
    private final TlsObservation observation;

    RecordingTrustManager(DomainName mx, TlsRequirement requirement, TlsObservation observation) {
      this.mx = mx;
      this.requirement = requirement;
      this.observation = observation;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      List<X509Certificate> presented = chain == null ? List.of() : Arrays.asList(chain);
      Optional<Failure> failure = verify(presented, mx);
      observation.recordCertificate(presented, failure.orElse(null));
      if (failure.isPresent() && requirement == TlsRequirement.VERIFIED) {
        throw new CertificateRejectedException(failure.get());
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("this trust manager only checks MX servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("this trust manager only checks MX servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("this trust manager only checks MX servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return certificates.anchors().certificates().toArray(new X509Certificate[0]);
    }
  }

  /** Wraps a context's factory: SNI = MX host name, TLS 1.2+ only, TLS start recorded. */
  private static final class MxSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final DomainName mx;
    private final TlsObservation observation;

    MxSocketFactory(SSLSocketFactory delegate, DomainName mx, TlsObservation observation) {
      this.delegate = delegate;
      this.mx = mx;
      this.observation = observation;
    }

    private Socket configure(Socket socket) {
      SSLSocket ssl = (SSLSocket) socket;
      List<String> supported = Arrays.asList(ssl.getSupportedProtocols());
      String[] enabled = PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new);
      SSLParameters params = ssl.getSSLParameters();
      params.setProtocols(enabled);
      params.setServerNames(List.of(new SNIHostName(mx.value())));
      ssl.setSSLParameters(params);
      observation.markTlsStarted();
      return ssl;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      Socket tls = configure(delegate.createSocket(s, mx.value(), port, autoClose));
      return BoundedSocket.layered(s, tls);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return configure(delegate.createSocket(address, port, localAddress, localPort));
    }
  }
}

package io.github.mtasts4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A throw-away certificate authority for tests: one self-signed root that issues server
 * certificates on demand. Keys are EC P-256 (fast to generate); signatures are SHA256withECDSA,
 * made with the JDK's providers (no security provider is installed globally).
 *
 * <p>Thread-safe. Issued chains contain the leaf only; the root is the trust anchor, available as
 * {@link #root()}, {@link #rootPem()}, {@link #trustStore()} or {@link #clientSslContext()}.
 */
public final class TestPki {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SIG_ALG = "SHA256withECDSA";

  private final KeyPair caKeys;
  private final X509Certificate root;

  private TestPki(KeyPair caKeys, X509Certificate root) {
    this.caKeys = caKeys;
    this.root = root;
  }

  /**
   * Creates a fresh root CA, valid from one day ago for ten years (real clock).
   *
   * @param caCommonName the root's subject CN
   * @return the new PKI
   */
  public static TestPki create(String caCommonName) {
    Objects.requireNonNull(caCommonName, "caCommonName");
    KeyPair keys = newKeyPair();
    X500Name subject = name(caCommonName);
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(3650))),
              subject,
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new TestPki(keys, sign(b, keys.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create test root CA", e);
    }
  }

  /**
   * Returns the root certificate.
   *
   * @return the self-signed root
   */
  public X509Certificate root() {
    return root;
  }

  /**
   * Returns the root certificate in PEM form.
   *
   * @return a {@code -----BEGIN CERTIFICATE-----} block
   */
  public String rootPem() {
    return pem(root);
  }

  /**
   * Writes {@link #rootPem()} to a file (parent directories must exist).
   *
   * @param file the target file, overwritten if present
   * @return {@code file}
   */
  public Path writeRootPem(Path file) {
    try {
      Files.writeString(file, rootPem(), StandardCharsets.US_ASCII);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Returns an in-memory PKCS12 trust store containing only the root (alias {@code root}).
   *
   * @return the trust store
   */
  public KeyStore trustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("root", root);
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build trust store", e);
    }
  }

  /**
   * Returns a standard PKIX trust manager that trusts only this root.
   *
   * @return the trust manager
   */
  public X509TrustManager trustManager() {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trustStore());
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509TrustManager available");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build trust manager", e);
    }
  }

  /**
   * Returns a client-side TLS context that trusts only this root (hostname checks are up to the
   * client, e.g. {@code HttpClient} or {@code SSLParameters.setEndpointIdentificationAlgorithm}).
   *
   * @return the context
   */
  public SSLContext clientSslContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {trustManager()}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build client SSLContext", e);
    }
  }

  /**
   * Issues a valid server certificate: SAN dNSName entries in order, CN = first name, valid from one
   * day ago until 30 days from now (real clock).
   *
   * @param dnsNames at least one DNS name; wildcards such as {@code *.example.com} are allowed
   * @return the identity (leaf only in the chain)
   */
  public ServerIdentity issue(String... dnsNames) {
    return issue(LeafSpec.of(dnsNames));
  }

  /**
   * Issues a certificate that expired 30 days ago (valid from 60 days ago until 30 days ago).
   *
   * @param dnsNames at least one DNS name
   * @return the identity
   */
  public ServerIdentity issueExpired(String... dnsNames) {
    Instant now = Instant.now();
    return issue(
        LeafSpec.of(dnsNames).validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30))));
  }

  /**
   * Issues a currently valid certificate whose only name is the subject CN: it has no
   * subjectAltName extension at all.
   *
   * @param commonName the CN
   * @return the identity
   */
  public ServerIdentity issueCnOnly(String commonName) {
    Instant now = Instant.now();
    return issue(
        new LeafSpec(
            List.of(), commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))));
  }

  /**
   * Issues a server certificate as described by {@code spec}, signed by this root.
   *
   * @param spec names and validity
   * @return the identity
   */
  public ServerIdentity issue(LeafSpec spec) {
    KeyPair keys = newKeyPair();
    return new ServerIdentity(
        keys.getPrivate(),
        List.of(buildLeaf(spec, keys.getPublic(), X500Name.getInstance(
            root.getSubjectX500Principal().getEncoded()), caKeys.getPrivate(), caKeys.getPublic())));
  }

  /**
   * Makes a self-signed server certificate (not issued by any {@link TestPki}), valid from one day
   * ago until 30 days from now, CN = first name. No test root trusts it.
   *
   * @param dnsNames at least one DNS name
   * @return the identity
   */
  public static ServerIdentity selfSigned(String... dnsNames) {
    LeafSpec spec = LeafSpec.of(dnsNames);
    KeyPair keys = newKeyPair();
    X509Certificate cert =
        buildLeaf(spec, keys.getPublic(), subjectOf(spec), keys.getPrivate(), null);
    return new ServerIdentity(keys.getPrivate(), List.of(cert));
  }

  /**
   * Encodes a certificate as PEM.
   *
   * @param cert the certificate
   * @return its PEM text, ending with a newline
   */
  public static String pem(X509Certificate cert) {
    try {
      String b64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(cert.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }

  private static X509Certificate buildLeaf(
      LeafSpec spec,
      PublicKey subjectKey,
      X500Name issuer,
      PrivateKey signingKey,
      @Nullable PublicKey issuerKey) {
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              serial(),
              Date.from(spec.notBefore()),
              Date.from(spec.notAfter()),
              subjectOf(spec),
              subjectKey);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      if (issuerKey != null) {
        b.addExtension(
            Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey));
      }
      if (!spec.dnsNames().isEmpty()) {
        List<GeneralName> names = new ArrayList<>();
        for (String n : spec.dnsNames()) {
          names.add(new GeneralName(GeneralName.dNSName, n));
        }
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(new GeneralName[0])));
      }
      return sign(b, signingKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue test certificate", e);
    }
  }

  private static X500Name subjectOf(LeafSpec spec) {
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    nb.addRDN(BCStyle.O, "mtasts4j test");
    if (spec.commonName() != null) {
      nb.addRDN(BCStyle.CN, spec.commonName());
    }
    return nb.build();
  }

  private static X500Name name(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "mtasts4j test")
        .addRDN(BCStyle.CN, cn)
        .build();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIG_ALG).build(key);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create signer", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate EC key", e);
    }
  }
}

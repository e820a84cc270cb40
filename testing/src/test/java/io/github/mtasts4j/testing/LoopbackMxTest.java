package io.github.mtasts4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class LoopbackMxTest {

  private static final TestPki PKI = TestPki.create("mx test root");

  /** Sends one message with Jakarta Mail; STARTTLS required when {@code tls}, trusting only PKI. */
  private static void send(LoopbackMx mx, boolean tls, String to) throws MessagingException {
    Properties p = new Properties();
    p.put("mail.smtp.host", mx.address().getHostAddress());
    p.put("mail.smtp.port", Integer.toString(mx.port()));
    p.put("mail.smtp.connectiontimeout", "5000");
    p.put("mail.smtp.timeout", "5000");
    if (tls) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
      p.put("mail.smtp.ssl.socketFactory", PKI.clientSslContext().getSocketFactory());
      // The host is an IP literal here, so only the chain is checked (against the test root alone).
      p.put("mail.smtp.ssl.checkserveridentity", "false");
    }
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("sender@a.example"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject("hello over loopback");
    m.setText("body line\n");
    Transport.send(m);
  }

  @Test
  void starttls_jakartaMailRequiringTls_deliversOverTls() throws Exception {
    InetAddress a = LoopbackAddresses.allocate(1).get(0);
    try (LoopbackMx mx = LoopbackMx.starttls(a, 0, PKI.issue("mx1.b.example"))) {
      send(mx, true, "rcpt@b.example");
      assertThat(mx.messages()).singleElement().satisfies(r -> {
        assertThat(r.overTls()).isTrue();
        assertThat(r.envelopeFrom()).isEqualTo("sender@a.example");
        assertThat(r.recipients()).containsExactly("rcpt@b.example");
        assertThat(r.text()).contains("Subject: hello over loopback").contains("body line");
      });
      assertThat(mx.connectionCount()).isEqualTo(1);
      assertThat(mx.address()).isEqualTo(a);
      assertThat(mx.tlsServerNames()).containsExactly(""); // IP literal host: no SNI sent
    }
  }

  @Test
  void starttls_untrustedCertificate_clientFailsNothingDelivered() throws Exception {
    InetAddress a = LoopbackAddresses.allocate(1).get(0);
    try (LoopbackMx mx = LoopbackMx.starttls(a, 0, TestPki.selfSigned("mx1.b.example"))) {
      assertThatThrownBy(() -> send(mx, true, "rcpt@b.example")).isInstanceOf(MessagingException.class);
      assertThat(mx.messages()).isEmpty();
      assertThat(mx.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void plain_noStarttlsOffered_requiringClientFailsPlainClientDelivers() throws Exception {
    InetAddress a = LoopbackAddresses.allocate(1).get(0);
    try (LoopbackMx mx = LoopbackMx.plain(a, 0)) {
      assertThatThrownBy(() -> send(mx, true, "rcpt@b.example")).isInstanceOf(MessagingException.class)
          .hasMessageContaining("STARTTLS");
      send(mx, false, "rcpt@b.example");
      assertThat(mx.messages()).singleElement().satisfies(r -> assertThat(r.overTls()).isFalse());
      assertThat(mx.connectionCount()).isEqualTo(2);
    }
  }

  @Test
  void sharedPort_twoAddresses_eachReceivesOwnMessage() throws Exception {
    List<InetAddress> addrs = LoopbackAddresses.allocate(2);
    int port = LoopbackAddresses.commonFreePort(addrs);
    try (LoopbackMx mx1 = LoopbackMx.starttls(addrs.get(0), port, PKI.issue("mx1.b.example"));
        LoopbackMx mx2 = LoopbackMx.plain(addrs.get(1), port)) {
      assertThat(mx1.port()).isEqualTo(port).isEqualTo(mx2.port());
      send(mx1, true, "one@b.example");
      send(mx2, false, "two@b.example");
      assertThat(mx1.messages()).extracting(ReceivedMessage::recipients).containsExactly(List.of("one@b.example"));
      assertThat(mx2.messages()).extracting(ReceivedMessage::recipients).containsExactly(List.of("two@b.example"));
    }
  }

  @Test
  void connectionCount_openAndCloseWithoutSending_counted() throws Exception {
    InetAddress a = LoopbackAddresses.allocate(1).get(0);
    try (LoopbackMx mx = LoopbackMx.plain(a, 0)) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(a, mx.port()), 2000);
      }
      // Accepts are sequential: once a second connection gets its greeting, the first was accepted.
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(a, mx.port()), 2000);
        s.setSoTimeout(5000);
        String greeting = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        assertThat(greeting).startsWith("220");
      }
      assertThat(mx.connectionCount()).isEqualTo(2);
      assertThat(mx.messages()).isEmpty();
    }
  }

  @Test
  void rejectRecipients_550_clientGetsFailureNothingStored() throws Exception {
    InetAddress a = LoopbackAddresses.allocate(1).get(0);
    try (LoopbackMx mx = LoopbackMx.plain(a, 0)) {
      mx.rejectRecipients(550, "5.1.1 no such user");
      assertThatThrownBy(() -> send(mx, false, "rcpt@b.example"))
          .isInstanceOf(SendFailedException.class);
      assertThat(mx.messages()).isEmpty();
      mx.acceptRecipients();
      send(mx, false, "rcpt@b.example");
      assertThat(mx.messages()).hasSize(1);
    }
  }

  @Test
  void starttls_clientSendsSni_recordedAndHostnameVerified() throws Exception {
    InetAddress a = LoopbackAddresses.allocate(1).get(0);
    try (LoopbackMx mx = LoopbackMx.starttls(a, 0, PKI.issue("mx1.b.example"))) {
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress(a, mx.port()), 2000);
        plain.setSoTimeout(5000);
        BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new java.io.OutputStreamWriter(plain.getOutputStream(), StandardCharsets.US_ASCII);
        assertThat(in.readLine()).startsWith("220");
        out.write("EHLO client.a.example\r\n");
        out.flush();
        boolean starttlsOffered = false;
        String line;
        do {
          line = in.readLine();
          starttlsOffered |= line.contains("STARTTLS");
        } while (line.startsWith("250-"));
        assertThat(starttlsOffered).isTrue();
        out.write("STARTTLS\r\n");
        out.flush();
        assertThat(in.readLine()).startsWith("220");
        try (SSLSocket tls = (SSLSocket) PKI.clientSslContext().getSocketFactory()
            .createSocket(plain, "mx1.b.example", mx.port(), true)) {
          SSLParameters p = tls.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS");
          tls.setSSLParameters(p);
          tls.startHandshake();
          OutputStream o = tls.getOutputStream();
          o.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
          o.flush();
        }
      }
      assertThat(mx.tlsServerNames()).containsExactly("mx1.b.example");
    }
  }

  @Test
  void close_calledTwice_fastAndPortReleased() throws IOException {
    InetAddress a = LoopbackAddresses.allocate(1).get(0);
    LoopbackMx mx = LoopbackMx.starttls(a, 0, PKI.issue("mx1.b.example"));
    int port = mx.port();
    // an idle open session must not hold up close()
    try (Socket idle = new Socket()) {
      idle.connect(new InetSocketAddress(a, port), 2000);
      long t0 = System.nanoTime();
      mx.close();
      mx.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new InetSocketAddress(a, port));
    }
  }
}

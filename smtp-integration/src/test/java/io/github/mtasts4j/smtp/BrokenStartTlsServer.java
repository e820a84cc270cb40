package io.github.mtasts4j.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP receiver that advertises STARTTLS, answers 220 to it and then sends bytes that are
 * not TLS, so every handshake fails for a reason other than the certificate. Without STARTTLS it
 * accepts mail in cleartext. One daemon thread, connections served one at a time.
 */
final class BrokenStartTlsServer implements AutoCloseable {
  final AtomicInteger connections = new AtomicInteger();
  final List<List<String>> messages = new CopyOnWriteArrayList<>();
  private final ServerSocket listener;

  BrokenStartTlsServer(InetAddress address, int port) {
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(this::serve, "broken-starttls");
    t.setDaemon(true);
    t.start();
  }

  private void serve() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        connections.incrementAndGet();
        s.setSoTimeout(5000);
        converse(s);
      } catch (IOException e) {
        // closed listener or client went away: next connection
      }
    }
  }

  private void converse(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = s.getOutputStream();
    send(out, "220 broken.test ESMTP");
    List<String> recipients = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
      switch (cmd) {
        case "EHLO" -> send(out, "250-broken.test\r\n250-STARTTLS\r\n250 8BITMIME");
        case "HELO" -> send(out, "250 broken.test");
        case "STAR" -> {
          send(out, "220 go ahead");
          out.write("this is not a TLS record\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return;
        }
        case "MAIL", "RSET", "NOOP" -> send(out, "250 ok");
        case "RCPT" -> {
          recipients.add(line.replaceAll("(?i)^RCPT TO:\\s*<?([^>]*)>?.*$", "$1"));
          send(out, "250 ok");
        }
        case "DATA" -> {
          send(out, "354 go");
          while ((line = in.readLine()) != null && !line.equals(".")) {
            // discard the body; the recipients are what the tests check
          }
          messages.add(List.copyOf(recipients));
          send(out, "250 queued");
        }
        case "QUIT" -> {
          send(out, "221 bye");
          return;
        }
        default -> send(out, "502 unknown");
      }
    }
  }

  private static void send(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}

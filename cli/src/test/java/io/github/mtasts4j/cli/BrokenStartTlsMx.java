package io.github.mtasts4j.cli;

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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP receiver whose STARTTLS always fails for a reason other than the certificate: it
 * advertises the extension, answers 220, then writes plain text where the TLS ServerHello belongs.
 * Without STARTTLS it takes mail in cleartext and records each message's text. One daemon thread,
 * one connection at a time; enough for a single {@code send}.
 */
final class BrokenStartTlsMx implements AutoCloseable {
  final AtomicInteger connections = new AtomicInteger();
  final List<String> messages = new CopyOnWriteArrayList<>();
  private final ServerSocket listener;

  BrokenStartTlsMx(InetAddress address, int port) {
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(this::acceptLoop, "broken-starttls-mx");
    t.setDaemon(true);
    t.start();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        connections.incrementAndGet();
        s.setSoTimeout(10_000);
        serve(s);
      } catch (IOException e) {
        // the listener was closed, or the client hung up: wait for the next one
      }
    }
  }

  private void serve(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = s.getOutputStream();
    reply(out, "220 broken.test ESMTP");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(out, "250-broken.test\r\n250-STARTTLS\r\n250 8BITMIME");
        case "STARTTLS" -> {
          reply(out, "220 ready");
          reply(out, "not a TLS record");
          return;
        }
        case "DATA" -> {
          reply(out, "354 end with .");
          StringBuilder text = new StringBuilder();
          for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
            text.append(l).append('\n');
          }
          messages.add(text.toString());
          reply(out, "250 queued");
        }
        case "QUIT" -> {
          reply(out, "221 bye");
          return;
        }
        default -> reply(out, "250 ok");
      }
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
  }
}

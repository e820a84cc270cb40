package io.github.mtasts4j.testing;

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
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP receiver whose STARTTLS always fails for a reason other than the certificate: it
 * advertises the extension, answers 220, then writes plain text where the TLS ServerHello belongs.
 * A client that does not use STARTTLS can deliver in cleartext; those messages are recorded.
 *
 * <p>One daemon thread serves one connection at a time, which is all a single delivery needs.
 */
public final class BrokenStartTlsMx implements AutoCloseable {
  private static final Pattern PATH = Pattern.compile(":\\s*<?([^>\\s]*)>?");

  private final AtomicInteger connections = new AtomicInteger();
  private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
  private final ServerSocket listener;

  /**
   * Starts listening.
   *
   * @param address the loopback address to bind
   * @param port the port to bind (0 for an ephemeral one)
   */
  public BrokenStartTlsMx(InetAddress address, int port) {
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Daemons.factory("broken-starttls-mx").newThread(this::acceptLoop).start();
  }

  /**
   * Returns the messages delivered in cleartext so far, in order.
   *
   * @return an immutable snapshot
   */
  public List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  /**
   * Counts TCP connections accepted.
   *
   * @return the count
   */
  public int connectionCount() {
    return connections.get();
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
    String from = "";
    List<String> recipients = new ArrayList<>();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String verb = line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(out, "250-broken.test\r\n250-STARTTLS\r\n250 8BITMIME");
        case "HELO", "NOOP" -> reply(out, "250 ok");
        case "STARTTLS" -> {
          reply(out, "220 ready");
          reply(out, "not a TLS record");
          return;
        }
        case "MAIL" -> {
          from = path(line);
          recipients.clear();
          reply(out, "250 ok");
        }
        case "RCPT" -> {
          recipients.add(path(line));
          reply(out, "250 ok");
        }
        case "RSET" -> {
          recipients.clear();
          reply(out, "250 ok");
        }
        case "DATA" -> {
          reply(out, "354 end with .");
          StringBuilder text = new StringBuilder();
          for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
            text.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
          }
          messages.add(
              new ReceivedMessage(
                  from, recipients, text.toString().getBytes(StandardCharsets.UTF_8), false));
          reply(out, "250 queued");
        }
        case "QUIT" -> {
          reply(out, "221 bye");
          return;
        }
        default -> reply(out, "502 unknown command");
      }
    }
  }

  private static String path(String line) {
    Matcher m = PATH.matcher(line);
    return m.find() ? m.group(1) : "";
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Stops listening; a connection being served ends when its client goes away. */
  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
  }
}

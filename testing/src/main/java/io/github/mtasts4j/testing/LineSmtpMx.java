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
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A hand-written, line-based SMTP receiver for the traps SubEthaSMTP cannot set. It serves
 * EHLO, HELO, NOOP, MAIL, RCPT, RSET, DATA and QUIT, records each message, and leaves the greeting,
 * the EHLO reply and any other verb (STARTTLS, AUTH) to the subclass.
 *
 * <p>One daemon thread serves one connection at a time, which is all a single delivery needs.
 * Subclasses call {@link #start(String)} last in their constructor, once their own fields are set.
 */
abstract class LineSmtpMx implements AutoCloseable {
  private static final Pattern PATH = Pattern.compile(":\\s*<?([^>\\s]*)>?");

  private final AtomicInteger connections = new AtomicInteger();
  private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
  private final ServerSocket listener;
  private final boolean implicitTls;

  LineSmtpMx(InetAddress address, int port) {
    this(address, port, null);
  }

  /** With {@code tls}, every connection speaks TLS from its first byte (implicit TLS). */
  LineSmtpMx(InetAddress address, int port, @Nullable SSLContext tls) {
    try {
      listener = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
      listener.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    implicitTls = tls != null;
  }

  /** Starts accepting connections on a daemon thread named after {@code threadName}. */
  final void start(String threadName) {
    Daemons.factory(threadName).newThread(this::acceptLoop).start();
  }

  /** The 220 greeting line. */
  abstract String greeting();

  /** The whole EHLO reply, its lines separated by CRLF. */
  abstract String ehloReply();

  /**
   * Serves a verb this class does not know; replies 502 unless overridden.
   *
   * @return whether the session goes on
   */
  boolean command(String verb, String line, Session session) throws IOException {
    session.reply("502 unknown command");
    return true;
  }

  final int localPort() {
    return listener.getLocalPort();
  }

  /**
   * Returns the messages received so far, in order.
   *
   * @return an immutable snapshot
   */
  public final List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  /**
   * Counts TCP connections accepted.
   *
   * @return the count
   */
  public final int connectionCount() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        connections.incrementAndGet();
        s.setSoTimeout(10_000);
        serve(new Session(s));
      } catch (IOException e) {
        // the listener was closed, or the client hung up: wait for the next one
      }
    }
  }

  private void serve(Session session) throws IOException {
    session.reply(greeting());
    String from = "";
    List<String> recipients = new ArrayList<>();
    for (String line = session.readLine(); line != null; line = session.readLine()) {
      String verb = line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> session.reply(ehloReply());
        case "HELO", "NOOP" -> session.reply("250 ok");
        case "MAIL" -> {
          from = path(line);
          recipients.clear();
          session.reply("250 ok");
        }
        case "RCPT" -> {
          recipients.add(path(line));
          session.reply("250 ok");
        }
        case "RSET" -> {
          recipients.clear();
          session.reply("250 ok");
        }
        case "DATA" -> {
          session.reply("354 end with .");
          StringBuilder text = new StringBuilder();
          for (String l = session.readLine(); l != null && !l.equals("."); l = session.readLine()) {
            text.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
          }
          byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
          messages.add(new ReceivedMessage(from, recipients, data, implicitTls, session.user));
          session.reply("250 queued");
        }
        case "QUIT" -> {
          session.reply("221 bye");
          return;
        }
        default -> {
          if (!command(verb, line, session)) {
            return;
          }
        }
      }
    }
  }

  private static String path(String line) {
    Matcher m = PATH.matcher(line);
    return m.find() ? m.group(1) : "";
  }

  /** Stops listening; a connection being served ends when its client goes away. */
  @Override
  public final void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** One connection: its streams, and the user it authenticated as (null until then). */
  static final class Session {
    private final BufferedReader in;
    private final OutputStream out;
    @Nullable String user;

    Session(Socket s) throws IOException {
      in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      out = s.getOutputStream();
    }

    @Nullable String readLine() throws IOException {
      return in.readLine();
    }

    void reply(String text) throws IOException {
      out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }
}

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
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An SMTP receiver that offers {@code AUTH PLAIN LOGIN} without STARTTLS, the trap for a client
 * that would send credentials in cleartext. Every {@code AUTH} command is recorded in {@link
 * #authAttempts()} (never with the password), whether or not the exchange completes; only the
 * given credentials are accepted. Mail is accepted with or without AUTH and recorded.
 *
 * <p>SubEthaSMTP advertises AUTH before STARTTLS only when it also requires TLS, hence this small
 * hand-written server. One daemon thread serves one connection at a time, which is all a single
 * delivery needs.
 */
public final class CleartextAuthMx implements AutoCloseable {
  private static final Pattern PATH = Pattern.compile(":\\s*<?([^>\\s]*)>?");

  private final AtomicInteger connections = new AtomicInteger();
  private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
  private final List<AuthAttempt> authAttempts = new CopyOnWriteArrayList<>();
  private final ServerSocket listener;
  private final String username;
  private final String password;

  /**
   * Starts listening.
   *
   * @param address the loopback address to bind
   * @param port the port to bind (0 for an ephemeral one)
   * @param username the only user name accepted
   * @param password the only password accepted
   */
  public CleartextAuthMx(InetAddress address, int port, String username, String password) {
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("CleartextAuthMx binds to loopback addresses only: " + address);
    }
    this.username = Objects.requireNonNull(username, "username");
    this.password = Objects.requireNonNull(password, "password");
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Daemons.factory("cleartext-auth-mx").newThread(this::acceptLoop).start();
  }

  /**
   * Returns the bound port.
   *
   * @return the port
   */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Returns the messages received so far, in order.
   *
   * @return an immutable snapshot
   */
  public List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  /**
   * Returns every {@code AUTH} command received so far, in order, with the user name when the
   * client got as far as sending it; {@code accepted} is false for an exchange that did not finish.
   *
   * @return an immutable snapshot
   */
  public List<AuthAttempt> authAttempts() {
    return List.copyOf(authAttempts);
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
    reply(out, "220 cleartext-auth.test ESMTP");
    String from = "";
    @Nullable String user = null;
    List<String> recipients = new ArrayList<>();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String verb = line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(out, "250-cleartext-auth.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
        case "HELO", "NOOP" -> reply(out, "250 ok");
        case "AUTH" -> user = authenticate(line, in, out);
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
                  from, recipients, text.toString().getBytes(StandardCharsets.UTF_8), false, user));
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

  /** Runs one AUTH exchange; returns the user name when accepted. */
  private @Nullable String authenticate(String command, BufferedReader in, OutputStream out)
      throws IOException {
    String[] words = command.trim().split("\\s+");
    String mechanism = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
    String user = "";
    String pass = null;
    int index = authAttempts.size();
    authAttempts.add(new AuthAttempt(mechanism, user, false, false));
    if (mechanism.equals("PLAIN")) {
      String response = words.length > 2 ? words[2] : challenge(out, in, "");
      String[] parts = decode(response).split("\0", -1);
      if (parts.length == 3) {
        user = parts[1];
        pass = parts[2];
      }
    } else if (mechanism.equals("LOGIN")) {
      user = decode(words.length > 2 ? words[2] : challenge(out, in, "VXNlcm5hbWU6"));
      authAttempts.set(index, new AuthAttempt(mechanism, user, false, false));
      pass = decode(challenge(out, in, "UGFzc3dvcmQ6"));
    } else {
      reply(out, "504 mechanism not supported");
      return null;
    }
    boolean ok = username.equals(user) && password.equals(pass);
    authAttempts.set(index, new AuthAttempt(mechanism, user, ok, false));
    reply(out, ok ? "235 2.7.0 authenticated" : "535 5.7.8 credentials invalid");
    return ok ? user : null;
  }

  private static String challenge(OutputStream out, BufferedReader in, String text)
      throws IOException {
    reply(out, "334 " + text);
    String line = in.readLine();
    if (line == null) {
      throw new IOException("client left during AUTH");
    }
    return line.trim();
  }

  private static String decode(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
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

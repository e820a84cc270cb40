package io.github.mtasts4j.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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
public final class CleartextAuthMx extends LineSmtpMx {
  private final List<AuthAttempt> authAttempts = new CopyOnWriteArrayList<>();
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
    super(checked(address, username, password), port);
    this.username = username;
    this.password = password;
    start("cleartext-auth-mx");
  }

  /** Rejects the arguments before anything is bound. */
  private static InetAddress checked(InetAddress address, String username, String password) {
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "CleartextAuthMx binds to loopback addresses only: " + address);
    }
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    return address;
  }

  /**
   * Returns the bound port.
   *
   * @return the port
   */
  public int port() {
    return localPort();
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

  @Override
  String greeting() {
    return "220 cleartext-auth.test ESMTP";
  }

  @Override
  String ehloReply() {
    return "250-cleartext-auth.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME";
  }

  @Override
  boolean command(String verb, String line, Session session) throws IOException {
    if (!verb.equals("AUTH")) {
      return super.command(verb, line, session);
    }
    session.user = authenticate(line, session);
    return true;
  }

  /** Runs one AUTH exchange; returns the user name when accepted. */
  private @Nullable String authenticate(String command, Session session) throws IOException {
    String[] words = command.trim().split("\\s+");
    String mechanism = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
    String user = "";
    String pass = null;
    int index = authAttempts.size();
    authAttempts.add(new AuthAttempt(mechanism, user, false, false));
    if (mechanism.equals("PLAIN")) {
      String response = words.length > 2 ? words[2] : challenge(session, "");
      String[] parts = decode(response).split("\0", -1);
      if (parts.length == 3) {
        user = parts[1];
        pass = parts[2];
      }
    } else if (mechanism.equals("LOGIN")) {
      user = decode(words.length > 2 ? words[2] : challenge(session, "VXNlcm5hbWU6"));
      authAttempts.set(index, new AuthAttempt(mechanism, user, false, false));
      pass = decode(challenge(session, "UGFzc3dvcmQ6"));
    } else {
      session.reply("504 mechanism not supported");
      return null;
    }
    boolean ok = username.equals(user) && password.equals(pass);
    authAttempts.set(index, new AuthAttempt(mechanism, user, ok, false));
    session.reply(ok ? "235 2.7.0 authenticated" : "535 5.7.8 credentials invalid");
    return ok ? user : null;
  }

  private static String challenge(Session session, String text) throws IOException {
    session.reply("334 " + text);
    String line = session.readLine();
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
}

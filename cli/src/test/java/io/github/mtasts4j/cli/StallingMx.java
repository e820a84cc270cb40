package io.github.mtasts4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.github.mtasts4j.testing.ScriptedServer;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An SMTP server on one loopback address that never lets a client finish: it drips bytes well
 * inside any sane read timeout, or floods one endless reply. For the probe deadline and reply
 * limits of {@code check}.
 *
 * <p>A {@link ScriptedServer} plays the stall; {@link #close()} also drops the connections still
 * open, so a client blocked on one sees the end of the stream.
 */
final class StallingMx implements AutoCloseable {

  /** How the server stalls. */
  enum Stall {
    /** Starts a greeting ({@code 220-}) and adds one byte per {@link #DRIP} to it, forever. */
    DRIP_GREETING,
    /** Offers STARTTLS, answers 220, then sends the "ServerHello" one byte per {@link #DRIP}. */
    DRIP_HANDSHAKE,
    /** Starts a greeting and sends its one line as fast as the client reads, forever. */
    ENDLESS_LINE,
    /** Sends {@code 220-} continuation lines as fast as the client reads, forever. */
    ENDLESS_REPLY
  }

  /** The pace of a drip: far inside a one-second read timeout. */
  static final Duration DRIP = Duration.ofMillis(200);

  private final Stall stall;
  private final ScheduledExecutorService pace;
  private final ScriptedServer server;

  private StallingMx(InetAddress address, int port, Stall stall) {
    this.stall = stall;
    this.pace = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "stalling-mx-" + address.getHostAddress());
      t.setDaemon(true);
      return t;
    });
    this.server = ScriptedServer.on(address).port(port).start(this::serve);
  }

  /** Listens on {@code address:port} and stalls every client this way. */
  static StallingMx start(InetAddress address, int port, Stall stall) {
    return new StallingMx(address, port, stall);
  }

  private void serve(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    switch (stall) {
      case DRIP_GREETING -> {
        write(out, "220-");
        drip(s, out, 'x');
      }
      case DRIP_HANDSHAKE -> {
        write(out, "220 stalling.test ESMTP\r\n");
        readLine(in); // EHLO
        write(out, "250-stalling.test\r\n250 STARTTLS\r\n");
        readLine(in); // STARTTLS
        write(out, "220 go ahead\r\n");
        // a handshake record announcing 16 KiB, whose body then comes one zero byte at a time
        out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
        out.flush();
        drip(s, out, 0);
      }
      case ENDLESS_LINE -> {
        write(out, "220-");
        flood(out, "x".repeat(1024));
      }
      case ENDLESS_REPLY -> flood(out, "220-stalling.test\r\n".repeat(64));
    }
  }

  /** Writes {@code b} every {@link #DRIP} until the client goes away; returns at once. */
  private void drip(Socket s, OutputStream out, int b) {
    pace.scheduleAtFixedRate(() -> {
      try {
        out.write(b);
        out.flush();
      } catch (IOException e) {
        closeQuietly(s);
        throw new UncheckedIOException(e); // ends this schedule
      }
    }, DRIP.toMillis(), DRIP.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Writes {@code chunk} over and over until the client goes away (the server then closes). */
  private static void flood(OutputStream out, String chunk) throws IOException {
    byte[] bytes = chunk.getBytes(StandardCharsets.US_ASCII);
    while (true) {
      out.write(bytes);
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void readLine(InputStream in) throws IOException {
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the client hung up");
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    server.close();
    pace.shutdownNow();
  }
}

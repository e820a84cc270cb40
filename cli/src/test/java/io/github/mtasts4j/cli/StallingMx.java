package io.github.mtasts4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An SMTP server on one loopback address that never lets a client finish: it drips bytes well
 * inside any sane read timeout, or floods one endless reply. For the probe deadline and reply
 * limits of {@code check}.
 *
 * <p>Serves one connection at a time on a daemon thread; {@link #close()} also drops the
 * connections still open, so a client blocked on one sees the end of the stream.
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

  private final ServerSocket listener;
  private final Stall stall;
  private final ScheduledExecutorService pace;
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private StallingMx(ServerSocket listener, Stall stall) {
    this.listener = listener;
    this.stall = stall;
    this.pace = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "stalling-mx-" + listener.getInetAddress().getHostAddress());
      t.setDaemon(true);
      return t;
    });
  }

  /** Listens on {@code address:port} and stalls every client this way. */
  static StallingMx start(InetAddress address, int port, Stall stall) {
    ServerSocket listener;
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
    }
    StallingMx mx = new StallingMx(listener, stall);
    mx.pace.execute(mx::acceptLoop);
    return mx;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        open.add(s);
        serve(s);
      } catch (IOException e) {
        // the listener was closed, or the client hung up: wait for the next one
      }
    }
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
        flood(s, out, "x".repeat(1024));
      }
      case ENDLESS_REPLY -> flood(s, out, "220-stalling.test\r\n".repeat(64));
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

  /** Writes {@code chunk} over and over until the client goes away. */
  private static void flood(Socket s, OutputStream out, String chunk) {
    byte[] bytes = chunk.getBytes(StandardCharsets.US_ASCII);
    try {
      while (true) {
        out.write(bytes);
      }
    } catch (IOException e) {
      closeQuietly(s);
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
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
    open.forEach(StallingMx::closeQuietly);
    pace.shutdownNow();
  }
}

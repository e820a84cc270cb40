package io.github.mtasts4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;

/**
 * A TCP server that runs a script of the test's choosing on every connection it accepts: the
 * fixture for a peer that misbehaves in ways no real server would, such as a greeting that never
 * ends, a reply dribbled byte by byte, or a receiver that stops reading.
 *
 * <p>Each connection gets its own daemon thread. A connection whose script returns stays open,
 * silent, until the server is closed, so {@code s -> {}} is a peer that accepts and says nothing; a
 * connection whose script throws is closed at once. {@link #close()} closes the listener and every
 * connection still open, so a client blocked on one sees the end of the stream, and interrupts the
 * scripts still running. A script that must keep something of its own alive meanwhile, such as a
 * TLS layer over its connection, blocks in {@link #awaitClose()} instead of returning.
 *
 * <pre>{@code
 * try (ScriptedServer silent = ScriptedServer.on(address).port(25).start(s -> {})) {
 *   ...
 * }
 * }</pre>
 */
public final class ScriptedServer implements AutoCloseable {

  /** What the server does with one accepted connection. */
  @FunctionalInterface
  public interface Script {
    /**
     * Plays the script on one connection, on a thread of its own.
     *
     * @param connection the accepted socket ({@link javax.net.ssl.SSLSocket} when the server was
     *     built with {@link Builder#tls(SSLContext)}); the server closes it
     * @throws IOException when the client goes away or the server is closed
     * @throws InterruptedException when the server is closed while the script waits
     */
    void serve(Socket connection) throws IOException, InterruptedException;
  }

  private static final ThreadLocal<ScriptedServer> PLAYING = new ThreadLocal<>();

  private final ServerSocket listener;
  private final Script script;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final ExecutorService threads =
      Executors.newCachedThreadPool(Daemons.factory("scripted-server"));
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  private ScriptedServer(ServerSocket listener, Script script) {
    this.listener = listener;
    this.script = script;
  }

  /**
   * Starts building a server on a loopback address.
   *
   * @param address the loopback address to bind
   * @return a builder listening on an ephemeral port unless told otherwise
   * @throws IllegalArgumentException if {@code address} is not a loopback address
   */
  public static Builder on(InetAddress address) {
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "ScriptedServer binds to loopback addresses only: " + address);
    }
    return new Builder(address);
  }

  /**
   * Returns the bound address.
   *
   * @return the address
   */
  public InetAddress address() {
    return listener.getInetAddress();
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
   * Counts TCP connections accepted.
   *
   * @return the count
   */
  public int connectionCount() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket s;
      try {
        s = listener.accept();
      } catch (IOException e) {
        continue; // the listener was closed, or one accept failed: the loop condition decides
      }
      connections.incrementAndGet();
      open.add(s);
      if (closed) {
        drop(s);
        return;
      }
      try {
        threads.execute(() -> play(s));
      } catch (RejectedExecutionException e) {
        drop(s); // closed meanwhile
      }
    }
  }

  /**
   * Blocks the calling script until its server is closed. Only a script may call this: its
   * connection stays open meanwhile, and so does a TLS socket the script layered over it, which
   * could be closed by the garbage collector once the script returned.
   *
   * @throws InterruptedException if the script's thread is interrupted
   * @throws IllegalStateException if the caller is not a script of a {@code ScriptedServer}
   */
  public static void awaitClose() throws InterruptedException {
    ScriptedServer server = PLAYING.get();
    if (server == null) {
      throw new IllegalStateException("awaitClose() is for the scripts of a ScriptedServer");
    }
    server.closing.await();
  }

  private void play(Socket s) {
    PLAYING.set(this);
    try {
      script.serve(s);
    } catch (IOException | RuntimeException e) {
      drop(s); // the client hung up, or the script gave up on it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is closing, and closes the socket
    } finally {
      PLAYING.remove();
    }
  }

  private void drop(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** Stops listening, closes every connection still open and interrupts running scripts. */
  @Override
  public void close() {
    closed = true;
    closing.countDown();
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
    open.forEach(this::drop);
    threads.shutdownNow();
  }

  @Override
  public String toString() {
    return "ScriptedServer[" + address().getHostAddress() + ":" + port() + "]";
  }

  /** Configures a {@link ScriptedServer} before it binds. */
  public static final class Builder {
    private final InetAddress address;
    private int port;
    private int receiveBufferSize;
    private ServerSocketFactory factory = ServerSocketFactory.getDefault();

    private Builder(InetAddress address) {
      this.address = address;
    }

    /**
     * Sets the port to bind.
     *
     * @param port the port, 0 (the default) for an ephemeral one
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 0xFFFF) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the receive buffer size of the listener, which accepted sockets inherit; a small one
     * makes a script that stops reading block its client's writes sooner.
     *
     * @param bytes the size in bytes
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder receiveBufferSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("receive buffer size must be positive: " + bytes);
      }
      this.receiveBufferSize = bytes;
      return this;
    }

    /**
     * Makes the server accept TLS: every connection is an {@link javax.net.ssl.SSLSocket} in server
     * mode, whose handshake happens on the script's first read or write.
     *
     * @param context the server side's TLS context, for example {@link
     *     ServerIdentity#serverSslContext()}
     * @return this builder
     */
    public Builder tls(SSLContext context) {
      this.factory = context.getServerSocketFactory();
      return this;
    }

    /**
     * Binds and starts accepting connections, each played by {@code script}.
     *
     * @param script what to do with each connection
     * @return the running server; close it when the test ends
     * @throws UncheckedIOException if the address and port cannot be bound
     */
    public ScriptedServer start(Script script) {
      Objects.requireNonNull(script, "script");
      ServerSocket listener;
      try {
        listener = factory.createServerSocket();
        if (receiveBufferSize > 0) {
          listener.setReceiveBufferSize(receiveBufferSize);
        }
        listener.bind(new InetSocketAddress(address, port));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
      }
      ScriptedServer server = new ScriptedServer(listener, script);
      server.threads.execute(server::acceptLoop);
      return server;
    }
  }
}

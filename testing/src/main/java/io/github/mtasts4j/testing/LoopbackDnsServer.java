package io.github.mtasts4j.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server on 127.0.0.1, answering over UDP and TCP on the same ephemeral
 * port, with a zone that tests edit while it runs.
 *
 * <p>Semantics: every answer is authoritative (AA). A name with no records that is not an ancestor
 * of a name with records gets NXDOMAIN; an existing name (or empty non-terminal) lacking the asked
 * type gets NOERROR with no answer (NODATA). A name owning a CNAME is answered with the CNAME and,
 * like a recursive resolver would, with the target's records chased when the target is in the
 * zone; the response code then follows the end of the chain. Per-name behaviours (SERVFAIL,
 * REFUSED, no answer at all, truncation over UDP) override the zone for queries of exactly that
 * name. UDP answers larger than 512 bytes (or the client's EDNS payload size) are truncated with
 * TC set, like a real server.
 *
 * <p>Names may be given absolute ({@code "example.com."}) or relative to the root ({@code
 * "example.com"}); they are compared case-insensitively. All methods are thread-safe, and edits
 * take effect for the next query received.
 */
public final class LoopbackDnsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoopbackDnsServer.class);
  private static final long DEFAULT_TTL = 300;
  private static final int MAX_CNAME_HOPS = 8;
  private static final int TCP_IDLE_TIMEOUT_MS = 30_000;

  /**
   * One query received.
   *
   * @param name the queried name, absolute and lower-case (with trailing dot)
   * @param type the query type mnemonic, e.g. {@code "TXT"}
   * @param transport {@code "udp"} or {@code "tcp"}
   */
  public record Query(String name, String type, String transport) {

    /**
     * Tells whether this query was for the given name and type.
     *
     * @param otherName a name, absolute or relative, any case
     * @param otherType a type mnemonic, any case
     * @return true when both match
     */
    public boolean is(String otherName, String otherType) {
      return name.equals(canonical(otherName)) && type.equalsIgnoreCase(otherType);
    }
  }

  private enum Behaviour {
    SERVFAIL,
    REFUSE,
    BLACKHOLE,
    TRUNCATE_UDP
  }

  private final Object zoneLock = new Object();
  private final Map<Name, List<Record>> zone = new HashMap<>();
  private final Map<Name, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final List<Query> queries = new CopyOnWriteArrayList<>();
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final ExecutorService workers;
  private final Set<Socket> openConnections = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private LoopbackDnsServer(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
    this.workers = Executors.newCachedThreadPool(Daemons.factory("loopback-dns-" + tcp.getLocalPort()));
  }

  /**
   * Starts a server on 127.0.0.1, UDP and TCP on the same ephemeral port.
   *
   * @return the running server
   * @throws java.io.UncheckedIOException if no common port could be bound
   */
  public static LoopbackDnsServer start() {
    InetAddress lo = InetAddress.getLoopbackAddress();
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      DatagramSocket u = null;
      try {
        u = new DatagramSocket(new InetSocketAddress(lo, 0));
        ServerSocket t = new ServerSocket();
        try {
          t.bind(new InetSocketAddress(lo, u.getLocalPort()), 50);
        } catch (IOException e) {
          t.close();
          throw e;
        }
        LoopbackDnsServer s = new LoopbackDnsServer(u, t);
        s.workers.execute(s::udpLoop);
        s.workers.execute(s::tcpAcceptLoop);
        LOG.debug("DNS server listening on {}", s.address());
        return s;
      } catch (IOException e) {
        last = e;
        if (u != null) {
          u.close();
        }
      }
    }
    throw new java.io.UncheckedIOException("cannot bind UDP and TCP on one loopback port", last);
  }

  /**
   * Returns the address clients should send queries to.
   *
   * @return 127.0.0.1 and {@link #port()}
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
  }

  /**
   * Returns the port used for both UDP and TCP.
   *
   * @return the port
   */
  public int port() {
    return tcp.getLocalPort();
  }

  // ---------------------------------------------------------------- zone edits

  /**
   * Adds one TXT record made of these character-strings (TTL 300). Each string is encoded as
   * UTF-8 verbatim (no escape processing) and must fit in 255 bytes.
   *
   * @param name owner name
   * @param characterStrings the strings of this one record; call again to add another record
   */
  public void txt(String name, String... characterStrings) {
    txt(name, DEFAULT_TTL, characterStrings);
  }

  /**
   * Adds one TXT record made of these character-strings with the given TTL.
   *
   * @param name owner name
   * @param ttl TTL in seconds
   * @param characterStrings the strings of this one record (UTF-8, each at most 255 bytes)
   */
  public void txt(String name, long ttl, String... characterStrings) {
    txtBytes(name, ttl, encodeStrings(characterStrings));
  }

  /**
   * Adds one TXT record whose character-strings are these raw byte arrays (e.g. invalid UTF-8).
   *
   * @param name owner name
   * @param ttl TTL in seconds
   * @param characterStrings raw strings, each at most 255 bytes
   */
  public void txtRaw(String name, long ttl, byte[]... characterStrings) {
    txtBytes(name, ttl, characterStrings);
  }

  private void txtBytes(String name, long ttl, byte[][] strings) {
    int len = 0;
    for (byte[] s : strings) {
      if (s.length > 255) {
        throw new IllegalArgumentException(
            "a TXT character-string holds at most 255 bytes, got " + s.length);
      }
      len += 1 + s.length;
    }
    byte[] rdata = new byte[len];
    int p = 0;
    for (byte[] s : strings) {
      rdata[p++] = (byte) s.length;
      System.arraycopy(s, 0, rdata, p, s.length);
      p += s.length;
    }
    add(Record.newRecord(name(name), Type.TXT, DClass.IN, ttl, rdata));
  }

  private static byte[][] encodeStrings(String[] strings) {
    byte[][] out = new byte[strings.length][];
    for (int i = 0; i < strings.length; i++) {
      out[i] = Objects.requireNonNull(strings[i], "character-string").getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  /**
   * Sets a CNAME (TTL 300), replacing any CNAME the name already had.
   *
   * @param name owner name
   * @param target canonical name
   */
  public void cname(String name, String target) {
    Name owner = name(name);
    synchronized (zoneLock) {
      List<Record> rs = zone.get(owner);
      if (rs != null) {
        rs.removeIf(r -> r.getType() == Type.CNAME);
      }
      add(new CNAMERecord(owner, DClass.IN, DEFAULT_TTL, name(target)));
    }
  }

  /**
   * Adds an MX record (TTL 300).
   *
   * @param name owner name
   * @param preference preference (0-65535)
   * @param host exchange host name
   */
  public void mx(String name, int preference, String host) {
    add(new MXRecord(name(name), DClass.IN, DEFAULT_TTL, preference, name(host)));
  }

  /**
   * Adds an A record (TTL 300).
   *
   * @param name owner name
   * @param ipv4 a dotted-quad IPv4 literal
   */
  public void a(String name, String ipv4) {
    add(new ARecord(name(name), DClass.IN, DEFAULT_TTL, literal(ipv4, 4)));
  }

  /**
   * Adds an AAAA record (TTL 300).
   *
   * @param name owner name
   * @param ipv6 an IPv6 literal
   */
  public void aaaa(String name, String ipv6) {
    add(new AAAARecord(name(name), DClass.IN, DEFAULT_TTL, literal(ipv6, 16)));
  }

  /**
   * Adds an arbitrary record built with dnsjava.
   *
   * @param record the record (class IN)
   */
  public void add(Record record) {
    Objects.requireNonNull(record, "record");
    synchronized (zoneLock) {
      zone.computeIfAbsent(record.getName(), k -> new ArrayList<>()).add(record);
    }
  }

  /**
   * Removes all records of a name (the name becomes NXDOMAIN unless it has descendants).
   *
   * @param name owner name
   */
  public void remove(String name) {
    synchronized (zoneLock) {
      zone.remove(name(name));
    }
  }

  /**
   * Removes all records of one type from a name.
   *
   * @param name owner name
   * @param type type mnemonic, e.g. {@code "TXT"}
   */
  public void remove(String name, String type) {
    int t = type(type);
    Name owner = name(name);
    synchronized (zoneLock) {
      List<Record> rs = zone.get(owner);
      if (rs != null) {
        rs.removeIf(r -> r.getType() == t);
        if (rs.isEmpty()) {
          zone.remove(owner);
        }
      }
    }
  }

  // ---------------------------------------------------------------- behaviours

  /**
   * Answers every query for exactly this name with SERVFAIL.
   *
   * @param name the name
   */
  public void servfail(String name) {
    behaviours.put(name(name), Behaviour.SERVFAIL);
  }

  /**
   * Answers every query for exactly this name with REFUSED.
   *
   * @param name the name
   */
  public void refuse(String name) {
    behaviours.put(name(name), Behaviour.REFUSE);
  }

  /**
   * Never answers queries for this name, over UDP or TCP (a TCP connection stays open, silent).
   *
   * @param name the name
   */
  public void blackhole(String name) {
    behaviours.put(name(name), Behaviour.BLACKHOLE);
  }

  /**
   * Over UDP, answers queries for this name with the TC bit and no records; over TCP, answers in
   * full.
   *
   * @param name the name
   */
  public void truncateOverUdp(String name) {
    behaviours.put(name(name), Behaviour.TRUNCATE_UDP);
  }

  /**
   * Removes any behaviour set for this name; the zone answers again.
   *
   * @param name the name
   */
  public void clearBehaviour(String name) {
    behaviours.remove(name(name));
  }

  // ---------------------------------------------------------------- observation

  /**
   * Returns every query received so far, in arrival order (including unanswered ones).
   *
   * @return an immutable snapshot
   */
  public List<Query> queries() {
    return List.copyOf(queries);
  }

  /**
   * Counts the queries received for a name and type, over both transports.
   *
   * @param name the name, any form
   * @param type the type mnemonic, any case
   * @return the count
   */
  public long count(String name, String type) {
    return queries.stream().filter(q -> q.is(name, type)).count();
  }

  /** Forgets the recorded queries. */
  public void clearQueries() {
    queries.clear();
  }

  /** Stops listening and closes open TCP connections. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      LOG.debug("closing DNS TCP listener", e);
    }
    for (Socket s : openConnections) {
      closeQuietly(s);
    }
    workers.shutdownNow();
    LOG.debug("DNS server on port {} closed", tcp.getLocalPort());
  }

  @Override
  public String toString() {
    return "LoopbackDnsServer[" + address() + "]";
  }

  // ---------------------------------------------------------------- transport

  private void udpLoop() {
    byte[] buf = new byte[65535];
    while (!closed.get()) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(in);
      } catch (IOException e) {
        if (!closed.get()) {
          LOG.debug("DNS UDP receive failed", e);
        }
        return;
      }
      byte[] query = java.util.Arrays.copyOf(in.getData(), in.getLength());
      try {
        byte[] reply = respond(query, "udp");
        if (reply != null) {
          udp.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("DNS UDP reply failed", e);
      }
    }
  }

  private void tcpAcceptLoop() {
    while (!closed.get()) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        if (!closed.get()) {
          LOG.debug("DNS TCP accept failed", e);
        }
        return;
      }
      openConnections.add(s);
      try {
        workers.execute(() -> tcpConnection(s));
      } catch (RuntimeException e) {
        closeQuietly(s);
        openConnections.remove(s);
      }
    }
  }

  private void tcpConnection(Socket s) {
    try (s) {
      s.setSoTimeout(TCP_IDLE_TIMEOUT_MS);
      s.setTcpNoDelay(true);
      InputStream rawIn = s.getInputStream();
      DataInputStream in = new DataInputStream(rawIn);
      OutputStream out = s.getOutputStream();
      while (!closed.get()) {
        int len;
        try {
          len = in.readUnsignedShort();
        } catch (EOFException e) {
          return;
        }
        byte[] query = new byte[len];
        in.readFully(query);
        byte[] reply = respond(query, "tcp");
        if (reply != null) {
          DataOutputStream dout = new DataOutputStream(out);
          byte[] framed = new byte[reply.length + 2];
          framed[0] = (byte) (reply.length >>> 8);
          framed[1] = (byte) reply.length;
          System.arraycopy(reply, 0, framed, 2, reply.length);
          dout.write(framed);
          dout.flush();
        }
      }
    } catch (IOException e) {
      if (!closed.get()) {
        LOG.debug("DNS TCP connection ended", e);
      }
    } finally {
      openConnections.remove(s);
    }
  }

  // ---------------------------------------------------------------- answering

  /** Builds the wire reply, or null when no reply is to be sent. */
  private byte @Nullable [] respond(byte[] wire, String transport) {
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException e) {
      return formerr(wire);
    }
    Record question = query.getQuestion();
    if (question == null || query.getHeader().getOpcode() != Opcode.QUERY) {
      Message r = replyTo(query);
      r.getHeader().setRcode(question == null ? Rcode.FORMERR : Rcode.NOTIMP);
      return r.toWire();
    }
    Name qname = question.getName();
    int qtype = question.getType();
    queries.add(new Query(canonical(qname), Type.string(qtype), transport));
    LOG.debug("DNS query {} {} over {}", qname, Type.string(qtype), transport);

    Message reply = replyTo(query);
    Behaviour b = behaviours.get(qname);
    if (b == Behaviour.BLACKHOLE) {
      return null;
    }
    if (b == Behaviour.SERVFAIL) {
      reply.getHeader().setRcode(Rcode.SERVFAIL);
      return reply.toWire();
    }
    if (b == Behaviour.REFUSE) {
      reply.getHeader().setRcode(Rcode.REFUSED);
      return reply.toWire();
    }
    if (b == Behaviour.TRUNCATE_UDP && transport.equals("udp")) {
      reply.getHeader().setFlag(Flags.TC);
      return reply.toWire();
    }
    answer(reply, qname, qtype);
    if (transport.equals("udp")) {
      OPTRecord opt = query.getOPT();
      int max = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
      return reply.toWire(max);
    }
    return reply.toWire();
  }

  private static Message replyTo(Message query) {
    Message r = new Message(query.getHeader().getID());
    Header h = r.getHeader();
    h.setFlag(Flags.QR);
    h.setFlag(Flags.AA);
    h.setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    Record q = query.getQuestion();
    if (q != null) {
      r.addRecord(q, Section.QUESTION);
    }
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      r.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    }
    return r;
  }

  private static byte @Nullable [] formerr(byte[] wire) {
    if (wire.length < 12) {
      return null;
    }
    try {
      Header h = new Header(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
      h.setFlag(Flags.QR);
      h.setRcode(Rcode.FORMERR);
      Message m = new Message();
      m.setHeader(h);
      return m.toWire();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void answer(Message reply, Name qname, int qtype) {
    synchronized (zoneLock) {
      Name current = qname;
      Set<Name> seen = new HashSet<>();
      for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
        if (!seen.add(current)) {
          return; // CNAME loop: what was gathered so far is the answer
        }
        if (hop > 0 && behaviours.containsKey(current)) {
          return; // let the client ask the target itself and meet its behaviour
        }
        List<Record> rs = zone.getOrDefault(current, List.of());
        if (rs.isEmpty() && !hasDescendant(current)) {
          // This server is authoritative for every name, so the end of a chain is NXDOMAIN too.
          reply.getHeader().setRcode(Rcode.NXDOMAIN);
          return;
        }
        Record cname = null;
        boolean any = false;
        for (Record r : rs) {
          if (r.getType() == qtype || qtype == Type.ANY) {
            reply.addRecord(r, Section.ANSWER);
            any = true;
          }
          if (r.getType() == Type.CNAME) {
            cname = r;
          }
        }
        if (any || cname == null || qtype == Type.CNAME) {
          return;
        }
        reply.addRecord(cname, Section.ANSWER);
        current = ((CNAMERecord) cname).getTarget();
      }
    }
  }

  private boolean hasDescendant(Name name) {
    for (Name n : zone.keySet()) {
      if (!n.equals(name) && n.subdomain(name) && !zone.get(n).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- helpers

  private static Name name(String s) {
    Objects.requireNonNull(s, "name");
    try {
      return Name.fromString(s, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + s, e);
    }
  }

  private static String canonical(String s) {
    return canonical(name(s));
  }

  private static String canonical(Name n) {
    return n.toString().toLowerCase(Locale.ROOT);
  }

  private static int type(String mnemonic) {
    int t = Type.value(mnemonic.toUpperCase(Locale.ROOT));
    if (t < 0) {
      throw new IllegalArgumentException("unknown DNS type: " + mnemonic);
    }
    return t;
  }

  private static InetAddress literal(String ip, int expectedLength) {
    byte[] bytes = org.xbill.DNS.Address.toByteArray(
        ip, expectedLength == 4 ? org.xbill.DNS.Address.IPv4 : org.xbill.DNS.Address.IPv6);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IPv" + (expectedLength == 4 ? 4 : 6) + " literal: " + ip);
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      LOG.trace("close", e);
    }
  }
}

package io.github.mtasts4j.cli;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.MxPattern;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters that turn bad input into one-line usage errors. */
final class Converters {
  private Converters() {}

  /** A domain name, normalised by {@link DomainName#of(String)}. */
  static final class Domain implements ITypeConverter<DomainName> {
    @Override
    public DomainName convert(String value) {
      try {
        return DomainName.of(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a valid domain name: " + e.getMessage());
      }
    }
  }

  /** An {@code mx} pattern: a host name or {@code *.} followed by a domain. */
  static final class Mx implements ITypeConverter<MxPattern> {
    @Override
    public MxPattern convert(String value) {
      try {
        return MxPattern.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a valid MX host or pattern: " + e.getMessage());
      }
    }
  }

  /** A calendar day, {@code YYYY-MM-DD} (a UTC day for TLS reports). */
  static final class Day implements ITypeConverter<java.time.LocalDate> {
    @Override
    public java.time.LocalDate convert(String value) {
      try {
        return java.time.LocalDate.parse(value.trim());
      } catch (java.time.format.DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a date (YYYY-MM-DD)");
      }
    }
  }

  /** A TCP port, 1..65535. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int port = Integer.parseInt(value.trim());
        if (port >= 1 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new TypeConversionException("'" + value + "' is not a port number (1-65535)");
    }
  }

  /** A positive number of seconds, fractions allowed. */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        double seconds = Double.parseDouble(value.trim());
        if (seconds > 0 && seconds <= 3600) {
          return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new TypeConversionException(
          "'" + value + "' is not a number of seconds above 0 and at most 3600");
    }
  }

  /**
   * A DNS server: {@code HOST}, {@code HOST:PORT}, {@code [IPv6]}, {@code [IPv6]:PORT}, or a bare
   * IPv6 literal (port 53).
   */
  static final class DnsServer implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      String v = value.trim();
      String host;
      int port = 53;
      if (v.startsWith("[")) {
        int close = v.indexOf(']');
        if (close < 0) {
          throw bad(value, "missing ']' after the IPv6 address");
        }
        host = v.substring(1, close);
        String rest = v.substring(close + 1);
        if (!rest.isEmpty()) {
          if (!rest.startsWith(":")) {
            throw bad(value, "expected ':PORT' after ']'");
          }
          port = new Port().convert(rest.substring(1));
        }
      } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
        host = v.substring(0, v.indexOf(':'));
        port = new Port().convert(v.substring(v.indexOf(':') + 1));
      } else {
        host = v; // a name, an IPv4 literal or a bare IPv6 literal
      }
      if (host.isEmpty()) {
        throw bad(value, "no host");
      }
      try {
        return new InetSocketAddress(InetAddress.getByName(host), port);
      } catch (UnknownHostException | SecurityException e) {
        throw bad(value, "cannot resolve the resolver's own host name");
      }
    }

    private static TypeConversionException bad(String value, String why) {
      return new TypeConversionException(
          "'" + value + "' is not a DNS server (HOST[:PORT], IPv6 as [ADDR]:PORT): " + why);
    }
  }
}

package io.github.mtasts4j.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed {@code _smtp._tls} TXT record (RFC 8460 §3), immutable.
 *
 * @param rua the reporting URIs this library can deliver to ({@code mailto:} and {@code https:}),
 *     in record order, duplicates removed; the union over every {@code rua=} field (RPT-4)
 * @param ignoredRua URIs of other schemes, kept for diagnostics only (RPT-3)
 * @param extensions unknown fields by name, first occurrence wins; accepted and ignored (RPT-4)
 */
public record TlsRptRecord(List<URI> rua, List<URI> ignoredRua, Map<String, String> extensions) {

  /** The version prefix every record begins with, case-sensitive (RPT-2). */
  public static final String VERSION = "v=TLSRPTv1";

  private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
  private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");
  private static final Pattern FIELD_DELIM = Pattern.compile("[ \\t]*;[ \\t]*");
  private static final Pattern URI_DELIM = Pattern.compile("[ \\t]*,[ \\t]*");

  /**
   * Validates the components.
   *
   * @param rua the reporting URIs this library can deliver to
   * @param ignoredRua URIs of other schemes, kept for diagnostics only (RPT-3)
   * @param extensions unknown fields by name, first occurrence wins; accepted and ignored (RPT-4)
   */
  public TlsRptRecord {
    rua = List.copyOf(rua);
    ignoredRua = List.copyOf(ignoredRua);
    extensions = Map.copyOf(extensions);
  }

  /**
   * Returns true when {@code txt} is a candidate TLSRPT record, i.e. begins with {@code
   * v=TLSRPTv1} followed by the field delimiter (RPT-5). Other TXT records at the same name are
   * discarded before the exactly-one rule applies.
   *
   * @param txt one TXT record, strings joined
   * @return true for a candidate
   */
  public static boolean isCandidate(String txt) {
    if (!txt.startsWith(VERSION)) {
      return false;
    }
    int i = VERSION.length();
    while (i < txt.length() && (txt.charAt(i) == ' ' || txt.charAt(i) == '\t')) {
      i++;
    }
    return i < txt.length() && txt.charAt(i) == ';';
  }

  /**
   * Parses one TXT record whose character-strings are already joined (RPT-6).
   *
   * @param txt the record
   * @return the parsed record
   * @throws InvalidTlsRptRecordException if the version is missing or wrong, a field is malformed,
   *     a URI is not a URI, or there is no {@code rua} field
   */
  public static TlsRptRecord parse(String txt) {
    Objects.requireNonNull(txt, "txt");
    if (!isCandidate(txt)) {
      throw new InvalidTlsRptRecordException(
          "record must begin with \"" + VERSION + ";\", found \"" + abbreviate(txt) + "\"");
    }
    String[] fields = FIELD_DELIM.split(txt, -1);
    int last = fields.length;
    // One trailing delimiter is allowed: it leaves an empty last field (trailing WSP tolerated).
    if (last > 1 && fields[last - 1].isBlank()) {
      last--;
    }
    LinkedHashSet<URI> usable = new LinkedHashSet<>();
    List<URI> ignored = new ArrayList<>();
    Map<String, String> extensions = new LinkedHashMap<>();
    boolean sawRua = false;
    for (int f = 1; f < last; f++) {
      String field = fields[f];
      int eq = field.indexOf('=');
      if (eq <= 0) {
        throw new InvalidTlsRptRecordException(
            "field " + f + " is not name=value: \"" + abbreviate(field) + "\"");
      }
      String name = field.substring(0, eq);
      String value = field.substring(eq + 1);
      if (name.equals("rua")) {
        sawRua = true;
        parseRua(value, usable, ignored);
      } else if (name.equals("v")) {
        throw new InvalidTlsRptRecordException("field v= may appear only first");
      } else {
        if (!EXT_NAME.matcher(name).matches() || !EXT_VALUE.matcher(value).matches()) {
          throw new InvalidTlsRptRecordException(
              "malformed extension field \"" + abbreviate(field) + "\"");
        }
        extensions.putIfAbsent(name, value);
      }
    }
    if (!sawRua) {
      throw new InvalidTlsRptRecordException("record has no rua= field");
    }
    return new TlsRptRecord(List.copyOf(usable), ignored, extensions);
  }

  private static void parseRua(String value, LinkedHashSet<URI> usable, List<URI> ignored) {
    if (value.isEmpty()) {
      throw new InvalidTlsRptRecordException("rua= has no URI");
    }
    for (String text : URI_DELIM.split(value, -1)) {
      if (text.isEmpty()) {
        throw new InvalidTlsRptRecordException("rua= has an empty URI in \"" + abbreviate(value) + "\"");
      }
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw new InvalidTlsRptRecordException("rua= holds an invalid URI \"" + abbreviate(text) + "\"");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean ok =
          (scheme.equals("mailto") && mailbox(uri) != null)
              || (scheme.equals("https") && uri.getHost() != null);
      if (ok) {
        usable.add(uri);
      } else {
        ignored.add(uri);
      }
    }
  }

  /**
   * Returns the addr-spec of a {@code mailto:} URI (percent-decoded, without any {@code ?query}),
   * or null when the URI is not a usable {@code mailto:} URI.
   */
  static @org.jspecify.annotations.Nullable String mailbox(URI uri) {
    if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("mailto")) {
      return null;
    }
    String ssp = uri.getSchemeSpecificPart();
    if (ssp == null) {
      return null;
    }
    int q = ssp.indexOf('?');
    String addr = q >= 0 ? ssp.substring(0, q) : ssp;
    int at = addr.lastIndexOf('@');
    if (at <= 0 || at == addr.length() - 1 || addr.indexOf(',') >= 0) {
      return null;
    }
    return addr;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}

package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of MX matching over generated names (fixed seeds, so every run checks the same
 * cases): a wildcard covers exactly one extra label, an exact pattern matches only itself, and
 * case or a trailing dot on the MX name never changes the answer.
 */
class MxPatternInvariantsTest {

  private static final String CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";

  static Stream<Long> seeds() {
    return IntStream.range(0, 200).mapToObj(i -> 0x5EED_0000L + i);
  }

  private static String label(Random r) {
    int len = 1 + r.nextInt(12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      char c = CHARS.charAt(r.nextInt(CHARS.length()));
      if (c == '-' && (i == 0 || i == len - 1)) {
        c = 'x';
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static String name(Random r, int labels) {
    StringBuilder sb = new StringBuilder(label(r));
    for (int i = 1; i < labels; i++) {
      sb.append('.').append(label(r));
    }
    // Keep the last label non-numeric so the name is never read as an IP address.
    return sb.append('z').toString();
  }

  private static String shout(String s, Random r) {
    StringBuilder sb = new StringBuilder(s);
    for (int i = 0; i < sb.length(); i++) {
      if (r.nextBoolean()) {
        sb.setCharAt(i, Character.toUpperCase(sb.charAt(i)));
      }
    }
    return r.nextBoolean() ? sb + "." : sb.toString();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void wildcard_generatedNames_matchesExactlyOneExtraLabel(long seed) {
    Random r = new Random(seed);
    String suffix = name(r, 1 + r.nextInt(4));
    MxPattern p = MxPattern.parse("*." + suffix);
    String one = label(r) + "." + suffix;
    String two = label(r) + "." + one;
    assertThat(p.matches(DomainName.of(shout(one, r)))).as(one).isTrue();
    assertThat(p.matches(DomainName.of(two))).as(two).isFalse();
    assertThat(p.matches(DomainName.of(suffix))).as(suffix).isFalse();
    String glued = label(r) + suffix; // no dot: a different name that ends with the suffix text
    assertThat(p.matches(DomainName.of(glued))).as(glued).isFalse();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void exact_generatedNames_matchesOnlyItself(long seed) {
    Random r = new Random(seed);
    String host = name(r, 1 + r.nextInt(4));
    MxPattern p = MxPattern.parse(shout(host, r));
    assertThat(p.matches(DomainName.of(shout(host, r)))).isTrue();
    assertThat(p.matches(DomainName.of(label(r) + "." + host))).isFalse();
    assertThat(p.matches(DomainName.of("x" + host))).isFalse();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void toText_generatedPolicy_parsesBackEqualAndLintClean(long seed) {
    Random r = new Random(seed);
    Mode mode = Mode.values()[r.nextInt(3)];
    int count = (mode == Mode.NONE ? 0 : 1) + r.nextInt(4);
    var mx = IntStream.range(0, count)
        .mapToObj(i -> MxPattern.parse((r.nextBoolean() ? "*." : "") + name(r, 1 + r.nextInt(3))))
        .toList();
    Policy p = new Policy(mode, (long) r.nextInt((int) Policy.MAX_AGE_LIMIT + 1), mx);
    assertThat(Policy.parse(p.toText())).isEqualTo(p);
    assertThat(PolicyLint.lint(p.toText()).errors()).isEmpty();
  }
}

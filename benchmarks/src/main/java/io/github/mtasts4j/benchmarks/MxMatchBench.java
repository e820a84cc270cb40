package io.github.mtasts4j.benchmarks;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.benchmarks.reference.AsciiMxMatcher;
import io.github.mtasts4j.benchmarks.reference.RegexMxMatcher;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MX pattern matching (issue #7 item 1): {@link Policy#matches(DomainName)} against, in the same
 * run, a hand-written ASCII matcher (the limit reference, {@code _ascii}) and a regex per pattern
 * compiled on every call ({@code _regexPerCall}, the weak baseline) or once ({@code
 * _regexPrecompiled}). Cases: {@code exact1} (1 pattern, exact hit), {@code wild3} (wildcard hit
 * on the last of 3), {@code miss3} (no match among 3), {@code mixed1} (upper case and trailing dot
 * in the input) and {@code idn1} (U-label, upper case and trailing dot in the input). The library
 * receives the host as a {@link DomainName} built once by {@link DomainName#of} (that is where case
 * and IDN are normalised); the references receive the raw ASCII string and fold case per call.
 * Hosts are distinct String instances, not literals.
 *
 * <p>Run (about 2 minutes): {@code java -jar benchmarks/target/benchmarks.jar MxMatchBench -prof
 * gc -rf json -rff mx.json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MxMatchBench {

  private static final List<String> P1 = List.of("mx1.example.com");
  private static final List<String> P3 =
      List.of("mx1.example.com", "mx2.example.org", "*.mail.example.net");
  private static final List<String> PIDN = List.of("mx1.xn--bcher-kva.example");

  private Policy policy1;
  private Policy policy3;
  private Policy policyIdn;
  private AsciiMxMatcher ascii1;
  private AsciiMxMatcher ascii3;
  private AsciiMxMatcher asciiIdn;
  private RegexMxMatcher regex1;
  private RegexMxMatcher regex3;
  private RegexMxMatcher regexIdn;

  private String exactHost;
  private String wildHost;
  private String missHost;
  private String mixedHost;
  private String idnHostAscii;
  private String idnHostUnicode;
  private DomainName exactName;
  private DomainName wildName;
  private DomainName missName;
  private DomainName mixedName;
  private DomainName idnName;

  /** Builds the policies, matchers and hosts, and checks that all three agree. */
  @Setup
  public void setUp() {
    policy1 = Policy.parse(Inputs.policyWithMx(P1));
    policy3 = Policy.parse(Inputs.policyWithMx(P3));
    policyIdn = Policy.parse(Inputs.policyWithMx(PIDN));
    ascii1 = new AsciiMxMatcher(P1);
    ascii3 = new AsciiMxMatcher(P3);
    asciiIdn = new AsciiMxMatcher(PIDN);
    regex1 = new RegexMxMatcher(P1);
    regex3 = new RegexMxMatcher(P3);
    regexIdn = new RegexMxMatcher(PIDN);

    exactHost = Inputs.fresh("mx1.example.com");
    wildHost = Inputs.fresh("eu-west.mail.example.net");
    missHost = Inputs.fresh("mx.attacker.example");
    mixedHost = Inputs.fresh("MX1.Example.COM.");
    idnHostAscii = Inputs.fresh("MX1.xn--bcher-kva.example.");
    idnHostUnicode = Inputs.fresh("MX1.Bücher.example.");
    exactName = DomainName.of(exactHost);
    wildName = DomainName.of(wildHost);
    missName = DomainName.of(missHost);
    mixedName = DomainName.of(mixedHost);
    idnName = DomainName.of(idnHostUnicode);

    Inputs.check(exact1_lib() && exact1_ascii() && exact1_regexPerCall(), "exact1 must match");
    Inputs.check(wild3_lib() && wild3_ascii() && wild3_regexPerCall(), "wild3 must match");
    Inputs.check(!miss3_lib() && !miss3_ascii() && !miss3_regexPerCall(), "miss3 must not match");
    Inputs.check(mixed1_lib() && mixed1_ascii() && mixed1_regexPerCall(), "mixed1 must match");
    Inputs.check(idn1_lib() && idn1_ascii() && idn1_regexPerCall(), "idn1 must match");
    Inputs.check(exact1_regexPrecompiled() && wild3_regexPrecompiled(), "precompiled regex");
  }

  /** mtasts4j, exact hit. */
  @Benchmark
  public boolean exact1_lib() {
    return policy1.matches(exactName);
  }

  /** Reference, exact hit. */
  @Benchmark
  public boolean exact1_ascii() {
    return ascii1.matches(exactHost);
  }

  /** Weak baseline, exact hit. */
  @Benchmark
  public boolean exact1_regexPerCall() {
    return regex1.matchesCompilingPerCall(exactHost);
  }

  /** Precompiled regex, exact hit (for scale). */
  @Benchmark
  public boolean exact1_regexPrecompiled() {
    return regex1.matchesPrecompiled(exactHost);
  }

  /** mtasts4j, wildcard hit on the last of 3 patterns. */
  @Benchmark
  public boolean wild3_lib() {
    return policy3.matches(wildName);
  }

  /** Reference, wildcard hit on the last of 3 patterns. */
  @Benchmark
  public boolean wild3_ascii() {
    return ascii3.matches(wildHost);
  }

  /** Weak baseline, wildcard hit on the last of 3 patterns. */
  @Benchmark
  public boolean wild3_regexPerCall() {
    return regex3.matchesCompilingPerCall(wildHost);
  }

  /** Precompiled regex, wildcard hit on the last of 3 patterns (for scale). */
  @Benchmark
  public boolean wild3_regexPrecompiled() {
    return regex3.matchesPrecompiled(wildHost);
  }

  /** mtasts4j, miss against 3 patterns. */
  @Benchmark
  public boolean miss3_lib() {
    return policy3.matches(missName);
  }

  /** Reference, miss against 3 patterns. */
  @Benchmark
  public boolean miss3_ascii() {
    return ascii3.matches(missHost);
  }

  /** Weak baseline, miss against 3 patterns. */
  @Benchmark
  public boolean miss3_regexPerCall() {
    return regex3.matchesCompilingPerCall(missHost);
  }

  /** Precompiled regex, miss against 3 patterns (for scale). */
  @Benchmark
  public boolean miss3_regexPrecompiled() {
    return regex3.matchesPrecompiled(missHost);
  }

  /** mtasts4j, mixed-case input with a trailing dot (normalised when the DomainName was built). */
  @Benchmark
  public boolean mixed1_lib() {
    return policy1.matches(mixedName);
  }

  /** Reference, mixed-case input with a trailing dot (folded per call). */
  @Benchmark
  public boolean mixed1_ascii() {
    return ascii1.matches(mixedHost);
  }

  /** Weak baseline, mixed-case input with a trailing dot. */
  @Benchmark
  public boolean mixed1_regexPerCall() {
    return regex1.matchesCompilingPerCall(mixedHost);
  }

  /** mtasts4j, host given with a U-label (converted when the DomainName was built). */
  @Benchmark
  public boolean idn1_lib() {
    return policyIdn.matches(idnName);
  }

  /** Reference, the same host given as A-label, mixed case and trailing dot (it cannot do IDN). */
  @Benchmark
  public boolean idn1_ascii() {
    return asciiIdn.matches(idnHostAscii);
  }

  /** Weak baseline, the same A-label host. */
  @Benchmark
  public boolean idn1_regexPerCall() {
    return regexIdn.matchesCompilingPerCall(idnHostAscii);
  }

  /**
   * For scale, not a target: what a caller pays when it normalises the U-label host on every
   * message ({@link DomainName#of}) before matching.
   */
  @Benchmark
  public boolean idnOfPerCall_libWithOf() {
    return policyIdn.matches(DomainName.of(idnHostUnicode));
  }
}

package io.github.mtasts4j.benchmarks;

import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyRecord;
import io.github.mtasts4j.benchmarks.reference.ScanPolicyParser;
import io.github.mtasts4j.benchmarks.reference.SplitPolicyParser;
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
 * Policy and TXT record parsing (issue #7 item 2): {@link Policy#parse} and {@link
 * PolicyRecord#parse} against, in the same run, a single-pass scanner with the RFC checks ({@code
 * _scan}, the limit reference) and a {@code String.split} parser ({@code _split}, the weak
 * baseline). Inputs: {@code pol4} (4 lines, LF, 65 bytes), {@code pol6crlf} (6 lines, CRLF, 3 mx,
 * 114 bytes), {@code pol60} (60 lines, 57 mx) and {@code txt} ({@code v=STSv1;
 * id=20240101T000000;}).
 *
 * <p>Run (about 2 minutes): {@code java -jar benchmarks/target/benchmarks.jar ParseBench -prof gc
 * -rf json -rff parse.json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ParseBench {
  private String pol4;
  private String pol6crlf;
  private String pol60;
  private String txt;

  /** Copies the inputs into fresh Strings and checks that all parsers accept them alike. */
  @Setup
  public void setUp() {
    pol4 = Inputs.fresh(Inputs.POL4);
    pol6crlf = Inputs.fresh(Inputs.POL6_CRLF);
    pol60 = Inputs.fresh(Inputs.POL60);
    txt = Inputs.fresh(Inputs.TXT);
    Inputs.check(pol4.length() == 65 && pol6crlf.length() == 114, "input sizes");
    Inputs.check(pol4_lib().mx().size() == pol4_scan().mx().length, "pol4 mx count");
    Inputs.check(pol6crlf_lib().mx().size() == 3 && pol6crlf_scan().mx().length == 3
        && pol6crlf_split().mx().size() == 3, "pol6crlf mx count");
    Inputs.check(pol60_lib().mx().size() == 57 && pol60_scan().mx().length == 57
        && pol60_split().mx().size() == 57, "pol60 mx count");
    Inputs.check(txt_lib().id().equals(txt_scan()) && txt_scan().equals(txt_split()), "txt id");
  }

  /** mtasts4j, 4-line policy. */
  @Benchmark
  public Policy pol4_lib() {
    return Policy.parse(pol4);
  }

  /** Reference scanner, 4-line policy. */
  @Benchmark
  public ScanPolicyParser.Scanned pol4_scan() {
    return ScanPolicyParser.parse(pol4);
  }

  /** Split baseline, 4-line policy. */
  @Benchmark
  public SplitPolicyParser.Split pol4_split() {
    return SplitPolicyParser.parse(pol4);
  }

  /** mtasts4j, 6-line CRLF policy. */
  @Benchmark
  public Policy pol6crlf_lib() {
    return Policy.parse(pol6crlf);
  }

  /** Reference scanner, 6-line CRLF policy. */
  @Benchmark
  public ScanPolicyParser.Scanned pol6crlf_scan() {
    return ScanPolicyParser.parse(pol6crlf);
  }

  /** Split baseline, 6-line CRLF policy. */
  @Benchmark
  public SplitPolicyParser.Split pol6crlf_split() {
    return SplitPolicyParser.parse(pol6crlf);
  }

  /** mtasts4j, 60-line policy. */
  @Benchmark
  public Policy pol60_lib() {
    return Policy.parse(pol60);
  }

  /** Reference scanner, 60-line policy. */
  @Benchmark
  public ScanPolicyParser.Scanned pol60_scan() {
    return ScanPolicyParser.parse(pol60);
  }

  /** Split baseline, 60-line policy. */
  @Benchmark
  public SplitPolicyParser.Split pol60_split() {
    return SplitPolicyParser.parse(pol60);
  }

  /** mtasts4j, TXT record. */
  @Benchmark
  public PolicyRecord txt_lib() {
    return PolicyRecord.parse(txt);
  }

  /** Reference scanner, TXT record. */
  @Benchmark
  public String txt_scan() {
    return ScanPolicyParser.parseTxtId(txt);
  }

  /** Split baseline, TXT record. */
  @Benchmark
  public String txt_split() {
    return SplitPolicyParser.parseTxtId(txt);
  }
}

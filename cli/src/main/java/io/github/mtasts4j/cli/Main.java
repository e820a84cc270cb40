package io.github.mtasts4j.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code mtasts4j} command: MTA-STS (RFC 8461) for mail admins and operators. Subcommands
 * {@code policy}, {@code lint}, {@code check}, {@code send}, {@code generate}, {@code demo}, {@code report} and
 * {@code completion}; the contract (options, JSON shapes, exit codes) is described in issue #5
 * and in {@link ExitCodes}.
 */
@Command(
    name = "mtasts4j",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "MTA-STS (RFC 8461): look up, lint, check, publish and enforce policies.",
    subcommands = {
      PolicyCommand.class,
      LintCommand.class,
      CheckCommand.class,
      SendCommand.class,
      GenerateCommand.class,
      DemoCommand.class,
      ReportCommand.class,
      CompletionCommand.class
    })
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    configureLogging(args);
    System.exit(run(System.out, System.err, args));
  }

  /**
   * Library logs stay off the user's terminal unless {@code -v}/{@code --verbose} is given; then
   * mtasts4j's own DEBUG lines and every library's warnings go to stderr. slf4j-simple reads these
   * properties once, when the first logger is created, so this runs before anything else; it is
   * done only in {@link #main}, never in {@link #run}, which embedders and tests call.
   */
  private static void configureLogging(String[] args) {
    boolean verbose = false;
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      verbose |= a.equals("--verbose") || a.matches("-[a-zA-Z]*v[a-zA-Z]*");
    }
    setDefault("org.slf4j.simpleLogger.logFile", "System.err");
    setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "warn" : "off");
    setDefault("org.slf4j.simpleLogger.log.io.github.mtasts4j", verbose ? "debug" : "off");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Runs the command line with the given streams and returns the exit code, without exiting the
   * JVM: the entry point for tests and for embedding.
   *
   * @param out where results go (text or JSON)
   * @param err where errors and diagnostics go
   * @param args the command-line arguments
   * @return the exit code, one of {@link ExitCodes}
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cl = commandLine();
    cl.setOut(o);
    cl.setErr(e);
    try {
      return cl.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** Builds the configured picocli command line (also used for completion scripts). */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(new UsageErrors());
    cl.setExecutionExceptionHandler(new RunErrors());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    return cl;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing a command");
  }

  /** Usage errors: one line with the problem, any suggestion and where help is, exit 2. */
  private static final class UsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      List<String> suggestions =
          ex instanceof UnmatchedArgumentException unmatched
              ? unmatched.getSuggestions()
              : List.of();
      err.println("mtasts4j: " + Text.oneLine(ex.getMessage())
          + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?")
          + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
      if (verbose(cmd.getParseResult()) && ex.getCause() != null) {
        ex.getCause().printStackTrace(err);
      }
      err.flush();
      return ExitCodes.USAGE;
    }
  }

  /** Errors while a command runs: one line, no stack trace unless --verbose. */
  private static final class RunErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
      PrintWriter err = cmd.getErr();
      boolean verbose = verbose(parsed);
      int code;
      if (ex instanceof UserException u) {
        err.println("mtasts4j: " + Text.oneLine(u.getMessage()));
        code = u.exitCode();
      } else {
        err.println(
            "mtasts4j: unexpected error: "
                + Text.oneLine(ex.getClass().getSimpleName() + ": " + ex.getMessage())
                + (verbose ? "" : " (run with --verbose for details)"));
        code = ExitCodes.SOFTWARE;
      }
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return code;
    }
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The version shown by {@code --version}: from the jar manifest when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mtasts4j " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}

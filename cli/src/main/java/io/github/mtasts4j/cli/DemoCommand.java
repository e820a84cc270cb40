package io.github.mtasts4j.cli;

import picocli.CommandLine.Command;

/** {@code demo}: not implemented yet. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "TODO")
final class DemoCommand extends BaseCommand {
  @Override
  public Integer call() {
    throw new UserException("not implemented yet");
  }
}

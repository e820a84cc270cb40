package io.github.mtasts4j.cli;

import picocli.CommandLine.Command;

/** {@code check}: not implemented yet. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "TODO")
final class CheckCommand extends BaseCommand {
  @Override
  public Integer call() {
    throw new UserException("not implemented yet");
  }
}

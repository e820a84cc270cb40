package io.github.mtasts4j.cli;

import picocli.CommandLine.Command;

/** {@code send}: not implemented yet. */
@Command(name = "send", mixinStandardHelpOptions = true, description = "TODO")
final class SendCommand extends BaseCommand {
  @Override
  public Integer call() {
    throw new UserException("not implemented yet");
  }
}

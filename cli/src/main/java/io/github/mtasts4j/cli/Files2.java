package io.github.mtasts4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading user-supplied files with one-line errors. */
final class Files2 {
  private Files2() {}

  /** Reads a text file of at most {@code limit} bytes as UTF-8; a bad file is a usage error. */
  static String readText(Path file, int limit) {
    return new String(readBytes(file, limit), StandardCharsets.UTF_8);
  }

  /** Reads a file of at most {@code limit} bytes; a bad file is a usage error. */
  static byte[] readBytes(Path file, int limit) {
    try {
      if (Files.isDirectory(file)) {
        throw new UserException("cannot read " + file + ": it is a directory");
      }
      long size = Files.size(file);
      if (size > limit) {
        throw new UserException(
            "cannot read " + file + ": " + size + " bytes is more than the limit of " + limit);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UserException("cannot read " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new UserException("cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage());
    }
  }
}

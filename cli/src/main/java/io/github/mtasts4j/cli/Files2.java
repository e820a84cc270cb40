package io.github.mtasts4j.cli;

import java.io.IOException;
import java.io.InputStream;
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
      if (Files.isRegularFile(file) && Files.size(file) > limit) {
        throw new UserException("cannot read " + file + ": " + Files.size(file)
            + " bytes is more than the limit of " + limit);
      }
      // A device or pipe has no size to check first: read no more than the limit allows.
      try (InputStream in = Files.newInputStream(file)) {
        byte[] data = in.readNBytes(limit + 1);
        if (data.length > limit) {
          throw new UserException(
              "cannot read " + file + ": more than the limit of " + limit + " bytes");
        }
        return data;
      }
    } catch (NoSuchFileException e) {
      throw new UserException("cannot read " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new UserException("cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage());
    }
  }
}

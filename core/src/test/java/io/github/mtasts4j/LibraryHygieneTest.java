package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library modules never print, never end the JVM and log through SLF4J only (issue 2, item 7).
 * Scans the main sources of every library module; the CLI prints by design and is not scanned.
 * Comments and string literals are blanked first, so a Javadoc example may still show a print.
 */
class LibraryHygieneTest {
  /** Relative to core's module directory, where Surefire runs the tests. */
  private static final List<Path> LIBRARY_SOURCES =
      Stream.of("src/main/java", "../cache/src/main/java", "../smtp-integration/src/main/java",
              "../tlsrpt/src/main/java")
          .map(Path::of)
          .toList();

  private static final List<String> FORBIDDEN =
      List.of("System.out", "System.err", "printStackTrace", "System.exit", "java.util.logging",
          "Runtime.getRuntime().exit", "Runtime.getRuntime().halt");

  @Test
  void librarySources_neverPrintExitOrUseJul() throws IOException {
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (Path root : LIBRARY_SOURCES) {
      assertThat(root).as("library source directory").isDirectory();
      List<Path> sources;
      try (Stream<Path> walk = Files.walk(root)) {
        sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      for (Path source : sources) {
        files++;
        String[] lines = codeOnly(Files.readString(source, StandardCharsets.UTF_8)).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          String squeezed = lines[i].replaceAll("\\s+", "");
          for (String bad : FORBIDDEN) {
            if (squeezed.contains(bad)) {
              violations.add(source.normalize() + ":" + (i + 1) + ": " + bad);
            }
          }
        }
      }
    }
    assertThat(files).as("Java files scanned").isGreaterThan(40);
    assertThat(violations).as("prints, exits or java.util.logging in library code").isEmpty();
  }

  @Test
  void codeOnly_blanksCommentsAndLiteralsButKeepsCodeAndLines() {
    String source =
        "int a; // System.out here\n"
            + "/* System.exit(1);\n   still comment */ String s = \"System.err\";\n"
            + "char c = '\"'; System.out.println(s);\n"
            + "String t = \"\"\"\n  System.exit\n  \"\"\"; e.printStackTrace();\n";
    String code = codeOnly(source);
    assertThat(code.split("\n", -1)).hasSize(source.split("\n", -1).length);
    assertThat(code).doesNotContain("System.exit", "System.err");
    assertThat(code.split("\n", -1)[3]).contains("System.out.println(");
    assertThat(code.split("\n", -1)[6]).contains("e.printStackTrace()");
  }

  /**
   * Replaces comments and the contents of string, text-block and char literals with spaces,
   * keeping every line break so that line numbers stay right.
   */
  static String codeOnly(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        while (i < n && source.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        blank(source, i, end, out);
        i = end;
      } else if (source.startsWith("\"\"\"", i)) {
        int end = closing(source, i + 3, "\"\"\"");
        out.append("\"\"\"");
        blank(source, i + 3, end - 3, out);
        out.append("\"\"\"");
        i = end;
      } else if (c == '"' || c == '\'') {
        int end = closing(source, i + 1, String.valueOf(c));
        out.append(c);
        blank(source, i + 1, end - 1, out);
        out.append(c);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The index just past the {@code quote} that closes a literal starting at {@code from}. */
  private static int closing(String source, int from, String quote) {
    int i = from;
    while (i < source.length()) {
      if (source.charAt(i) == '\\') {
        i += 2;
      } else if (source.startsWith(quote, i)) {
        return i + quote.length();
      } else {
        i++;
      }
    }
    return source.length() + quote.length(); // unterminated: blank to the end
  }

  private static void blank(String source, int from, int to, StringBuilder out) {
    for (int i = from; i < Math.min(to, source.length()); i++) {
      out.append(source.charAt(i) == '\n' ? '\n' : ' ');
    }
  }
}

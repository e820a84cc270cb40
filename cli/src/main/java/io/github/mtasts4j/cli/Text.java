package io.github.mtasts4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for human-readable output: one-line messages and aligned tables. */
final class Text {
  private Text() {}

  /** Collapses line breaks so a message always fits on one line. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /** A table printed with aligned columns; the last column is not padded. */
  static final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... headers) {
      this.columns = headers.length;
      rows.add(headers);
    }

    /** A table of {@code columns} columns without a header line. */
    static Table noHeader(int columns) {
      Table t = new Table(new String[columns]);
      t.rows.clear();
      return t;
    }

    Table row(Object... cells) {
      String[] r = new String[columns];
      for (int i = 0; i < columns; i++) {
        r[i] = i < cells.length && cells[i] != null ? oneLine(String.valueOf(cells[i])) : "";
      }
      rows.add(r);
      return this;
    }

    void print(PrintWriter out, String indent) {
      int[] width = new int[columns];
      for (String[] r : rows) {
        for (int i = 0; i < columns; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder sb = new StringBuilder(indent);
        for (int i = 0; i < columns; i++) {
          sb.append(r[i]);
          if (i < columns - 1) {
            sb.append(" ".repeat(width[i] - r[i].length() + 2));
          }
        }
        out.println(sb.toString().stripTrailing());
      }
    }
  }
}

package vn.longan.hosotrinh.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The expressions a diagram may hold, as in domain/diagram-guard.ts: variable names, string,
 * number, boolean and null literals, comparisons, && || ! and or not empty, a ? b : c and
 * parentheses; one call, name.split("literal")[name or number], hands each instance of a
 * multi-instance its agency. No other method call, property access or index.
 */
final class ExpressionGrammar {

  private static final Set<String> KEYWORDS = Set.of(
      "and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge", "true", "false", "null", "empty", "instanceof", "div", "mod");
  private static final String[] OPERATORS = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "?", ":", "(", ")", ".", "[", "]", ","};

  private record Token(String kind, String text) {
  }

  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private ExpressionGrammar() {
  }

  /** The first ${…} or #{…} of the text that leaves the grammar, with why; null when all stay inside it. */
  static String problem(String text) {
    int i = 0;
    while (i < text.length()) {
      int open = opening(text, i);
      if (open < 0) return null;
      try {
        i = new Parser(text, open + 2).parse();
      } catch (Refused e) {
        return text.substring(open, Math.min(text.length(), open + 120)) + " (" + e.getMessage() + ")";
      }
    }
    return null;
  }

  private static int opening(String text, int from) {
    int a = text.indexOf("${", from);
    int b = text.indexOf("#{", from);
    if (a < 0) return b;
    if (b < 0) return a;
    return Math.min(a, b);
  }

  private static final class Parser {
    private final List<Token> tokens = new ArrayList<>();
    private int end;
    private int p;

    Parser(String text, int start) {
      int i = start;
      while (true) {
        if (i >= text.length()) throw new Refused("unclosed expression");
        char c = text.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else if (c == '}') {
          tokens.add(new Token("end", "}"));
          end = i + 1;
          return;
        } else if (c == '\'' || c == '"') {
          int j = i + 1;
          StringBuilder value = new StringBuilder();
          while (j < text.length() && text.charAt(j) != c) {
            if (text.charAt(j) == '\\' && j + 1 < text.length()) j++;
            value.append(text.charAt(j));
            j++;
          }
          if (j >= text.length()) throw new Refused("unclosed string");
          tokens.add(new Token("string", value.toString()));
          i = j + 1;
        } else if (c >= '0' && c <= '9') {
          int j = i;
          while (j < text.length() && isDigit(text.charAt(j))) j++;
          if (j + 1 < text.length() && text.charAt(j) == '.' && isDigit(text.charAt(j + 1))) {
            j++;
            while (j < text.length() && isDigit(text.charAt(j))) j++;
          }
          tokens.add(new Token("number", text.substring(i, j)));
          i = j;
        } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') {
          int j = i;
          while (j < text.length() && isIdentifierPart(text.charAt(j))) j++;
          tokens.add(new Token("ident", text.substring(i, j)));
          i = j;
        } else {
          String op = null;
          for (String o : OPERATORS) {
            if (text.startsWith(o, i)) {
              op = o;
              break;
            }
          }
          if (op == null) throw new Refused("character not allowed '" + c + "'");
          tokens.add(new Token("op", op));
          i += op.length();
        }
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierPart(char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    int parse() {
      ternary();
      expect("end", null);
      return end;
    }

    private Token peek() {
      return tokens.get(p);
    }

    private boolean isOp(String... ops) {
      Token t = peek();
      if (!t.kind().equals("op")) return false;
      for (String o : ops) if (o.equals(t.text())) return true;
      return false;
    }

    private boolean isWord(String... words) {
      Token t = peek();
      if (!t.kind().equals("ident")) return false;
      for (String w : words) if (w.equals(t.text())) return true;
      return false;
    }

    private void expect(String kind, String text) {
      Token t = peek();
      if (!t.kind().equals(kind) || (text != null && !t.text().equals(text))) {
        throw new Refused("expected '" + (text != null ? text : kind) + "', found '" + t.text() + "'");
      }
      p++;
    }

    private void ternary() {
      or();
      if (isOp("?")) {
        p++;
        ternary();
        expect("op", ":");
        ternary();
      }
    }

    private void or() {
      and();
      while (isOp("||") || isWord("or")) {
        p++;
        and();
      }
    }

    private void and() {
      equality();
      while (isOp("&&") || isWord("and")) {
        p++;
        equality();
      }
    }

    private void equality() {
      relational();
      while (isOp("==", "!=") || isWord("eq", "ne")) {
        p++;
        relational();
      }
    }

    private void relational() {
      unary();
      while (isOp("<", ">", "<=", ">=") || isWord("lt", "gt", "le", "ge")) {
        p++;
        unary();
      }
    }

    private void unary() {
      if (isOp("!") || isWord("not", "empty")) {
        p++;
        unary();
      } else {
        primary();
      }
    }

    private void primary() {
      Token t = peek();
      if (t.kind().equals("string") || t.kind().equals("number")) {
        p++;
        return;
      }
      if (isOp("(")) {
        p++;
        ternary();
        expect("op", ")");
        return;
      }
      if (isWord("true", "false", "null")) {
        p++;
        return;
      }
      if (!t.kind().equals("ident") || KEYWORDS.contains(t.text())) throw new Refused("'" + t.text() + "' not allowed");
      p++;
      if (isOp(".")) {
        p++;
        expect("ident", "split");
        expect("op", "(");
        expect("string", null);
        expect("op", ")");
        expect("op", "[");
        Token index = peek();
        if (index.kind().equals("number") || (index.kind().equals("ident") && !KEYWORDS.contains(index.text()))) p++;
        else throw new Refused("index not allowed '" + index.text() + "'");
        expect("op", "]");
      }
    }
  }
}

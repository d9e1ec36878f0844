package tenet.store.core.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for {@link LabelSelector} text. Errors give a 1-based column so a user
 * can find the spot in a long selector.
 *
 * <p>Unlike Kubernetes, "in" and "notin" are keywords only where an operator is expected, so they
 * remain usable as label keys and values.
 */
final class LabelSelectorParser {

  private enum Kind { WORD, COMMA, OPEN, CLOSE, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, BANG, OTHER, END }

  private record Token(Kind kind, String text, int start) {
    int end() {
      return start + text.length();
    }

    boolean isWord(String word) {
      return kind == Kind.WORD && text.equals(word);
    }
  }

  // Characters that end a word; '<' and '>' are here so "a>1" is reported as a bad operator.
  private static final String DELIMITERS = ",()=!<>";

  private final String text;
  private int position;
  private int consumedEnd;
  private Token lookahead;

  private LabelSelectorParser(String text) {
    this.text = text;
  }

  static List<Requirement> parse(String text) {
    return new LabelSelectorParser(text).selector();
  }

  private List<Requirement> selector() {
    List<Requirement> requirements = new ArrayList<>();
    if (peek().kind() == Kind.END) {
      return requirements;
    }
    boolean afterComma = false;
    while (true) {
      int start = peek().start();
      requirements.add(requirement(afterComma));
      // Peeked tokens are not consumed, so this is where the requirement's last token ends.
      int end = consumedEnd;
      Token separator = next();
      switch (separator.kind()) {
        case END -> {
          return requirements;
        }
        case COMMA -> afterComma = true;
        default -> throw error("expected ',' or end after "
            + Excerpt.quoted(text.substring(start, end)), separator);
      }
    }
  }

  private Requirement requirement(boolean afterComma) {
    Token first = next();
    if (first.kind() == Kind.BANG) {
      Token key = next();
      if (key.kind() != Kind.WORD) {
        throw error("expected a label key after '!'", key);
      }
      return new Requirement.DoesNotExist(checkedKey(key));
    }
    if (first.kind() != Kind.WORD) {
      throw error(afterComma ? "expected a label key or '!' after ','" : "expected a label key or '!'", first);
    }
    String key = checkedKey(first);
    Token operator = peek();
    if (operator.isWord("in") || operator.isWord("notin")) {
      next();
      List<String> values = valueList(operator.text());
      return operator.isWord("in") ? new Requirement.In(key, values) : new Requirement.NotIn(key, values);
    }
    return switch (operator.kind()) {
      case COMMA, END -> new Requirement.Exists(key);
      case EQUALS, DOUBLE_EQUALS -> {
        next();
        yield new Requirement.Equals(key, optionalValue());
      }
      case NOT_EQUALS -> {
        next();
        yield new Requirement.NotEquals(key, optionalValue());
      }
      default -> throw error("expected '=', '==', '!=', 'in', 'notin', ',' or end after "
          + Excerpt.quoted(first.text()), operator);
    };
  }

  /** The value after '=', '==' or '!=' may be empty, as a label value may. */
  private String optionalValue() {
    if (peek().kind() != Kind.WORD) {
      return "";
    }
    return checkedValue(next());
  }

  private List<String> valueList(String operator) {
    Token open = next();
    if (open.kind() != Kind.OPEN) {
      throw error("expected '(' after '" + operator + "'", open);
    }
    if (peek().kind() == Kind.CLOSE) {
      throw error("empty value list for '" + operator + "'", open);
    }
    List<String> values = new ArrayList<>();
    while (true) {
      Token value = next();
      if (value.kind() == Kind.COMMA || value.kind() == Kind.CLOSE) {
        throw error("empty value in list for '" + operator + "'", value);
      }
      if (value.kind() != Kind.WORD) {
        throw error("expected a value in list for '" + operator + "'", value);
      }
      values.add(checkedValue(value));
      Token separator = next();
      if (separator.kind() == Kind.CLOSE) {
        return values;
      }
      if (separator.kind() != Kind.COMMA) {
        throw error("expected ',' or ')' in list for '" + operator + "'", separator);
      }
    }
  }

  private String checkedKey(Token token) {
    try {
      Names.checkLabelKey(token.text());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid label key " + where(token) + ": " + e.getMessage(), e);
    }
    return token.text();
  }

  private String checkedValue(Token token) {
    try {
      Names.checkLabelValue(token.text());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid label value " + where(token) + ": " + e.getMessage(), e);
    }
    return token.text();
  }

  private IllegalArgumentException error(String expectation, Token found) {
    return new IllegalArgumentException(expectation + " " + where(found));
  }

  private static String where(Token token) {
    return token.kind() == Kind.END ? "at end" : "at column " + (token.start() + 1);
  }

  private Token peek() {
    if (lookahead == null) {
      lookahead = scan();
    }
    return lookahead;
  }

  private Token next() {
    Token token = peek();
    lookahead = null;
    consumedEnd = token.end();
    return token;
  }

  private Token scan() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
    int start = position;
    if (start == text.length()) {
      return new Token(Kind.END, "", start);
    }
    char c = text.charAt(start);
    boolean doubled = start + 1 < text.length() && text.charAt(start + 1) == '=';
    Kind kind = switch (c) {
      case ',' -> Kind.COMMA;
      case '(' -> Kind.OPEN;
      case ')' -> Kind.CLOSE;
      case '=' -> doubled ? Kind.DOUBLE_EQUALS : Kind.EQUALS;
      case '!' -> doubled ? Kind.NOT_EQUALS : Kind.BANG;
      case '<', '>' -> Kind.OTHER;
      default -> Kind.WORD;
    };
    if (kind == Kind.WORD) {
      while (position < text.length() && !endsWord(text.charAt(position))) {
        position++;
      }
    } else {
      position += (kind == Kind.DOUBLE_EQUALS || kind == Kind.NOT_EQUALS) ? 2 : 1;
    }
    return new Token(kind, text.substring(start, position), start);
  }

  private static boolean endsWord(char c) {
    return Character.isWhitespace(c) || DELIMITERS.indexOf(c) >= 0;
  }
}

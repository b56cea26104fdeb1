// The skip-logic expression language: lexer, recursive-descent parser, type check, evaluation.
//
// parse() runs three stages over the text, all bounded:
//   1. lex: the whole text into tokens; a bad character becomes an Error token, so errors are
//      reported in the order they appear;
//   2. parse: tokens into a syntax tree (Syntax), nesting at most kMaxDepth;
//   3. check: the syntax tree against the scope, into the immutable tree that evaluate() walks
//      (Expression::Node), where every comparison is already "question OP literal" or
//      "question OP question".
// Every error is an ExpressionError that says what is wrong, the column and the expression.
#include "shared/survey/expression.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>
#include <variant>

namespace tt::survey {

namespace {

constexpr std::size_t kMaxLength = 2000;  // characters (code points)
constexpr std::size_t kMaxBytes = 4 * kMaxLength;
constexpr int kMaxDepth = 64;  // brackets and "not"s, nested
constexpr std::size_t kMaxListedQuestions = 10;

using Kind = ExpressionSubject::Kind;

enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };

const char* cmp_text(Cmp c) {
  switch (c) {
    case Cmp::Eq: return "==";
    case Cmp::Ne: return "!=";
    case Cmp::Lt: return "<";
    case Cmp::Le: return "<=";
    case Cmp::Gt: return ">";
    case Cmp::Ge: return ">=";
  }
  return "?";
}

// `3 <= q` is `q >= 3`.
Cmp mirrored(Cmp c) {
  switch (c) {
    case Cmp::Lt: return Cmp::Gt;
    case Cmp::Le: return Cmp::Ge;
    case Cmp::Gt: return Cmp::Lt;
    case Cmp::Ge: return Cmp::Le;
    default: return c;
  }
}

bool is_ordering(Cmp c) {
  return c != Cmp::Eq && c != Cmp::Ne;
}

template <typename T>
bool compare(const T& a, Cmp c, const T& b) {
  switch (c) {
    case Cmp::Eq: return a == b;
    case Cmp::Ne: return a != b;
    case Cmp::Lt: return a < b;
    case Cmp::Le: return a <= b;
    case Cmp::Gt: return a > b;
    case Cmp::Ge: return a >= b;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Messages

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

std::size_t count_chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += is_continuation(c) ? 0 : 1;
  return n;
}

std::string hex_byte(unsigned char c) {
  static const char digits[] = "0123456789ABCDEF";
  return std::string("\\x") + digits[c >> 4] + digits[c & 0xF];
}

// The expression in double quotes, with `"` and `\` escaped and control characters shown as \xNN
// (so a message stays on one line).
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      out += hex_byte(c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// The first `max_chars` characters of s, then "…" when there is more.
std::string shortened(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_continuation(static_cast<unsigned char>(s[i])) && chars++ == max_chars) {
      return std::string(s.substr(0, i)) + "…";
    }
  }
  return std::string(s);
}

std::string join(const std::vector<std::string>& items, std::size_t max_items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max_items; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > max_items) out += ", …";
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// `; did you mean "who5_1"?` when one candidate is close to `word`, otherwise "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return "";
  const std::string* best = nullptr;
  std::size_t best_distance = 3;  // at most 2 edits
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance && d < std::max<std::size_t>(word.size(), 2)) {
      best = &c;
      best_distance = d;
    }
  }
  return best ? "; did you mean \"" + *best + "\"?" : "";
}

// "a number (scale)", "a single-choice question (single)", …
std::string describe(const ExpressionSubject& s) {
  std::string what;
  switch (s.kind) {
    case Kind::Integer: what = "a number"; break;
    case Kind::Boolean: what = "a yes/no question"; break;
    case Kind::Option: what = "a single-choice question"; break;
    case Kind::OptionSet: what = "a multiple-choice question"; break;
    case Kind::Text: what = "a text question"; break;
    case Kind::NoAnswer: what = "an information screen"; break;
  }
  if (!s.type_name.empty()) what += " (" + s.type_name + ")";
  return what;
}

std::string range_text(const ExpressionSubject& s) {
  if (s.min && s.max) return std::to_string(*s.min) + "–" + std::to_string(*s.max);
  if (s.min) return "at least " + std::to_string(*s.min);
  return "at most " + std::to_string(*s.max);
}

// Formats and throws every error of one parse.
class Reporter {
 public:
  Reporter(std::string_view text, const std::string& where) : text_(text), where_(where) {}

  std::size_t column(std::size_t pos) const { return count_chars(text_.substr(0, std::min(pos, text_.size()))) + 1; }

  // `<where>: <headline> at column N of "<text>": <detail>`
  [[noreturn]] void fail(std::string_view headline, std::size_t pos, std::string_view detail) const {
    std::string message;
    if (!where_.empty()) message = where_ + ": ";
    message += headline;
    message += " at column " + std::to_string(column(pos)) + " of ";
    const bool too_long = text_.size() > kMaxBytes || count_chars(text_) > kMaxLength;
    message += too_long ? quoted(shortened(text_, 40)) : quoted(text_);
    message += ": ";
    message += detail;
    throw ExpressionError(message);
  }

  [[noreturn]] void syntax(std::size_t pos, std::string_view detail) const { fail("syntax error", pos, detail); }

  std::string_view source(std::size_t begin, std::size_t end) const { return text_.substr(begin, end - begin); }

 private:
  std::string_view text_;
  const std::string& where_;
};

// ---------------------------------------------------------------------------------------------
// Lexer

enum class Tok {
  End,
  Error,
  Int,
  Str,
  Ident,
  And,
  Or,
  Not,
  In,
  True,
  False,
  Answered,
  Declined,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
};

struct Token {
  Tok kind = Tok::End;
  std::size_t pos = 0;  // byte offsets into the text: [pos, end)
  std::size_t end = 0;
  std::int64_t int_value = 0;
  std::string value;  // Str: the decoded string · Ident: the id · Error: the message
};

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}

// The character at s[i] as it should appear in a message: itself when it is printable ASCII or a
// whole UTF-8 sequence, otherwise \xNN.
std::string show_char(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c >= 0x20 && c < 0x7F) return std::string(1, static_cast<char>(c));
  std::size_t len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (c >= 0xF5) len = 0;
  if (len == 0 || i + len > s.size()) return hex_byte(c);
  for (std::size_t k = 1; k < len; ++k) {
    if (!is_continuation(static_cast<unsigned char>(s[i + k]))) return hex_byte(c);
  }
  return std::string(s.substr(i, len));
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  // All tokens up to End, or up to and including the first Error.
  std::vector<Token> run() {
    std::vector<Token> tokens;
    for (;;) {
      tokens.push_back(next());
      const Tok k = tokens.back().kind;
      if (k == Tok::End || k == Tok::Error) return tokens;
    }
  }

 private:
  Token make(Tok kind, std::size_t pos, std::size_t end) {
    Token t;
    t.kind = kind;
    t.pos = pos;
    t.end = end;
    i_ = end;
    return t;
  }

  Token error(std::size_t pos, std::string message) {
    Token t;
    t.kind = Tok::Error;
    t.pos = pos;
    t.end = pos;
    t.value = std::move(message);
    return t;
  }

  char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  Token next() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
    const std::size_t p = i_;
    if (p >= s_.size()) return make(Tok::End, p, p);
    const char c = s_[p];
    const char d = at(p + 1);
    if (is_digit(c) || (c == '-' && is_digit(d))) return number(p);
    if (c == '"') return string(p);
    if (is_ident_start(c)) return word(p);
    switch (c) {
      case '(': return make(Tok::LParen, p, p + 1);
      case ')': return make(Tok::RParen, p, p + 1);
      case '[': return make(Tok::LBracket, p, p + 1);
      case ']': return make(Tok::RBracket, p, p + 1);
      case ',': return make(Tok::Comma, p, p + 1);
      case '<': return d == '=' ? make(Tok::Le, p, p + 2) : make(Tok::Lt, p, p + 1);
      case '>': return d == '=' ? make(Tok::Ge, p, p + 2) : make(Tok::Gt, p, p + 1);
      case '=':
        if (d == '=') return make(Tok::Eq, p, p + 2);
        if (d == '<') return error(p, "\"=<\" is not an operator; did you mean \"<=\"?");
        if (d == '>') return error(p, "\"=>\" is not an operator; did you mean \">=\"?");
        return error(p, "\"=\" is not an operator; did you mean \"==\"?");
      case '!':
        if (d == '=') return make(Tok::Ne, p, p + 2);
        return error(p, "\"!\" is not an operator; did you mean \"!=\" or \"not\"?");
      case '&':
        return error(p, std::string("\"") + (d == '&' ? "&&" : "&") + "\" is not an operator; did you mean \"and\"?");
      case '|':
        return error(p, std::string("\"") + (d == '|' ? "||" : "|") + "\" is not an operator; did you mean \"or\"?");
      case '-': return error(p, "\"-\" must be followed by digits, as in -1");
      case '\'': return error(p, "strings are written in double quotes (\"bus\"), not single quotes");
      case '#': return error(p, "unexpected character \"#\"; expressions have no comments");
      default: return error(p, "unexpected character \"" + show_char(s_, p) + "\"");
    }
  }

  Token number(std::size_t p) {
    const bool negative = s_[p] == '-';
    std::size_t i = negative ? p + 1 : p;
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    const std::uint64_t limit = negative ? kMax + 1 : kMax;
    std::uint64_t magnitude = 0;
    bool overflow = false;
    for (; i < s_.size() && is_digit(s_[i]); ++i) {
      const auto digit = static_cast<std::uint64_t>(s_[i] - '0');
      if (!overflow && magnitude > (limit - digit) / 10) overflow = true;
      if (!overflow) magnitude = magnitude * 10 + digit;
    }
    if (overflow) {
      return error(p, "the number " + shortened(s_.substr(p, i - p), 40) +
                          " is too large; numbers must be between -9223372036854775808 and "
                          "9223372036854775807");
    }
    if (i < s_.size() && is_ident_start(s_[i])) {
      return error(i, "unexpected \"" + std::string(1, s_[i]) + "\" right after the number " +
                          std::string(s_.substr(p, i - p)) + "; separate a number from a word with a space");
    }
    Token t = make(Tok::Int, p, i);
    if (negative) {
      t.int_value =
          magnitude == kMax + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(magnitude);
    } else {
      t.int_value = static_cast<std::int64_t>(magnitude);
    }
    return t;
  }

  Token string(std::size_t p) {
    std::string value;
    std::size_t i = p + 1;
    for (;;) {
      if (i >= s_.size()) {
        return error(p, "unterminated string: the string that starts here has no closing \"");
      }
      const auto c = static_cast<unsigned char>(s_[i]);
      if (c == '"') break;
      if (c == '\\') {
        if (i + 1 >= s_.size()) {
          return error(p, "unterminated string: the string that starts here has no closing \"");
        }
        const char e = s_[i + 1];
        if (e != '"' && e != '\\') {
          return error(i,
                       "unknown escape \"\\" + show_char(s_, i + 1) + "\" in a string; only \\\" and \\\\ are allowed");
        }
        value += e;
        i += 2;
        continue;
      }
      if (c < 0x20 || c == 0x7F) {
        return error(i, "a string cannot contain control characters (found " + hex_byte(c) + ")");
      }
      value += static_cast<char>(c);
      ++i;
    }
    Token t = make(Tok::Str, p, i + 1);
    t.value = std::move(value);
    return t;
  }

  Token word(std::size_t p) {
    std::size_t i = p;
    while (i < s_.size() && is_ident_char(s_[i])) ++i;
    const std::string_view w = s_.substr(p, i - p);
    static const std::pair<std::string_view, Tok> keywords[] = {
        {"and", Tok::And},   {"or", Tok::Or},       {"not", Tok::Not},           {"in", Tok::In},
        {"true", Tok::True}, {"false", Tok::False}, {"answered", Tok::Answered}, {"declined", Tok::Declined},
    };
    for (const auto& [text, kind] : keywords) {
      if (w == text) return make(kind, p, i);
    }
    Token t = make(Tok::Ident, p, i);
    t.value = std::string(w);
    return t;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Parser: tokens → Syntax

struct Syntax {
  enum class K {
    Or,
    And,
    Not,
    Compare,
    In,  // conditions
    Int,
    Str,
    Bool,
    List,
    Ident,
    Answered,
    Declined,
    Paren  // operands
  };
  K kind;
  std::size_t pos = 0;  // byte offsets of the whole construct: [pos, end)
  std::size_t end = 0;
  std::size_t op_pos = 0;  // Compare / In: the operator; Answered / Declined: the argument
  Cmp cmp = Cmp::Eq;
  std::int64_t int_value = 0;
  bool bool_value = false;
  std::string text;  // Str: the value · Ident: the id · Answered / Declined: the argument
  // Or / And: the operands · Not, Paren: one · Compare / In: left, right · List: the items
  std::vector<std::unique_ptr<Syntax>> kids;
};

using SyntaxPtr = std::unique_ptr<Syntax>;

SyntaxPtr make_syntax(Syntax::K kind, std::size_t pos) {
  auto s = std::make_unique<Syntax>();
  s->kind = kind;
  s->pos = pos;
  return s;
}

bool is_comparison(Tok k) {
  return k == Tok::Eq || k == Tok::Ne || k == Tok::Lt || k == Tok::Le || k == Tok::Gt || k == Tok::Ge;
}

Cmp cmp_of(Tok k) {
  switch (k) {
    case Tok::Ne: return Cmp::Ne;
    case Tok::Lt: return Cmp::Lt;
    case Tok::Le: return Cmp::Le;
    case Tok::Gt: return Cmp::Gt;
    case Tok::Ge: return Cmp::Ge;
    default: return Cmp::Eq;
  }
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const Reporter& reporter) : tokens_(std::move(tokens)), r_(reporter) {}

  SyntaxPtr run() {
    if (peek().kind == Tok::End) r_.syntax(0, "the expression is empty");
    SyntaxPtr root = or_expr("");
    if (peek().kind != Tok::End) {
      std::string detail =
          "expected \"and\", \"or\" or the end of the expression, found " + show(peek()) + hint_after_condition();
      r_.syntax(peek().pos, detail);
    }
    return root;
  }

 private:
  // The current token; a lexer error is reported as soon as the parser reaches it.
  const Token& peek() const {
    const Token& t = tokens_[i_];
    if (t.kind == Tok::Error) r_.syntax(t.pos, t.value);
    return t;
  }

  const Token& take() {
    const Token& t = peek();
    if (t.kind != Tok::End) ++i_;
    return t;
  }

  const Token& previous() const { return tokens_[i_ > 0 ? i_ - 1 : 0]; }

  std::string source(const Token& t) const { return std::string(r_.source(t.pos, t.end)); }

  std::string show(const Token& t) const {
    switch (t.kind) {
      case Tok::End: return "the end of the expression";
      case Tok::Int: return "the number " + source(t);
      case Tok::Str: return "the string " + shortened(source(t), 40);
      default: return "\"" + source(t) + "\"";
    }
  }

  // A message about the current token: at the token, or, at the end of the text, at the last
  // character of the token before (`who5_1 <= ` → the column of "=").
  [[noreturn]] void expected(std::string what) const {
    const Token& t = peek();
    if (t.kind == Tok::End) {
      const std::size_t pos = i_ > 0 ? previous().end - 1 : 0;
      r_.syntax(pos, what);
    }
    r_.syntax(t.pos, what + ", found " + show(t));
  }

  std::string hint_after_condition() const {
    const Token& t = peek();
    const Token& before = previous();
    if (is_comparison(t.kind) || t.kind == Tok::In) {
      return "; comparisons cannot be chained (write a < b and b < c)";
    }
    if (t.kind == Tok::LParen && before.kind == Tok::Ident) {
      return "; \"" + before.value + "\" is not a function: only answered(…) and declined(…) take brackets";
    }
    return "";
  }

  void enter(const Token& t) {
    if (++depth_ > kMaxDepth) {
      r_.syntax(t.pos,
                "nested too deeply (more than " + std::to_string(kMaxDepth) + " levels of brackets and \"not\")");
    }
  }

  // `after` names the token before, for messages ("" at the start).
  SyntaxPtr or_expr(const std::string& after) {
    SyntaxPtr first = and_expr(after);
    if (peek().kind != Tok::Or) return first;
    auto node = make_syntax(Syntax::K::Or, first->pos);
    node->kids.push_back(std::move(first));
    while (peek().kind == Tok::Or) {
      take();
      node->kids.push_back(and_expr("\"or\""));
    }
    node->end = node->kids.back()->end;
    return node;
  }

  SyntaxPtr and_expr(const std::string& after) {
    SyntaxPtr first = not_expr(after);
    if (peek().kind != Tok::And) return first;
    auto node = make_syntax(Syntax::K::And, first->pos);
    node->kids.push_back(std::move(first));
    while (peek().kind == Tok::And) {
      take();
      node->kids.push_back(not_expr("\"and\""));
    }
    node->end = node->kids.back()->end;
    return node;
  }

  SyntaxPtr not_expr(const std::string& after) {
    if (peek().kind != Tok::Not) return comparison(after);
    const Token& t = take();
    enter(t);
    auto node = make_syntax(Syntax::K::Not, t.pos);
    node->kids.push_back(not_expr("\"not\""));
    node->end = node->kids.back()->end;
    --depth_;
    return node;
  }

  SyntaxPtr comparison(const std::string& after) {
    SyntaxPtr left = operand(after.empty() ? "expected a condition" : "expected a condition after " + after);
    const Token& op = peek();
    if (!is_comparison(op.kind) && op.kind != Tok::In) return left;
    take();
    auto node = make_syntax(op.kind == Tok::In ? Syntax::K::In : Syntax::K::Compare, left->pos);
    node->op_pos = op.pos;
    node->cmp = cmp_of(op.kind);
    node->kids.push_back(std::move(left));
    node->kids.push_back(operand("expected a value after \"" + source(op) + "\""));
    node->end = node->kids.back()->end;
    return node;
  }

  SyntaxPtr operand(const std::string& expectation) {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Int:
      case Tok::Str:
      case Tok::True:
      case Tok::False: return literal();
      case Tok::Ident: {
        take();
        auto node = make_syntax(Syntax::K::Ident, t.pos);
        node->text = t.value;
        node->end = t.end;
        return node;
      }
      case Tok::Answered:
      case Tok::Declined: return call();
      case Tok::LBracket: return list();
      case Tok::LParen: {
        take();
        enter(t);
        auto node = make_syntax(Syntax::K::Paren, t.pos);
        node->kids.push_back(or_expr("\"(\""));
        if (peek().kind != Tok::RParen) {
          const std::string opened = "(opened at column " + std::to_string(r_.column(t.pos)) + ")";
          if (peek().kind == Tok::End) expected("expected \")\" to close the \"(\" " + opened);
          expected("expected \"and\", \"or\" or \")\" " + opened + hint_after_condition());
        }
        node->end = take().end;
        --depth_;
        return node;
      }
      default: expected(expectation);
    }
  }

  SyntaxPtr literal() {
    const Token& t = take();
    SyntaxPtr node;
    switch (t.kind) {
      case Tok::Int:
        node = make_syntax(Syntax::K::Int, t.pos);
        node->int_value = t.int_value;
        break;
      case Tok::Str:
        node = make_syntax(Syntax::K::Str, t.pos);
        node->text = t.value;
        break;
      default:
        node = make_syntax(Syntax::K::Bool, t.pos);
        node->bool_value = t.kind == Tok::True;
        break;
    }
    node->end = t.end;
    return node;
  }

  SyntaxPtr call() {
    const Token& name = take();
    const std::string fn = source(name);
    auto node = make_syntax(name.kind == Tok::Answered ? Syntax::K::Answered : Syntax::K::Declined, name.pos);
    if (peek().kind != Tok::LParen) {
      expected("expected \"(\" after \"" + fn + "\", as in " + fn + "(question_id)");
    }
    take();
    if (peek().kind != Tok::Ident) {
      expected("expected a question id in " + fn + "(…)");
    }
    const Token& arg = take();
    node->text = arg.value;
    node->op_pos = arg.pos;
    if (peek().kind != Tok::RParen) expected("expected \")\" after " + fn + "(" + arg.value);
    node->end = take().end;
    return node;
  }

  SyntaxPtr list() {
    const Token& open = take();
    auto node = make_syntax(Syntax::K::List, open.pos);
    const std::string opened = "(opened at column " + std::to_string(r_.column(open.pos)) + ")";
    if (peek().kind != Tok::RBracket) {
      for (;;) {
        const Token& t = peek();
        if (t.kind == Tok::Int || t.kind == Tok::Str || t.kind == Tok::True || t.kind == Tok::False) {
          node->kids.push_back(literal());
        } else if (t.kind == Tok::LBracket) {
          expected("lists cannot be nested: expected a number, a string, true or false");
        } else if (t.kind == Tok::Ident) {
          expected(
              "a list may hold only values, not questions: expected a number, a string, "
              "true or false");
        } else {
          expected(node->kids.empty() || previous().kind != Tok::Comma
                       ? "expected a number, a string, true or false in the list"
                       : "expected a value after \",\" in the list");
        }
        if (peek().kind == Tok::Comma) {
          take();
          continue;
        }
        if (peek().kind == Tok::RBracket) break;
        if (peek().kind == Tok::End) expected("expected \"]\" to close the list " + opened);
        expected("expected \",\" or \"]\" in the list " + opened);
      }
    }
    node->end = take().end;
    return node;
  }

  std::vector<Token> tokens_;
  std::size_t i_ = 0;
  int depth_ = 0;
  const Reporter& r_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// The checked tree

using Literal = std::variant<std::int64_t, bool, std::string>;

struct Expression::Node {
  enum class Op {
    Or,                // any child true
    And,               // every child true
    Not,               // child false
    Answered,          // question has an answer that is not Declined
    Declined,          // question's answer is Declined
    IsTrue,            // bare yes_no question: answer is true
    CompareValue,      // question cmp value
    CompareQuestions,  // question cmp other
    InList,            // question's answer is one of list
    HasOption,         // multiple-choice question's answer contains option `other`
  };
  Op op = Op::Or;
  Cmp cmp = Cmp::Eq;
  std::string question;
  std::string other;
  Literal value;
  std::vector<Literal> list;
  std::vector<std::unique_ptr<const Node>> children;
};

namespace {

using Node = Expression::Node;
using NodePtr = std::unique_ptr<const Node>;
using K = Syntax::K;

bool is_literal(K k) {
  return k == K::Int || k == K::Str || k == K::Bool;
}
bool is_condition(K k) {
  return k == K::Paren || k == K::Answered || k == K::Declined || k == K::Or || k == K::And || k == K::Not ||
         k == K::Compare || k == K::In;
}

const char* literal_kind(K k) {
  switch (k) {
    case K::Int: return "a number";
    case K::Str: return "a string";
    case K::Bool: return "true or false";
    case K::List: return "a list";
    default: return "a condition";
  }
}

// The type of literal a question is compared with.
K literal_for(Kind kind) {
  switch (kind) {
    case Kind::Integer: return K::Int;
    case Kind::Boolean: return K::Bool;
    default: return K::Str;
  }
}

bool looks_like_integer(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return !s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), is_digit);
}

Literal literal_of(const Syntax& s) {
  switch (s.kind) {
    case K::Int: return s.int_value;
    case K::Bool: return s.bool_value;
    default: return s.text;
  }
}

bool same_literal(const Syntax& a, const Syntax& b) {
  return literal_of(a) == literal_of(b);
}

class Checker {
 public:
  Checker(const ExpressionScope& scope, const Reporter& reporter, std::vector<std::string>& refs)
      : scope_(scope), r_(reporter), refs_(refs) {}

  NodePtr condition(const Syntax& s) {
    switch (s.kind) {
      case K::Or:
      case K::And: {
        auto node = make(s.kind == K::Or ? Node::Op::Or : Node::Op::And);
        for (const auto& kid : s.kids) node->children.push_back(condition(*kid));
        return node;
      }
      case K::Not: {
        auto node = make(Node::Op::Not);
        node->children.push_back(condition(*s.kids[0]));
        return node;
      }
      case K::Paren: return condition(*s.kids[0]);
      case K::Answered:
      case K::Declined: return call(s);
      case K::Ident: return bare_question(s);
      case K::Compare: return comparison(s);
      case K::In: return in(s);
      case K::List:
        r_.fail("not a condition", s.pos,
                "a list on its own is not a condition; use it on the right of \"in\", as in "
                "travel in [\"bus\", \"walk\"]");
      default:
        r_.fail("not a condition", s.pos,
                text(s) +
                    " on its own is not a condition: it never changes; compare a question "
                    "with it (question == " +
                    text(s) + ")");
    }
  }

 private:
  static std::unique_ptr<Node> make(Node::Op op) {
    auto node = std::make_unique<Node>();
    node->op = op;
    return node;
  }

  std::string text(const Syntax& s) const { return shortened(r_.source(s.pos, s.end), 60); }

  // The subject a question id names, or an error; records the reference.
  const ExpressionSubject& resolve(const std::string& id, std::size_t pos) {
    for (const auto& subject : scope_.available) {
      if (subject.id == id) {
        if (std::find(refs_.begin(), refs_.end(), id) == refs_.end()) refs_.push_back(id);
        return subject;
      }
    }
    if (std::find(scope_.all_question_ids.begin(), scope_.all_question_ids.end(), id) !=
        scope_.all_question_ids.end()) {
      r_.fail("question out of order", pos,
              "question \"" + id + "\" comes after this one; show_if may only refer to earlier questions");
    }
    std::vector<std::string> ids;
    ids.reserve(scope_.available.size());
    for (const auto& subject : scope_.available) ids.push_back(subject.id);
    std::string detail;
    if (ids.empty()) {
      detail = "there are no questions before this one";
    } else if (ids.size() == scope_.all_question_ids.size()) {
      detail = "the questions of the survey are: " + join(ids, kMaxListedQuestions);
    } else {
      detail = "the questions before this one are: " + join(ids, kMaxListedQuestions);
    }
    r_.fail("unknown question \"" + id + "\"", pos, detail + did_you_mean(id, ids));
  }

  // As resolve, for a use that needs an answer.
  const ExpressionSubject& answerable(const std::string& id, std::size_t pos) {
    const ExpressionSubject& s = resolve(id, pos);
    if (s.kind == Kind::NoAnswer) {
      r_.fail("no answer", pos, id + " is an information screen and has no answer");
    }
    return s;
  }

  NodePtr call(const Syntax& s) {
    const bool declined = s.kind == K::Declined;
    const ExpressionSubject& q = answerable(s.text, s.op_pos);
    if (declined && !q.can_decline) {
      r_.fail("cannot decline", s.op_pos, "declined(" + q.id + "): " + q.id + " does not offer \"I'd rather not say\"");
    }
    auto node = make(declined ? Node::Op::Declined : Node::Op::Answered);
    node->question = q.id;
    return node;
  }

  NodePtr bare_question(const Syntax& s) {
    const ExpressionSubject& q = answerable(s.text, s.pos);
    if (q.kind != Kind::Boolean) {
      std::string example;
      switch (q.kind) {
        case Kind::Integer: example = q.id + " >= " + std::to_string(q.min.value_or(1)); break;
        case Kind::Option: example = q.id + " == \"" + (q.options.empty() ? "option" : q.options[0]) + "\""; break;
        case Kind::OptionSet:
          example = "\"" + (q.options.empty() ? std::string("option") : q.options[0]) + "\" in " + q.id;
          break;
        default: example = q.id + " == \"…\""; break;
      }
      r_.fail("not a condition", s.pos,
              q.id + " is " + describe(q) +
                  ", not a yes/no question, so it cannot stand on its "
                  "own; compare it (" +
                  example + ") or use answered(" + q.id + ")");
    }
    auto node = make(Node::Op::IsTrue);
    node->question = q.id;
    return node;
  }

  // Errors for operands that can never be compared: lists outside `in`, conditions.
  void check_comparable(const Syntax& side, const char* op) {
    if (side.kind == K::List) {
      r_.fail("wrong operand", side.pos,
              std::string("a list can only be on the right of \"in\", not next to \"") + op + "\"");
    }
    if (side.kind == K::Paren) {
      const Syntax* inner = &side;
      while (inner->kind == K::Paren) inner = inner->kids[0].get();
      if (inner->kind == K::Ident || is_literal(inner->kind)) {
        r_.fail("wrong operand", side.pos,
                "write " + text(*inner) + " without brackets: brackets group conditions, and " + text(side) +
                    " cannot be compared with \"" + op + "\"");
      }
    }
    if (is_condition(side.kind)) {
      r_.fail("wrong operand", side.pos,
              text(side) + " is a condition, not a value, so it cannot be compared with \"" + op +
                  "\"; use it on its own (or with not)");
    }
  }

  [[noreturn]] void pointless(const Syntax& s, const std::string& why) {
    r_.fail("pointless comparison", s.op_pos, text(s) + " " + why);
  }

  // The option must be one of the question's.
  void check_option(const ExpressionSubject& q, const Syntax& lit) {
    if (std::find(q.options.begin(), q.options.end(), lit.text) != q.options.end()) return;
    r_.fail("unknown option", lit.pos,
            "\"" + lit.text + "\" is not an option of " + q.id + (q.type_name.empty() ? "" : " (" + q.type_name + ")") +
                ": its options are " + join(q.options, q.options.size()) + did_you_mean(lit.text, q.options));
  }

  void check_range(const ExpressionSubject& q, const Syntax& lit) {
    const std::int64_t v = lit.int_value;
    if ((q.min && v < *q.min) || (q.max && v > *q.max)) {
      r_.fail("out of range", lit.pos,
              std::to_string(v) + " is outside the range of " + q.id + " (" +
                  (q.type_name.empty() ? "" : q.type_name + ", ") + range_text(q) + ")");
    }
  }

  // q is compared with a literal of the wrong type.
  [[noreturn]] void mismatch(const ExpressionSubject& q, const Syntax& lit, const std::string& compared_with) {
    std::string hint;
    const std::string first_option = q.options.empty() ? "option" : q.options[0];
    switch (q.kind) {
      case Kind::Integer:
        if (lit.kind == K::Str && looks_like_integer(lit.text)) {
          hint = "; write " + lit.text + " without quotes";
        }
        break;
      case Kind::Boolean:
        if (lit.kind == K::Str && (lit.text == "true" || lit.text == "false")) {
          hint = "; write " + lit.text + " without quotes";
        } else {
          hint = "; compare it with true or false";
        }
        break;
      case Kind::Option:
        hint = "; its options are ids in double quotes, as in " + q.id + " == \"" + first_option + "\"";
        break;
      case Kind::Text: hint = "; compare it with a string in double quotes"; break;
      default: break;
    }
    r_.fail("type mismatch", lit.pos, q.id + " is " + describe(q) + ", compared with " + compared_with + hint);
  }

  void check_literal(const ExpressionSubject& q, const Syntax& lit) {
    if (lit.kind != literal_for(q.kind)) mismatch(q, lit, literal_kind(lit.kind));
    if (q.kind == Kind::Option) check_option(q, lit);
    if (q.kind == Kind::Integer) check_range(q, lit);
  }

  [[noreturn]] void multiple_compared(const ExpressionSubject& q, std::size_t pos, const std::string& what) {
    const std::string option = q.options.empty() ? "option" : q.options[0];
    r_.fail("wrong operator", pos,
            q.id + " is " + describe(q) + " and cannot be " + what + "; test one option at a time, as in \"" + option +
                "\" in " + q.id);
  }

  void check_operator(const ExpressionSubject& q, Cmp cmp, std::size_t pos) {
    if (q.kind == Kind::OptionSet) multiple_compared(q, pos, std::string("compared with ") + cmp_text(cmp));
    if (is_ordering(cmp) && q.kind != Kind::Integer) {
      r_.fail("wrong operator", pos,
              std::string("\"") + cmp_text(cmp) + "\" needs numbers: " + q.id + " is " + describe(q));
    }
  }

  NodePtr comparison(const Syntax& s) {
    const Syntax& left = *s.kids[0];
    const Syntax& right = *s.kids[1];
    const char* op = cmp_text(s.cmp);
    check_comparable(left, op);
    check_comparable(right, op);
    if (is_literal(left.kind) && is_literal(right.kind)) {
      std::string why = "compares two values and no question, so its result never changes";
      if (left.kind == right.kind && (!is_ordering(s.cmp) || left.kind == K::Int)) {
        const bool result = left.kind == K::Int ? compare(left.int_value, s.cmp, right.int_value)
                                                : (same_literal(left, right) == (s.cmp == Cmp::Eq));
        why += result ? " (always true)" : " (always false)";
      }
      pointless(s, why);
    }
    if (left.kind == K::Ident && right.kind == K::Ident) {
      const ExpressionSubject& a = answerable(left.text, left.pos);
      const ExpressionSubject& b = answerable(right.text, right.pos);
      if (a.id == b.id) {
        pointless(s, "compares " + a.id + " with itself; to test for an answer, use answered(" + a.id + ")");
      }
      if (a.kind != b.kind) {
        r_.fail("type mismatch", s.op_pos,
                a.id + " is " + describe(a) + ", compared with " + b.id + ", " + describe(b));
      }
      check_operator(a, s.cmp, s.op_pos);
      auto node = make(Node::Op::CompareQuestions);
      node->cmp = s.cmp;
      node->question = a.id;
      node->other = b.id;
      return node;
    }
    // One question, one literal: normalised to `question cmp literal`.
    const bool question_left = left.kind == K::Ident;
    const Syntax& q_syntax = question_left ? left : right;
    const Syntax& lit = question_left ? right : left;
    const Cmp cmp = question_left ? s.cmp : mirrored(s.cmp);
    const ExpressionSubject& q = answerable(q_syntax.text, q_syntax.pos);
    check_operator(q, s.cmp, s.op_pos);
    check_literal(q, lit);
    auto node = make(Node::Op::CompareValue);
    node->cmp = cmp;
    node->question = q.id;
    node->value = literal_of(lit);
    return node;
  }

  NodePtr in(const Syntax& s) {
    const Syntax& left = *s.kids[0];
    const Syntax& right = *s.kids[1];
    if (left.kind == K::List) {
      r_.fail("wrong operand", left.pos, "a list can only be on the right of \"in\"");
    }
    if (is_condition(left.kind)) {
      r_.fail("wrong operand", left.pos, text(left) + " is a condition and cannot be used with \"in\"");
    }
    if (is_condition(right.kind)) {
      r_.fail("wrong operand", right.pos,
              "the right side of \"in\" must be a list or a multiple-choice question, not a "
              "condition");
    }
    if (is_literal(left.kind) && (is_literal(right.kind) || right.kind == K::List)) {
      pointless(s, "tests two values and no question, so its result never changes");
    }
    if (right.kind == K::List) return in_list(s, answerable(left.text, left.pos), right);
    if (right.kind == K::Ident && left.kind == K::Str) return has_option(s, left, right);
    if (right.kind == K::Ident && is_literal(left.kind)) {
      const ExpressionSubject& q = answerable(right.text, right.pos);
      if (q.kind == Kind::OptionSet) {
        r_.fail("type mismatch", left.pos,
                q.id + " is " + describe(q) +
                    ": only an option id in double quotes can be in "
                    "it, not " +
                    literal_kind(left.kind) + " (as in \"" + (q.options.empty() ? "option" : q.options[0]) + "\" in " +
                    q.id + ")");
      }
      r_.fail("wrong operand", right.pos,
              text(s) +
                  ": the right side of \"in\" must be a list or a multiple-choice question; "
                  "to compare with " +
                  q.id + ", write " + q.id + " == " + text(left));
    }
    // left is a question; right is a question or a literal, not a list.
    const ExpressionSubject& q = answerable(left.text, left.pos);
    if (right.kind == K::Ident) answerable(right.text, right.pos);
    if (q.kind == Kind::OptionSet) {
      if (right.kind == K::Str) {
        r_.fail(
            "wrong operand", left.pos,
            text(s) + ": the option goes on the left, the question on the right: write " + text(right) + " in " + q.id);
      }
      multiple_compared(q, s.op_pos, "on the left of \"in\"");
    }
    if (q.kind == Kind::Boolean) boolean_in(q, s);
    r_.fail("wrong operand", right.pos,
            text(s) + ": the right side of \"in\" must be a list for " + q.id + ", " + describe(q) + ", as in " + q.id +
                " in [" + (right.kind == K::Ident ? "…" : text(right)) + "]");
  }

  [[noreturn]] void boolean_in(const ExpressionSubject& q, const Syntax& s) {
    r_.fail("wrong operator", s.op_pos,
            "\"in\" needs a number, single-choice or text question: " + q.id + " is " + describe(q) + "; write " +
                q.id + " == true or " + q.id + " == false");
  }

  NodePtr in_list(const Syntax& s, const ExpressionSubject& q, const Syntax& list) {
    if (q.kind == Kind::OptionSet) multiple_compared(q, s.op_pos, "on the left of \"in\"");
    if (q.kind == Kind::Boolean) boolean_in(q, s);
    if (list.kids.empty()) {
      r_.fail("empty list", list.pos, text(s) + " is never true: the list is empty");
    }
    const Syntax& first = *list.kids[0];
    for (const auto& item : list.kids) {
      if (item->kind != first.kind) {
        r_.fail("mixed list", item->pos,
                std::string("the list mixes ") + literal_kind(first.kind) + " (" + text(first) + ") and " +
                    literal_kind(item->kind) + " (" + text(*item) + "); all its items must be of one type");
      }
    }
    if (first.kind != literal_for(q.kind)) {
      const char* plural = first.kind == K::Int   ? "a list of numbers"
                           : first.kind == K::Str ? "a list of strings"
                                                  : "a list of true/false";
      mismatch(q, first, plural);
    }
    auto node = make(Node::Op::InList);
    node->question = q.id;
    for (const auto& item : list.kids) {
      check_literal(q, *item);
      node->list.push_back(literal_of(*item));
    }
    return node;
  }

  NodePtr has_option(const Syntax& s, const Syntax& option, const Syntax& right) {
    const ExpressionSubject& q = answerable(right.text, right.pos);
    if (q.kind != Kind::OptionSet) {
      std::string hint;
      if (q.kind == Kind::Option || q.kind == Kind::Text) {
        hint = "; to test its answer, write " + q.id + " == " + text(option);
      }
      r_.fail("wrong operand", right.pos,
              text(s) + ": " + q.id + " must be a multiple-choice question, but it is " + describe(q) + hint);
    }
    check_option(q, option);
    auto node = make(Node::Op::HasOption);
    node->question = q.id;
    node->other = option.text;
    return node;
  }

  const ExpressionScope& scope_;
  const Reporter& r_;
  std::vector<std::string>& refs_;
};

// ---------------------------------------------------------------------------------------------
// Evaluation

using AnswerOf = std::function<const Answer*(std::string_view id)>;

// The answer, or nullptr when there is none or it is Declined.
const Answer* given(const AnswerOf& answer_of, const std::string& id) {
  const Answer* a = answer_of(id);
  return a == nullptr || is_declined(*a) ? nullptr : a;
}

bool matches(const Answer& a, Cmp cmp, const Literal& value) {
  if (const auto* n = std::get_if<std::int64_t>(&a)) {
    const auto* v = std::get_if<std::int64_t>(&value);
    return v != nullptr && compare(*n, cmp, *v);
  }
  if (const auto* b = std::get_if<bool>(&a)) {
    const auto* v = std::get_if<bool>(&value);
    return v != nullptr && compare(*b, cmp, *v);
  }
  if (const auto* s = std::get_if<std::string>(&a)) {
    const auto* v = std::get_if<std::string>(&value);
    return v != nullptr && compare(*s, cmp, *v);
  }
  return false;
}

bool answers_match(const Answer& a, Cmp cmp, const Answer& b) {
  if (a.index() != b.index()) return false;
  if (const auto* n = std::get_if<std::int64_t>(&a)) return compare(*n, cmp, std::get<std::int64_t>(b));
  if (const auto* v = std::get_if<bool>(&a)) return compare(*v, cmp, std::get<bool>(b));
  if (const auto* s = std::get_if<std::string>(&a)) return compare(*s, cmp, std::get<std::string>(b));
  return false;
}

bool eval(const Node& n, const AnswerOf& answer_of) {
  switch (n.op) {
    case Node::Op::Or:
      return std::any_of(n.children.begin(), n.children.end(), [&](const auto& c) { return eval(*c, answer_of); });
    case Node::Op::And:
      return std::all_of(n.children.begin(), n.children.end(), [&](const auto& c) { return eval(*c, answer_of); });
    case Node::Op::Not: return !eval(*n.children[0], answer_of);
    case Node::Op::Answered: return given(answer_of, n.question) != nullptr;
    case Node::Op::Declined: {
      const Answer* a = answer_of(n.question);
      return a != nullptr && is_declined(*a);
    }
    case Node::Op::IsTrue: {
      const Answer* a = given(answer_of, n.question);
      const bool* b = a ? std::get_if<bool>(a) : nullptr;
      return b != nullptr && *b;
    }
    case Node::Op::CompareValue: {
      const Answer* a = given(answer_of, n.question);
      return a != nullptr && matches(*a, n.cmp, n.value);
    }
    case Node::Op::CompareQuestions: {
      const Answer* a = given(answer_of, n.question);
      const Answer* b = a ? given(answer_of, n.other) : nullptr;
      return b != nullptr && answers_match(*a, n.cmp, *b);
    }
    case Node::Op::InList: {
      const Answer* a = given(answer_of, n.question);
      return a != nullptr &&
             std::any_of(n.list.begin(), n.list.end(), [&](const Literal& v) { return matches(*a, Cmp::Eq, v); });
    }
    case Node::Op::HasOption: {
      const Answer* a = given(answer_of, n.question);
      const auto* set = a ? std::get_if<OptionIds>(a) : nullptr;
      return set != nullptr && std::find(set->begin(), set->end(), n.other) != set->end();
    }
  }
  return false;
}

}  // namespace

Expression Expression::parse(std::string_view text, const ExpressionScope& scope) {
  const Reporter reporter(text, scope.where);
  const std::size_t chars = count_chars(text);
  if (chars > kMaxLength || text.size() > kMaxBytes) {
    std::size_t pos = 0;  // the byte where character kMaxLength + 1 starts
    for (std::size_t seen = 0; pos < text.size(); ++pos) {
      if (!is_continuation(static_cast<unsigned char>(text[pos])) && seen++ == kMaxLength) break;
    }
    reporter.syntax(std::min(pos, kMaxBytes), "the expression is too long (" + std::to_string(chars) +
                                                  " characters; at most " + std::to_string(kMaxLength) + ")");
  }
  Parser parser(Lexer(text).run(), reporter);
  const SyntaxPtr syntax = parser.run();

  Expression e;
  Checker checker(scope, reporter, e.references_);
  e.root_ = checker.condition(*syntax);
  e.text_ = std::string(text);
  return e;
}

bool Expression::evaluate(const std::function<const Answer*(std::string_view id)>& answer_of) const {
  return root_ == nullptr || eval(*root_, answer_of);
}

}  // namespace tt::survey

#pragma once
// The skip-logic expression language of `show_if` and safeguarding alerts (docs/survey-format.md,
// "Skip logic"). An expression is parsed and type-checked once, when the survey is loaded; after
// that, evaluating it cannot fail.
//
// Grammar (precedence low → high):
//   or_expr   := and_expr ("or" and_expr)*
//   and_expr  := not_expr ("and" not_expr)*
//   not_expr  := "not" not_expr | primary_comparison
//   primary_comparison := operand (("=="|"!="|"<"|"<="|">"|">=") operand | "in" operand)?
//   operand   := INTEGER | STRING | "true" | "false" | list | IDENT | call | "(" or_expr ")"
//   call      := ("answered" | "declined") "(" IDENT ")"
//   list      := "[" (literal ("," literal)*)? "]"
// So a comparison binds tighter than "not": `not a == 1` is `not (a == 1)`; then "and", then
// "or": `a or b and c` is `a or (b and c)`.
// A bare IDENT on its own is allowed only for a yes_no question (it means `q == true`).
// INTEGER is an optional "-" then digits, within int64; STRING is in double quotes with the
// escapes \" and \\ only. Reserved words: and or not in true false answered declined.
// Limits: at most 2000 characters, and at most 64 nested levels of brackets and "not".
//
// Semantics:
// - answered(q) is true when q has an answer that is not Declined (a skipped, hidden or
//   unreached question has no answer). declined(q) is true when q's answer is Declined
//   ("I'd rather not say"); it is allowed only for questions with can_decline. For any q at
//   most one of the two is true, and both are false when q has no answer.
// - A comparison (==, !=, <, <=, >, >=), `in`, or a bare yes_no question that involves a
//   question with no answer or a Declined answer is false; so `q != 1` is false when q is
//   unanswered and `not (q == 1)` is true. An answer of the wrong alternative for the question's
//   kind counts as no answer.
// - Comparing two questions (same kind only) is false unless both have a non-declined answer.
// - Strings compare exactly (byte for byte, case-sensitive); `"opt" in q` is true when the
//   multiple-choice answer contains opt.
// - An empty Expression (default-constructed: no show_if) evaluates to true.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/common/error.h"
#include "shared/survey/answer.h"

namespace tt::survey {

// What an expression may know about a question it names.
struct ExpressionSubject {
  enum class Kind { Integer, Boolean, Option, OptionSet, Text, NoAnswer };
  std::string id;
  Kind kind = Kind::Integer;
  std::string type_name;             // the survey's type word, for messages: "scale", "single", …
  std::vector<std::string> options;  // Option / OptionSet: the option ids, in order
  std::optional<std::int64_t> min;   // Integer: inclusive bounds, when the question has them
  std::optional<std::int64_t> max;
  bool can_decline = false;
};

// The questions an expression may refer to (those before it, in order) and every question of the
// survey (so "comes later" and "unknown" give different messages).
struct ExpressionScope {
  std::vector<ExpressionSubject> available;
  std::vector<std::string> all_question_ids;
  std::string where;  // e.g. "show_if of question wellbeing_3", for nothing but messages
};

// Thrown by parse: message says what is wrong and where, e.g.
// `syntax error at column 9 of "a <= ": expected a value after "<="`.
class ExpressionError : public Error {
 public:
  using Error::Error;
};

class Expression {
 public:
  struct Node;
  Expression() = default;
  // Parses and checks. Throws ExpressionError.
  static Expression parse(std::string_view text, const ExpressionScope& scope);

  // `answer_of(id)` returns nullptr when the question has no answer.
  bool evaluate(const std::function<const Answer*(std::string_view id)>& answer_of) const;

  const std::string& text() const { return text_; }
  // The ids of the questions it reads, in first-use order (the flow uses them for dependencies).
  const std::vector<std::string>& references() const { return references_; }
  bool empty() const { return root_ == nullptr; }

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
  std::vector<std::string> references_;
};

}  // namespace tt::survey

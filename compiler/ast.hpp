#pragma once
/// The compiler's AST: Python's own ast module parses on the client; this is that tree, read from
/// its Cap'n Proto encoding into one compact node shape. Each kind documents which slots it uses.
/// Anything outside the supported subset is rejected here with an UnsupportedError naming the
/// construct, file and line.

#include "compiler/errors.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>


namespace shoal::compiler {

enum class K {
  // statements
  FunctionDef, ///< s=name, a=body, params, x=Lambda-like arguments (see Node::params)
  Return,      ///< x=value (nullable)
  Assign,      ///< a=targets, x=value
  AugAssign,   ///< x=target, y=value, op
  ExprStmt,    ///< x=value
  If,          ///< x=test, a=body, b=orelse
  While,       ///< x=test, a=body, b=orelse
  For,         ///< x=target, y=iter, a=body, b=orelse
  Break,
  Continue,
  Pass,
  Raise,       ///< x=exc (nullable)
  Try,         ///< a=body, b=handlers (Handler), c=orelse, d=finalbody
  Handler,     ///< x=type (nullable), s=name (may be empty), a=body
  Assert,      ///< x=test, y=msg (nullable)
  Nonlocal,    ///< names
  Global,      ///< names
  // expressions
  BinOp,       ///< x=left, y=right, op
  UnaryOp,     ///< x=operand, s=op name (USub, UAdd, Not, Invert)
  BoolOp,      ///< a=values, s="And"|"Or"
  Compare,     ///< x=left, a=comparators, names=op names
  Call,        ///< x=func, a=args, b=keywords (Keyword)
  Keyword,     ///< s=arg, x=value
  Name,        ///< s=id
  Const,       ///< cv
  Tuple,       ///< a=elts
  IfExp,       ///< x=test, y=body, z=orelse
  Lambda,      ///< y=body expression, params
  GenExp,      ///< x=elt, a=generators (Comprehension)
  Comprehension, ///< x=target, y=iter, a=ifs
  Attribute,   ///< x=value, s=attr
  Subscript,   ///< x=value, y=index
  List,        ///< a=elts (Starred allowed)
  Set,         ///< a=elts
  Dict,        ///< a=keys (nullptr for a `**d` entry), b=values
  ListComp,    ///< x=elt, a=generators
  SetComp,     ///< x=elt, a=generators
  DictComp,    ///< x=key, y=value, a=generators
  JoinedStr,   ///< a=values (Const str pieces and FormattedValue)
  FormattedValue, ///< x=value, op=conversion (-1, 's', 'r', 'a'), y=format spec (JoinedStr) or null
  Slice,       ///< x=lower, y=upper, z=step (each nullable)
  Starred,     ///< x=value
  Delete,      ///< a=targets
  Yield,       ///< x=value (nullable)
};

/// A constant from the source.
struct ConstVal {
  enum class T { None, Bool, Int, BigInt, Float, Str, Ellipsis } t = T::None;
  int64_t i = 0;
  double f = 0;
  std::string s; ///< Str text or BigInt digits
};

struct Node;
/// Parameters of a def or lambda (positional-or-keyword, and keyword-only).
struct Params {
  std::vector<std::string> names;   ///< positional-or-keyword, in order
  std::vector<Node*> defaults;      ///< defaults of the last names (from the source)
  std::vector<std::string> kwonly;
  std::vector<Node*> kw_defaults;   ///< one per kwonly (nullptr = required)
  std::string vararg;               ///< name of *args, or empty
  std::string kwarg;                ///< name of **kwargs, or empty
};

struct Node {
  K kind;
  int line = 0;
  int col = 0;
  int id = 0;      ///< unique within its program, for side tables
  int op = 0;      ///< rt::BinOp for BinOp and AugAssign
  std::string s;
  std::vector<std::string> names;
  std::vector<Node*> a, b, c, d;
  Node* x = nullptr;
  Node* y = nullptr;
  Node* z = nullptr;
  ConstVal cv;
  Params* params = nullptr;
  bool par = false; ///< a call the enclosing __shoal_fork runs at once with its siblings (compiler/parallel.hpp)
};

/// Owns every node of one program.
class AstArena {
public:
  Node* make(K kind, int line, int col);
  Params* make_params();
  int size() const { return int(nodes_.size()); }

private:
  std::deque<Node> nodes_;
  std::deque<Params> params_;
};

/// Reads a FunctionDef or Lambda node from its wire encoding. Throws UnsupportedError.
Node* read_function(AstArena& arena, const void* wire_ast, const std::string& file);

/// Writes a readable dump of a tree (the `ast` stage of --dump); note, when given, adds text
/// after each node (the `ir` stage writes each expression's type there).
std::string dump(const Node* n, int indent = 0, const std::function<std::string(const Node*)>& note = {});

} // namespace shoal::compiler

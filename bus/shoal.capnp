@0xdee9aca1f5ef89ea;
# Every message that crosses a process boundary. Field ordinals are stable: only append.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("shoal::wire");

# A Python AST node, encoded generically: the node's class name, its position, its fields.
struct Ast {
  kind @0 :Text;
  line @1 :UInt32;
  col @2 :UInt32;
  fields @3 :List(Field);
}

struct Field {
  name @0 :Text;
  value @1 :AstValue;
}

struct AstValue {
  union {
    none @0 :Void;
    node @1 :Ast;
    list @2 :List(AstValue);
    str @3 :Text;
    int @4 :Int64;
    bigInt @5 :Text;     # constants outside int64, in hex with sign and 0x ("-0x1f")
    float @6 :Float64;
    bool @7 :Bool;
    bytes @8 :Data;
    ellipsis @9 :Void;
  }
}

# A Python value crossing a process: an argument, a global, a closure cell or a result.
struct Value {
  union {
    none @0 :Void;
    bool @1 :Bool;
    int @2 :Int64;
    bigInt @3 :Text;     # ints outside int64, in hex with sign and 0x ("-0x1f")
    float @4 :Float64;
    str @5 :Text;
    tuple @6 :List(Value);
    function @7 :UInt32; # index into Program.functions
    module @8 :Text;     # "math"
    builtin @9 :Text;    # "abs", "math.sqrt", "ValueError"
    unsupported @10 :Text; # a value the bridge could not encode: its type name
    list @11 :List(Value);
    dict @12 :List(Value);      # key, value, key, value, ... in insertion order
    set @13 :List(Value);
    frozenset @14 :List(Value);
    class @15 :UInt32;          # index into Program.classes
    instance @16 :Instance;
  }
}

# An instance of a user class: its class and its attributes (__dict__).
struct Instance {
  cls @0 :UInt32;
  attrs @1 :List(Binding);
}

# One member of a class body.
struct Member {
  name @0 :Text;
  kind @1 :Kind;
  value @2 :Value;                # the function (or the getter of a property), or a plain value
  setter @3 :Value;               # a property's setter function, or none
  enum Kind {
    value @0;
    method @1;
    staticMethod @2;
    classMethod @3;
    property @4;
  }
}

# A user class: its bases and the members of its body.
struct Class {
  name @0 :Text;
  qualname @1 :Text;
  file @2 :Text;
  firstLine @3 :UInt32;
  bases @4 :List(Value);          # classes, or a built-in exception class (builtin "ValueError")
  members @5 :List(Member);
}

struct Binding {
  name @0 :Text;
  value @1 :Value;
}

# One user function: its source AST and the environment it closes over.
struct Function {
  name @0 :Text;
  qualname @1 :Text;
  file @2 :Text;
  firstLine @3 :UInt32;
  ast @4 :Ast;                    # the FunctionDef or Lambda node, lines as in the file
  globals @5 :List(Binding);      # module-level names the function reads
  closure @6 :List(Binding);      # free variables (cells) with their current values
  defaults @7 :List(Value);       # __defaults__
  kwDefaults @8 :List(Binding);   # __kwdefaults__
  codeHash @9 :UInt64;            # hash of source and environment, for the compile cache
}

struct Program {
  functions @0 :List(Function);
  classes @1 :List(Class);
}

struct CallRequest {
  id @0 :UInt64;
  program @1 :Program;
  entry @2 :UInt32;               # index of the called function
  args @3 :List(Value);
  kwargs @4 :List(Binding);
  options @5 :CallOptions;
}

struct CallOptions {
  dump @0 :Text;                  # comma list of stages to dump: ast,ir,llvm
  recursionLimit @1 :UInt32;
  trace @2 :Bool;                 # return the split tree (CallResult.splits)
  explain @3 :Bool;               # compile only; answer with the parallelism report (CallResult.explain)
}

struct Frame {
  file @0 :Text;
  function @1 :Text;
  line @2 :UInt32;
}

struct Error {
  type @0 :Text;                  # CPython exception class name, or "UnsupportedError"
  message @1 :Text;
  traceback @2 :List(Frame);      # outermost first
  args @3 :List(Value);           # the exception's arguments, when they can travel
}

struct CallResult {
  id @0 :UInt64;
  union {
    value @1 :Value;
    error @2 :Error;
  }
  stdout @3 :Text;                # what the call printed
  dumps @4 :List(Binding);        # stage name -> text, when dump was asked
  stats @5 :CallStats;
  splits @6 :List(Split);         # the split tree, when trace was asked
  explain @7 :List(ParDecision);  # when explain was asked
  splitsTruncated @8 :Bool;
}

# One record of a call's split tree: a construct run in parallel, or one of its pieces.
struct Split {
  id @0 :Int64;
  parent @1 :Int64;               # the piece it ran inside; 0: the call itself
  what @2 :Text;                  # "piece", or the construct / called function
  line @3 :UInt32;
  lo @4 :Int64;                   # a piece's index range; a construct's 0..n
  hi @5 :Int64;
  worker @6 :Int32;
  start @7 :Float64;              # seconds since the call started
  seconds @8 :Float64;
}

# The compiler's decision about one construct: parallel or not, and why.
struct ParDecision {
  file @0 :Text;
  line @1 :UInt32;
  construct @2 :Text;
  parallel @3 :Bool;
  reason @4 :Text;
}

struct CallStats {
  compileSeconds @0 :Float64;
  runSeconds @1 :Float64;
  cacheHit @2 :Bool;
  deoptimised @3 :Bool;           # re-ran with arbitrary-precision ints after an int64 overflow
}

# What a node is doing, and what its statistical-cost model knows: (status_atom, StatusRequest)
# -> NodeStatus. Serves cluster.profile() and Future.progress().
struct StatusRequest {
  callId @0 :UInt64;              # the call whose progress is asked for; 0: none
}

struct NodeStatus {
  workers @0 :UInt32;
  busy @1 :UInt32;                # workers running a call or a piece now
  piecesDone @2 :UInt64;          # pieces run since the node started
  piecesQueued @3 :UInt64;        # pieces waiting on workers' deques now
  call @4 :CallProgress;          # the asked-for call (found = false when it is not running)
  profile @5 :List(FunctionProfile);
  modelFile @6 :Text;             # where the cost model persists ("" when it does not)
}

struct CallProgress {
  found @0 :Bool;
  elapsed @1 :Float64;            # seconds since it started running
  predicted @2 :Float64;          # the cost model's prediction of its run time; < 0: none
}

struct FunctionProfile {
  key @0 :Text;                   # function (or parallel construct) and argument types
  calls @1 :UInt64;
  total @2 :Float64;              # seconds
  mean @3 :Float64;
  model @4 :Text;                 # the fitted model, e.g. "t = 2.0e-08 * x0 log2 x0 (...)"
}

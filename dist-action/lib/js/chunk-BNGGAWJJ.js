import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  DEFAULT_NO_RETURN,
  buildCFG,
  buildCallGraph,
  calledName,
  docUrl,
  exprStmtCall,
  isPanicCall,
  nodeContains,
  returnedLits,
  severityRank,
  shortNameOf,
  under,
  walkNode
} from "./chunk-X2CHC4MP.js";
import {
  NOPOS,
  bytesContain,
  end,
  forEachChild,
  inspect,
  loopingLabels,
  pos,
  returnedSelector,
  unparen
} from "./chunk-YTCJ642O.js";

// src/rules/catalog.ts
var OPEN = "stays open";
var ACQUIRING_CALLS = {
  "os.Open": { what: "file", held: OPEN },
  "os.Create": { what: "file", held: OPEN },
  "os.OpenFile": { what: "file", held: OPEN },
  "os.CreateTemp": { what: "temporary file", held: OPEN },
  "(*os.Root).Open": { what: "file", held: OPEN },
  "(*os.Root).Create": { what: "file", held: OPEN },
  "(*os.Root).OpenFile": { what: "file", held: OPEN },
  "os.MkdirTemp": { what: "temporary directory", held: "stays on disk" },
  "os.Pipe": { what: "pipe", held: OPEN },
  "net.Dial": { what: "connection", held: OPEN },
  "net.DialTimeout": { what: "connection", held: OPEN },
  "net.DialTCP": { what: "connection", held: OPEN },
  "net.DialUDP": { what: "connection", held: OPEN },
  "(*net.Dialer).Dial": { what: "connection", held: OPEN },
  "(*net.Dialer).DialContext": { what: "connection", held: OPEN },
  "net.Listen": { what: "listener", held: OPEN },
  "(net.Listener).Accept": { what: "connection", held: OPEN },
  "crypto/tls.Dial": { what: "connection", held: OPEN },
  "net/http.Get": { what: "response body", held: "stays open and keeps its connection" },
  "net/http.Post": { what: "response body", held: "stays open and keeps its connection" },
  "net/http.Head": { what: "response body", held: "stays open and keeps its connection" },
  "net/http.PostForm": { what: "response body", held: "stays open and keeps its connection" },
  "(*net/http.Client).Do": { what: "response body", held: "stays open and keeps its connection" },
  "(*net/http.Client).Get": { what: "response body", held: "stays open and keeps its connection" },
  "(*net/http.Client).Post": { what: "response body", held: "stays open and keeps its connection" },
  "(*database/sql.DB).Query": { what: "rows", held: "stay open and hold a database connection" },
  "(*database/sql.DB).QueryContext": { what: "rows", held: "stay open and hold a database connection" },
  "(*database/sql.Tx).Query": { what: "rows", held: "stay open" },
  "(*database/sql.Tx).QueryContext": { what: "rows", held: "stay open" },
  "(*database/sql.Stmt).Query": { what: "rows", held: "stay open and hold a database connection" },
  "(*database/sql.DB).Begin": { what: "transaction", held: "stays open and holds a database connection" },
  "(*database/sql.DB).BeginTx": { what: "transaction", held: "stays open and holds a database connection" },
  "(*database/sql.DB).Conn": { what: "database connection", held: "stays checked out" },
  "(*database/sql.DB).Prepare": { what: "prepared statement", held: OPEN },
  "(*database/sql.DB).PrepareContext": { what: "prepared statement", held: OPEN },
  "context.WithCancel": { what: "context", held: "is not cancelled" },
  "context.WithTimeout": { what: "context", held: "keeps its timer" },
  "context.WithDeadline": { what: "context", held: "keeps its timer" },
  "context.WithCancelCause": { what: "context", held: "is not cancelled" },
  "time.NewTicker": { what: "ticker", held: "keeps ticking" },
  "time.NewTimer": { what: "timer", held: "stays armed" },
  "compress/gzip.NewReader": { what: "gzip reader", held: OPEN },
  "compress/gzip.NewWriter": { what: "gzip writer", held: "stays unflushed" },
  "archive/zip.OpenReader": { what: "zip file", held: OPEN },
  "bufio.NewWriter": { what: "buffered writer", held: "stays unflushed" }
};
var RELEASE_METHODS = /* @__PURE__ */ new Set([
  "Close",
  "CloseSend",
  "Unlock",
  "RUnlock",
  "Stop",
  "Rollback",
  "Release",
  "Flush",
  "Sync",
  "Done",
  "Cancel",
  "Shutdown",
  "Wait",
  "Finish",
  "End",
  "Terminate",
  "Kill",
  "Destroy",
  "Free",
  "Dispose",
  "Disconnect",
  "Cleanup",
  "Discard",
  "Unsubscribe",
  "Quit",
  "Exit",
  "Teardown",
  "Remove"
]);
var MUTEX_METHODS = {
  "(*sync.Mutex).Lock": "Lock",
  "(*sync.Mutex).Unlock": "Unlock",
  "(*sync.Mutex).TryLock": "TryLock",
  "(*sync.RWMutex).Lock": "Lock",
  "(*sync.RWMutex).Unlock": "Unlock",
  "(*sync.RWMutex).RLock": "RLock",
  "(*sync.RWMutex).RUnlock": "RUnlock",
  "(*sync.RWMutex).TryLock": "TryLock",
  "(*sync.RWMutex).TryRLock": "TryRLock",
  "(sync.Locker).Lock": "Lock",
  "(sync.Locker).Unlock": "Unlock"
};
var UNLOCK_FOR = { Lock: "Unlock", RLock: "RUnlock", TryLock: "Unlock", TryRLock: "RUnlock" };
var EXIT_FUNCTIONS = /* @__PURE__ */ new Set([
  "os.Exit",
  "syscall.Exit",
  "log.Fatal",
  "log.Fatalf",
  "log.Fatalln",
  "(*log.Logger).Fatal",
  "(*log.Logger).Fatalf",
  "(*log.Logger).Fatalln",
  // logrus: package functions, *Logger, *Entry, and the FieldLogger interfaces.
  ...["Fatal", "Fatalf", "Fatalln", "Exit"].map((m) => `github.com/sirupsen/logrus.${m}`),
  ...["Logger", "Entry"].flatMap((t) => ["Fatal", "Fatalf", "Fatalln", "Exit"].map((m) => `(*github.com/sirupsen/logrus.${t}).${m}`)),
  ...["FieldLogger", "Ext1FieldLogger", "StdLogger"].flatMap((t) => ["Fatal", "Fatalf", "Fatalln"].map((m) => `(github.com/sirupsen/logrus.${t}).${m}`)),
  // zap
  "(*go.uber.org/zap.Logger).Fatal",
  ...["Fatal", "Fatalf", "Fatalw", "Fatalln"].map((m) => `(*go.uber.org/zap.SugaredLogger).${m}`),
  // klog (v1 and v2) and glog: Fatal* and Exit* end the process.
  ...["k8s.io/klog", "k8s.io/klog/v2", "github.com/golang/glog"].flatMap(
    (p) => ["Fatal", "Fatalf", "Fatalln", "FatalDepth", "Exit", "Exitf", "Exitln", "ExitDepth"].map((m) => `${p}.${m}`)
  ),
  ...["k8s.io/klog", "k8s.io/klog/v2"].flatMap((p) => ["Fatal", "Fatalf", "Fatalln"].map((m) => `(${p}.Verbose).${m}`))
]);
var FATAL_EVENT_SOURCES = /* @__PURE__ */ new Set([
  "(*github.com/rs/zerolog.Logger).Fatal",
  "github.com/rs/zerolog/log.Fatal"
]);
var EVENT_SENDERS = new Set(
  ["Msg", "Msgf", "MsgFunc", "Send"].map((m) => `(*github.com/rs/zerolog.Event).${m}`)
);
var HARMLESS_AT_EXIT = /* @__PURE__ */ new Set([
  "(*sync.Mutex).Unlock",
  "(*sync.RWMutex).Unlock",
  "(*sync.RWMutex).RUnlock",
  "(sync.Locker).Unlock",
  "(*sync.WaitGroup).Done",
  // Handing a value back to a pool, or waking waiters: in-memory state that ends with the process.
  "(*sync.Pool).Put",
  "(*sync.Cond).Broadcast",
  "(*sync.Cond).Signal",
  "(*time.Ticker).Stop",
  "(*time.Timer).Stop",
  "os/signal.Stop",
  // Settings of the process itself, restored on the way out: they end with it.
  "runtime.UnlockOSThread",
  "runtime.GOMAXPROCS",
  "runtime/debug.SetGCPercent",
  "runtime/debug.SetMemoryLimit",
  "context.CancelFunc",
  "context.CancelCauseFunc",
  // The kernel closes every descriptor when the process ends, and *os.File buffers nothing in user
  // space: what was written is already in the kernel (a bufio.Writer over it is another matter).
  "(*os.File).Close"
]);
var FILE_CHECKED = ["Close", "Sync"];
var STREAM = (what, release = ["Close"]) => ({
  what,
  verb: "from",
  release,
  checked: release,
  wraps: 0
});
var WRITE_RESOURCES = {
  "os.Create": { what: "file", verb: "created by", release: ["Close"], checked: FILE_CHECKED },
  "os.CreateTemp": { what: "temporary file", verb: "created by", release: ["Close"], checked: FILE_CHECKED },
  "os.OpenFile": { what: "file", verb: "opened for writing by", release: ["Close"], checked: FILE_CHECKED, flagsArg: 1 },
  // The same inside a directory root (Go 1.24's os.Root).
  "(*os.Root).Create": { what: "file", verb: "created by", release: ["Close"], checked: FILE_CHECKED },
  "(*os.Root).OpenFile": { what: "file", verb: "opened for writing by", release: ["Close"], checked: FILE_CHECKED, flagsArg: 1 },
  "bufio.NewWriter": STREAM("buffered writer", ["Flush"]),
  "bufio.NewWriterSize": STREAM("buffered writer", ["Flush"]),
  "compress/gzip.NewWriter": STREAM("gzip writer"),
  "compress/gzip.NewWriterLevel": STREAM("gzip writer"),
  "compress/zlib.NewWriter": STREAM("zlib writer"),
  "compress/zlib.NewWriterLevel": STREAM("zlib writer"),
  "compress/zlib.NewWriterLevelDict": STREAM("zlib writer"),
  "compress/flate.NewWriter": STREAM("flate writer"),
  "compress/flate.NewWriterDict": STREAM("flate writer"),
  "compress/lzw.NewWriter": STREAM("lzw writer"),
  "archive/zip.NewWriter": STREAM("zip writer"),
  "archive/tar.NewWriter": STREAM("tar writer"),
  // Encoders that keep a partial block until Close writes it (the writer is the second argument).
  "encoding/base64.NewEncoder": { ...STREAM("base64 encoder"), wraps: 1 },
  "encoding/base32.NewEncoder": { ...STREAM("base32 encoder"), wraps: 1 },
  "encoding/ascii85.NewEncoder": STREAM("ascii85 encoder"),
  // Close writes the closing boundary, the last soft line.
  "mime/multipart.NewWriter": STREAM("multipart writer"),
  "mime/quotedprintable.NewWriter": STREAM("quoted-printable writer"),
  "encoding/csv.NewWriter": {
    what: "csv writer",
    verb: "from",
    release: ["Flush"],
    checked: ["Error"],
    wraps: 0,
    errorVia: "csv.Writer.Flush returns nothing and reports write errors only through Error()"
  }
};
var DEPENDENT_RESOURCES = {
  "(*database/sql.DB).Begin": { what: "transaction", verb: "from", release: ["Rollback", "Commit"], checked: ["Commit"], wraps: "recv" },
  "(*database/sql.DB).BeginTx": { what: "transaction", verb: "from", release: ["Rollback", "Commit"], checked: ["Commit"], wraps: "recv" },
  "(*database/sql.Conn).BeginTx": { what: "transaction", verb: "from", release: ["Rollback", "Commit"], checked: ["Commit"], wraps: "recv", closeWaits: "a return before {w} is committed" },
  "(*database/sql.Conn).QueryContext": { what: "rows", verb: "from", release: ["Close"], checked: ["Close"], wraps: "recv", closeWaits: "a return before {w} is read to the end" },
  // A TLS connection's Close sends the close_notify alert over the connection it wraps: closed
  // first, the peer sees the stream cut instead of a clean end (and cannot tell it from a truncation).
  "crypto/tls.Client": { what: "TLS connection", verb: "from", release: ["Close"], checked: ["Close"], wraps: 0 },
  "crypto/tls.Server": { what: "TLS connection", verb: "from", release: ["Close"], checked: ["Close"], wraps: 0 }
};
var OPEN_FLAGS = {
  O_RDONLY: 0,
  O_WRONLY: 1,
  O_RDWR: 2,
  O_CREATE: 64,
  O_CREAT: 64,
  O_EXCL: 128,
  O_NOCTTY: 256,
  O_TRUNC: 512,
  O_APPEND: 1024,
  O_NONBLOCK: 2048,
  O_SYNC: 1052672,
  O_DSYNC: 4096,
  O_CLOEXEC: 524288,
  O_DIRECTORY: 65536,
  O_NOFOLLOW: 131072
};
var OPEN_WRITE_BITS = 64 | 512 | 1024;
var WAIT_CALLS = /* @__PURE__ */ new Set([
  "(*sync.WaitGroup).Wait",
  "(*golang.org/x/sync/errgroup.Group).Wait",
  "(*github.com/sourcegraph/conc.WaitGroup).Wait",
  "(*github.com/sourcegraph/conc/pool.Pool).Wait",
  "(*github.com/sourcegraph/conc/pool.ErrorPool).Wait",
  "(*github.com/sourcegraph/conc/pool.ContextPool).Wait"
]);
var PLUMBING_CALLS = /* @__PURE__ */ new Set([
  "builtin close",
  "builtin len",
  "builtin cap",
  "(*sync.WaitGroup).Wait",
  "(*sync.WaitGroup).Done",
  "(*sync.WaitGroup).Add",
  "(context.Context).Done",
  "(context.Context).Err",
  "time.Sleep",
  "time.After",
  "(*time.Timer).Stop",
  "(*time.Ticker).Stop"
]);
var BLOCKING_CALLS = {
  "time.Sleep": "sleeps",
  "(*sync.WaitGroup).Wait": "blocks until every goroutine of the group has called Done",
  "(*golang.org/x/sync/errgroup.Group).Wait": "blocks until every goroutine of the group has returned",
  "(*sync.Cond).Wait": "blocks until another goroutine signals the condition",
  "(*sync.Mutex).Lock": "blocks until the mutex is free",
  "(*sync.RWMutex).Lock": "blocks until the mutex is free",
  "(*sync.RWMutex).RLock": "blocks until no writer holds or waits for the mutex",
  "(sync.Locker).Lock": "blocks until the lock is free",
  ...Object.fromEntries(
    ["Get", "Post", "Head", "PostForm"].flatMap((m) => [
      [`net/http.${m}`, "waits for a network round trip"],
      [`(*net/http.Client).${m}`, "waits for a network round trip"]
    ])
  ),
  "(*net/http.Client).Do": "waits for a network round trip",
  "(*net/http.Server).Shutdown": "waits until every active connection is idle",
  ...Object.fromEntries(
    ["net.Dial", "net.DialTCP", "net.DialUDP", "net.DialIP", "net.DialUnix", "(*net.Dialer).Dial", "(*net.Dialer).DialContext", "crypto/tls.Dial", "(*crypto/tls.Dialer).DialContext"].map((n) => [
      n,
      "waits for a network connection to be established"
    ])
  ),
  ...Object.fromEntries(
    ["net.Conn", "*net.conn", "*net.TCPConn", "*net.UDPConn", "*net.UnixConn", "*net.IPConn", "*crypto/tls.Conn"].flatMap(
      (t) => ["Read", "Write"].map((m) => [`(${t}).${m}`, m === "Read" ? "waits for the peer to send data" : "waits for the peer to accept data"])
    )
  ),
  "(*crypto/tls.Conn).Handshake": "waits for the TLS handshake with the peer",
  "(*os/exec.Cmd).Run": "runs an external program to completion",
  "(*os/exec.Cmd).Wait": "waits for an external program to exit",
  "(*os/exec.Cmd).Output": "runs an external program to completion",
  "(*os/exec.Cmd).CombinedOutput": "runs an external program to completion",
  "(*os.Process).Wait": "waits for a process to exit",
  "os.RemoveAll": "deletes a whole directory tree",
  "path/filepath.Walk": "walks a whole directory tree",
  "path/filepath.WalkDir": "walks a whole directory tree",
  "io/fs.WalkDir": "walks a whole directory tree",
  ...Object.fromEntries(
    ["DB", "Tx", "Conn", "Stmt"].flatMap(
      (t) => ["Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext"].map((m) => [`(*database/sql.${t}).${m}`, "waits for a database round trip"])
    )
  ),
  "(*database/sql.DB).Ping": "waits for a database round trip",
  "(*database/sql.DB).PingContext": "waits for a database round trip"
};
var BLOCKING_LOCKS = /* @__PURE__ */ new Set(["(*sync.Mutex).Lock", "(*sync.RWMutex).Lock", "(*sync.RWMutex).RLock", "(sync.Locker).Lock"]);
var DEADLINE_CONTEXTS = /* @__PURE__ */ new Set(["context.WithTimeout", "context.WithDeadline", "context.WithTimeoutCause", "context.WithDeadlineCause"]);
var TIMEOUT_CHANNELS = /* @__PURE__ */ new Set(["time.After", "time.Tick", "(context.Context).Done"]);
var HANDLER_PARAMS = [
  { pkg: "net/http", name: "ResponseWriter", pointer: false, framework: "net/http handler" },
  { pkg: "gin", name: "Context", pointer: true, framework: "gin handler" },
  { pkg: "echo", name: "Context", pointer: false, framework: "echo handler" },
  { pkg: "fiber", name: "Ctx", pointer: true, framework: "fiber handler" }
];
var SERVE_CALLS = /* @__PURE__ */ new Set([
  "net/http.ListenAndServe",
  "net/http.ListenAndServeTLS",
  "net/http.Serve",
  "net/http.ServeTLS",
  "(*net/http.Server).ListenAndServe",
  "(*net/http.Server).ListenAndServeTLS",
  "(*net/http.Server).Serve",
  "(*net/http.Server).ServeTLS",
  "(*google.golang.org/grpc.Server).Serve",
  "(*github.com/gin-gonic/gin.Engine).Run",
  "(*github.com/gin-gonic/gin.Engine).RunTLS",
  "(*github.com/labstack/echo/v4.Echo).Start",
  "(*github.com/labstack/echo/v4.Echo).StartTLS",
  "(*github.com/gofiber/fiber/v2.App).Listen"
]);
var SERVE_METHODS = /* @__PURE__ */ new Set(["Serve", "ServeTLS", "ListenAndServe", "ListenAndServeTLS"]);
var SIGNAL_HANDLERS = /* @__PURE__ */ new Set([
  "os/signal.Notify",
  "os/signal.NotifyContext",
  "sigs.k8s.io/controller-runtime/pkg/manager/signals.SetupSignalHandler",
  "sigs.k8s.io/controller-runtime.SetupSignalHandler",
  "k8s.io/apiserver/pkg/server.SetupSignalHandler",
  "k8s.io/apiserver/pkg/server.SetupSignalContext",
  "(*go.uber.org/fx.App).Run",
  "github.com/oklog/run.SignalHandler"
]);
var HTTP_REQUEST_CALLS = /* @__PURE__ */ new Set([
  "net/http.Get",
  "net/http.Head",
  "net/http.Post",
  "net/http.PostForm",
  "(*net/http.Client).Do",
  "(*net/http.Client).Get",
  "(*net/http.Client).Head",
  "(*net/http.Client).Post",
  "(*net/http.Client).PostForm",
  "(net/http.RoundTripper).RoundTrip",
  "(*net/http.Transport).RoundTrip"
]);
var RELEASED_BY_KERNEL = /* @__PURE__ */ new Set([
  "os.Open",
  "net.Listen",
  "net.ListenPacket",
  "net.ListenTCP",
  "net.ListenUDP",
  "(*net.ListenConfig).Listen",
  "crypto/tls.Listen"
]);

// src/rules/helpers.ts
function isFunc(n) {
  return n.kind === "FuncDecl" || n.kind === "FuncLit";
}
function isLoop(n) {
  return n.kind === "ForStmt" || n.kind === "RangeStmt";
}
function enclosingFunc(stack) {
  for (let i = stack.length - 2; i >= 0; i--) {
    const n = stack[i];
    if (isFunc(n)) return n;
  }
  return void 0;
}
function isBuiltinClose(pass, call) {
  const f = unparen(call.fun);
  if (f.kind !== "Ident" || f.name !== "close" || call.args?.length !== 1) return false;
  const o = pass.types.objectOf(f);
  return !o || o.kind === "builtin";
}
function deferredCloses(pass, body) {
  const out = [];
  walkSameFunc(body, (x) => {
    if (x.kind !== "DeferStmt") return true;
    const fun = unparen(x.call.fun);
    const add = (close, inLiteral) => {
      const ch = close.args[0];
      const key = refKey(pass, ch);
      if (key !== void 0) out.push({ defer: x, close, ch, key, inLiteral });
    };
    if (isBuiltinClose(pass, x.call)) add(x.call, false);
    else if (fun.kind === "FuncLit") {
      walkSameFunc(fun.body, (y) => {
        if (y.kind === "ExprStmt") {
          const c = unparen(y.x);
          if (c.kind === "CallExpr" && isBuiltinClose(pass, c)) add(c, true);
        }
        return true;
      });
    }
    return false;
  });
  return out;
}
function inModule(pass, path) {
  const m = pass.pkg.modulePath;
  return m !== "" && (path === m || path.startsWith(m + "/"));
}
function otherModuleFunc(pass, c) {
  return !!c && (c.kind === "func" || c.kind === "method") && !!c.pkg && c.pkg !== pass.pkg.importPath && inModule(pass, c.pkg);
}
function countingLoop(st) {
  if (st.kind !== "ForStmt" || !st.init || !st.cond || !st.post) return void 0;
  const init = st.init;
  if (init.kind !== "AssignStmt" || init.lhs.length !== 1 || init.rhs.length !== 1 || init.lhs[0].kind !== "Ident") return void 0;
  const v = init.lhs[0].name;
  const c = unparen(st.cond);
  if (c.kind !== "BinaryExpr" || c.op !== "<" && c.op !== "<=" || unparen(c.x).kind !== "Ident" || unparen(c.x).name !== v) return void 0;
  const post = st.post;
  if (post.kind !== "IncDecStmt" || post.tok !== "++" || unparen(post.x).kind !== "Ident" || unparen(post.x).name !== v) return void 0;
  return { v, from: init.rhs[0], op: c.op, to: c.y };
}
function unconditionalParts(st) {
  const out = st.kind === "IfStmt" ? [st.init, st.cond] : st.kind === "SwitchStmt" ? [st.init, st.tag] : st.kind === "ExprStmt" || st.kind === "AssignStmt" || st.kind === "DeclStmt" || st.kind === "SendStmt" || st.kind === "ReturnStmt" || st.kind === "DeferStmt" ? [st] : [];
  return out.filter((n) => !!n);
}
function inTestCode(stack) {
  for (const n of stack) {
    if (!isFunc(n)) continue;
    for (const f of n.type.params?.list ?? []) {
      if (!f.type) continue;
      let t = unparen(f.type);
      if (t.kind === "StarExpr") t = unparen(t.x);
      if (t.kind === "SelectorExpr" && t.x.kind === "Ident" && t.x.name === "testing" && ["T", "B", "F", "TB"].includes(t.sel.name)) return true;
    }
  }
  return false;
}
function enclosingLoops(stack) {
  const out = [];
  for (let i = stack.length - 2; i >= 0; i--) {
    const n = stack[i];
    if (isFunc(n)) break;
    if (isLoop(n)) out.push(n);
  }
  return out;
}
function labelOf(stack, stmt) {
  const i = stack.lastIndexOf(stmt);
  const parent = i > 0 ? stack[i - 1] : void 0;
  return parent?.kind === "LabeledStmt" && parent.stmt === stmt ? parent.label.name : void 0;
}
function lineOf(file, n) {
  return file.source.position(pos(n)).line;
}
function textOf(file, n) {
  return file.source.text(pos(n), end(n));
}
function recvTypeName(fd) {
  const f = fd.recv?.list?.[0];
  let t = f?.type ?? null;
  while (t) {
    if (t.kind === "StarExpr" || t.kind === "ParenExpr") t = t.x;
    else if (t.kind === "IndexExpr" || t.kind === "IndexListExpr") t = t.x;
    else break;
  }
  return t?.kind === "Ident" ? t.name : void 0;
}
var methodIndex = /* @__PURE__ */ new WeakMap();
function methodsNamed(pass, name) {
  let m = methodIndex.get(pass.files);
  if (!m) {
    m = /* @__PURE__ */ new Map();
    for (const f of pass.files) {
      for (const d of f.file.decls ?? []) {
        if (d.kind !== "FuncDecl" || !d.recv?.list?.[0]?.type) continue;
        const list = m.get(d.name.name);
        if (list) list.push(d);
        else m.set(d.name.name, [d]);
      }
    }
    methodIndex.set(pass.files, m);
  }
  return m.get(name) ?? [];
}
function funcName(file, fn) {
  if (fn.kind === "FuncLit") return `the function literal on line ${lineOf(file, fn)}`;
  const r = recvTypeName(fn);
  return r ? `${r}.${fn.name.name}` : fn.name.name;
}
function importedAs(file, local) {
  for (const spec of file.file.imports) {
    const path = spec.path.value.slice(1, -1);
    const name = spec.name ? spec.name.name : guessPackageName(path);
    if (name === local && name !== "_" && name !== ".") return path;
  }
  return void 0;
}
function guessPackageName(path) {
  const parts = path.split("/");
  let last = parts[parts.length - 1] ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  last = last.replace(/\.v\d+$/, "").replace(/^go-/, "").replace(/[-.]go$/, "");
  return last.replace(/[^A-Za-z0-9_]/g, "_");
}
function nameWords(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").split(/[\s_]+/).map((w) => w.toLowerCase());
}
function callName(pass, file, call) {
  const c = pass.types.callee(call);
  const fun = unparen(call.fun);
  const recv = fun.kind === "SelectorExpr" ? fun.x : void 0;
  if (c) return { name: c.name, short: c.short, typed: true, ...recv && c.kind !== "func" ? { recv } : {} };
  if (fun.kind === "Ident") return { name: fun.name, short: fun.name, typed: false };
  if (fun.kind === "SelectorExpr") {
    const x = unparen(fun.x);
    if (x.kind === "Ident") {
      const path = importedAs(file, x.name);
      if (path !== void 0 && !isLocallyDeclared(file, x)) return { name: `${path}.${fun.sel.name}`, short: fun.sel.name, typed: false };
    }
    return { name: `${textOf(file, fun.x)}.${fun.sel.name}`, short: fun.sel.name, typed: false, recv: fun.x };
  }
  return void 0;
}
function isLocallyDeclared(file, id) {
  let found = false;
  const at = id.namePos;
  for (const d of file.file.decls ?? []) {
    if (d.kind !== "FuncDecl" || pos(d) > at || end(d) < at) continue;
    const check6 = (n) => {
      if (found) return;
      if (n.kind === "Field" && n.names?.some((x) => x.name === id.name)) found = true;
      else if (n.kind === "AssignStmt" && n.tok === ":=" && n.lhs.some((x) => x.kind === "Ident" && x.name === id.name)) found = true;
      else if (n.kind === "ValueSpec" && n.names.some((x) => x.name === id.name)) found = true;
      else if (n.kind === "RangeStmt" && n.tok === ":=" && [n.key, n.value].some((x) => x?.kind === "Ident" && x.name === id.name)) found = true;
      if (!found) forEachChild(n, check6);
    };
    check6(d);
  }
  return found;
}
function sameExpr(a, b) {
  a = unparen(a);
  b = unparen(b);
  if (a.kind === "UnaryExpr" && a.op === "&") return sameExpr(a.x, b);
  if (b.kind === "UnaryExpr" && b.op === "&") return sameExpr(a, b.x);
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "Ident":
      return a.name === b.name;
    case "SelectorExpr":
      return a.sel.name === b.sel.name && sameExpr(a.x, b.x);
    case "StarExpr":
      return sameExpr(a.x, b.x);
    case "BasicLit":
      return a.value === b.value;
    case "IndexExpr":
      return sameExpr(a.x, b.x) && sameExpr(a.index, b.index);
    case "BinaryExpr":
      return a.op === b.op && sameExpr(a.x, b.x) && sameExpr(a.y, b.y);
    default:
      return false;
  }
}
function rootIdent(e) {
  for (; ; ) {
    e = unparen(e);
    switch (e.kind) {
      case "Ident":
        return e;
      case "SelectorExpr":
        e = e.x;
        break;
      case "StarExpr":
        e = e.x;
        break;
      case "IndexExpr":
        e = e.x;
        break;
      case "UnaryExpr":
        if (e.op === "&") {
          e = e.x;
          break;
        }
        return void 0;
      default:
        return void 0;
    }
  }
}
function sameVar(pass, a, b) {
  if (a.name !== b.name) return false;
  const oa = pass.types.objectOf(a);
  const ob = pass.types.objectOf(b);
  return oa && ob ? oa === ob : true;
}
function goStmtsIn(body) {
  const gos = [];
  walkSameFunc(body, (x) => {
    if (x.kind === "GoStmt") gos.push(x);
    return true;
  });
  return gos;
}
function walkSameFunc(n, fn) {
  const visit = (x) => {
    if (x.kind === "FuncLit") return;
    if (fn(x) === false) return;
    forEachChild(x, visit);
  };
  forEachChild(n, visit);
}
function stmtListOf(x) {
  return x.kind === "BlockStmt" ? x.list : x.kind === "CaseClause" || x.kind === "CommClause" ? x.body : null;
}
function listHolding(body, stmt) {
  let list = stmtListOf(body)?.includes(stmt) ? stmtListOf(body) : null;
  if (!list) {
    walkSameFunc(body, (x) => {
      if (list || pos(x) > pos(stmt) || end(x) <= pos(stmt)) return false;
      const l = stmtListOf(x);
      if (l?.includes(stmt)) list = l;
      return !list;
    });
  }
  return list ?? [];
}
function enclosingFuncDecl(file, node) {
  const at = pos(node);
  return (file.file.decls ?? []).find((d) => d.kind === "FuncDecl" && pos(d) <= at && at < end(d));
}
function innermostFuncBody(file, node) {
  const at = pos(node);
  let body;
  for (let n = file.file; n; ) {
    if ((n.kind === "FuncLit" || n.kind === "FuncDecl") && n.body) body = n.body;
    let next;
    forEachChild(n, (c) => {
      if (!next && c !== node && pos(c) <= at && at < end(c)) next = c;
    });
    n = next;
  }
  return body;
}
function isTrueConst(pass, e) {
  e = unparen(e);
  if (e.kind !== "Ident" || e.name !== "true") return false;
  const o = pass.types.objectOf(e);
  return !o || o.kind === "const" && o.pkg === "";
}
var BREAKABLE = /* @__PURE__ */ new Set(["ForStmt", "RangeStmt", "SwitchStmt", "TypeSwitchStmt", "SelectStmt"]);
function canLeaveLoop(loop, ownLabel) {
  const inside = /* @__PURE__ */ new Set();
  walkSameFunc(loop.body, (x) => {
    if (x.kind === "LabeledStmt") inside.add(x.label.name);
  });
  let leaves = false;
  const visit = (x, depth) => {
    if (leaves || x.kind === "FuncLit") return;
    if (x.kind === "ReturnStmt") {
      leaves = true;
      return;
    }
    if (x.kind === "BranchStmt") {
      const label = x.label?.name;
      if (x.tok === "break") {
        if (label === void 0) leaves = depth === 0;
        else leaves = !inside.has(label);
      } else if (x.tok === "continue") {
        if (label !== void 0) leaves = !inside.has(label) && label !== ownLabel;
      } else if (x.tok === "goto") {
        leaves = label !== void 0 && !inside.has(label);
      }
      return;
    }
    const d = BREAKABLE.has(x.kind) ? depth + 1 : depth;
    forEachChild(x, (c) => visit(c, d));
  };
  forEachChild(loop.body, (c) => visit(c, 0));
  return leaves;
}
function declaredType(fn, name, before) {
  let found;
  for (const fl of [fn.type.params, fn.type.results]) {
    for (const f of fl?.list ?? []) if (f.names?.some((n) => n.name === name) && f.type) found = f.type;
  }
  if (fn.kind === "FuncDecl") {
    for (const f of fn.recv?.list ?? []) if (f.names?.some((n) => n.name === name) && f.type) found = f.type;
  }
  if (!fn.body) return found;
  walkSameFunc(fn.body, (x) => {
    if (pos(x) >= before) return false;
    if (x.kind === "ValueSpec" && x.names.some((n) => n.name === name)) {
      if (x.type) found = x.type;
      else {
        const i = x.names.findIndex((n) => n.name === name);
        const v = x.values?.[i];
        found = v ? chanFromValue(v) : void 0;
      }
    } else if (x.kind === "AssignStmt" && x.tok === ":=" && x.lhs.length === x.rhs.length) {
      const i = x.lhs.findIndex((l) => l.kind === "Ident" && l.name === name);
      if (i >= 0) found = chanFromValue(x.rhs[i]);
    }
    return true;
  });
  return found;
}
function chanFromValue(v) {
  v = unparen(v);
  if (v.kind === "CallExpr") {
    const f = unparen(v.fun);
    if (f.kind === "Ident" && f.name === "make" && v.args?.[0] && unparen(v.args[0]).kind === "ChanType") return "make-chan";
    if (f.kind === "SelectorExpr" && f.sel.name === "Tick" && unparen(f.x).kind === "Ident" && unparen(f.x).name === "time") return "tick";
  }
  return void 0;
}
function rangeChannel(pass, file, fn, x) {
  x = unparen(x);
  const t = pass.types.typeOf(x);
  if (t) {
    const u = t.kind === "named" ? t.underlying() : t;
    if (u?.kind === "chan") {
      if (x.kind === "CallExpr" && pass.types.callee(x)?.name === "time.Tick") return "tick";
      return "chan";
    }
    if (u) return void 0;
  }
  if (x.kind === "CallExpr") {
    const c = callName(pass, file, x);
    return c?.name === "time.Tick" ? "tick" : void 0;
  }
  if (x.kind === "Ident" && fn) {
    const d = declaredType(fn, x.name, pos(x));
    if (d === "make-chan") return "chan";
    if (d === "tick") return "tick";
    if (d && typeof d !== "string" && unparen(d).kind === "ChanType") return "chan";
  }
  return void 0;
}
function endlessLoop(pass, file, loop, stack) {
  let shape;
  let confidence = "high";
  if (loop.kind === "ForStmt") {
    if (loop.cond === null) shape = "for {}";
    else if (isTrueConst(pass, loop.cond)) shape = "for true {}";
    else return void 0;
  } else {
    const fn = enclosingFuncOf(stack, loop);
    const ch = rangeChannel(pass, file, fn, loop.x);
    if (!ch) return void 0;
    if (ch === "tick") shape = `range over time.Tick (never closed)`;
    else {
      shape = `range over channel ${textOf(file, loop.x)}`;
      confidence = "medium";
    }
  }
  if (canLeaveLoop(loop, labelOf(stack, loop))) return void 0;
  return { loop, shape, confidence };
}
function enclosingFuncOf(stack, n) {
  const i = stack.lastIndexOf(n);
  for (let j = i - 1; j >= 0; j--) {
    const x = stack[j];
    if (isFunc(x)) return x;
  }
  return void 0;
}
function endlessEnclosingLoops(pass, file, stack) {
  const out = [];
  for (const l of enclosingLoops(stack)) {
    const e = endlessLoop(pass, file, l, stack);
    if (e) out.push(e);
  }
  return out;
}
var GROUP_GO = /* @__PURE__ */ new Set([
  "(*sync.WaitGroup).Go",
  "(*golang.org/x/sync/errgroup.Group).Go",
  "(*golang.org/x/sync/errgroup.Group).TryGo"
]);
var moduleGroupGos = /* @__PURE__ */ new WeakMap();
function moduleGroupGo(pass, x) {
  const c = pass.types.callee(x);
  if (c?.kind !== "method" || c.short !== "Go" || !c.pkg || !inModule(pass, c.pkg)) return false;
  const decl = c.pkg === pass.pkg.importPath ? c.decl : pass.moduleFunc(c.pkg, c.short, c.recv?.name, "go func");
  if (!decl?.body) return false;
  let v = moduleGroupGos.get(decl);
  if (v === void 0) {
    const params = (decl.type.params?.list ?? []).flatMap((f) => f.type?.kind === "FuncType" ? f.names ?? [] : []);
    const p = params.length === 1 && (decl.type.params?.list ?? []).length === 1 ? params[0] : void 0;
    v = false;
    if (p) {
      walkSameFunc(decl.body, (y) => {
        if (v || y.kind !== "GoStmt") return !v;
        const lit = unparen(y.call.fun);
        if (lit.kind !== "FuncLit") return false;
        let calls = false;
        let other = false;
        inspect(lit.body, (z) => {
          if (z.kind === "CallExpr") {
            const g = unparen(z.fun);
            if (g.kind === "Ident" && (g.name === p.name || g.name === "recover")) {
              if (g.name === "recover") other = true;
              else calls = true;
            }
          } else if (z.kind === "DeferStmt") {
            const g = unparen(z.call.fun);
            if (!(g.kind === "SelectorExpr" && g.sel.name === "Done")) other = true;
          }
          return true;
        });
        v = calls && !other;
        return false;
      });
    }
    moduleGroupGos.set(decl, v);
  }
  return v;
}
var RUNS_IN_OWN_GOROUTINE = /* @__PURE__ */ new Set(["time.AfterFunc", "context.AfterFunc"]);
function afterFuncCalls(pass, body) {
  const out = [];
  walkSameFunc(body, (x) => {
    const af = x.kind === "CallExpr" ? afterFuncOf(pass, x) : void 0;
    if (af) out.push({ call: x, ...af });
    return true;
  });
  return out;
}
function afterFuncOf(pass, x) {
  if (x.args?.length !== 2) return void 0;
  const name = pass.types.callee(x)?.name ?? "";
  if (!RUNS_IN_OWN_GOROUTINE.has(name)) return void 0;
  const a = unparen(x.args[1]);
  let fn;
  if (a.kind === "FuncLit") fn = a;
  else if (a.kind === "Ident" || a.kind === "SelectorExpr") {
    const c = pass.types.callee({ ...x, fun: a, args: [] });
    if ((c?.kind === "func" || c?.kind === "method") && c.decl?.body) fn = c.decl;
  }
  return { name, fn };
}
function afterFuncLaunches(pass, body) {
  const out = [];
  walkSameFunc(body, (x) => {
    let call;
    if (x.kind === "ExprStmt") call = unparen(x.x);
    else if (x.kind === "AssignStmt" && x.rhs.length === 1 && x.lhs.every((l) => l.kind === "Ident" && l.name === "_")) call = unparen(x.rhs[0]);
    const af = call?.kind === "CallExpr" ? afterFuncOf(pass, call) : void 0;
    const lit = af?.fn;
    if (!af || lit?.kind !== "FuncLit" || call?.kind !== "CallExpr") return true;
    const started = { kind: "CallExpr", fun: lit, lparen: call.lparen, args: null, ellipsis: -1, rparen: call.rparen };
    const go = { kind: "GoStmt", go: call.lparen, call: started };
    afterFuncGo.set(go, af.name);
    out.push({ go, at: x, lit });
    return true;
  });
  return out;
}
var afterFuncGo = /* @__PURE__ */ new WeakMap();
function goroutineText(file, go) {
  const via = afterFuncGo.get(go);
  const line = lineOf(file, go);
  if (!via) return `the goroutine started on line ${line}`;
  return `the function literal given to ${via} on line ${line} (run in a goroutine of its own ${via === "context.AfterFunc" ? "once the context ends" : "when the timer fires"})`;
}
function goroutineStartNote(go) {
  const via = afterFuncGo.get(go);
  return via ? `${via} runs the literal in a goroutine of its own` : "the goroutine starts here";
}
function groupGoOf(pass, x) {
  if (x.args?.length !== 1) return void 0;
  const f = unparen(x.fun);
  if (f.kind !== "SelectorExpr" || f.sel.name !== "Go") return void 0;
  if (!GROUP_GO.has(pass.types.callee(x)?.name ?? "") && !moduleGroupGo(pass, x)) return void 0;
  const a = unparen(x.args[0]);
  let fn;
  if (a.kind === "FuncLit") fn = a;
  else if (a.kind === "Ident") {
    const o = pass.types.objectOf(a);
    if (o?.kind === "func" && o.funcDecl?.body) fn = o.funcDecl;
    else if (o?.kind === "var") {
      const v = definingValue(pass, a);
      if (v && unparen(v).kind === "FuncLit") fn = unparen(v);
    }
  }
  return { call: x, group: f.x, fn };
}
function groupGoCalls(pass, body) {
  const out = [];
  walkSameFunc(body, (x) => {
    if (x.kind === "CallExpr") {
      const g = groupGoOf(pass, x);
      if (g) out.push(g);
    }
    return true;
  });
  return out;
}
function moduleGoTarget(pass, stmt, needle) {
  const call = stmt.call;
  const c = pass.types.callee(call);
  if (!c || c.kind !== "func" && c.kind !== "method" || !otherModuleFunc(pass, c) || call.ellipsis >= 0) return void 0;
  const fn = pass.moduleFunc(c.pkg, c.short, c.recv?.name, needle);
  if (!fn?.body) return void 0;
  const params = [];
  (fn.type.params.list ?? []).flatMap((f) => f.names ?? []).forEach((name, i) => {
    const arg = call.args?.[i];
    if (arg) params.push({ name, arg });
  });
  const fun = unparen(call.fun);
  const r = fn.recv?.list?.[0]?.names?.[0];
  const recv = r && c.kind === "method" && fun.kind === "SelectorExpr" ? { name: r, arg: fun.x } : void 0;
  return { go: stmt, fn, params, pkg: c.pkg, ...recv ? { recv } : {} };
}
function goTarget(pass, stmt) {
  const call = stmt.call;
  const fun = unparen(call.fun);
  let fn;
  let recv;
  if (fun.kind === "FuncLit") fn = fun;
  else {
    const c = pass.types.callee(call);
    if (c?.kind === "funcvalue" && fun.kind === "Ident") {
      const node = callGraphOf(pass).calleeOf(call);
      if (node?.lit) fn = node.lit;
      else if (node?.decl?.body) {
        fn = node.decl;
        const r = node.decl.recv?.list?.[0]?.names?.[0];
        const def = definingValue(pass, fun);
        const sel = def ? unparen(def) : void 0;
        if (r && sel?.kind === "SelectorExpr") recv = { name: r, arg: sel.x };
      } else return void 0;
    } else if (!c?.decl || !c.decl.body) return void 0;
    else {
      fn = c.decl;
      const r = c.decl.recv?.list?.[0]?.names?.[0];
      if (r && fun.kind === "SelectorExpr" && c.kind === "method") recv = { name: r, arg: fun.x };
    }
  }
  const params = [];
  const names = (fn.type.params.list ?? []).flatMap((f) => f.names ?? []);
  names.forEach((name, i) => {
    const arg = call.args?.[i];
    if (arg && call.ellipsis < 0) params.push({ name, arg });
  });
  return { go: stmt, fn, params, ...recv ? { recv } : {} };
}
var objIds = /* @__PURE__ */ new WeakMap();
var nextObjId = 1;
function refKey(pass, e, subst) {
  e = unparen(e);
  switch (e.kind) {
    case "Ident": {
      if (e.name === "_") return void 0;
      const o = pass.types.objectOf(e);
      if (subst) {
        const s = subst.get(o ?? e.name);
        if (s !== void 0) return s;
      }
      if (!o) return `?${e.name}`;
      let id = objIds.get(o);
      if (id === void 0) {
        id = nextObjId++;
        objIds.set(o, id);
      }
      return `#${id}:${e.name}`;
    }
    case "SelectorExpr": {
      const x = refKey(pass, e.x, subst);
      return x === void 0 ? void 0 : `${x}.${e.sel.name}`;
    }
    case "StarExpr":
      return refKey(pass, e.x, subst);
    case "UnaryExpr":
      return e.op === "&" ? refKey(pass, e.x, subst) : void 0;
    default:
      return void 0;
  }
}
function sameRefKey(a, b) {
  if (a === void 0 || b === void 0) return false;
  if (a === b) return true;
  const strip = (k) => k.replace(/(^|\.)[#?][0-9]*:?/g, "$1").replace(/^\?/, "");
  return (a.includes("?") || b.includes("?")) && strip(a) === strip(b);
}
function targetSubst(pass, t) {
  const m = /* @__PURE__ */ new Map();
  const add = (name, arg) => {
    const k = refKey(pass, arg);
    if (k === void 0 || name.name === "_") return;
    m.set(pass.types.objectOf(name) ?? name.name, k);
  };
  for (const p of t.params) add(p.name, p.arg);
  if (t.recv) add(t.recv.name, t.recv.arg);
  return m;
}
function isRecoverCall(pass, e) {
  if (e.kind !== "CallExpr") return false;
  const f = unparen(e.fun);
  if (f.kind !== "Ident" || f.name !== "recover") return false;
  const o = pass.types.objectOf(f);
  return !o || o.kind === "builtin";
}
function callsRecoverDirectly(pass, fn) {
  if (!fn.body) return false;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (isRecoverCall(pass, x)) found = true;
    return !found;
  });
  return found;
}
function deferredTarget(pass, call, needle) {
  const fun = unparen(call.fun);
  if (fun.kind === "FuncLit") return fun;
  const c = pass.types.callee(call);
  if (c && (c.kind === "func" || c.kind === "method") && c.pkg && c.pkg !== pass.pkg.importPath) return pass.moduleFunc(c.pkg, c.short, c.recv?.name, needle);
  if (c?.decl) return c.decl;
  return void 0;
}
function deferredRecover(pass, fn) {
  if (!fn.body) return void 0;
  let found;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "DeferStmt") {
      const target = deferredTarget(pass, x.call, "recover");
      if (target && callsRecoverDirectly(pass, target)) found = x;
      return false;
    }
    return true;
  });
  return found;
}
function protectingRecover(pass, fn) {
  if (!fn.body) return void 0;
  let found;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "DeferStmt") {
      const fun = unparen(x.call.fun);
      const target = deferredTarget(pass, x.call, "recover") ?? (fun.kind === "Ident" || fun.kind === "SelectorExpr" ? callGraphOf(pass).calleeOf(x.call)?.lit ?? void 0 : void 0);
      if (target && callsRecoverDirectly(pass, target) && !callsPanicDirectly(pass, target) && recoversUnconditionally(pass, target)) found = x;
      return false;
    }
    return true;
  });
  return found;
}
function recoversUnconditionally(pass, fn) {
  let found = false;
  const visit = (n, depth) => {
    if (found || n.kind === "FuncLit") return;
    if (depth === 0 && isRecoverCall(pass, n)) {
      found = true;
      return;
    }
    const deeper = n.kind === "IfStmt" || n.kind === "CaseClause" || n.kind === "CommClause" || n.kind === "ForStmt" || n.kind === "RangeStmt";
    forEachChild(n, (c) => visit(c, deeper && c !== n.init && c !== n.cond ? depth + 1 : depth));
  };
  if (fn.body) visit(fn.body, 0);
  return found;
}
function callsPanicDirectly(pass, fn) {
  let found = false;
  const selective = (cond) => {
    let hit = false;
    walkNode(cond, (x) => {
      if (hit) return false;
      if (x.kind === "CallExpr" && /^errors\.(Is|As)$/.test(pass.types.callee(x)?.name ?? "")) hit = true;
      if (x.kind === "BinaryExpr" && x.op === "==" && !isNilIdent(pass, x.x) && !isNilIdent(pass, x.y)) hit = true;
      return !hit;
    });
    return hit;
  };
  const visit = (n, depth) => {
    if (found || n.kind === "FuncLit") return;
    if (n.kind === "IfStmt" && selective(n.cond)) {
      if (n.init) visit(n.init, depth);
      if (n.else) visit(n.else, depth + 1);
      return;
    }
    if (n.kind === "CallExpr") {
      const f = unparen(n.fun);
      if (f.kind === "Ident" && f.name === "panic" && depth <= 1) {
        const o = pass.types.objectOf(f);
        if (!o || o.kind === "builtin") found = true;
      }
    }
    const deeper = n.kind === "IfStmt" || n.kind === "CaseClause" || n.kind === "CommClause";
    forEachChild(n, (c) => visit(c, deeper && c !== n.init && c !== n.cond ? depth + 1 : depth));
  };
  if (fn.body) visit(fn.body, 0);
  return found;
}
function endsFlow(pass, call) {
  const f = unparen(call.fun);
  if (f.kind === "Ident" && f.name === "panic") return true;
  const c = pass.types.callee(call);
  if (c) return EXIT_FUNCTIONS.has(c.name) || DEFAULT_NO_RETURN.has(c.name) || /^Panic(f|ln)?$/.test(c.short);
  return f.kind === "SelectorExpr" && /^(Exit|Exitf|Fatal|Fatalf|Fatalln|Goexit|Panic|Panicf|Panicln)$/.test(f.sel.name);
}
function isWaitCall(pass, file, call) {
  const fun = unparen(call.fun);
  if (fun.kind !== "SelectorExpr" || fun.sel.name !== "Wait") return false;
  const c = callName(pass, file, call);
  if (!c) return false;
  if (!c.typed) return true;
  if (WAIT_CALLS.has(c.name)) return true;
  const callee = pass.types.callee(call);
  return !!callee?.recv && /(Group|Pool|Waiter)$/.test(callee.recv.name);
}
function receivedChan(pass, n, subst) {
  if (n.kind !== "UnaryExpr" || n.op !== "<-") return void 0;
  return refKey(pass, n.x, subst);
}
function loopDepthIn(root, target) {
  const p = pos(target);
  let depth = 0;
  inspect(root, (x) => {
    if (pos(x) > p || end(x) <= p) return false;
    if (x !== target && (x.kind === "ForStmt" || x.kind === "RangeStmt")) depth++;
    return true;
  });
  return depth;
}
function loopHeadEntries(info) {
  const st = info.stmt;
  const out = [...info.header.nodes];
  if (st.kind === "RangeStmt") out.push(st.x);
  else if (st.cond) out.push(st.cond);
  return out;
}
function returnOfPath(path) {
  for (let i = path.length - 1; i >= 0; i--) {
    const b = path[i];
    if (b.kind === "exit") continue;
    const last = b.nodes[b.nodes.length - 1];
    return last?.kind === "ReturnStmt" ? last : void 0;
  }
  return void 0;
}
var graphCache = /* @__PURE__ */ new WeakMap();
function callGraphOf(pass) {
  const g = pass.callGraph();
  if (g && typeof g.nodeOf === "function" && typeof g.cfg === "function") return g;
  let c = graphCache.get(pass.files);
  if (!c) {
    c = buildCallGraph(pass.files.map((f) => f.file), pass.types);
    graphCache.set(pass.files, c);
  }
  return c;
}
function cfgOf(pass, fn) {
  const g = callGraphOf(pass);
  const n = g.nodeOf(fn);
  return n ? g.cfg(n) : fn.body ? buildCFG(fn.body) : void 0;
}
function varPath(pass, e) {
  const fields = [];
  let hops = 0;
  for (; ; ) {
    e = unparen(e);
    if (e.kind === "SelectorExpr") {
      fields.unshift(e.sel.name);
      e = e.x;
    } else if (e.kind === "StarExpr") e = e.x;
    else if (e.kind === "UnaryExpr" && e.op === "&") e = e.x;
    else if (e.kind === "CallExpr" && hops < 4) {
      const field = accessedField(pass, e);
      if (field === void 0) return void 0;
      fields.unshift(field);
      e = unparen(e.fun).x;
      hops++;
    } else if (e.kind === "Ident" && hops < 4) {
      const alias = accessorAlias(pass, e);
      if (!alias) break;
      e = alias;
      hops++;
    } else break;
  }
  if (e.kind !== "Ident") return void 0;
  const o = pass.types.objectOf(e);
  if (o && o.kind === "pkgname") {
    const first = fields.shift();
    if (!first) return void 0;
    return { name: `${o.imported ?? e.name}.${first}`, decl: null, global: true, fields };
  }
  if (o && o.kind !== "var") return void 0;
  return { name: e.name, decl: o?.decl ?? null, global: o?.varKind === "package", fields };
}
function accessorAlias(pass, id) {
  const o = pass.types.objectOf(id);
  if (!o || o.kind !== "var" || o.varKind !== "local" || !o.decl) return void 0;
  const v = definingValue(pass, id);
  const call = v ? unparen(v) : void 0;
  if (call?.kind !== "CallExpr" || accessedField(pass, call) === void 0) return void 0;
  const file = pass.fileOf(o.decl);
  const body = file ? innermostFuncBody(file, o.decl) : void 0;
  return body && !assignsVar(pass, body, o.decl) ? call : void 0;
}
function samePath(a, b) {
  if (a.name !== b.name || a.global !== b.global || a.fields.length !== b.fields.length) return false;
  if (!a.global && a.decl && b.decl && a.decl !== b.decl) return false;
  return a.fields.every((f, i) => f === b.fields[i]);
}
function pathPrefix(a, b) {
  if (a.name !== b.name || a.global !== b.global || a.fields.length > b.fields.length) return false;
  if (!a.global && a.decl && b.decl && a.decl !== b.decl) return false;
  return a.fields.every((f, i) => f === b.fields[i]);
}
function formatPath(p) {
  return [p.name, ...p.fields].join(".");
}
function pointerTypeExpr(e) {
  return !!e && unparen(e).kind === "StarExpr";
}
function paramDecl(ft, i) {
  let k = 0;
  for (const f of ft.params.list ?? []) {
    const n = f.names?.length ?? 1;
    if (i < k + n) return { id: f.names?.[i - k] ?? null, type: f.type };
    k += n;
  }
  return void 0;
}
function pathInCallee(pass, call, callee, p) {
  if (p.global) return p;
  const through = (arg, decl, typeExpr) => {
    const ap = varPath(pass, arg);
    if (!ap || !decl || decl.name === "_" || ap.global) return void 0;
    if (ap.name !== p.name || ap.decl && p.decl && ap.decl !== p.decl) return void 0;
    if (ap.fields.length > p.fields.length || !ap.fields.every((f, i) => f === p.fields[i])) return void 0;
    const x = unparen(arg);
    const shared = pointerTypeExpr(typeExpr) || x.kind === "UnaryExpr" && x.op === "&" || pass.types.typeOf(arg)?.kind === "pointer" || // A copy of a struct still shares what its pointer fields point to (`p.mu` with `mu *sync.Mutex`).
    throughPointerField(pass.types.typeOf(arg), p.fields.slice(ap.fields.length));
    if (!shared) return void 0;
    return { name: decl.name, decl, global: false, fields: p.fields.slice(ap.fields.length) };
  };
  let fun = unparen(call.fun);
  if (fun.kind === "Ident" && callee.kind === "FuncDecl" && callee.recv) {
    const v = definingValue(pass, fun);
    if (v && unparen(v).kind === "SelectorExpr") fun = unparen(v);
  }
  if (callee.kind === "FuncDecl") {
    const recv = callee.recv?.list?.[0];
    if (recv && fun.kind === "SelectorExpr") {
      const m = through(fun.x, recv.names?.[0] ?? null, recv.type);
      if (m) return m;
    }
  } else if (fun === callee) {
    return p;
  }
  for (const [i, a] of (call.args ?? []).entries()) {
    const d = paramDecl(callee.type, i);
    if (!d) break;
    const m = through(a, d.id, d.type);
    if (m) return m;
  }
  if (callee.kind === "FuncLit") return p;
  return void 0;
}
function throughPointerField(t, fields) {
  for (const name of fields) {
    if (!t) return false;
    if (t.kind === "pointer") t = t.elem;
    const u = t.kind === "named" ? t.underlying() : t;
    if (u?.kind !== "struct") return false;
    const f = u.fields.find((x) => x.name === name);
    if (!f) return false;
    if (f.type.kind === "pointer") return true;
    t = f.type;
  }
  return false;
}
function guardConds(fn, target) {
  const out = [];
  const p = pos(target);
  walkNode(fn.body, (x) => {
    if (pos(x) > p || end(x) < p) return false;
    if (x.kind === "IfStmt" && pos(x.body) <= p && end(x.body) >= p) out.push(x.cond);
    return true;
  });
  return out;
}
function relocksUnderSameGuard(pass, file, fn, lock, releases2) {
  if (!fn.body) return false;
  const conds = guardConds(fn, lock).map((c) => textOf(file, c));
  if (conds.length === 0) return false;
  const at = pos(lock);
  let found = false;
  walkNode(fn.body, (x) => {
    if (found || x.kind === "FuncLit") return false;
    if (x.kind !== "IfStmt" || end(x) > at || !conds.includes(textOf(file, x.cond))) return true;
    if (!lockCallsIn(pass, x.body).some(releases2)) return true;
    const names = /* @__PURE__ */ new Set();
    walkNode(x.cond, (y) => {
      if (y.kind === "Ident") names.add(y.name);
      return true;
    });
    let changed = false;
    walkNode(fn.body, (y) => {
      if (changed) return false;
      if ((y.kind === "AssignStmt" || y.kind === "IncDecStmt") && pos(y) > end(x) && pos(y) < at) {
        const lhs = y.kind === "AssignStmt" ? y.lhs : [y.x];
        for (const l of lhs) if (unparen(l).kind === "Ident" && names.has(unparen(l).name)) changed = true;
      }
      return true;
    });
    if (!changed) found = true;
    return !found;
  });
  return found;
}
function plainLiteralText(v) {
  return /^"[^"\\]*"$/.test(v) || /^(0|[1-9][0-9]*)$/.test(v);
}
function guardNeeds(fn, node) {
  const out = /* @__PURE__ */ new Map();
  if (!fn.body) return out;
  const at = pos(node);
  const nilTest2 = (c, op) => {
    const x = unparen(c);
    if (x.kind !== "BinaryExpr" || x.op !== op) return void 0;
    const l = unparen(x.x);
    const r = unparen(x.y);
    const isNil3 = (e) => e.kind === "Ident" && e.name === "nil";
    const p = isNil3(r) ? l : isNil3(l) ? r : void 0;
    return p?.kind === "Ident" ? p.name : void 0;
  };
  const flags = (c, need, acc) => {
    const x = unparen(c);
    if (x.kind === "Ident" && x.name !== "true" && x.name !== "false" && x.name !== "nil") acc.push([x.name, need ? "true" : "false"]);
    else if (x.kind === "UnaryExpr" && x.op === "!") {
      const y = unparen(x.x);
      if (y.kind === "Ident") acc.push([y.name, need ? "false" : "true"]);
    } else if (x.kind === "BinaryExpr" && x.op === "&&" && need) {
      flags(x.x, true, acc);
      flags(x.y, true, acc);
    } else if (x.kind === "BinaryExpr" && (x.op === "==" || x.op === "!=") && need) {
      const l = unparen(x.x);
      const r = unparen(x.y);
      const [id, lit] = l.kind === "Ident" && r.kind === "BasicLit" ? [l, r] : r.kind === "Ident" && l.kind === "BasicLit" ? [r, l] : [void 0, void 0];
      if (id && lit) acc.push([id.name, x.op === "==" ? { equals: lit.value } : { differs: lit.value }]);
    }
  };
  const falsy = (c, acc) => {
    const x = unparen(c);
    if (x.kind === "Ident" && x.name !== "true" && x.name !== "false" && x.name !== "nil") acc.push([x.name, "false"]);
    else if (x.kind === "UnaryExpr" && x.op === "!") {
      const y = unparen(x.x);
      if (y.kind === "Ident") acc.push([y.name, "true"]);
    } else if (x.kind === "BinaryExpr" && x.op === "||") {
      falsy(x.x, acc);
      falsy(x.y, acc);
    }
  };
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (pos(x) > at || end(x) <= at) return false;
    if (x.kind === "BlockStmt" || x.kind === "CaseClause" || x.kind === "CommClause") {
      for (const st of stmtListOf(x) ?? []) {
        if (end(st) > at) break;
        if (st.kind !== "IfStmt" || st.else || st.init) continue;
        const last = st.body.list?.[st.body.list.length - 1];
        if (last?.kind !== "ReturnStmt") continue;
        const acc = [];
        falsy(st.cond, acc);
        for (const [name, need] of acc) if (!out.has(name)) out.set(name, need);
      }
    }
    if (x.kind === "IfStmt") {
      const inBody = pos(x.body) <= at && at < end(x.body);
      const inElse = !!x.else && pos(x.else) <= at && at < end(x.else);
      const eq = nilTest2(x.cond, "==");
      const ne = nilTest2(x.cond, "!=");
      if (inBody && eq) out.set(eq, "nil");
      if (inElse && ne) out.set(ne, "nil");
      const acc = [];
      if (inBody) flags(x.cond, true, acc);
      if (inElse) {
        const c = unparen(x.cond);
        if (c.kind === "Ident" || c.kind === "UnaryExpr" && c.op === "!") flags(c, false, acc);
      }
      for (const [name, need] of acc) out.set(name, need);
      const key = mapKeyTest(x);
      if (key && (inBody || inElse)) out.set(key.map, inBody === key.okNeeded ? { hasKey: key.key } : { lacksKey: key.key });
    }
    return true;
  });
  return out;
}
function mapKeyTest(s) {
  const init = s.init;
  if (init?.kind !== "AssignStmt" || init.tok !== ":=" || init.lhs.length !== 2 || init.rhs.length !== 1) return void 0;
  const ok = unparen(init.lhs[1]);
  const ix = unparen(init.rhs[0]);
  if (ok.kind !== "Ident" || ix.kind !== "IndexExpr") return void 0;
  const m = unparen(ix.x);
  const k = unparen(ix.index);
  if (m.kind !== "Ident" || k.kind !== "BasicLit" || !plainLiteralText(k.value)) return void 0;
  const c = unparen(s.cond);
  if (c.kind === "Ident" && c.name === ok.name) return { map: m.name, key: k.value, okNeeded: true };
  if (c.kind === "UnaryExpr" && c.op === "!" && unparen(c.x).kind === "Ident" && unparen(c.x).name === ok.name) return { map: m.name, key: k.value, okNeeded: false };
  return void 0;
}
function skippedForCall(trail, node) {
  const k = trail.funcs.length - 1;
  if (k < 0) return false;
  const g = trail.funcs[k];
  const f = g.decl ?? g.lit;
  for (const [name, need] of guardNeeds(f, node)) {
    let a;
    if (isParamOf(f, name)) a = trailArgument(trail, k, name);
    else if (g.lit && k > 0 && !assignsName(f, name)) {
      const outer = trail.funcs[k - 1];
      const of = outer.decl ?? outer.lit;
      if (of.body && pos(of.body) <= pos(g.lit) && pos(g.lit) < end(of.body) && isParamOf(of, name) && !assignsName(of, name)) {
        a = trailArgument(trail, k - 1, name);
      }
    }
    if (!a) continue;
    const x = unparen(a);
    if (typeof need === "object" && ("hasKey" in need || "lacksKey" in need)) {
      if (x.kind !== "CompositeLit" || !(x.elts ?? []).every((e) => e.kind === "KeyValueExpr" && unparen(e.key).kind === "BasicLit")) continue;
      const keys = new Set((x.elts ?? []).map((e) => e.key.value));
      if ("hasKey" in need && !keys.has(need.hasKey)) return true;
      if ("lacksKey" in need && keys.has(need.lacksKey)) return true;
      continue;
    }
    if (typeof need === "object") {
      if (x.kind !== "BasicLit") continue;
      if ("equals" in need && plainLiteralText(x.value) && plainLiteralText(need.equals) && x.value !== need.equals) return true;
      if ("differs" in need && x.value === need.differs) return true;
      continue;
    }
    const lit = x.kind === "Ident" ? x.name : void 0;
    if (need === "nil" && lit !== "nil") return true;
    if (need === "true" && lit === "false") return true;
    if (need === "false" && lit === "true") return true;
  }
  return false;
}
function argumentFor(fn, call, param) {
  if (call.ellipsis !== -1) return void 0;
  const fields = fn.type.params.list ?? [];
  let i = 0;
  for (const f of fields) {
    if (f.type?.kind === "Ellipsis") return void 0;
    const names = f.names && f.names.length > 0 ? f.names : [null];
    for (const n of names) {
      if (n?.name === param) {
        const args = call.args ?? [];
        return args.length === countParams(fields) ? args[i] : void 0;
      }
      i++;
    }
  }
  return void 0;
}
function countParams(fields) {
  let n = 0;
  for (const f of fields) n += f.names && f.names.length > 0 ? f.names.length : 1;
  return n;
}
function trailArgument(trail, k, param) {
  let name = param;
  for (let i = k; i >= 0; i--) {
    const g = trail.funcs[i];
    const f = g.decl ?? g.lit;
    const a = argumentFor(f, trail.calls[i], name);
    if (!a) return void 0;
    const x = unparen(a);
    const caller = i > 0 ? trail.funcs[i - 1] : void 0;
    const cf = caller ? caller.decl ?? caller.lit : void 0;
    if (x.kind === "Ident" && cf && isParamOf(cf, x.name) && !assignsName(cf, x.name)) {
      name = x.name;
      continue;
    }
    return a;
  }
  return void 0;
}
function isParamOf(fn, name) {
  return (fn.type.params.list ?? []).some((f) => (f.names ?? []).some((n) => n.name === name));
}
function assignsName(fn, name) {
  let found = false;
  if (!fn.body) return false;
  walkNode(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "AssignStmt" && x.lhs.some((l) => unparen(l).kind === "Ident" && unparen(l).name === name)) found = true;
    else if (x.kind === "UnaryExpr" && x.op === "&" && unparen(x.x).kind === "Ident" && unparen(x.x).name === name) found = true;
    return !found;
  });
  return found;
}
function searchCallees(pass, call, path, find, maxDepth = 3, enter) {
  const g = callGraphOf(pass);
  const first = g.calleeOf(call);
  if (!first || enter && !enter(first, call, { funcs: [], calls: [] })) return void 0;
  const firstFn = first.decl ?? first.lit;
  const p0 = pathInCallee(pass, call, firstFn, path);
  if (!p0) return void 0;
  let frontier = [{ fn: first, path: p0, funcs: [first], calls: [call], paths: [p0] }, ...g.rangeTargetsOf(call).map((lit) => ({ fn: lit, path: p0, funcs: [first, lit], calls: [call, call], paths: [p0, p0] }))];
  const seen = /* @__PURE__ */ new Set();
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next = [];
    for (const s of frontier) {
      const key = `${s.fn.id}:${formatPath(s.path)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const found = find(s.fn, s.path, s);
      if (found !== void 0) return { funcs: s.funcs, calls: s.calls, path: s.path, found };
      if (depth === maxDepth) continue;
      for (const e of s.fn.out) {
        if (e.kind !== "call" && e.kind !== "defer" || e.site.kind !== "CallExpr") continue;
        if (enter && !enter(e.callee, e.site, s)) continue;
        const fn = e.callee.decl ?? e.callee.lit;
        const p = pathInCallee(pass, e.site, fn, s.path);
        if (p) next.push({ fn: e.callee, path: p, funcs: [...s.funcs, e.callee], calls: [...s.calls, e.site], paths: [...s.paths, p] });
      }
      for (const e of s.fn.out) {
        if (e.kind !== "value" || !e.callee.lit) continue;
        const site = inPlaceCallOf(pass, s.fn, e.callee.lit);
        if (!site || enter && !enter(e.callee, site, s)) continue;
        next.push({ fn: e.callee, path: s.path, funcs: [...s.funcs, e.callee], calls: [...s.calls, site], paths: [...s.paths, s.path] });
      }
      for (const { site, target, path: p } of paramCallTargets(pass, g, s.fn, s.calls[s.calls.length - 1], s.paths.length > 1 ? s.paths[s.paths.length - 2] : path)) {
        if (enter && !enter(target, site, s)) continue;
        next.push({ fn: target, path: p, funcs: [...s.funcs, target], calls: [...s.calls, site], paths: [...s.paths, p] });
      }
    }
    frontier = next;
  }
  return void 0;
}
function paramCallTargets(pass, g, fn, entry, outer) {
  const decl = fn.decl ?? fn.lit;
  if (!decl.body || !(decl.type.params?.list ?? []).some((f) => f.type?.kind === "FuncType" || f.type?.kind === "Ident" || f.type?.kind === "SelectorExpr")) return [];
  const out = [];
  walkSameFunc(decl.body, (x) => {
    if (x.kind !== "CallExpr") return true;
    const f = unparen(x.fun);
    if (f.kind !== "Ident" || !isParamOf(decl, f.name) || assignsName(decl, f.name)) return true;
    const arg = argumentFor(decl, entry, f.name);
    const a = arg ? unparen(arg) : void 0;
    if (!a) return true;
    if (a.kind === "FuncLit") {
      const t2 = g.nodeOf(a);
      if (t2) out.push({ site: x, target: t2, path: outer });
      return true;
    }
    if (a.kind !== "Ident" && a.kind !== "SelectorExpr") return true;
    const asCall = { kind: "CallExpr", fun: a, args: [], ellipsis: -1, lparen: x.lparen, rparen: x.rparen };
    const c = pass.types.callee(asCall);
    const fd = c && (c.kind === "func" || c.kind === "method") ? c.decl : void 0;
    const t = fd ? g.nodeOf(fd) : void 0;
    if (!fd || !t) return true;
    const p = pathInCallee(pass, asCall, fd, outer);
    if (p) out.push({ site: x, target: t, path: p });
    return true;
  });
  return out;
}
var MUTEX_METHOD_NAMES = new Set(Object.values(MUTEX_METHODS));
function sourceMentions(file, word) {
  return bytesContain(file.source.bytes, word);
}
function callsMethodNamed(body, names) {
  let found = false;
  walkNode(body, (x) => {
    if (found) return false;
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      if (f.kind === "SelectorExpr" && names.has(f.sel.name)) found = true;
    }
    if (x.kind === "AssignStmt" && x.rhs.some((r) => {
      const u = unparen(r);
      return u.kind === "SelectorExpr" && names.has(u.sel.name);
    })) found = true;
    return !found;
  });
  return found;
}
function hasDefer(body) {
  let found = false;
  walkNode(body, (x) => {
    if (found) return false;
    if (x.kind === "DeferStmt") found = true;
    return !found;
  });
  return found;
}
function withoutEmbedded(pass, e) {
  let x = unparen(e);
  while (x.kind === "SelectorExpr") {
    if (!embeddedField(pass.types.typeOf(x.x), x.sel.name)) break;
    x = unparen(x.x);
  }
  return x;
}
function embeddedField(t, name, depth = 0) {
  if (!t || depth > 4) return false;
  if (t.kind === "pointer") t = t.elem;
  const u = t.kind === "named" ? t.underlying() : t;
  if (u?.kind !== "struct") return false;
  const direct = u.fields.find((f) => f.name === name);
  if (direct) return direct.embedded;
  return u.fields.some((f) => f.embedded && embeddedField(f.type, name, depth + 1));
}
function lockerInterface(pass, recv) {
  let t = pass.types.typeOf(recv);
  if (t?.kind === "typeparam") t = t.constraint;
  const u = t?.kind === "named" ? t.underlying() : t;
  if (u?.kind !== "interface") return false;
  const bare = (name) => u.methods.some((m) => m.name === name && m.sig.params.length === 0 && m.sig.results.length === 0);
  return bare("Lock") && bare("Unlock");
}
function lockCall(pass, call) {
  const fun = unparen(call.fun);
  if (fun.kind === "Ident") return methodValueLockCall(pass, call, fun);
  if (fun.kind !== "SelectorExpr") return void 0;
  if (call.args?.length === 1 && MUTEX_METHOD_NAMES.has(fun.sel.name) && unparen(fun.x).kind === "StarExpr") {
    const c2 = pass.types.callee(call);
    const m = c2 ? MUTEX_METHODS[c2.name] : void 0;
    const arg = unparen(call.args[0]);
    if (m && arg.kind === "UnaryExpr" && arg.op === "&") return { call, method: m, mutex: withoutEmbedded(pass, arg.x), typed: true };
    return void 0;
  }
  if ((call.args?.length ?? 0) !== 0) return void 0;
  if (!MUTEX_METHOD_NAMES.has(fun.sel.name)) return void 0;
  const c = pass.types.callee(call);
  if (c) {
    const m = MUTEX_METHODS[c.name] ?? (c.kind === "interface" && lockerInterface(pass, fun.x) ? fun.sel.name : void 0);
    if (!m) return void 0;
    const recv = unparen(fun.x);
    if (c.recv?.name === "Locker" && recv.kind === "Ident") {
      const v = definingValue(pass, recv);
      const target = v ? unparen(v) : void 0;
      const x = target?.kind === "UnaryExpr" && target.op === "&" ? unparen(target.x) : void 0;
      let t = x ? pass.types.typeOf(x) : void 0;
      if (t?.kind === "pointer") t = t.elem;
      if (x && t?.kind === "named" && t.pkg === "sync" && (t.name === "Mutex" || t.name === "RWMutex")) return { call, method: m, mutex: withoutEmbedded(pass, x), typed: true };
    }
    return { call, method: m, mutex: withoutEmbedded(pass, fun.x), typed: true };
  }
  if (pass.typesKnown && pass.types.typeOf(fun.x)) return void 0;
  const short = fun.sel.name;
  if (short === "Lock" || short === "Unlock" || short === "RLock" || short === "RUnlock") return { call, method: short, mutex: fun.x, typed: false };
  return void 0;
}
function methodValueLockCall(pass, call, fun) {
  if ((call.args?.length ?? 0) !== 0) return void 0;
  const o = pass.types.objectOf(fun);
  if (!o || o.kind !== "var" || o.varKind !== "local" || !o.decl) return void 0;
  const v = definingValue(pass, fun);
  const sel = v ? unparen(v) : void 0;
  if (sel?.kind !== "SelectorExpr" || !MUTEX_METHOD_NAMES.has(sel.sel.name)) return void 0;
  let t = pass.types.typeOf(sel.x);
  if (t?.kind === "pointer") t = t.elem;
  if (t?.kind !== "named" || t.pkg !== "sync" || t.name !== "Mutex" && t.name !== "RWMutex") return void 0;
  const m = MUTEX_METHODS[`(*sync.${t.name}).${sel.sel.name}`];
  if (!m) return void 0;
  const file = pass.fileOf(o.decl);
  const fn = file ? innermostFuncBody(file, o.decl) : void 0;
  if (fn && assignsVar(pass, fn, o.decl)) return void 0;
  return { call, method: m, mutex: withoutEmbedded(pass, sel.x), typed: true };
}
function lockStmt(pass, n) {
  if (n.kind !== "ExprStmt") return void 0;
  const x = unparen(n.x);
  return x.kind === "CallExpr" ? lockCall(pass, x) : void 0;
}
function lockCallsIn(pass, n) {
  const out = [];
  walkNode(n, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind === "CallExpr") {
      const l = lockCall(pass, x);
      if (l) out.push(l);
    }
    return true;
  });
  return out;
}
function packageCallsIn(pass, n) {
  const g = callGraphOf(pass);
  const out = [];
  const visit = (root) => {
    walkNode(root, (x) => {
      if (x.kind === "GoStmt") return false;
      if (x.kind === "FuncLit") return false;
      if (x.kind === "CallExpr") {
        if (g.calleeOf(x)) out.push(x);
        if (x.args?.some((a) => unparen(a).kind === "FuncLit") && CALLS_ARGUMENT_IN_PLACE.has(pass.types.callee(x)?.name ?? "")) {
          for (const a of x.args) {
            const lit = unparen(a);
            if (lit.kind === "FuncLit") visit(lit.body);
          }
        }
      }
      return true;
    });
  };
  visit(n);
  return out;
}
function definingValue(pass, id) {
  const o = pass.types.objectOf(id);
  const decl = o?.decl;
  if (!decl) return void 0;
  const file = pass.fileOf(decl);
  if (!file) return void 0;
  let table = defsCache.get(file.file);
  if (!table) {
    const t = /* @__PURE__ */ new Map();
    const add = (lhs, rhs) => {
      lhs.forEach((l, i) => {
        if (l.kind === "Ident") {
          const v = rhs.length === lhs.length ? rhs[i] : rhs.length === 1 ? rhs[0] : void 0;
          if (v) t.set(l, v);
        }
      });
    };
    file.inspector.preorder(["AssignStmt", "ValueSpec"], (x) => {
      if (x.kind === "AssignStmt") {
        if (x.tok === ":=") add(x.lhs, x.rhs);
      } else if (x.values) add(x.names, x.values);
    });
    table = t;
    defsCache.set(file.file, t);
  }
  return table.get(decl);
}
var defsCache = /* @__PURE__ */ new WeakMap();
function accessedField(pass, call) {
  if ((call.args ?? []).length !== 0 || unparen(call.fun).kind !== "SelectorExpr") return void 0;
  const decl = pass.types.callee(call)?.decl;
  if (decl?.kind !== "FuncDecl" || !decl.recv) return void 0;
  const recv = decl.recv.list?.[0]?.names?.[0]?.name;
  const r = returnedSelector(decl.body);
  if (!recv || !r) return void 0;
  const x = unparen(r.x);
  return x.kind === "Ident" && x.name === recv ? r.sel.name : void 0;
}
function ctxBounded(pass, e, depth = 0) {
  e = unparen(e);
  if (depth > 4) return false;
  if (e.kind === "CallExpr") {
    const c = pass.types.callee(e);
    if (!c) return false;
    if (DEADLINE_CONTEXTS.has(c.name)) return true;
    if (c.name === "context.WithoutCancel") return false;
    if (c.pkg === "context" && c.kind === "func" && e.args?.[0]) return ctxBounded(pass, e.args[0], depth + 1);
    return false;
  }
  if (e.kind === "Ident") {
    const v = definingValue(pass, e);
    return v ? ctxBounded(pass, v, depth + 1) : false;
  }
  return false;
}
function namedParamType(pass, file, t) {
  let x = unparen(t);
  let pointer = false;
  if (x.kind === "StarExpr") {
    pointer = true;
    x = unparen(x.x);
  }
  const ty = pass.types.typeOf(x);
  if (ty?.kind === "named") return { pkg: ty.pkg, name: ty.name, pointer };
  if (x.kind === "SelectorExpr" && x.x.kind === "Ident") {
    const o = pass.types.objectOf(x.x);
    const path = o?.kind === "pkgname" ? o.imported : importedAs(file, x.x.name);
    if (path) return { pkg: path, name: x.sel.name, pointer };
  }
  if (x.kind === "Ident") return { pkg: pass.pkg.importPath, name: x.name, pointer };
  return void 0;
}
function pkgMatches(path, want) {
  const p = path.replace(/\/v\d+$/, "");
  return p === want || p.endsWith("/" + want);
}
var GRPC_STREAMS = /* @__PURE__ */ new Set(["ServerStreamingServer", "ClientStreamingServer", "BidiStreamingServer"]);
function requestHandler(pass, file, fn) {
  const params = fn.type.params.list ?? [];
  const extra = pass.options.handlers.map((h) => {
    const pointer = h.startsWith("*");
    const q = pointer ? h.slice(1) : h;
    const dot = q.lastIndexOf(".");
    return { pkg: q.slice(0, dot), name: q.slice(dot + 1), pointer, framework: `${q.slice(dot + 1)} handler` };
  });
  const types = params.map((f) => f.type ? namedParamType(pass, file, f.type) : void 0);
  for (const t of types) {
    if (!t) continue;
    for (const h of HANDLER_PARAMS) {
      if (t.name === h.name && (t.pointer === h.pointer || h.pkg !== "net/http") && pkgMatches(t.pkg, h.pkg)) return { framework: h.framework };
    }
    for (const h of extra) {
      if (t.name === h.name && t.pointer === h.pointer && pkgMatches(t.pkg, h.pkg)) return { framework: h.framework };
    }
  }
  if (fn.kind !== "FuncDecl" || !fn.recv) return void 0;
  const recvType = fn.recv.list?.[0]?.type;
  const recv = recvType ? namedParamType(pass, file, recvType) : void 0;
  if (!recv || !/server$/i.test(recv.name)) return void 0;
  const results = (fn.type.results?.list ?? []).flatMap((f) => Array(f.names?.length || 1).fill(f.type));
  const flat = params.flatMap((f) => Array(f.names?.length || 1).fill(f.type));
  const isError = (e) => !!e && unparen(e).kind === "Ident" && unparen(e).name === "error";
  const named = (e) => e ? namedParamType(pass, file, e) : void 0;
  if (flat.length === 2 && results.length === 2 && isError(results[1])) {
    const ctx = named(flat[0]);
    const req = named(flat[1]);
    const resp = named(results[0]);
    if (ctx && ctx.pkg === "context" && ctx.name === "Context" && req?.pointer && resp?.pointer) return { framework: "gRPC method" };
  }
  if (flat.length >= 1 && results.length === 1 && isError(results[0])) {
    let last = flat[flat.length - 1];
    if (last && (unparen(last).kind === "IndexExpr" || unparen(last).kind === "IndexListExpr")) last = unparen(last).x;
    const stream = named(last);
    if (stream && !stream.pointer && /_\w*Server$/.test(stream.name)) return { framework: "gRPC streaming method" };
    if (stream && !stream.pointer && GRPC_STREAMS.has(stream.name) && pkgMatches(stream.pkg, "grpc")) return { framework: "gRPC streaming method" };
  }
  return void 0;
}
function blockingCall(pass, call) {
  const c = pass.types.callee(call);
  if (!c) return void 0;
  const waits = BLOCKING_CALLS[c.name] ?? (pass.options.blockingCalls.includes(c.name) ? "is configured as a blocking call" : void 0);
  if (waits) return { name: c.name, waits };
  const io = ioOnConn(pass, call, c.name);
  return io ? { name: c.name, waits: io.dir === "Read" ? "reads from a network connection until the peer closes it or sends enough" : "waits for the peer to accept the data" } : void 0;
}
var IO_HELPERS = {
  "io.Copy": [1, 0],
  "io.CopyBuffer": [1, 0],
  "io.CopyN": [1, 0],
  "io.ReadAll": [0, -1],
  "io/ioutil.ReadAll": [0, -1],
  "io.ReadFull": [0, -1],
  "io.ReadAtLeast": [0, -1],
  "io.WriteString": [-1, 0],
  "fmt.Fprint": [-1, 0],
  "fmt.Fprintf": [-1, 0],
  "fmt.Fprintln": [-1, 0],
  "fmt.Fscan": [0, -1],
  "fmt.Fscanf": [0, -1],
  "fmt.Fscanln": [0, -1]
};
var CONN_TYPES = /* @__PURE__ */ new Set(["net.Conn", "net.TCPConn", "net.UDPConn", "net.UnixConn", "net.IPConn", "crypto/tls.Conn"]);
function ioOnConn(pass, call, name) {
  const idx = IO_HELPERS[name];
  if (!idx) return void 0;
  const isConn = (e) => {
    let t = e ? pass.types.typeOf(e) : void 0;
    if (t?.kind === "pointer") t = t.elem;
    return t?.kind === "named" && CONN_TYPES.has(`${t.pkg}.${t.name}`);
  };
  const r = idx[0] >= 0 ? call.args?.[idx[0]] : void 0;
  if (r && isConn(r)) return { conn: r, dir: "Read" };
  const w = idx[1] >= 0 ? call.args?.[idx[1]] : void 0;
  if (w && isConn(w)) return { conn: w, dir: "Write" };
  return void 0;
}
function goVersionAtLeast(v, major, minor) {
  const m = /^(?:go)?(\d+)(?:\.(\d+))?/.exec(v);
  if (!m) return false;
  const a = Number(m[1]);
  const b = m[2] === void 0 ? 0 : Number(m[2]);
  return a > major || a === major && b >= minor;
}
function isErrorTyped(pass, e) {
  const t = pass.types.typeOf(e);
  if (!t) return void 0;
  if (t.kind === "named" && t.pkg === "" && t.name === "error") return true;
  const u = t.kind === "named" ? t.underlying() : t;
  if (!u) return void 0;
  return u.kind === "interface" && u.embeds.length === 0 && u.methods.length === 1 && u.methods[0].name === "Error" && u.methods[0].sig.params.length === 0;
}
function deferredCalls(d) {
  const fun = unparen(d.call.fun);
  if (fun.kind !== "FuncLit") return [{ defer: d, call: d.call, discarded: true, lit: null }];
  const out = [];
  const dropped = /* @__PURE__ */ new Set();
  walkSameFunc(fun.body, (x) => {
    if (x.kind === "ExprStmt") {
      const c = unparen(x.x);
      if (c.kind === "CallExpr") dropped.add(c);
    } else if (x.kind === "AssignStmt" && x.rhs.length === 1 && x.lhs.every((l) => l.kind === "Ident" && l.name === "_")) {
      const c = unparen(x.rhs[0]);
      if (c.kind === "CallExpr") dropped.add(c);
    } else if (x.kind === "ReturnStmt") {
      for (const r of x.results ?? []) {
        const c = unparen(r);
        if (c.kind === "CallExpr") dropped.add(c);
      }
    } else if (x.kind === "CallExpr") {
      out.push({ defer: d, call: x, discarded: false, lit: fun });
    }
    return true;
  });
  for (const c of out) c.discarded = dropped.has(c.call);
  return out;
}
var boundCalls = /* @__PURE__ */ new WeakMap();
function boundCall(pass, call) {
  const f = unparen(call.fun);
  if (f.kind === "SelectorExpr") return methodExprCall(pass, call, f);
  if (f.kind !== "Ident") return call;
  const known = boundCalls.get(call);
  if (known) return known;
  let out = call;
  const o = pass.types.objectOf(f);
  const v = o?.kind === "var" && o.varKind === "local" && o.decl ? definingValue(pass, f) : void 0;
  const sel = v ? unparen(v) : void 0;
  if (sel?.kind === "SelectorExpr") {
    const asCall = { ...call, fun: sel };
    const c = pass.types.callee(asCall);
    const file = o.decl ? pass.fileOf(o.decl) : void 0;
    const body = (c?.kind === "method" || c?.kind === "interface") && file ? innermostFuncBody(file, o.decl) : void 0;
    if (body && !assignsVar(pass, body, o.decl, { addressTaken: true })) out = asCall;
  }
  boundCalls.set(call, out);
  return out;
}
function methodExprCall(pass, call, f) {
  const args = call.args ?? [];
  if (args.length === 0) return call;
  let t = unparen(f.x);
  if (t.kind === "StarExpr") t = unparen(t.x);
  if (t.kind !== "Ident" && !(t.kind === "SelectorExpr" && unparen(t.x).kind === "Ident")) return call;
  const typeName2 = t.kind === "Ident" ? t : t.sel;
  const c = pass.types.callee(call);
  const byObject = pass.types.objectOf(typeName2)?.kind === "type";
  const bySig = (c?.kind === "method" || c?.kind === "interface") && !!c.sig && !c.sig.variadic && args.length === c.sig.params.length + 1;
  if (!byObject && !bySig) return call;
  const known = boundCalls.get(call);
  if (known) return known;
  const sel = { ...f, x: args[0] };
  const out = { ...call, fun: sel, args: args.slice(1) };
  boundCalls.set(call, out);
  return out;
}
function methodCallOn(call) {
  const f = unparen(call.fun);
  if (f.kind !== "SelectorExpr") return void 0;
  return rootIdent(f.x) ? { recv: f.x, method: f.sel.name } : void 0;
}
function writeOrigin(pass, file, e, dependent = false) {
  const call = unparen(e);
  if (call.kind !== "CallExpr") return void 0;
  const c = callName(pass, file, call);
  if (!c) return void 0;
  const res = WRITE_RESOURCES[c.name] ?? (dependent ? DEPENDENT_RESOURCES[c.name] ?? moduleTransaction(pass, call) : void 0);
  if (!res) return void 0;
  if (res.flagsArg !== void 0) {
    const flags = call.args?.[res.flagsArg];
    const v = flags ? openFlagsValue(pass, file, flags, 0) : void 0;
    if (v === void 0 || !isWriteOpen(v)) return void 0;
  }
  if ((c.name === "os.Create" || c.name === "os.OpenFile") && deviceName(call.args?.[0])) return void 0;
  let under3;
  if (res.wraps === "recv") {
    const f = unparen(call.fun);
    under3 = f.kind === "SelectorExpr" ? f.x : void 0;
  } else if (res.wraps !== void 0) under3 = call.args?.[res.wraps];
  return { call, name: c.name, res, typed: c.typed, ...under3 ? { under: under3 } : {} };
}
function returnedQualifiedCalls(body) {
  const out = [];
  let ok = true;
  walkSameFunc(body, (x) => {
    if (!ok || x.kind !== "ReturnStmt") return ok;
    const r = x.results?.[0] ? unparen(x.results[0]) : void 0;
    if (r?.kind === "Ident" && r.name === "nil") return true;
    const f = r?.kind === "CallExpr" ? unparen(r.fun) : void 0;
    if (f?.kind !== "SelectorExpr" || unparen(f.x).kind !== "Ident") ok = false;
    else out.push({ call: r, qual: unparen(f.x).name, name: f.sel.name });
    return ok;
  });
  return ok ? out : void 0;
}
var wrapperKeys;
function moduleWrapperOrigin(pass, file, e, dependent = false) {
  const call = unparen(e);
  if (call.kind !== "CallExpr") return void 0;
  const c = pass.types.callee(call);
  if (!c || !otherModuleFunc(pass, c)) return void 0;
  if (!wrapperKeys) {
    wrapperKeys = /* @__PURE__ */ new Map();
    for (const k of [...Object.keys(WRITE_RESOURCES), ...Object.keys(DEPENDENT_RESOURCES)]) {
      const r = WRITE_RESOURCES[k] ?? DEPENDENT_RESOURCES[k];
      if (typeof r.wraps === "number") wrapperKeys.set(k.slice(k.lastIndexOf("/") + 1), k);
    }
  }
  const d = pass.moduleFunc(c.pkg, c.short, c.recv?.name, "New");
  if (!d?.body) return void 0;
  const params = (d.type.params.list ?? []).flatMap((f) => f.names?.length ? f.names.map((n) => n.name) : ["_"]);
  const calls = returnedQualifiedCalls(d.body);
  let found;
  for (const r of calls ?? []) {
    const key = wrapperKeys.get(`${r.qual}.${r.name}`);
    const res = key ? WRITE_RESOURCES[key] ?? (dependent ? DEPENDENT_RESOURCES[key] : void 0) : void 0;
    if (!key || !res || found && found.key !== key) return void 0;
    const inner = typeof res.wraps === "number" ? r.call.args?.[res.wraps] : void 0;
    const i = inner && unparen(inner).kind === "Ident" ? params.indexOf(unparen(inner).name) : -1;
    found = { key, res, under: i >= 0 ? call.args?.[i] : void 0 };
  }
  if (!found) return void 0;
  return { call, name: `${textOf(file, call.fun)} (${found.key} inside)`, res: found.res, typed: false, ...found.under ? { under: found.under } : {} };
}
var MODULE_TRANSACTION = { what: "transaction", verb: "from", release: ["Rollback", "Commit"], checked: ["Commit"], wraps: "recv" };
function moduleTransaction(pass, call) {
  const c = pass.types.callee(call);
  if (c?.kind !== "method" && c?.kind !== "interface" || !/^Begin(Tx)?$/.test(c.short) || !c.pkg || !inModule(pass, c.pkg)) return void 0;
  const results = c.sig?.results ?? [];
  let t = results[0]?.type;
  if (t?.kind === "pointer") t = t.elem;
  if (t?.kind !== "named" || !inModule(pass, t.pkg)) return void 0;
  const named = t;
  const u = named.underlying();
  if (u?.kind === "interface") {
    const names = new Set(u.methods.map((m) => m.name));
    return names.has("Rollback") && names.has("Commit") ? MODULE_TRANSACTION : void 0;
  }
  const has = (m) => named.pkg === pass.pkg.importPath ? pass.files.some((f) => (f.file.decls ?? []).some((d) => d.kind === "FuncDecl" && d.name.name === m && recvTypeName(d) === named.name)) : !!pass.moduleFunc(named.pkg, m, named.name);
  return has("Rollback") && has("Commit") ? MODULE_TRANSACTION : void 0;
}
function deviceName(e, joined = false) {
  const x = e ? unparen(e) : void 0;
  if (!x) return false;
  if (x.kind === "BinaryExpr" && x.op === "+") return deviceName(x.x);
  if (x.kind === "CallExpr") {
    const f = unparen(x.fun);
    const name = f.kind === "SelectorExpr" ? f.sel.name : "";
    return (name === "Sprintf" || name === "Join") && deviceName(x.args?.[0], name === "Join");
  }
  if (x.kind !== "BasicLit" || x.tokKind !== "STRING") return false;
  const v = x.value.slice(1, -1);
  return /^\/(dev|proc|sys)\//.test(v) || joined && /^\/(dev|proc|sys)\/?$/.test(v) || /^(CONIN\$|CONOUT\$|CON|NUL)$/i.test(v);
}
function isWriteOpen(flags) {
  return (flags & 3) !== 0 || (flags & OPEN_WRITE_BITS) !== 0;
}
var FLAG_PACKAGES = /* @__PURE__ */ new Set(["os", "syscall", "golang.org/x/sys/unix"]);
function openFlagsValue(pass, file, e, depth) {
  if (depth > 8) return void 0;
  e = unparen(e);
  switch (e.kind) {
    case "BasicLit": {
      if (e.tokKind !== "INT") return void 0;
      const s = e.value.replace(/_/g, "").toLowerCase();
      const n = s.startsWith("0x") ? parseInt(s.slice(2), 16) : s.startsWith("0o") ? parseInt(s.slice(2), 8) : s.startsWith("0b") ? parseInt(s.slice(2), 2) : s.length > 1 && s.startsWith("0") ? parseInt(s.slice(1), 8) : parseInt(s, 10);
      return Number.isFinite(n) ? n : void 0;
    }
    case "SelectorExpr": {
      const x = unparen(e.x);
      if (x.kind !== "Ident") return void 0;
      const o = pass.types.objectOf(x);
      const path = o?.kind === "pkgname" ? o.imported : o ? void 0 : importedAs(file, x.name);
      return path && FLAG_PACKAGES.has(path) ? OPEN_FLAGS[e.sel.name] : void 0;
    }
    case "BinaryExpr": {
      const a = openFlagsValue(pass, file, e.x, depth + 1);
      const b = a === void 0 ? void 0 : openFlagsValue(pass, file, e.y, depth + 1);
      if (a === void 0 || b === void 0) return void 0;
      switch (e.op) {
        case "|":
          return a | b;
        case "+":
          return a + b;
        case "&":
          return a & b;
        case "&^":
          return a & ~b;
        default:
          return void 0;
      }
    }
    case "Ident": {
      const o = pass.types.objectOf(e);
      if (o?.kind === "var" && o.varKind === "local" && o.decl) {
        const v2 = definingValue(pass, e);
        const pf = pass.fileOf(o.decl);
        if (!v2 || !pf) return void 0;
        let other = false;
        pf.inspector.preorder(["AssignStmt", "UnaryExpr"], (x) => {
          if (other) return;
          if (x.kind === "UnaryExpr") {
            if (x.op === "&" && unparen(x.x).kind === "Ident" && pass.types.objectOf(unparen(x.x)) === o) other = true;
            return;
          }
          if (x.tok === "|=" || x.lhs.includes(o.decl)) return;
          if (x.lhs.some((l) => unparen(l).kind === "Ident" && pass.types.objectOf(unparen(l)) === o)) other = true;
        });
        return other ? void 0 : openFlagsValue(pass, file, v2, depth + 1);
      }
      const decl = o ? o.kind === "const" ? o.decl : null : packageConstNamed(pass, e.name);
      if (!decl) return void 0;
      const spec = constSpecOf(pass, decl);
      if (!spec) return void 0;
      const i = spec.names.indexOf(decl);
      const v = spec.values?.[i];
      return v ? openFlagsValue(pass, file, v, depth + 1) : void 0;
    }
    default:
      return void 0;
  }
}
function packageConstNamed(pass, name) {
  let found = null;
  let count2 = 0;
  for (const f of pass.files) {
    for (const d of f.file.decls ?? []) {
      if (d.kind !== "GenDecl" || d.tok !== "const") continue;
      for (const sp of d.specs ?? []) {
        if (sp.kind !== "ValueSpec") continue;
        for (const n of sp.names) {
          if (n.name === name) {
            found = n;
            count2++;
          }
        }
      }
    }
  }
  return count2 === 1 ? found : null;
}
function constSpecOf(pass, decl) {
  for (const f of pass.files) {
    if (decl.namePos < pos(f.file) || decl.namePos > end(f.file)) continue;
    let found;
    inspect(f.file, (n) => {
      if (found) return false;
      if (n.kind === "ValueSpec" && n.names.includes(decl)) {
        found = n;
        return false;
      }
      return pos(n) <= decl.namePos && decl.namePos <= end(n);
    });
    if (found) return found;
  }
  return void 0;
}
function displayName(pass, name) {
  const own = pass.pkg.importPath;
  if (!own) return name;
  return name.split(own + ".").join("");
}
function isNilIdent(pass, e) {
  e = unparen(e);
  if (e.kind !== "Ident" || e.name !== "nil") return false;
  const o = pass.types.objectOf(e);
  return !o || o.kind === "nil";
}
function selectorRoot(e) {
  for (; ; ) {
    e = unparen(e);
    if (e.kind === "Ident") return e;
    if (e.kind === "SelectorExpr" || e.kind === "StarExpr") e = e.x;
    else return void 0;
  }
}
function mentions(pass, n, id) {
  const target = pass.types.objectOf(id);
  let found = false;
  const visit = (x) => {
    if (found) return false;
    if (x.kind === "SelectorExpr") {
      inspect(x.x, visit);
      return false;
    }
    if (x.kind === "Ident" && x.name === id.name && x !== id) {
      const o = pass.types.objectOf(x);
      if (!target || !o || o === target) found = true;
    }
    return !found;
  };
  inspect(n, visit);
  return found;
}
var recoverCache = /* @__PURE__ */ new WeakMap();
var CALLS_ARGUMENT_IN_PLACE = /* @__PURE__ */ new Set([
  "(*sync.Once).Do",
  "(*sync.Map).Range",
  "sort.Slice",
  "sort.SliceStable",
  "sort.Search",
  "path/filepath.Walk",
  "path/filepath.WalkDir",
  "io/fs.WalkDir"
]);
var inPlaceCalls = /* @__PURE__ */ new WeakMap();
function inPlaceCallOf(pass, fn, lit) {
  let m = inPlaceCalls.get(fn);
  if (!m) {
    const calls = /* @__PURE__ */ new Map();
    if (fn.body) {
      walkSameFunc(fn.body, (x) => {
        if (x.kind !== "CallExpr" || !x.args?.some((a) => unparen(a).kind === "FuncLit")) return true;
        if (!CALLS_ARGUMENT_IN_PLACE.has(pass.types.callee(x)?.name ?? "")) return true;
        for (const a of x.args) {
          const l = unparen(a);
          if (l.kind === "FuncLit") calls.set(l, x);
        }
        return true;
      });
    }
    inPlaceCalls.set(fn, m = calls);
  }
  return m.get(lit);
}
function callsParamInPlace(decl, idx) {
  if (!decl?.body) return false;
  const names = (decl.type.params.list ?? []).flatMap((f) => f.names?.length ? f.names.map((n) => n.name) : ["_"]);
  const name = names[idx];
  if (!name || name === "_") return false;
  let called = false;
  let other = false;
  const calls = /* @__PURE__ */ new Set();
  walkSameFunc(decl.body, (x) => {
    if (other) return false;
    if (x.kind === "DeferStmt" || x.kind === "GoStmt") {
      const f = unparen(x.call.fun);
      if (f.kind === "Ident" && f.name === name) other = true;
      return !other;
    }
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      if (f.kind === "Ident" && f.name === name) {
        called = true;
        calls.add(f);
      }
    } else if (x.kind === "Ident" && x.name === name && !calls.has(x)) other = true;
    return !other;
  });
  return called && !other;
}
var factoriesCache = /* @__PURE__ */ new WeakMap();
function deferredFactories(pass) {
  let set = factoriesCache.get(pass.files);
  if (set) return set;
  set = /* @__PURE__ */ new Set();
  for (const file of pass.files) {
    file.inspector.preorder(["DeferStmt"], (d) => {
      const f = unparen(d.call.fun);
      const decl = f.kind === "CallExpr" ? pass.types.callee(f)?.decl : void 0;
      if (decl) set.add(decl);
    });
  }
  factoriesCache.set(pass.files, set);
  return set;
}
function litUse(stack, lit, pass) {
  const i = stack.lastIndexOf(lit);
  let owner;
  for (let j2 = i - 1; j2 >= 0; j2--) {
    const n = stack[j2];
    if (isFunc(n)) {
      owner = n;
      break;
    }
  }
  let j = i - 1;
  while (j >= 0 && stack[j].kind === "ParenExpr") j--;
  const parent = stack[j];
  if (parent?.kind === "CallExpr" && unparen(parent.fun) === lit) {
    const gp = stack[j - 1];
    if (gp?.kind === "DeferStmt" && gp.call === parent) return { kind: "defer", owner };
    if (gp?.kind === "GoStmt" && gp.call === parent) return { kind: "go", owner };
    return { kind: "call", owner };
  }
  if (pass && parent?.kind === "CallExpr" && (parent.args ?? []).some((a) => unparen(a) === lit) && CALLS_ARGUMENT_IN_PLACE.has(pass.types.callee(parent)?.name ?? "")) return { kind: "call", owner };
  if (pass && parent?.kind === "CallExpr" && stack[j - 1]?.kind !== "DeferStmt") {
    const idx = (parent.args ?? []).findIndex((a) => unparen(a) === lit);
    const c = pass.types.callee(parent);
    const decl = !c?.pkg || c.pkg === pass.pkg.importPath ? c?.decl : c.kind === "func" || c.kind === "method" ? pass.moduleFunc(c.pkg, c.short, c.recv?.name) : void 0;
    if (idx >= 0 && callsParamInPlace(decl, idx)) return { kind: "call", owner };
  }
  if (pass && parent?.kind === "ReturnStmt" && owner?.kind === "FuncDecl" && deferredFactories(pass).has(owner)) return { kind: "defer", owner };
  if (parent?.kind === "CallExpr" && (parent.args ?? []).some((a) => unparen(a) === lit) && stack[j - 1]?.kind === "DeferStmt" && stack[j - 1].call === parent) {
    return { kind: "deferred-arg", owner, via: parent };
  }
  return { kind: "value", owner };
}
function recoverSites(pass) {
  const cached = recoverCache.get(pass.files);
  if (cached) return cached;
  let calls = false;
  for (const f of pass.files) {
    if (!sourceMentions(f, "recover")) continue;
    f.inspector.preorder(["CallExpr"], (c) => {
      if (!calls && isRecoverCall(pass, c)) calls = true;
    });
    if (calls) break;
  }
  if (!calls) {
    recoverCache.set(pass.files, []);
    return [];
  }
  const graph = callGraphOf(pass);
  const fileOfFn = /* @__PURE__ */ new Map();
  const litKind = /* @__PURE__ */ new Map();
  const looseNames = /* @__PURE__ */ new Set();
  let valueNames;
  const isLoose = (fn) => {
    const name = fn.name.name;
    if (looseNames.has(name)) return true;
    if (!valueNames) {
      const sels = /* @__PURE__ */ new Set();
      const idents = /* @__PURE__ */ new Set();
      for (const file of pass.files) {
        const notValue = /* @__PURE__ */ new Set();
        file.inspector.preorder(["CallExpr", "SelectorExpr", "Ident", "FuncDecl"], (n) => {
          if (n.kind === "CallExpr") notValue.add(n.fun);
          else if (n.kind === "FuncDecl") notValue.add(n.name);
          else if (n.kind === "SelectorExpr") {
            notValue.add(n.sel);
            if (!notValue.has(n)) sels.add(n.sel.name);
          } else if (!notValue.has(n)) {
            const k = pass.types.objectOf(n)?.kind;
            if (k === void 0 || k === "func") idents.add(n.name);
          }
        });
      }
      valueNames = { sels, idents };
    }
    return fn.recv ? valueNames.sels.has(name) : valueNames.idents.has(name) || valueNames.sels.has(name);
  };
  const found = [];
  for (const file of pass.files) {
    file.inspector.withStack(["FuncLit", "FuncDecl", "CallExpr", "DeferStmt"], (n, stack) => {
      if (n.kind === "FuncDecl") fileOfFn.set(n, file);
      else if (n.kind === "FuncLit") {
        fileOfFn.set(n, file);
        litKind.set(n, litUse(stack, n, pass));
      } else if (n.kind === "DeferStmt") {
        const f = unparen(n.call.fun);
        const name = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : void 0;
        if (name && !graph.calleeOf(n.call)) looseNames.add(name);
      } else if (n.kind === "CallExpr" && isRecoverCall(pass, n)) {
        const fn = enclosingFunc(stack);
        const parent = stack[stack.length - 2];
        const deferRecover = parent?.kind === "DeferStmt" && parent.call === n;
        let deferArg = false;
        for (let k = stack.length - 2; k >= 0 && !deferRecover; k--) {
          const s = stack[k];
          if (isFunc(s)) break;
          if (s.kind === "DeferStmt" || s.kind === "GoStmt") {
            deferArg = true;
            break;
          }
        }
        found.push({ call: n, file, fn, deferRecover, deferArg });
      }
      return true;
    });
  }
  const exported2 = (fn) => fn.kind === "FuncDecl" && /^[A-Z]/.test(fn.name.name);
  const heldBy = /* @__PURE__ */ new Map();
  const heldName = (lit) => {
    let r = heldBy.get(lit);
    if (r !== void 0) return r;
    r = null;
    const edges = (graph.nodeOf(lit)?.in ?? []).filter((e) => e.kind !== "value");
    const first = edges[0]?.site;
    const owner = litKind.get(lit)?.owner;
    if (first?.kind === "CallExpr" && owner?.body) {
      const fun = unparen(first.fun);
      const obj = fun.kind === "Ident" ? pass.types.objectOf(fun) : void 0;
      if (fun.kind === "Ident" && obj) {
        const callees = new Set(edges.map((e) => unparen(e.site.fun)));
        const defs = /* @__PURE__ */ new Set();
        walkNode(owner.body, (x) => {
          if (x.kind === "AssignStmt") for (const l of x.lhs) defs.add(unparen(l));
          else if (x.kind === "ValueSpec") for (const n of x.names) defs.add(n);
          return true;
        });
        let escapes2 = false;
        walkNode(owner.body, (x) => {
          if (escapes2) return false;
          if (x.kind === "Ident" && x.name === fun.name && !callees.has(x) && !defs.has(x) && pass.types.objectOf(x) === obj) escapes2 = true;
          return true;
        });
        if (!escapes2) r = fun.name;
      }
    }
    heldBy.set(lit, r);
    return r;
  };
  const heldByLocalStruct = (lit) => {
    const owner = litKind.get(lit)?.owner;
    if (!owner?.body) return false;
    let holder;
    walkNode(owner.body, (x) => {
      if (holder || x.kind !== "AssignStmt" && x.kind !== "ValueSpec") return !holder;
      const lhs = x.kind === "AssignStmt" ? x.lhs : x.names;
      const rhs = x.kind === "AssignStmt" ? x.rhs : x.values ?? [];
      rhs.forEach((r, i) => {
        let cl = unparen(r);
        if (cl.kind === "UnaryExpr" && cl.op === "&") cl = unparen(cl.x);
        const l = lhs[i] ? unparen(lhs[i]) : void 0;
        if (cl.kind === "CompositeLit" && l?.kind === "Ident" && (cl.elts ?? []).some((e) => e.kind === "KeyValueExpr" && unparen(e.value) === lit)) holder = l;
      });
      return !holder;
    });
    if (!holder) return false;
    const obj = pass.types.objectOf(holder);
    if (!obj) return false;
    let escapes2 = false;
    const bases = /* @__PURE__ */ new Set();
    walkNode(owner.body, (x) => {
      if (escapes2) return false;
      if (x.kind === "SelectorExpr" && unparen(x.x).kind === "Ident") bases.add(unparen(x.x));
      if (x.kind === "Ident" && x !== holder && !bases.has(x) && pass.types.objectOf(x) === obj) escapes2 = true;
      return !escapes2;
    });
    return !escapes2;
  };
  const deferred = (fn) => {
    if (fn.kind === "FuncLit") {
      const k = litKind.get(fn)?.kind;
      if (k === "value") {
        if (!heldName(fn)) {
          if (!heldByLocalStruct(fn)) return "unknown";
          const edges2 = graph.nodeOf(fn).in.filter((e) => e.kind !== "value");
          if (edges2.some((e) => e.kind === "defer")) return "yes";
          return edges2.length > 0 && edges2.every((e) => e.kind === "call") ? "no" : "unknown";
        }
        return graph.nodeOf(fn).in.some((e) => e.kind === "defer") ? "yes" : "no";
      }
      return k === "defer" ? "yes" : "no";
    }
    const node = graph.nodeOf(fn);
    const edges = node?.in ?? [];
    if (edges.some((e) => e.kind === "defer")) return "yes";
    if (edges.some((e) => e.kind === "value") || isLoose(fn)) return "unknown";
    return "no";
  };
  const sites = [];
  for (const f of found) {
    if (!f.fn) continue;
    const site = { call: f.call, file: f.file, fn: f.fn, status: "effective", confidence: "high", callers: [] };
    sites.push(site);
    if (f.deferRecover) {
      site.status = "ineffective";
      site.reason = "defer-recover";
      continue;
    }
    const d = deferred(f.fn);
    if (d === "yes") {
      if (f.fn.kind === "FuncLit" && litKind.get(f.fn)?.kind === "value") site.heldBy = heldName(f.fn) ?? void 0;
      continue;
    }
    if (d === "unknown" && f.deferArg && f.fn.kind === "FuncLit" && !heldName(f.fn)) {
      site.status = "ineffective";
      site.reason = "defer-arg";
      site.confidence = "medium";
      continue;
    }
    if (d === "unknown" && requestHandler(pass, f.file, f.fn)) {
      site.status = "ineffective";
      site.reason = f.deferArg ? "defer-arg" : "handler";
      continue;
    }
    if (d === "unknown") {
      site.status = "unknown";
      continue;
    }
    site.status = "ineffective";
    const held = f.fn.kind === "FuncLit" ? heldName(f.fn) : null;
    if (held) site.heldBy = held;
    if (f.fn.kind === "FuncLit" && !held) {
      const use = litKind.get(f.fn);
      if (use.kind === "go") site.reason = "goroutine";
      else if (use.kind === "deferred-arg" && use.via) {
        site.reason = "deferred-arg-literal";
        site.via = use.via;
      } else if (use.owner && deferred(use.owner) === "yes") {
        site.reason = "nested-literal";
        site.callers.push({ node: f.fn, fn: use.owner, file: fileOfFn.get(use.owner) ?? f.file });
      } else if (heldByLocalStruct(f.fn) && (graph.nodeOf(f.fn)?.in ?? []).some((e) => e.kind === "call" && deferred(e.caller.decl ?? e.caller.lit) === "yes")) {
        site.reason = "nested-literal";
        for (const e of graph.nodeOf(f.fn).in) {
          const c = e.caller.decl ?? e.caller.lit;
          if (e.kind === "call" && deferred(c) === "yes") site.callers.push({ node: e.site, fn: c, file: fileOfFn.get(c) ?? f.file });
        }
      } else site.reason = f.deferArg ? "defer-arg" : "never-deferred";
      continue;
    }
    const node = graph.nodeOf(f.fn);
    const callers = (node?.in ?? []).filter((e) => e.kind === "call" || e.kind === "go");
    const fromDeferred = callers.filter((e) => {
      const c = e.caller.decl ?? e.caller.lit;
      return c && deferred(c) === "yes";
    });
    if (fromDeferred.length > 0) {
      site.reason = "called-helper";
      for (const e of fromDeferred) {
        const c = e.caller.decl ?? e.caller.lit;
        site.callers.push({ node: e.site, fn: c, file: fileOfFn.get(c) ?? f.file });
      }
    } else site.reason = f.deferArg ? "defer-arg" : "never-deferred";
    if (f.fn.kind === "FuncDecl" && (exported2(f.fn) || f.fn.recv && /^[A-Z]/.test(f.fn.name.name))) {
      if (site.reason === "never-deferred" && (pass.deferredElsewhere(f.fn.name.name) || docSaysDeferred(f.fn))) {
        site.status = "effective";
        delete site.reason;
        continue;
      }
      site.confidence = "medium";
    }
  }
  if (!pass.typesKnown) {
    for (const s of sites) if (s.status === "ineffective" && s.reason !== "defer-recover" && s.fn.kind === "FuncDecl") s.confidence = "medium";
  }
  recoverCache.set(pass.files, sites);
  return sites;
}
function docSaysDeferred(d) {
  const name = d.name.name;
  return (d.doc?.list ?? []).some((c) => /\b(meant|intended|designed|supposed)\s+to\s+be\s+deferred\b|\b(should|must|can|may)\s+be\s+deferred\b|\b(use|call)\s+(it\s+)?(with|in|via|using)\s+(a\s+)?defer\b|\b(called|used|run|invoked)\s+(as|in|from|with|via|using)\s+(a\s+)?defer(red)?\b/i.test(c.text) || new RegExp(`\\bdefer\\s+([A-Za-z_][\\w]*\\.)*${name}\\(`).test(c.text));
}
function callText(file, call) {
  const fun = unparen(call.fun);
  if (fun.kind === "FuncLit") return "func() {...}()";
  const t = textOf(file, call);
  if (!t.includes("\n") && t.length <= 80) return t;
  const f = textOf(file, call.fun);
  return !f.includes("\n") && f.length <= 60 ? `${f}(...)` : "the call";
}
function configuredExits(pass) {
  const v = pass.options.rules["exit-skips-defer"]?.exitCalls;
  return new Set(Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);
}
function processExit(pass, file, call) {
  const fun = unparen(call.fun);
  if (fun.kind === "SelectorExpr") {
    const alias = exitFieldAliases(pass).get(fun.sel.name);
    if (alias) {
      const c2 = pass.types.callee(call);
      if (!c2 || c2.kind === "funcvalue") return alias;
    }
  }
  if (fun.kind === "Ident" && exitAliases(pass).has(fun.name)) {
    const v = definingValue(pass, fun);
    if (v) {
      const alias = exitValue(pass, file, v);
      if (alias) return alias;
    }
  }
  const c0 = callName(pass, file, call);
  if (!c0) return void 0;
  const c = c0.typed ? c0 : { ...c0, name: declaredMethodName(pass, file, call) ?? c0.name };
  const extra = configuredExits(pass);
  if (EXIT_FUNCTIONS.has(c.name) || extra.has(c.name)) return { name: c.name, typed: c.typed };
  if (EVENT_SENDERS.has(c.name) || !c.typed && ["Msg", "Msgf", "MsgFunc", "Send"].includes(c.short)) {
    let x = c.recv ?? (unparen(call.fun).kind === "SelectorExpr" ? unparen(call.fun).x : void 0);
    for (let depth = 0; x && depth < 20; depth++) {
      x = unparen(x);
      if (x.kind !== "CallExpr") return void 0;
      const inner0 = callName(pass, file, x);
      const inner = inner0 && !inner0.typed ? { ...inner0, name: declaredMethodName(pass, file, x) ?? inner0.name } : inner0;
      if (inner && FATAL_EVENT_SOURCES.has(inner.name)) return { name: `${inner.name}().${c.short}`, typed: c.typed && inner.typed };
      const f = unparen(x.fun);
      x = f.kind === "SelectorExpr" ? f.x : void 0;
    }
  }
  return void 0;
}
function exitValue(pass, file, v) {
  const x = unparen(v);
  if (x.kind !== "SelectorExpr" && x.kind !== "Ident") return void 0;
  const probe = { kind: "CallExpr", fun: x, lparen: end(x), args: null, ellipsis: -1, rparen: end(x) };
  const c = callName(pass, file, probe);
  if (!c) return void 0;
  const name = c.typed ? c.name : declaredMethodName(pass, file, probe) ?? c.name;
  return EXIT_FUNCTIONS.has(name) || configuredExits(pass).has(name) ? { name, typed: c.typed } : void 0;
}
var exitAliasCache = /* @__PURE__ */ new WeakMap();
function exitAliases(pass) {
  let set = exitAliasCache.get(pass.files);
  if (set) return set;
  set = /* @__PURE__ */ new Set();
  const replaced = /* @__PURE__ */ new Set();
  for (const f of pass.files) {
    f.inspector.preorder(["AssignStmt", "ValueSpec"], (a) => {
      if (a.kind === "ValueSpec") {
        a.names.forEach((id, i) => {
          const r = a.values?.[i] ? unparen(a.values[i]) : void 0;
          if (r && (r.kind === "SelectorExpr" || r.kind === "Ident") && exitValue(pass, f, r)) set.add(id.name);
        });
        return;
      }
      if (a.lhs.length !== a.rhs.length) return;
      a.lhs.forEach((l, i) => {
        const id = unparen(l);
        const r = unparen(a.rhs[i]);
        if (id.kind !== "Ident") return;
        if ((r.kind === "SelectorExpr" || r.kind === "Ident") && exitValue(pass, f, r)) set.add(id.name);
        else if (a.tok === "=" && !f.test && pass.types.objectOf(id)?.varKind === "package") replaced.add(id.name);
      });
    });
  }
  for (const n of replaced) set.delete(n);
  exitAliasCache.set(pass.files, set);
  return set;
}
var exitFieldCache = /* @__PURE__ */ new WeakMap();
function exitFieldAliases(pass) {
  let m = exitFieldCache.get(pass.files);
  if (m) return m;
  m = /* @__PURE__ */ new Map();
  const other = /* @__PURE__ */ new Set();
  const note = (f, field, v) => {
    const r = unparen(v);
    const e = r.kind === "SelectorExpr" || r.kind === "Ident" ? exitValue(pass, f, r) : void 0;
    if (e) m.set(field, e);
    else if (!f.test) other.add(field);
  };
  for (const f of pass.files) {
    if (!bytesContain(f.source.bytes, "Exit") && !bytesContain(f.source.bytes, "Fatal")) continue;
    f.inspector.preorder(["KeyValueExpr", "AssignStmt"], (x) => {
      if (x.kind === "KeyValueExpr") {
        if (unparen(x.key).kind === "Ident") note(f, unparen(x.key).name, x.value);
        return;
      }
      if (x.lhs.length !== x.rhs.length) return;
      x.lhs.forEach((l, i) => {
        const t = unparen(l);
        if (t.kind === "SelectorExpr") note(f, t.sel.name, x.rhs[i]);
      });
    });
  }
  for (const k of other) m.delete(k);
  exitFieldCache.set(pass.files, m);
  return m;
}
function declaredMethodName(pass, file, call) {
  const fun = unparen(call.fun);
  if (fun.kind !== "SelectorExpr") return void 0;
  const v = unparen(fun.x);
  if (v.kind !== "Ident") return void 0;
  const decl = pass.types.objectOf(v)?.decl;
  if (!decl) return void 0;
  const declFile = pass.fileOf(decl) ?? file;
  let texpr = null;
  declFile.inspector.preorder(["Field", "ValueSpec"], (n) => {
    if (texpr) return;
    if (n.kind === "Field" && n.names?.includes(decl)) texpr = n.type;
    else if (n.kind === "ValueSpec" && n.names.includes(decl)) texpr = n.type;
  });
  if (!texpr) return void 0;
  let t = unparen(texpr);
  let star = "";
  if (t.kind === "StarExpr") {
    star = "*";
    t = unparen(t.x);
  }
  if (t.kind !== "SelectorExpr" || t.x.kind !== "Ident") return void 0;
  const path = importedAs(declFile, t.x.name);
  return path ? `(${star}${path}.${t.sel.name}).${fun.sel.name}` : void 0;
}
function assignsVar(pass, body, decl, opts = {}) {
  const isVar = (e) => {
    const id = unparen(e);
    if (id.kind !== "Ident" || id.name !== decl.name) return false;
    const o = pass.types.objectOf(id);
    return !o || o.decl === decl;
  };
  let found = false;
  walkNode(body, (x) => {
    if (found || x.kind === "FuncLit" && x !== body) return false;
    if (x.kind === "AssignStmt" && x.tok !== ":=") found = x.lhs.some(isVar);
    else if (x.kind === "IncDecStmt") found = isVar(x.x);
    else if (opts.addressTaken && x.kind === "UnaryExpr" && x.op === "&") found = isVar(x.x);
    return !found;
  });
  return found;
}
function runsOncePerCall(pass, fn, d) {
  const g = cfgOf(pass, fn);
  return !!g && !!g.locate(d) && !g.canReach(d, d);
}
function isName(e) {
  const x = unparen(e);
  return x.kind === "Ident" || x.kind === "SelectorExpr";
}
function isIdent(e, name) {
  const x = unparen(e);
  return x.kind === "Ident" && x.name === name;
}
function guardsOf(cond) {
  const c = unparen(cond);
  if (c.kind === "BinaryExpr" && c.op === "&&") return [...guardsOf(c.x), ...guardsOf(c.y)];
  if (c.kind === "BinaryExpr" && c.op === "==") {
    for (const [v, k] of [[c.x, c.y], [c.y, c.x]]) {
      if (!isName(v)) continue;
      if (isIdent(k, "nil")) return [{ v, closedBy: "non-nil" }];
      if (isIdent(k, "false")) return [{ v, closedBy: "true" }];
      if (isIdent(k, "true")) return [{ v, closedBy: "false" }];
    }
    return [];
  }
  if (c.kind === "UnaryExpr" && c.op === "!" && isName(c.x)) return [{ v: unparen(c.x), closedBy: "true" }];
  if (isName(c) && !isIdent(c, "true") && !isIdent(c, "false")) return [{ v: c, closedBy: "false" }];
  return [];
}
function exitGuardsOf(cond) {
  const c = unparen(cond);
  if (c.kind === "BinaryExpr" && c.op === "||") return [...exitGuardsOf(c.x), ...exitGuardsOf(c.y)];
  if (c.kind === "BinaryExpr" && c.op === "!=") {
    for (const [v, k] of [[c.x, c.y], [c.y, c.x]]) {
      if (isName(v) && isIdent(k, "nil")) return [{ v, closedBy: "non-nil" }];
    }
    return [];
  }
  if (c.kind === "UnaryExpr" && c.op === "!" && isName(c.x)) return [{ v: unparen(c.x), closedBy: "false" }];
  if (isName(c) && !isIdent(c, "true") && !isIdent(c, "false")) return [{ v: c, closedBy: "true" }];
  return [];
}
function closesGuard(e, closedBy) {
  const x = unparen(e);
  const name = x.kind === "Ident" ? x.name : void 0;
  if (closedBy === "non-nil") return name !== "nil";
  return name === closedBy;
}
function valuesFor(pass, st, key) {
  if (st.tok !== "=") return [];
  const out = [];
  st.lhs.forEach((l, i) => {
    if (sameRefKey(refKey(pass, l), key)) out.push(st.rhs.length === st.lhs.length ? st.rhs[i] : void 0);
  });
  return out;
}
function leavesBlock(st) {
  if (!st) return false;
  if (st.kind === "ReturnStmt") return true;
  if (st.kind === "BranchStmt") return st.tok === "continue" || st.tok === "break";
  if (st.kind === "ExprStmt") {
    const x = unparen(st.x);
    return x.kind === "CallExpr" && unparen(x.fun).kind === "Ident" && unparen(x.fun).name === "panic";
  }
  return false;
}
function runsAtMostOnce(pass, fn, d, outer, stack) {
  if (runsOncePerCall(pass, fn, d)) return true;
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d)) return false;
  const li = stack.indexOf(outer);
  const guards = [];
  for (let i = stack.length - 2; i > li; i--) {
    const n = stack[i];
    const child = stack[i + 1];
    if (n.kind === "IfStmt" && child === n.body) guards.push(...guardsOf(n.cond).map((g2) => ({ ...g2, at: pos(n) })));
    const list = n.kind === "BlockStmt" ? n.list : n.kind === "CaseClause" || n.kind === "CommClause" ? n.body : void 0;
    if (!list) continue;
    for (const st of list) {
      if (st === child) break;
      if (st.kind === "IfStmt" && !st.init && !st.else && leavesBlock((st.body.list ?? []).at(-1))) guards.push(...exitGuardsOf(st.cond).map((g2) => ({ ...g2, at: pos(st) })));
    }
  }
  for (const guard of guards) {
    const root = rootIdent(guard.v);
    const obj = root ? pass.types.objectOf(root) : void 0;
    if (!obj?.decl || pos(obj.decl) >= pos(outer)) continue;
    const key = refKey(pass, guard.v);
    if (key === void 0) continue;
    const closing = /* @__PURE__ */ new Set();
    let reopened = false;
    walkSameFunc(outer.body, (x) => {
      if (reopened) return false;
      if (x.kind === "AssignStmt") {
        const values = valuesFor(pass, x, key);
        if (values.length === 0) return true;
        if (pos(x) < guard.at) {
          reopened = true;
          return false;
        }
        if (values.every((v) => v === void 0 ? guard.closedBy === "non-nil" : closesGuard(v, guard.closedBy))) closing.add(x);
        else reopened = true;
      } else if (x.kind === "UnaryExpr" && x.op === "&" && sameRefKey(refKey(pass, x.x), key)) {
        reopened = true;
      }
      return !reopened;
    });
    if (!reopened && closing.size > 0 && !g.pathExists(d, d, (n) => closing.has(n))) return true;
  }
  return false;
}
function declaringStructType(t, f, depth = 0) {
  if (!t || depth > 4) return void 0;
  if (t.kind === "pointer") t = t.elem;
  if (t.kind !== "named") return void 0;
  const u = t.underlying();
  if (u?.kind !== "struct") return void 0;
  if (u.fields.some((fld) => fld.name === f && !fld.embedded)) return `${t.pkg}.${t.name}`;
  for (const fld of u.fields) {
    if (!fld.embedded) continue;
    const o = declaringStructType(fld.type, f, depth + 1);
    if (o) return o;
  }
  return void 0;
}
function selectorFieldKey(pass, sel) {
  const o = declaringStructType(pass.types.typeOf(sel.x), sel.sel.name);
  return o ? `${o}.${sel.sel.name}` : void 0;
}
function literalFieldKey(pass, lit, key) {
  let t = pass.types.typeOf(lit);
  if (t?.kind === "pointer") t = t.elem;
  if (t?.kind !== "named") return void 0;
  const u = t.underlying();
  if (u?.kind !== "struct" || !u.fields.some((f) => f.name === key.name && !f.embedded)) return void 0;
  return `${t.pkg}.${t.name}.${key.name}`;
}
var fieldStoresCache = /* @__PURE__ */ new WeakMap();
function fieldStores(pass) {
  let fs = fieldStoresCache.get(pass.files);
  if (fs) return fs;
  const stores = /* @__PURE__ */ new Map();
  const addressed = /* @__PURE__ */ new Set();
  const add = (key, file, value, literal = false) => {
    if (!key) return;
    const st = literal ? { file, value, literal } : { file, value };
    const list = stores.get(key);
    if (list) list.push(st);
    else stores.set(key, [st]);
  };
  for (const file of pass.files) {
    file.inspector.preorder(["AssignStmt", "CompositeLit", "UnaryExpr"], (x) => {
      if (x.kind === "AssignStmt") {
        x.lhs.forEach((l, i) => {
          const sel = unparen(l);
          if (sel.kind !== "SelectorExpr") return;
          const v = x.rhs.length === x.lhs.length ? x.rhs[i] : i === 0 ? x.rhs[0] : void 0;
          add(selectorFieldKey(pass, sel), file, v ?? null);
        });
      } else if (x.kind === "CompositeLit") {
        for (const e of x.elts ?? []) {
          if (e.kind === "KeyValueExpr" && unparen(e.key).kind === "Ident") add(literalFieldKey(pass, x, unparen(e.key)), file, e.value, true);
        }
      } else if (x.op === "&" && unparen(x.x).kind === "SelectorExpr") {
        const k = selectorFieldKey(pass, unparen(x.x));
        if (k) addressed.add(k);
      }
    });
  }
  fieldStoresCache.set(pass.files, fs = { stores, addressed });
  return fs;
}
function bareName(qualified) {
  return qualified.slice(Math.max(qualified.lastIndexOf("."), qualified.lastIndexOf(" ")) + 1);
}
function calleeSources(o) {
  const names = /* @__PURE__ */ new Set(["recover", "panic", "close", "Msg", "Msgf", "MsgFunc", "Send", "Go", "Wait", "Done", "Add"]);
  const qualified = [
    ...EXIT_FUNCTIONS,
    ...EVENT_SENDERS,
    ...FATAL_EVENT_SOURCES,
    ...DEFAULT_NO_RETURN,
    ...WAIT_CALLS,
    ...Object.keys(BLOCKING_CALLS),
    ...Object.keys(MUTEX_METHODS),
    ...SERVE_CALLS,
    ...SERVE_METHODS,
    ...SIGNAL_HANDLERS,
    ...TIMEOUT_CHANNELS,
    ...HTTP_REQUEST_CALLS,
    ...PLUMBING_CALLS,
    ...Object.keys(ACQUIRING_CALLS),
    ...o.blockingCalls,
    ...o.banned.map((b) => b.name)
  ];
  const exits = o.rules["exit-skips-defer"]?.exitCalls;
  if (Array.isArray(exits)) {
    for (const x of exits) if (typeof x === "string") qualified.push(x);
  }
  for (const q of qualified) names.add(bareName(q));
  return { kinds: ["DeferStmt", "GoStmt", "SendStmt", "SelectStmt", "RangeStmt"], names: [...names], receive: true };
}
function bodyNeeds(o, subjects, watch) {
  return { subjects, sources: calleeSources(o), ...watch ? { watch } : {} };
}
var deferNeeds = (o) => bodyNeeds(o, { kinds: ["DeferStmt"] });
var LOCK_NAMES = [...new Set(Object.values(MUTEX_METHODS))];
function receivedVars(pass, body, key) {
  const out = [];
  walkSameFunc(body, (x) => {
    if (x.kind === "AssignStmt" && x.rhs.some((r) => sameRefKey(receivedChan(pass, unparen(r)), key))) {
      for (const l of x.lhs) if (l.kind === "Ident" && l.name !== "_") out.push(l);
    }
    return true;
  });
  return out;
}
function finalEventTested(pass, body, exit, vars, producer) {
  const list = producer.list ?? [];
  const last = list[list.length - 1];
  if (last?.kind !== "SendStmt") return false;
  let v = unparen(last.value);
  if (v.kind === "UnaryExpr" && v.op === "&") v = unparen(v.x);
  if (v.kind !== "CompositeLit") return false;
  const fields = new Set((v.elts ?? []).flatMap((e) => e.kind === "KeyValueExpr" && e.key.kind === "Ident" ? [e.key.name] : []));
  if (fields.size === 0) return false;
  return underIf(body, exit, (cond) => nodeContains(cond, (y) => y.kind === "SelectorExpr" && fields.has(y.sel.name) && unparen(y.x).kind === "Ident" && vars.some((w) => sameVar(pass, w, unparen(y.x)))));
}
function underIf(body, exit, test) {
  const at = pos(exit);
  let ok = false;
  walkSameFunc(body, (x) => {
    if (ok) return false;
    if (pos(x) > at || end(x) <= at) return false;
    if (x.kind === "IfStmt" && pos(x.body) <= at && test(x.cond)) ok = true;
    return true;
  });
  return ok;
}
var enumConstsCache = /* @__PURE__ */ new WeakMap();
function enumConstants(pass, t) {
  let byType = enumConstsCache.get(pass.files);
  if (!byType) {
    byType = /* @__PURE__ */ new Map();
    for (const f of pass.files) {
      for (const d of f.file.decls ?? []) {
        if (d.kind !== "GenDecl" || d.tok !== "const") continue;
        for (const sp of d.specs ?? []) {
          if (sp.kind !== "ValueSpec") continue;
          for (const id of sp.names) {
            const ct = pass.types.typeOf(id);
            const o = pass.types.objectOf(id);
            if (!o || ct?.kind !== "named" || id.name === "_") continue;
            const k = `${ct.pkg}\0${ct.name}`;
            let set = byType.get(k);
            if (!set) byType.set(k, set = /* @__PURE__ */ new Set());
            set.add(o);
          }
        }
      }
    }
    enumConstsCache.set(pass.files, byType);
  }
  return byType.get(`${t.pkg}\0${t.name}`) ?? /* @__PURE__ */ new Set();
}
var exhaustiveCache = /* @__PURE__ */ new WeakMap();
function exhaustiveSwitchMisses(pass, cfg) {
  let out = exhaustiveCache.get(cfg);
  if (out) return out;
  out = /* @__PURE__ */ new Set();
  const lastClauses = /* @__PURE__ */ new Set();
  walkSameFunc(cfg.body, (x) => {
    if (x.kind !== "SwitchStmt" || !x.tag) return true;
    const all = (x.body.list ?? []).filter((c) => c.kind === "CaseClause");
    if (all.some((c) => c.list === null && (c.body?.length ?? 0) > 0)) return true;
    const clauses = all.filter((c) => c.list !== null);
    if (clauses.length === 0) return true;
    const t = pass.types.typeOf(x.tag);
    if (t?.kind !== "named") return true;
    const consts = enumConstants(pass, t);
    if (consts.size < 2) return true;
    const covered = /* @__PURE__ */ new Set();
    for (const c of clauses) {
      for (const e of c.list ?? []) {
        const u = unparen(e);
        const id = u.kind === "Ident" ? u : u.kind === "SelectorExpr" ? u.sel : void 0;
        const o = id ? pass.types.objectOf(id) : void 0;
        if (o && consts.has(o)) covered.add(o);
      }
    }
    if (covered.size === consts.size) lastClauses.add(clauses[clauses.length - 1]);
    return true;
  });
  if (lastClauses.size > 0) {
    for (const b of cfg.blocks) if (b.kind === "switch.next" && lastClauses.has(b.stmt)) out.add(b);
  }
  exhaustiveCache.set(cfg, out);
  return out;
}
var exitGraphs = /* @__PURE__ */ new WeakMap();
function exitNames(pass) {
  return /* @__PURE__ */ new Set([...[...EXIT_FUNCTIONS, ...EVENT_SENDERS, ...configuredExits(pass)].map(shortNameOf), ...exitAliases(pass), ...exitFieldAliases(pass).keys()]);
}
var exitFiles = /* @__PURE__ */ new WeakMap();
function fileOfExitCall(pass, call) {
  let m = exitFiles.get(pass.files);
  if (!m) {
    const names = exitNames(pass);
    const found = /* @__PURE__ */ new Map();
    for (const f of pass.files) {
      f.inspector.preorder(["CallExpr"], (c) => {
        const n = calledName(c);
        if (n !== void 0 && names.has(n)) found.set(c, f);
      });
    }
    exitFiles.set(pass.files, m = found);
  }
  return m.get(call) ?? pass.fileOf(call);
}
function exitGraph(pass) {
  let g = exitGraphs.get(pass.files);
  if (!g) {
    g = callGraphOf(pass).withNoReturn({
      noReturnNames: exitNames(pass),
      noReturn: (call) => {
        const file = fileOfExitCall(pass, call);
        return !!file && !!processExit(pass, file, call);
      }
    });
    exitGraphs.set(pass.files, g);
  }
  return g;
}

// src/rules/defer-in-loop.ts
var ID = "defer-in-loop";
function acquisitionOf(pass, file, loop, id, before) {
  let found;
  const consider = (lhs, rhs) => {
    const i = lhs.findIndex((l) => l.kind === "Ident" && sameVar(pass, l, id));
    if (i < 0) return;
    const v = unparen(rhs.length === lhs.length ? rhs[i] : rhs[0]);
    if (v.kind !== "CallExpr") {
      found = void 0;
      return;
    }
    const c = callName(pass, file, v);
    found = c ? { call: v, callee: c.name, line: lineOf(file, v) } : void 0;
  };
  walkSameFunc(loop.body, (x) => {
    if (pos(x) >= before) return false;
    if (x.kind === "AssignStmt" && x.rhs.length > 0) consider(x.lhs, x.rhs);
    else if (x.kind === "ValueSpec" && x.values && x.values.length > 0) consider(x.names, x.values);
    return true;
  });
  return found;
}
function lockedInIteration(pass, file, loop, mutex, unlock, before) {
  let found;
  walkSameFunc(loop.body, (x) => {
    if (pos(x) >= before) return false;
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      if (f.kind !== "SelectorExpr" || !sameExpr(f.x, mutex)) return true;
      const c = callName(pass, file, x);
      const m = c?.typed ? MUTEX_METHODS[c.name] : c?.short;
      if (m && UNLOCK_FOR[m] === unlock) found = x;
    }
    return true;
  });
  return found;
}
function describeRelease(pass, file, d) {
  const fun = unparen(d.call.fun);
  if (fun.kind === "Ident") return pass.types.objectOf(fun)?.kind === "func" ? void 0 : fun;
  if (fun.kind === "SelectorExpr") {
    const c = callName(pass, file, d.call);
    if (c && !c.recv) {
      const a = d.call.args?.[0];
      return a ? rootIdent(a) : void 0;
    }
    if (c?.typed && /^\(\*?sync\./.test(c.name) && unparen(fun.x).kind !== "Ident") return void 0;
    return rootIdent(fun.x);
  }
  return void 0;
}
var IDEMPOTENT_RELEASES = /* @__PURE__ */ new Set(["Close", "Commit", "Rollback", "Stop"]);
function releasedInIteration(pass, fn, d) {
  let call = d.call;
  const lit = unparen(call.fun);
  if (lit.kind === "FuncLit") {
    const list = lit.body.list ?? [];
    const only = list.length === 1 ? list[0] : void 0;
    const x = only?.kind === "ExprStmt" ? unparen(only.x) : only?.kind === "AssignStmt" && only.rhs.length === 1 && only.lhs.every((l) => unparen(l).kind === "Ident" && unparen(l).name === "_") ? unparen(only.rhs[0]) : void 0;
    if (x?.kind !== "CallExpr") return false;
    call = x;
  }
  const fun = unparen(call.fun);
  let matches2;
  if (fun.kind === "SelectorExpr") {
    if (!IDEMPOTENT_RELEASES.has(fun.sel.name) || (call.args ?? []).length > 0) return false;
    const key = refKey(pass, fun.x);
    if (key === void 0) return false;
    matches2 = (c) => {
      const f = unparen(c.fun);
      return f.kind === "SelectorExpr" && IDEMPOTENT_RELEASES.has(f.sel.name) && (c.args ?? []).length === 0 && sameRefKey(refKey(pass, f.x), key);
    };
  } else if (fun.kind === "Ident" && (call.args ?? []).length === 0 && pass.types.objectOf(fun)?.kind === "var") {
    const key = refKey(pass, fun);
    if (key === void 0) return false;
    matches2 = (c) => (c.args ?? []).length === 0 && sameRefKey(refKey(pass, unparen(c.fun)), key);
  } else {
    return false;
  }
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d)) return false;
  let any = false;
  const releases2 = (n) => {
    if (n.kind === "DeferStmt" || n.kind === "GoStmt") return false;
    const hit = nodeContains(n, (y) => y.kind === "CallExpr" && y !== call && matches2(y));
    if (hit) any = true;
    return hit;
  };
  return !g.pathExists(d, d, releases2) && any;
}
var UNDO_REDO = [
  [/^clear/i, /^set/i],
  [/^remove/i, /^add/i],
  [/^disable/i, /^enable/i],
  [/^pause/i, /^resume/i],
  [/^unregister/i, /^register/i],
  [/^detach/i, /^attach/i],
  [/^unmount/i, /^mount/i],
  [/^hide/i, /^show/i],
  [/^suspend/i, /^resume/i],
  [/^uninstall/i, /^install/i],
  [/^unset/i, /^set/i]
];
function redoesUndone(file, loop, d) {
  return pairedEarlierCall(file, loop, d, UNDO_REDO, true);
}
function pairedEarlierCall(file, loop, d, pairs, sameArgs) {
  const f = unparen(d.call.fun);
  if (f.kind !== "SelectorExpr") return false;
  const later = f.sel.name;
  const recv = textOf(file, f.x);
  const args = (d.call.args ?? []).map((a) => textOf(file, a)).join(",");
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found || pos(x) >= pos(d)) return false;
    if (x.kind !== "CallExpr") return true;
    const g = unparen(x.fun);
    if (g.kind !== "SelectorExpr" || textOf(file, g.x) !== recv) return true;
    if (sameArgs && (x.args ?? []).map((a) => textOf(file, a)).join(",") !== args) return true;
    const earlier = g.sel.name;
    for (const [e, l] of pairs) {
      const me = e.exec(earlier);
      const ml = l.exec(later);
      if (me && ml && earlier.slice(me[0].length).toLowerCase() === later.slice(ml[0].length).toLowerCase()) found = true;
    }
    return !found;
  });
  return found;
}
function removesFromRanged(file, loop, d) {
  if (loop.kind !== "RangeStmt") return false;
  const f = unparen(d.call.fun);
  if (f.kind !== "SelectorExpr" || !/^(remove|delete|unregister|drop|evict|forget|detach)/i.test(f.sel.name)) return false;
  const ranged = unparen(loop.x);
  if (ranged.kind !== "SelectorExpr") return false;
  const owner = textOf(file, ranged.x);
  const recv = textOf(file, f.x);
  return recv === owner || recv === textOf(file, ranged);
}
function restoresIterationChange(file, loop, d) {
  const lit = unparen(d.call.fun);
  if (lit.kind !== "FuncLit") return false;
  const stmts = lit.body.list ?? [];
  if (stmts.length === 0) return false;
  const assigns2 = [];
  for (const st of stmts) {
    if (st.kind !== "AssignStmt" || st.tok !== "=") return false;
    let plain = true;
    for (const r of st.rhs) {
      walkNode(r, (x) => {
        if (x.kind === "CallExpr" || x.kind === "FuncLit" || x.kind === "UnaryExpr" && x.op === "<-") plain = false;
        return plain;
      });
    }
    if (!plain) return false;
    assigns2.push(st);
  }
  const at = pos(d);
  const snapshot = /* @__PURE__ */ new Map();
  const args = d.call.args ?? [];
  let i = 0;
  for (const f of lit.type.params?.list ?? []) {
    for (const n of f.names ?? []) {
      const a = args[i++];
      if (a) snapshot.set(n.name, textOf(file, unparen(a)));
    }
  }
  walkSameFunc(loop.body, (x) => {
    if (pos(x) >= at) return false;
    if (x.kind === "AssignStmt" && x.tok === ":=" && x.lhs.length === x.rhs.length) {
      x.lhs.forEach((l, k) => {
        if (l.kind === "Ident" && !snapshot.has(l.name)) snapshot.set(l.name, textOf(file, unparen(x.rhs[k])));
      });
    }
    return true;
  });
  const restoresSnapshot = (st) => st.lhs.length === st.rhs.length && st.lhs.every((l, k) => {
    const r = unparen(st.rhs[k]);
    return r.kind === "Ident" && snapshot.get(r.name) === textOf(file, unparen(l));
  });
  if (assigns2.every(restoresSnapshot)) return true;
  if (args.length > 0) return false;
  const restored = [];
  for (const st of assigns2) {
    for (const l of st.lhs) {
      const t = unparen(l);
      if (t.kind !== "SelectorExpr" && t.kind !== "IndexExpr" && t.kind !== "StarExpr") return false;
      restored.push(textOf(file, t));
    }
  }
  const changed = /* @__PURE__ */ new Set();
  walkSameFunc(loop.body, (x) => {
    if (pos(x) >= at) return false;
    if (x.kind === "AssignStmt" && x.tok === "=") for (const l of x.lhs) changed.add(textOf(file, unparen(l)));
    return true;
  });
  return restored.every((r) => changed.has(r));
}
function restoresThroughSetter(pass, file, d) {
  const lit = unparen(d.call.fun);
  if (lit.kind !== "FuncLit" || (d.call.args?.length ?? 0) === 0) return false;
  const getter = (d.call.args ?? []).some((a) => {
    const c = unparen(a);
    if (c.kind !== "CallExpr") return false;
    const f = unparen(c.fun);
    const n = f.kind === "SelectorExpr" ? f.sel.name : f.kind === "Ident" ? f.name : "";
    return /^(Get|get|Lookup|lookup|Load)/.test(n);
  });
  if (!getter) return false;
  let setters = 0;
  let other = false;
  walkSameFunc(lit.body, (x) => {
    if (other) return false;
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      const n = f.kind === "SelectorExpr" ? f.sel.name : f.kind === "Ident" ? f.name : "";
      if (/^(Set|set|Store|store|Restore|restore)/.test(n)) setters++;
      else other = true;
    }
    return !other;
  });
  return setters > 0 && !other;
}
function postponedOnOneBranch(file, loop, d) {
  const fun = unparen(d.call.fun);
  if (fun.kind === "FuncLit") return false;
  const name = fun.kind === "SelectorExpr" ? fun.sel.name : fun.kind === "Ident" ? fun.name : "";
  if (!name || releaseNamed(name)) return false;
  const text = textOf(file, fun);
  const calls = (n) => {
    let hit = false;
    if (n) walkSameFunc(n, (x) => {
      if (hit || x.kind === "DeferStmt") return false;
      if (x.kind === "ExprStmt") {
        const c = unparen(x.x);
        if (c.kind === "CallExpr" && textOf(file, unparen(c.fun)) === text) hit = true;
      }
      return !hit;
    });
    return hit;
  };
  const inside = (n) => !!n && pos(n) <= pos(d) && pos(d) < end(n);
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (x.kind === "IfStmt" && x.else) {
      if (inside(x.body) && calls(x.else) || inside(x.else) && calls(x.body)) found = true;
    }
    return !found;
  });
  return found;
}
function releaseNamed(name) {
  return RELEASE_METHODS.has(name) || /^(cancel|close|release|unlock|done|cleanup)/i.test(name);
}
function resultWorkAtExit(pass, fn, d) {
  const lit = unparen(d.call.fun);
  if (lit.kind !== "FuncLit") return false;
  const results = new Set((fn.type.results?.list ?? []).flatMap((f) => (f.names ?? []).filter((n) => n.name !== "_")).map((n) => pass.types.objectOf(n) ?? n.name));
  if (results.size === 0) return false;
  let sets = false;
  let releases2 = false;
  walkSameFunc(lit.body, (x) => {
    if (releases2) return false;
    if (x.kind === "AssignStmt" && x.tok === "=") {
      for (const l of x.lhs) {
        const t = unparen(l);
        if (t.kind === "Ident" && results.has(pass.types.objectOf(t) ?? t.name)) sets = true;
      }
    }
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      const name = f.kind === "SelectorExpr" ? f.sel.name : f.kind === "Ident" ? f.name : "";
      if (releaseNamed(name)) releases2 = true;
    }
    return true;
  });
  return sets && !releases2;
}
function rollbackOnFailure(pass, fn, d, loop) {
  const fun = unparen(d.call.fun);
  const lit = fun.kind === "FuncLit" ? fun : fun.kind === "Ident" ? callGraphOf(pass).calleeOf(d.call)?.lit : void 0;
  if (!lit || lit.kind !== "FuncLit") return false;
  const results = new Set((fn.type.results?.list ?? []).flatMap((f) => (f.names ?? []).filter((n) => n.name !== "_")).map((n) => pass.types.objectOf(n) ?? n.name));
  const isResult = (e) => {
    const x = unparen(e);
    if (x.kind !== "Ident") return false;
    if (results.has(pass.types.objectOf(x) ?? x.name)) return true;
    const o = pass.types.objectOf(x);
    if (!o?.decl || isErrorTyped(pass, x) !== true) return false;
    const at = pos(o.decl);
    return at >= pos(fn.body) && at < pos(loop);
  };
  const comparesWithNil = (c, op, join) => {
    const x = unparen(c);
    if (x.kind !== "BinaryExpr") return false;
    if (x.op === join) return comparesWithNil(x.x, op, join) || comparesWithNil(x.y, op, join);
    if (x.op !== op) return false;
    return isNilIdent(pass, x.y) && isResult(x.x) || isNilIdent(pass, x.x) && isResult(x.y);
  };
  const testsFailure = (c) => comparesWithNil(c, "!=", "&&");
  const testsSuccess = (c) => comparesWithNil(c, "==", "||");
  const list = lit.body.list ?? [];
  if (list.length === 0) return false;
  const first = list[0];
  if (first.kind === "IfStmt" && !first.init && first.else === null && testsSuccess(first.cond)) {
    const b = first.body.list ?? [];
    if (b.length === 1 && b[0].kind === "ReturnStmt" && !b[0].results?.length) return true;
  }
  return list.every((st) => st.kind === "IfStmt" && !st.init && st.else === null && testsFailure(st.cond));
}
function waitsAfter(pass, file, body, loop) {
  const list = listHolding(body, loop);
  const i = list.indexOf(loop);
  if (i < 0) return false;
  const signals = /* @__PURE__ */ new Set();
  walkSameFunc(body, (x) => {
    if (x.kind === "CallExpr" && x.args?.length && unparen(x.args[0]).kind === "Ident" && callName(pass, file, x)?.name === "os/signal.Notify") {
      signals.add(unparen(x.args[0]).name);
    }
    return true;
  });
  const waitsItself = (st) => {
    if (st.kind === "SelectStmt") return (st.body.list ?? []).length === 0;
    if (st.kind !== "ExprStmt") return false;
    const x = unparen(st.x);
    if (x.kind !== "UnaryExpr" || x.op !== "<-") return false;
    const ch = unparen(x.x);
    if (ch.kind === "CallExpr" && unparen(ch.fun).kind === "SelectorExpr" && unparen(ch.fun).sel.name === "Done") return true;
    return ch.kind === "Ident" && signals.has(ch.name);
  };
  for (const st of list.slice(i + 1)) {
    if (waitsItself(st)) return true;
    if (st.kind === "IfStmt" && (st.body.list ?? []).some(waitsItself)) return true;
  }
  return false;
}
function unconvert(pass, e) {
  let x = unparen(e);
  for (; ; ) {
    if (x.kind !== "CallExpr" || x.args?.length !== 1 || x.ellipsis !== NOPOS) return x;
    const f = unparen(x.fun);
    const cPointer = f.kind === "StarExpr" && unparen(f.x).kind === "SelectorExpr" && isCPackage(pass, unparen(f.x).x);
    if (!pass.types.isType(x.fun) && !cPointer) return x;
    x = unparen(x.args[0]);
  }
}
function isCPackage(pass, e) {
  const x = unparen(e);
  if (x.kind !== "Ident" || x.name !== "C") return false;
  const o = pass.types.objectOf(x);
  return !o || o.kind === "pkgname";
}
function isCgoCall(pass, c) {
  const f = unparen(c.fun);
  return f.kind === "SelectorExpr" && isCPackage(pass, f.x);
}
function deferTarget(pass, d) {
  const fun = unparen(d.call.fun);
  const pkgFunc = fun.kind === "SelectorExpr" && (isCgoCall(pass, d.call) || pass.types.callee(d.call)?.kind === "func" || unparen(fun.x).kind === "Ident" && pass.types.objectOf(unparen(fun.x))?.kind === "pkgname");
  if (fun.kind === "SelectorExpr" && !pkgFunc) return rootIdent(fun.x);
  const a = d.call.args?.[0];
  return a ? rootIdent(unconvert(pass, a)) : fun.kind === "SelectorExpr" ? rootIdent(fun.x) : void 0;
}
function keptBeyondIteration(pass, loop, d, body) {
  const target = deferTarget(pass, d);
  if (!target) return cleanupOfKeptValue(pass, loop, d) || literalReleasesKept(pass, loop, d);
  const o = pass.types.objectOf(target);
  if (!o) return false;
  const isTarget = (e) => {
    const u = unparen(e);
    return u.kind === "Ident" && u.name === target.name && pass.types.objectOf(u) === o;
  };
  const outside = (e) => declaredOutside(pass, loop, e);
  const recv = unparen(d.call.fun);
  const released = recv.kind === "SelectorExpr" && rootIdent(recv.x) === target ? unparen(recv.x) : d.call.args?.[0] ? unconvert(pass, d.call.args[0]) : void 0;
  if (released?.kind === "IndexExpr" && outside(released)) return true;
  if (body && rangeElementUsedAfter(pass, loop, target, body)) return true;
  if (isCgoCall(pass, d.call)) {
    let handed = false;
    walkSameFunc(loop.body, (x) => {
      if (handed) return false;
      if (x.kind === "AssignStmt" && x.lhs.length === 1 && x.rhs.length === 1) {
        const v = unparen(x.rhs[0]);
        if (v.kind === "CallExpr" && isCgoCall(pass, v) && (v.args ?? []).some((a) => isTarget(unconvert(pass, a))) && outside(x.lhs[0])) handed = true;
      }
      if (x.kind === "CallExpr" && x !== d.call && isCgoCall(pass, x)) {
        const args = (x.args ?? []).map((a) => unconvert(pass, a));
        if (args.some(isTarget) && args.some((a) => !isTarget(a) && (a.kind === "Ident" || a.kind === "IndexExpr") && outside(a))) handed = true;
      }
      return !handed;
    });
    if (handed) return true;
  }
  let kept = false;
  walkSameFunc(loop.body, (x) => {
    if (kept) return false;
    if (x.kind === "CallExpr" && KEEPS_WRITER.has(pass.types.callee(x)?.name ?? "") && (x.args ?? []).some((a) => isTarget(a))) kept = true;
    return !kept;
  });
  if (kept) return true;
  if (storedOutside(pass, loop, isTarget)) return true;
  const def = definingValue(pass, target);
  const from = def ? unparen(def) : void 0;
  const ctor = from?.kind === "CallExpr" ? pass.types.callee(from)?.name ?? "" : "";
  if (/^net\.Listen(TCP|UDP|Unix|Packet)?$/.test(ctor)) {
    const addrOf = (e) => {
      let hit = false;
      walkNode(e, (x) => {
        if (hit) return false;
        if (x.kind === "CallExpr") {
          const f = unparen(x.fun);
          if (f.kind === "SelectorExpr" && f.sel.name === "Addr" && isTarget(f.x)) hit = true;
        }
        return !hit;
      });
      return hit;
    };
    if (storedOutside(pass, loop, addrOf)) return true;
  }
  return false;
}
function literalReleasesKept(pass, loop, d) {
  const fun = unparen(d.call.fun);
  if (fun.kind !== "FuncLit") return false;
  const inLoop = (o) => !!o?.decl && pos(loop.body) <= pos(o.decl) && pos(o.decl) < end(loop.body);
  const released = /* @__PURE__ */ new Set();
  walkNode(fun.body, (x) => {
    if (x.kind !== "CallExpr") return true;
    for (const a of x.args ?? []) {
      const u = unparen(a);
      const o = u.kind === "Ident" ? pass.types.objectOf(u) : void 0;
      if (o?.kind === "var" && inLoop(o)) released.add(o);
    }
    return true;
  });
  if (released.size === 0) return false;
  const isReleased = (e) => {
    const u = unparen(e);
    return u.kind === "Ident" && released.has(pass.types.objectOf(u));
  };
  if (storedOutside(pass, loop, isReleased)) return true;
  const holders = /* @__PURE__ */ new Set();
  walkSameFunc(loop.body, (x) => {
    if (x.kind === "AssignStmt" && x.lhs.length === x.rhs.length) {
      x.lhs.forEach((l, i) => {
        const t = unparen(l);
        const root = t.kind === "SelectorExpr" ? rootIdent(t.x) : void 0;
        const o = root ? pass.types.objectOf(root) : void 0;
        if (o && inLoop(o) && isReleased(x.rhs[i])) holders.add(o);
      });
    }
    return true;
  });
  return holders.size > 0 && storedOutside(pass, loop, (e) => {
    const u = unparen(e);
    return u.kind === "Ident" && holders.has(pass.types.objectOf(u));
  });
}
function rangeElementUsedAfter(pass, loop, target, body) {
  if (loop.kind !== "RangeStmt") return false;
  const o = pass.types.objectOf(target);
  const isVar = (e) => !!e && unparen(e).kind === "Ident" && pass.types.objectOf(unparen(e)) === o;
  if (!o || !(isVar(loop.key) || isVar(loop.value))) return false;
  const coll = rootIdent(loop.x);
  const co = coll ? pass.types.objectOf(coll) : void 0;
  if (!co || !declaredOutside(pass, loop, loop.x)) return false;
  let assigned = false;
  walkSameFunc(loop.body, (x) => {
    if (assigned) return false;
    if (x.kind === "AssignStmt" && x.lhs.some((l) => isVar(l))) assigned = true;
    return !assigned;
  });
  if (assigned) return false;
  const after = end(loop);
  let used = false;
  walkSameFunc(body, (x) => {
    if (used) return false;
    if (end(x) <= after) return false;
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      if (f.kind === "Ident" && (f.name === "len" || f.name === "cap") && pass.types.objectOf(f)?.kind === "builtin") return false;
    }
    if (x.kind === "Ident" && pos(x) >= after && pass.types.objectOf(x) === co) used = true;
    return !used;
  });
  return used;
}
var KEEPS_WRITER = /* @__PURE__ */ new Set([
  "runtime/pprof.StartCPUProfile",
  "runtime/trace.Start",
  "log.SetOutput",
  "(*log.Logger).SetOutput"
]);
function declaredOutside(pass, loop, e) {
  const r = rootIdent(e);
  const decl = r ? pass.types.objectOf(r)?.decl : void 0;
  return !!decl && (pos(decl) < pos(loop) || pos(decl) >= end(loop));
}
function storedOutside(pass, loop, is) {
  let kept = false;
  walkSameFunc(loop.body, (x) => {
    if (kept) return false;
    if (x.kind === "AssignStmt" && x.lhs.length === x.rhs.length) {
      x.rhs.forEach((r, i) => {
        const l = x.lhs[i];
        const v = unparen(r);
        const appended = v.kind === "CallExpr" && unparen(v.fun).kind === "Ident" && unparen(v.fun).name === "append" && (v.args ?? []).slice(1).some(is);
        if ((appended || is(v)) && declaredOutside(pass, loop, l) && !is(l)) kept = true;
      });
    }
    return !kept;
  });
  return kept;
}
function cleanupOfKeptValue(pass, loop, d) {
  if (companionIntoSlot(pass, loop, d)) return true;
  const objs = companionsOf(pass, loop, d);
  if (objs.size === 0) return false;
  const isCompanion = (e) => {
    const u = unparen(e);
    return u.kind === "Ident" && objs.has(pass.types.objectOf(u));
  };
  if (storedOutside(pass, loop, isCompanion)) return true;
  const carried = /* @__PURE__ */ new Set();
  for (const o of objs) {
    const t = o.type;
    if (!(t?.kind === "named" && t.pkg === "context")) carried.add(o);
  }
  if (carried.size === 0) return false;
  const carries = (e) => {
    const u = unparen(e);
    switch (u.kind) {
      case "Ident":
        return carried.has(pass.types.objectOf(u));
      case "BinaryExpr":
        return carries(u.x) || carries(u.y);
      case "CompositeLit":
        return (u.elts ?? []).some((el) => carries(el.kind === "KeyValueExpr" ? el.value : el));
      case "CallExpr": {
        const c = pass.types.callee(u);
        const formats = !!c && (c.kind === "conversion" || FORMATS_VALUE.has(c.name));
        const f = unparen(u.fun);
        const appends = f.kind === "Ident" && f.name === "append" && c?.kind === "builtin";
        return (formats || appends) && (u.args ?? []).some(carries);
      }
      default:
        return false;
    }
  };
  walkSameFunc(loop.body, (x) => {
    if (x.kind === "AssignStmt" && x.tok === ":=" && x.lhs.length === x.rhs.length) {
      x.rhs.forEach((r, i) => {
        const l = unparen(x.lhs[i]);
        if (l.kind === "Ident" && carries(r)) carried.add(pass.types.objectOf(l));
      });
    }
    return true;
  });
  return storedOutside(pass, loop, carries);
}
var FORMATS_VALUE = /* @__PURE__ */ new Set([
  "fmt.Sprint",
  "fmt.Sprintf",
  "fmt.Sprintln",
  "strconv.Itoa",
  "strconv.FormatInt",
  "strconv.FormatUint",
  "net.JoinHostPort",
  "strings.Join",
  "path.Join",
  "path/filepath.Join"
]);
function companionIntoSlot(pass, loop, d) {
  const fun = unparen(d.call.fun);
  if (fun.kind !== "Ident" || (d.call.args?.length ?? 0) > 0) return false;
  const o = pass.types.objectOf(fun);
  if (!o || o.kind !== "var") return false;
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found || pos(x) >= pos(d)) return false;
    if (x.kind === "AssignStmt" && x.rhs.length === 1 && x.lhs.length > 1 && x.lhs.some((l) => unparen(l).kind === "Ident" && pass.types.objectOf(unparen(l)) === o)) {
      found = x.lhs.some((l) => unparen(l).kind === "IndexExpr" && declaredOutside(pass, loop, l));
    }
    return !found;
  });
  return found;
}
function companionsOf(pass, loop, d) {
  const out = /* @__PURE__ */ new Set();
  const fun = unparen(d.call.fun);
  if (fun.kind !== "Ident" || (d.call.args?.length ?? 0) > 0) return out;
  const o = pass.types.objectOf(fun);
  if (!o || o.kind !== "var") return out;
  let companions = [];
  walkSameFunc(loop.body, (x) => {
    if (companions.length > 0) return false;
    if (x.kind === "AssignStmt" && x.rhs.length === 1 && x.lhs.length > 1 && x.lhs.some((l) => unparen(l).kind === "Ident" && pass.types.objectOf(unparen(l)) === o)) {
      companions = x.lhs.map((l) => unparen(l)).filter((l) => l.kind === "Ident" && l.name !== "_" && pass.types.objectOf(l) !== o);
    }
    return companions.length === 0;
  });
  for (const c of companions) {
    const co = pass.types.objectOf(c);
    if (co) out.add(co);
  }
  return out;
}
function handedToGoroutine(pass, loop, d) {
  const target = deferTarget(pass, d);
  const objs = target ? new Set([pass.types.objectOf(target)].filter((x) => x !== void 0)) : companionsOf(pass, loop, d);
  if (objs.size === 0) return false;
  let used = false;
  walkSameFunc(loop.body, (x) => {
    if (used) return false;
    if (x.kind === "GoStmt") {
      inspect(x, (y) => {
        if (y.kind === "Ident" && objs.has(pass.types.objectOf(y))) used = true;
        return !used;
      });
      return false;
    }
    return true;
  });
  return used;
}
function runsAfterFinalUnlock(file, body, loop, d) {
  const list = body.list ?? [];
  const last = list[list.length - 1];
  if (!last || last.kind !== "ExprStmt") return false;
  const call = unparen(last.x);
  if (call.kind !== "CallExpr") return false;
  const f = unparen(call.fun);
  if (f.kind !== "SelectorExpr" || f.sel.name !== "Unlock" && f.sel.name !== "RUnlock") return false;
  const df = unparen(d.call.fun);
  if (df.kind === "SelectorExpr" && /Unlock$/.test(df.sel.name)) return false;
  const mu = textOf(file, f.x);
  const lock = f.sel.name === "Unlock" ? "Lock" : "RLock";
  let locked = false;
  walkSameFunc(body, (x) => {
    if (locked || pos(x) >= pos(loop)) return false;
    if (x.kind === "CallExpr") {
      const g = unparen(x.fun);
      if (g.kind === "SelectorExpr" && g.sel.name === lock && textOf(file, g.x) === mu) locked = true;
    }
    return !locked;
  });
  return locked;
}
function releasesTokenTakenInLoop(pass, file, loop, d) {
  const lit = unparen(d.call.fun);
  if (lit.kind !== "FuncLit" || (lit.body.list ?? []).length !== 1) return false;
  const st = lit.body.list[0];
  const recv = st.kind === "ExprStmt" ? unparen(st.x) : void 0;
  if (!recv || recv.kind !== "UnaryExpr" || recv.op !== "<-") return false;
  const ch = textOf(file, recv.x);
  const at = pos(d);
  let sent = false;
  walkSameFunc(loop.body, (x) => {
    if (sent || pos(x) >= at) return false;
    if (x.kind === "SendStmt" && textOf(file, x.chan) === ch) sent = true;
    return !sent;
  });
  return sent;
}
function keyedLookup(pass, id, loop) {
  const v = definingValue(pass, id);
  let call;
  if (v) {
    walkNode(v, (x) => {
      if (call || x.kind === "FuncLit") return false;
      if (x.kind === "CallExpr" && !pass.types.isType(x.fun) && ((x.args ?? []).some((a) => {
        const t = pass.types.typeOf(a);
        const u = t?.kind === "named" ? t.underlying() : t;
        return u?.kind === "basic" && u.name === "string";
      }) || picksByIndex(pass, x) && !!loop && receiverOutside(pass, x, loop))) call = x;
      return !call;
    });
  }
  return call;
}
function fixedAccessorValue(pass, id, loop) {
  const v = definingValue(pass, id);
  const call = v ? unparen(v) : void 0;
  return call?.kind === "CallExpr" && accessedField(pass, call) !== void 0 && receiverOutside(pass, call, loop);
}
function receiverOutside(pass, call, loop) {
  const f = unparen(call.fun);
  const root = f.kind === "SelectorExpr" ? rootIdent(f.x) : void 0;
  const d = root ? pass.types.objectOf(root)?.decl : void 0;
  return !!d && !(pos(loop) <= d.namePos && d.namePos < end(loop));
}
function picksByIndex(pass, call) {
  const body = pass.types.callee(call)?.decl?.body;
  if (!body || (call.args ?? []).length === 0) return false;
  let returns = 0;
  let indexed = 0;
  walkSameFunc(body, (x) => {
    if (x.kind === "ReturnStmt" && x.results?.length === 1) {
      returns++;
      let r = unparen(x.results[0]);
      if (r.kind === "UnaryExpr" && r.op === "&") r = unparen(r.x);
      if (r.kind === "IndexExpr") indexed++;
    }
    return true;
  });
  return returns > 0 && indexed === returns;
}
function worksAfterLoop(pass, body, loop) {
  const at = end(loop);
  let found = false;
  const sortsGathered = (st) => {
    if (st.kind !== "ExprStmt" || unparen(st.x).kind !== "CallExpr") return false;
    const name = pass.types.callee(unparen(st.x))?.name ?? "";
    return /^(sort|slices)\.(Slice|SliceStable|Sort|SortFunc|SortStableFunc|Stable|Strings|Ints|Float64s|Reverse)$/.test(name);
  };
  const visit = (x) => {
    if (found) return false;
    if (pos(x) > pos(loop) || end(x) < at) return false;
    const list = stmtListOf(x);
    for (const st of list ?? []) {
      if (pos(st) < at) continue;
      if (st.kind === "ReturnStmt" && !(st.results ?? []).some((r) => containsCall(r))) continue;
      if (st.kind === "EmptyStmt" || sortsGathered(st)) continue;
      found = true;
    }
    return !found;
  };
  visit(body);
  walkSameFunc(body, visit);
  return found;
}
function gathersOutside(pass, loop, mutex) {
  const from = pos(loop);
  const to = end(loop);
  const cursor = rootIdent(mutex);
  const cursorObj = cursor ? pass.types.objectOf(cursor) : void 0;
  const outside = (e) => {
    const r = rootIdent(e);
    const o = r ? pass.types.objectOf(r) : void 0;
    if (!o || o.kind !== "var" || o === cursorObj || !o.decl || o.varKind === "package" || o.varKind === "field") return false;
    return o.decl.namePos < from || o.decl.namePos >= to;
  };
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (x.kind === "AssignStmt" && x.tok !== ":=" && x.lhs.some(outside)) found = true;
    else if (x.kind === "IncDecStmt" && outside(x.x)) found = true;
    return !found;
  });
  return found;
}
function searchesUnderLocks(loop) {
  const givesUp = (e) => {
    const u = unparen(e);
    if (u.kind === "BasicLit") return true;
    if (u.kind === "Ident") return u.name === "nil" || u.name === "false" || u.name === "true" || /^err|Err$/.test(u.name);
    if (u.kind === "CallExpr") {
      const f = unparen(u.fun);
      const n = f.kind === "SelectorExpr" ? f.sel.name : f.kind === "Ident" ? f.name : "";
      return /^(Errorf|New|Wrap|Wrapf|Join)$/.test(n) || /^(new|wrap)\w*Err/i.test(n);
    }
    return false;
  };
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (x.kind === "ReturnStmt" && (x.results?.length ?? 0) > 0 && !(x.results ?? []).every(givesUp)) found = true;
    return !found;
  });
  return found;
}
function containsCall(e) {
  let found = false;
  walkNode(e, (x) => {
    if (x.kind === "CallExpr" || x.kind === "FuncLit") found = true;
    return !found;
  });
  return found;
}
function helperLockAll(pass, file, loop, d) {
  const fun = unparen(d.call.fun);
  const name = fun.kind === "Ident" ? fun.name : fun.kind === "SelectorExpr" ? fun.sel.name : void 0;
  const arg = d.call.args?.[0];
  if (!name || !arg || !/^[uU]nlock/.test(name)) return false;
  const acquire = name[0] === "u" ? "l" + name.slice(3) : "L" + name.slice(3);
  if (!perIterationMutex(pass, loop, arg)) return false;
  const argText = textOf(file, arg);
  const at = pos(d);
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found || pos(x) >= at) return false;
    if (x.kind !== "CallExpr") return true;
    const f = unparen(x.fun);
    const n = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : void 0;
    if (n === acquire && x.args?.[0] && textOf(file, x.args[0]) === argText) found = true;
    return !found;
  });
  return found;
}
function setupNowTeardownAtExit(pass, file, loop, d) {
  const fun = unparen(d.call.fun);
  if (fun.kind !== "Ident") return false;
  const args = textOf(file, d.call).slice(textOf(file, fun).length);
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found || x.kind === "DeferStmt" || x.kind === "GoStmt") return false;
    if (x.kind === "ExprStmt" && unparen(x.x).kind === "CallExpr") {
      const c = unparen(x.x);
      const f = unparen(c.fun);
      if (f.kind === "Ident" && sameVar(pass, f, fun) && textOf(file, c).slice(f.name.length) !== args) found = true;
    }
    return !found;
  });
  return found;
}
var NEST_UNNEST = [[/^push/i, /^pop/i], [/^enter/i, /^(leave|exit)/i]];
function nestsForWorkAfter(file, loop, d) {
  return pairedEarlierCall(file, loop, d, NEST_UNNEST, false);
}
function reportsToTest(pass, d) {
  const fun = unparen(d.call.fun);
  const calls = [];
  if (fun.kind === "FuncLit") {
    const list = fun.body.list ?? [];
    if (list.length === 0 || !list.every((st) => st.kind === "ExprStmt" && unparen(st.x).kind === "CallExpr")) return false;
    for (const st of list) calls.push(unparen(st.x));
  } else calls.push(d.call);
  return calls.every((c) => {
    const f = unparen(c.fun);
    if (f.kind !== "SelectorExpr") return false;
    let t = pass.types.typeOf(f.x);
    if (t?.kind === "pointer") t = t.elem;
    if (t?.kind === "named" && t.pkg === "testing" && (t.name === "T" || t.name === "B" || t.name === "F" || t.name === "TB")) return /^(Error|Errorf|Fail|Skip|Skipf|SkipNow|Log|Logf)$/.test(f.sel.name);
    return false;
  });
}
function perIterationMutex(pass, loop, mutex) {
  const from = pos(loop);
  const to = end(loop);
  let found = false;
  walkNode(mutex, (x) => {
    if (found) return false;
    if (x.kind === "Ident") {
      const d = pass.types.objectOf(x)?.decl;
      if (d && from <= d.namePos && d.namePos < to && !keyedLookup(pass, x, loop) && !fixedAccessorValue(pass, x, loop)) found = true;
    }
    return true;
  });
  if (found) return true;
  const root = rootIdent(mutex);
  const o = root ? pass.types.objectOf(root) : void 0;
  if (!o || o.kind !== "var") return false;
  const moves = (st) => !!st && st.kind === "AssignStmt" && st.tok === "=" && st.lhs.some((l) => {
    const u = unparen(l);
    return u.kind === "Ident" && pass.types.objectOf(u) === o;
  });
  if (loop.kind === "ForStmt" && moves(loop.post)) return true;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (moves(x)) found = true;
    return !found;
  });
  return found;
}
function run(pass) {
  for (const file of pass.files) {
    file.inspector.withStack(["DeferStmt"], (d, stack) => {
      const loops = enclosingLoops(stack);
      if (loops.length === 0) return;
      if (endlessEnclosingLoops(pass, file, stack).length > 0) return;
      const loop = loops[0];
      const fn = enclosingFunc(stack);
      if (fn && runsAtMostOnce(pass, fn, d, loops[loops.length - 1], stack)) return;
      if (fn && releasedInIteration(pass, fn, d)) return;
      if (fn && rollbackOnFailure(pass, fn, d, loops[loops.length - 1])) return;
      if (fn && resultWorkAtExit(pass, fn, d)) return;
      if (postponedOnOneBranch(file, loop, d)) return;
      if (restoresIterationChange(file, loop, d) || restoresThroughSetter(pass, file, d) || redoesUndone(file, loop, d) || removesFromRanged(file, loop, d)) return;
      if (releasesTokenTakenInLoop(pass, file, loop, d)) return;
      const outer = loops[loops.length - 1];
      const dfun = unparen(d.call.fun);
      const unlocking = dfun.kind === "SelectorExpr" && (dfun.sel.name === "Unlock" || dfun.sel.name === "RUnlock");
      if (!unlocking && fn?.body && waitsAfter(pass, file, fn.body, outer)) return;
      if (fn?.body && runsAfterFinalUnlock(file, fn.body, outer, d)) return;
      if (!unlocking && handedToGoroutine(pass, loop, d)) return;
      if (!unlocking && keptBeyondIteration(pass, loop, d, fn?.body ?? void 0)) return;
      const fname = fn ? funcName(file, fn) : "the function";
      const loopLine = lineOf(file, loop);
      const deferred = callText(file, d.call);
      const at = pos(d);
      const related = [{ node: loop, message: `the loop (line ${loopLine})` }];
      const fun = unparen(d.call.fun);
      if (fun.kind === "SelectorExpr") {
        const c = callName(pass, file, d.call);
        const method = c?.typed ? MUTEX_METHODS[c.name] : c?.short;
        if (method === "Unlock" || method === "RUnlock") {
          const lock = lockedInIteration(pass, file, loop, fun.x, method, at);
          if (lock && perIterationMutex(pass, loop, fun.x)) {
            if (fn?.body && worksAfterLoop(pass, fn.body, outer) || searchesUnderLocks(loop)) return;
            const mu = textOf(file, fun.x);
            pass.report({
              node: d,
              file,
              // A test ends soon after: the locks are held a while, not for a service's lifetime.
              // A view gathered across the elements may want all of them held: medium.
              confidence: c?.typed && !file.test && !gathersOutside(pass, loop, fun.x) ? "high" : "medium",
              message: `${mu} is locked on line ${lineOf(file, lock)} in every iteration of the loop on line ${loopLine}, but the deferred ${deferred} runs only when ${fname} returns, so each ${mu} stays locked while the later iterations run and nothing after the loop needs it held: goroutines waiting for those mutexes wait for the whole loop; unlock at the end of the iteration or move the loop body into a function`,
              related: [{ node: lock, message: `${textOf(file, lock)} in the same iteration` }, ...related]
            });
            return;
          }
          if (lock) {
            const mu = textOf(file, fun.x);
            const lockText = textOf(file, lock);
            let keyed;
            walkNode(fun.x, (x) => {
              if (!keyed && x.kind === "Ident") keyed = keyedLookup(pass, x, loop);
              return !keyed;
            });
            const next = keyed ? `a later iteration whose key ${textOf(file, keyed)} gives the same mutex runs ${lockText}, which` : `the next iteration's ${lockText}`;
            pass.report({
              node: d,
              file,
              severity: "critical",
              confidence: c?.typed && !keyed ? "high" : "medium",
              message: `${mu} is locked on line ${lineOf(file, lock)} but the deferred ${deferred} runs only when ${fname} returns, so ${next} ${method === "RUnlock" ? "read-locks it again while it is still held, which deadlocks as soon as a writer is waiting (sync.RWMutex forbids recursive read locking)" : "deadlocks"}; unlock at the end of the iteration or move the loop body into a function`,
              related: [{ node: lock, message: `${lockText} in the same iteration` }, ...related]
            });
            return;
          }
        }
      }
      if (fn?.body && helperLockAll(pass, file, loop, d) && worksAfterLoop(pass, fn.body, outer)) return;
      if (fn?.body && setupNowTeardownAtExit(pass, file, loop, d) && worksAfterLoop(pass, fn.body, outer)) return;
      if (fn?.body && nestsForWorkAfter(file, loop, d) && worksAfterLoop(pass, fn.body, outer)) return;
      if (reportsToTest(pass, d)) return;
      const held = describeRelease(pass, file, d);
      const acq = held ? acquisitionOf(pass, file, loop, held, at) : void 0;
      if (held && acq) {
        const kind = ACQUIRING_CALLS[acq.callee];
        const message2 = kind ? `${kind.what === held.name || kind.what.endsWith(` ${held.name}`) ? kind.what : `${kind.what} ${held.name}`} from ${acq.callee} on line ${acq.line} ${kind.held} until ${fname} returns: the deferred ${deferred} runs at function exit, not at the end of each iteration, so one piles up per iteration; release it in the loop body or move the body into a function` : `${held.name} from ${acq.callee} on line ${acq.line} is released by the deferred ${deferred} only when ${fname} returns, not at the end of each iteration, so one piles up per iteration; release it in the loop body or move the body into a function`;
        pass.report({ node: d, file, message: message2, ...file.test ? { confidence: "medium" } : {}, related: [{ node: acq.call, message: `${held.name} acquired here` }, ...related] });
        return;
      }
      pass.report({
        node: d,
        file,
        // A test ends soon after and often collects on purpose what it checks at the end.
        ...file.test ? { confidence: "medium" } : {},
        message: `the deferred ${deferred} runs only when ${fname} returns, not at the end of each iteration of the loop on line ${loopLine}, so one deferred call piles up per iteration; call it in the loop body or move the body into a function`,
        related
      });
    });
  }
}
var analyzer = {
  meta: {
    id: ID,
    severity: "high",
    summary: "A defer directly in a loop body: deferred calls pile up until the function returns, holding what each iteration acquired.",
    enabledByDefault: true,
    fixable: false,
    category: "lifetime",
    docUrl: docUrl(ID)
  },
  needs: deferNeeds,
  run
};

// src/rules/defer-in-infinite-loop.ts
var ID2 = "defer-in-infinite-loop";
var TEST_UNWINDS = /^\(\*?testing\.(common|T|B|F|TB)\)\.(Fatal|Fatalf|FailNow|Skip|Skipf|SkipNow)$/;
function unwindingCall(pass, file, loop) {
  let found;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (x.kind === "DeferStmt" || x.kind === "GoStmt") return false;
    if (x.kind !== "CallExpr") return true;
    const fun = unparen(x.fun);
    if (fun.kind === "Ident" && fun.name === "panic" && pass.types.objectOf(fun)?.kind !== "func") found = x;
    else {
      const c = callName(pass, file, x);
      if (c && (c.name === "runtime.Goexit" || TEST_UNWINDS.test(c.name))) found = x;
    }
    return !found;
  });
  return found;
}
function run2(pass) {
  for (const file of pass.files) {
    file.inspector.withStack(["DeferStmt"], (d, stack) => {
      const endless = endlessEnclosingLoops(pass, file, stack);
      if (endless.length === 0) return;
      const e = endless.find((x) => x.confidence === "high") ?? endless[0];
      const fn = enclosingFunc(stack);
      if (e.confidence !== "high" && fn && runsAtMostOnce(pass, fn, d, e.loop, stack)) return;
      const fname = fn ? funcName(file, fn) : "the function";
      const line = lineOf(file, e.loop);
      const deferred = textOf(file, d.call);
      const unwind = unwindingCall(pass, file, e.loop);
      if (unwind) {
        pass.report({
          node: d,
          file,
          confidence: "medium",
          message: `the deferred ${deferred} runs only when the loop on line ${line} (${e.shape}) ends by unwinding the goroutine (${textOf(file, unwind.fun)} on line ${lineOf(file, unwind)}), since no break, return or goto leaves it; until then one deferred call per iteration accumulates and what each iteration acquired stays held; release at the end of the iteration or move the loop body into a function`,
          related: [{ node: e.loop, message: `loop that only unwinding ends (${e.shape})` }, { node: unwind, message: "unwinds the goroutine, running the deferred calls" }]
        });
        return;
      }
      const message2 = e.confidence === "high" ? `the deferred ${deferred} never runs: the loop on line ${line} (${e.shape}) has no break, return or goto leaving it, so ${fname} never returns and one deferred call per iteration accumulates in memory; release at the end of the iteration or move the loop body into a function` : `the deferred ${deferred} waits for the loop on line ${line} (${e.shape}) to end, which only closing the channel does (no break, return or goto leaves it), so one deferred call per received value accumulates until then; release at the end of the iteration or move the loop body into a function`;
      pass.report({
        node: d,
        file,
        confidence: e.confidence,
        message: message2,
        related: [{ node: e.loop, message: `loop that does not end (${e.shape})` }]
      });
    });
  }
}
var analyzer2 = {
  meta: {
    id: ID2,
    severity: "critical",
    summary: "A defer in a loop that never ends (for {}, for true {}, range over a channel) with no break, return or goto leaving it: the deferred call never runs.",
    enabledByDefault: true,
    fixable: false,
    category: "lifetime",
    docUrl: docUrl(ID2)
  },
  needs: deferNeeds,
  run: run2
};

// src/rules/defer-not-open-coded.ts
var ID3 = "defer-not-open-coded";
var MAX_OPEN_DEFERS = 8;
var MAX_RETURNS_TIMES_DEFERS = 15;
function rangesOverFunc(pass, n) {
  const t = pass.types.typeOf(n.x);
  const u = t?.kind === "named" ? t.underlying() : t;
  return u?.kind === "signature";
}
function count(pass, fn) {
  const c = { defers: [], returns: 0 };
  let inIterBody = 0;
  const looping = fn.body ? loopingLabels(fn.body) : /* @__PURE__ */ new Set();
  const visit = (n, loopDepth) => {
    if (n.kind === "FuncLit") return;
    if (n.kind === "DeferStmt") c.defers.push({ d: n, inLoop: loopDepth > 0 });
    else if (n.kind === "ReturnStmt" && inIterBody === 0) c.returns++;
    const depth = isLoop(n) ? loopDepth + 1 : loopDepth;
    if (n.kind === "RangeStmt" && rangesOverFunc(pass, n)) {
      if (n.key) visit(n.key, loopDepth);
      if (n.value) visit(n.value, loopDepth);
      visit(n.x, loopDepth);
      inIterBody++;
      visit(n.body, depth);
      inIterBody--;
      return;
    }
    if (looping.size > 0 && n.kind === "BlockStmt") {
      let d = depth;
      for (const st of n.list ?? []) {
        if (st.kind === "LabeledStmt" && looping.has(st.label.name)) d++;
        visit(st, d);
      }
      return;
    }
    forEachChild(n, (x) => visit(x, depth));
  };
  if (fn.body) visit(fn.body, 0);
  return c;
}
function check(pass, file, fn) {
  const c = count(pass, fn);
  const n = c.defers.length;
  if (n === 0) return;
  const name = funcName(file, fn);
  const tail = "each defer then costs a runtime defer record instead of inline code at the exits";
  const inLoop = c.defers.find((x) => x.inLoop);
  if (inLoop) {
    pass.report({
      node: inLoop.d,
      file,
      message: `the defers of ${name} are not open-coded because the defer on line ${lineOf(file, inLoop.d)} is in a loop; ${tail}`
    });
    return;
  }
  if (n > MAX_OPEN_DEFERS) {
    const ninth = c.defers[MAX_OPEN_DEFERS].d;
    pass.report({
      node: ninth,
      file,
      message: `the ${n} defers of ${name} are not open-coded because a function may open-code at most ${MAX_OPEN_DEFERS}; ${tail}`,
      related: [{ node: c.defers[0].d, message: "first defer of the function" }]
    });
    return;
  }
  if (c.returns * n > MAX_RETURNS_TIMES_DEFERS) {
    pass.report({
      node: c.defers[0].d,
      file,
      message: `the defers of ${name} are not open-coded because ${c.returns} returns × ${n} defers = ${c.returns * n} exceeds ${MAX_RETURNS_TIMES_DEFERS}; ${tail}`
    });
  }
}
function run3(pass) {
  for (const file of pass.files) {
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => check(pass, file, fn));
  }
}
var analyzer3 = {
  meta: {
    id: ID3,
    severity: "low",
    summary: "A function whose defers the compiler cannot open-code (a defer in a loop, more than 8 defers, or returns × defers > 15).",
    enabledByDefault: false,
    fixable: false,
    category: "cost",
    docUrl: docUrl(ID3)
  },
  needs: deferNeeds,
  run: run3
};

// src/rules/unnecessary-defer.ts
var ID4 = "unnecessary-defer";
function isConstant(pass, e) {
  e = unparen(e);
  switch (e.kind) {
    case "BasicLit":
      return true;
    case "Ident": {
      const o = pass.types.objectOf(e);
      if (o) return o.kind === "const" || o.kind === "nil";
      return e.name === "nil" || e.name === "true" || e.name === "false";
    }
    case "UnaryExpr":
      return e.op !== "<-" && e.op !== "&" && isConstant(pass, e.x);
    case "BinaryExpr":
      return isConstant(pass, e.x) && isConstant(pass, e.y);
    default:
      return false;
  }
}
function usesRecover(call) {
  let found = false;
  inspect(call, (n) => {
    if (found) return false;
    if (n.kind === "CallExpr") {
      const f = unparen(n.fun);
      if (f.kind === "Ident" && f.name === "recover") found = true;
    }
    return !found;
  });
  return found;
}
function defersRecoverer(pass, call) {
  const decl = pass.types.callee(call)?.decl;
  return !!decl && callsRecoverDirectly(pass, decl);
}
function takesResultAddress(fn, call) {
  const names = new Set((fn.type.results?.list ?? []).flatMap((f) => (f.names ?? []).map((n) => n.name)));
  return (call.args ?? []).some((a) => {
    const x = unparen(a);
    return x.kind === "UnaryExpr" && x.op === "&" && unparen(x.x).kind === "Ident" && names.has(unparen(x.x).name);
  });
}
var STACK_READERS = /* @__PURE__ */ new Set(["runtime.Caller", "runtime.Callers", "runtime.Stack", "runtime/debug.Stack", "runtime/debug.PrintStack"]);
function readsStack(pass, call) {
  const fun = unparen(call.fun);
  const body = fun.kind === "FuncLit" ? fun.body : pass.types.callee(call)?.decl?.body;
  if (!body) return false;
  const seen = /* @__PURE__ */ new Set([body]);
  const walk = (root, depth) => {
    let found = false;
    inspect(root, (n) => {
      if (found) return false;
      if (n.kind === "CallExpr") {
        const c = pass.types.callee(n);
        if (c && STACK_READERS.has(c.name)) found = true;
        else if (depth > 0 && c?.decl?.body && !seen.has(c.decl.body)) {
          seen.add(c.decl.body);
          found = walk(c.decl.body, depth - 1);
        }
      }
      return !found;
    });
    return found;
  };
  return walk(body, 2);
}
function hasNamedResults(fn) {
  return (fn.type.results?.list ?? []).some((f) => (f.names?.length ?? 0) > 0);
}
function check2(pass, file, fn) {
  const body = fn.body;
  if (!body) return;
  const visit = (list, atEnd) => {
    const stmts = list ?? [];
    stmts.forEach((s, i) => {
      if (s.kind === "DeferStmt") {
        const next = stmts[i + 1];
        let why;
        if (next === void 0 && atEnd) why = "it is the last statement of the function";
        else if (next?.kind === "ReturnStmt" && (next.results ?? []).every((r) => isConstant(pass, r))) {
          why = next.results && next.results.length > 0 ? "the return right after it has only constant results" : "a bare return follows it";
          if (next.results && next.results.length > 0 && hasNamedResults(fn) && (unparen(s.call.fun).kind === "FuncLit" || takesResultAddress(fn, s.call))) why = void 0;
        }
        if (why && !usesRecover(s.call) && !defersRecoverer(pass, s.call) && !readsStack(pass, s.call)) {
          const call = textOf(file, s.call);
          pass.report({
            node: s,
            file,
            message: `defer ${call} in ${funcName(file, fn)} runs immediately anyway because ${why}; call ${call} directly`,
            fixes: [{ message: `call ${call} directly`, edits: [{ range: { pos: s.defer, end: pos(s.call) }, newText: "" }] }]
          });
        }
      }
      for (const b of blocksOf(s)) visit(b, false);
    });
  };
  visit(body.list, true);
}
function blocksOf(s) {
  switch (s.kind) {
    case "BlockStmt":
      return [s.list];
    case "IfStmt":
      return [s.body.list, ...s.else ? blocksOf(s.else) : []];
    case "ForStmt":
    case "RangeStmt":
      return [s.body.list];
    case "SwitchStmt":
    case "TypeSwitchStmt":
    case "SelectStmt":
      return (s.body.list ?? []).map((c) => c.kind === "CaseClause" || c.kind === "CommClause" ? c.body : null);
    case "LabeledStmt":
      return blocksOf(s.stmt);
    default:
      return [];
  }
}
function run4(pass) {
  for (const file of pass.files) {
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => check2(pass, file, fn));
  }
}
var analyzer4 = {
  meta: {
    id: ID4,
    severity: "low",
    summary: "A defer as the last statement of a function or right before a return of constants: call it directly.",
    enabledByDefault: false,
    fixable: true,
    category: "style",
    docUrl: docUrl(ID4)
  },
  needs: deferNeeds,
  run: run4
};

// src/rules/defer-close-chan-with-sender.ts
var ID5 = "defer-close-chan-with-sender";
function waitDeferredAfter(pass, file, body, d) {
  let found = false;
  walkSameFunc(body, (x) => {
    if (found) return false;
    if (x.kind !== "DeferStmt") return true;
    if (pos(x) > pos(d)) {
      const fun = unparen(x.call.fun);
      if (isWaitCall(pass, file, x.call)) found = true;
      else if (fun.kind === "FuncLit") found = nodeContains(fun.body, (y) => y.kind === "CallExpr" && isWaitCall(pass, file, y));
    }
    return false;
  });
  return found;
}
function senderOf(pass, go, key) {
  const target = goTarget(pass, go);
  if (!target?.fn.body) return void 0;
  const subst = targetSubst(pass, target);
  const sends = [];
  const signals = [];
  let viaCall = false;
  const seen = /* @__PURE__ */ new Set();
  let opaque;
  inspect(target.fn.body, (x) => {
    if (x.kind === "SendStmt") {
      const k = refKey(pass, x.chan, subst);
      if (sameRefKey(k, key)) sends.push(x);
      else if (k !== void 0) signals.push(k);
    } else if (x.kind === "CallExpr" && isBuiltinClose(pass, x)) {
      const k = refKey(pass, x.args[0], subst);
      if (k !== void 0 && !sameRefKey(k, key)) signals.push(k);
    } else if (x.kind === "CallExpr") {
      const before = sends.length;
      calleeSends(pass, x, subst, key, sends, seen, 0);
      if (sends.length > before) viaCall = true;
      else if (!opaque && handsToSendParam(pass, x, key, subst)) opaque = x;
    }
    return true;
  });
  if (sends.length === 0 && opaque) return { target, sends, signals, viaCall: true, opaqueCall: opaque };
  return sends.length > 0 ? { target, sends, signals, viaCall } : void 0;
}
function calleeSends(pass, call, subst, key, out, seen, depth) {
  if (depth >= 2 || !call.args?.length) return;
  const decl = pass.types.callee(call)?.decl;
  if (!decl?.body || seen.has(decl)) return;
  const params = (decl.type.params.list ?? []).flatMap((f) => f.names ?? []);
  const inner = /* @__PURE__ */ new Map();
  call.args.forEach((a, i) => {
    const p = params[i];
    if (!p || p.name === "_" || !sameRefKey(refKey(pass, a, subst), key)) return;
    inner.set(pass.types.objectOf(p) ?? p.name, key);
  });
  if (inner.size === 0) return;
  seen.add(decl);
  inspect(decl.body, (x) => {
    if (x.kind === "SendStmt" && sameRefKey(refKey(pass, x.chan, inner), key)) out.push(x);
    else if (x.kind === "CallExpr") calleeSends(pass, x, inner, key, out, seen, depth + 1);
    return true;
  });
}
function sendsOnce(pass, s) {
  const body = s.target.fn.body;
  if (s.sends.length === 0 || s.sends.some((x) => loopDepthIn(body, x) !== 0)) return false;
  if (s.sends.length === 1) return true;
  const sg = cfgOf(pass, s.target.fn);
  if (!sg || s.sends.some((x) => !sg.locate(x))) return false;
  return s.sends.every((a) => s.sends.every((b) => a === b || !sg.canReach(a, b)));
}
function syncEntries(pass, file, fn, g, go, at, s, key, senders, group = false) {
  const drains = /* @__PURE__ */ new Set();
  const goLoops = g.loopsContaining(g.locate(at).block);
  const oneValue = !s.viaCall && sendsOnce(pass, s) && goLoops.length === 0;
  const single = senders === 1 && oneValue;
  const many = senders > 1 || goLoops.length > 0;
  let allSignalled;
  if (many && s.signals.length > 0 && fn.body) {
    const isSignal = (y) => {
      const r = receivedChan(pass, y);
      return r !== void 0 && s.signals.some((k) => sameRefKey(r, k));
    };
    if (goLoops.length === 0) allSignalled = afterReceives(fn.body, isSignal, senders);
    else if (goLoops.length === 1 && senders === 1) {
      const trips = tripKey(file, goLoops[0].stmt);
      for (const info of g.loops.values()) {
        if (info === goLoops[0] || trips === void 0 || tripKey(file, info.stmt) !== trips) continue;
        if (g.loopExits(info.stmt).exits.length > 0 || !receivesEachIteration(info.stmt.body, isSignal)) continue;
        for (const n of loopHeadEntries(info)) drains.add(n);
      }
    }
  }
  const allReceived = senders > 1 && oneValue && fn.body ? afterReceives(fn.body, (y) => sameRefKey(receivedChan(pass, y), key), senders) : void 0;
  if (many && fn.body) {
    for (const info of g.loops.values()) {
      if (goLoops.includes(info) || g.loopExits(info.stmt).exits.length > 0) continue;
      const trips = tripKey(file, info.stmt);
      if (trips === void 0) continue;
      const first = (info.stmt.body.list ?? [])[0];
      if (first?.kind !== "SendStmt") continue;
      const semKey = refKey(pass, first.chan);
      if (semKey === void 0 || !releasedOnExit(pass, s, semKey)) continue;
      if (trips === `cap(${textOf(file, unparen(first.chan))})` || trips === makeCapacity(pass, file, fn.body, semKey)) {
        for (const n of loopHeadEntries(info)) drains.add(n);
      }
    }
  }
  const rangeOps = /* @__PURE__ */ new Set();
  for (const info of g.loops.values()) {
    const st = info.stmt;
    if (senders === 1 && g.loopsContaining(g.locate(at).block).length === 0 && nodeContains(st.body, (y) => sameRefKey(receivedChan(pass, y), key))) {
      const got = receivedVars(pass, st.body, key);
      for (const e of g.loopExits(st).exits) {
        if (e.via?.kind === "ReturnStmt" && finalEventTested(pass, st.body, e.via, got, s.target.fn.body)) drains.add(e.via);
      }
    }
    if (st.kind === "RangeStmt" && sameRefKey(refKey(pass, st.x), key) && g.loopExits(st).exits.length === 0) rangeOps.add(st.x);
    const receives = nodeContains(st.body, (y) => sameRefKey(receivedChan(pass, y), key));
    if (receives && g.loopExits(st).exits.length === 0) for (const n of loopHeadEntries(info)) drains.add(n);
  }
  const graph = callGraphOf(pass);
  const deferredLits = [];
  walkSameFunc(s.target.fn.body, (y) => {
    if (y.kind === "DeferStmt" && unparen(y.call.fun).kind === "FuncLit") deferredLits.push(unparen(y.call.fun));
    return true;
  });
  const marksDone2 = (b) => nodeContains(b, (y) => {
    if (y.kind !== "CallExpr") return false;
    const f = unparen(y.fun);
    if (f.kind === "SelectorExpr" && f.sel.name === "Done" && (y.args?.length ?? 0) === 0) {
      const c = pass.types.callee(y);
      return !c || c.name === "(*sync.WaitGroup).Done";
    }
    return f.kind !== "FuncLit" && graph.calleeOf(y) !== void 0;
  });
  const inGroup = group || marksDone2(s.target.fn.body) || deferredLits.some((l) => marksDone2(l.body)) || (go.call.args ?? []).some((a) => unparen(a).kind === "UnaryExpr");
  return (n) => {
    if (drains.has(n) || rangeOps.has(n) || n === allReceived || n === allSignalled) return true;
    if (inGroup && n.kind === "ExprStmt" && waitsThroughHelper(pass, n.x)) return true;
    return nodeContains(n, (y) => {
      if (y.kind === "CallExpr" && inGroup && isWaitCall(pass, file, y)) return true;
      if (y.kind === "CallExpr" && helperDrains(pass, y, key)) return true;
      const r = receivedChan(pass, y);
      if (r === void 0) return false;
      if (single && sameRefKey(r, key)) return true;
      return !many && s.signals.some((k) => sameRefKey(r, k));
    });
  };
}
function waitsThroughHelper(pass, e) {
  const x = unparen(e);
  if (x.kind !== "UnaryExpr" || x.op !== "<-") return false;
  const call = unparen(x.x);
  if (call.kind !== "CallExpr") return false;
  const decl = pass.types.callee(call)?.decl;
  const body = decl?.body;
  if (!body) return false;
  const file = pass.fileOf(decl);
  if (!file) return false;
  let waits = false;
  let closes = false;
  inspect(body, (y) => {
    if (y.kind === "CallExpr") {
      if (isWaitCall(pass, file, y)) waits = true;
      const f = unparen(y.fun);
      if (f.kind === "Ident" && f.name === "close" && pass.types.objectOf(f)?.kind !== "var") closes = true;
    }
    return true;
  });
  return waits && closes;
}
function afterReceives(body, isReceive, count2) {
  let n = 0;
  for (const st of body.list ?? []) {
    if (st.kind === "DeferStmt" || st.kind === "GoStmt") continue;
    inspect(st, (y) => {
      if (y.kind === "FuncLit") return false;
      if (isReceive(y)) n++;
      return true;
    });
    if (n >= count2) return st;
  }
  return void 0;
}
function releasedOnExit(pass, s, key) {
  const subst = targetSubst(pass, s.target);
  let found = false;
  walkSameFunc(s.target.fn.body, (y) => {
    if (found) return false;
    if (y.kind !== "DeferStmt") return true;
    const lit = unparen(y.call.fun);
    if (lit.kind === "FuncLit") {
      for (const st of lit.body.list ?? []) {
        const x = st.kind === "ExprStmt" ? unparen(st.x) : void 0;
        if (x?.kind === "UnaryExpr" && x.op === "<-" && sameRefKey(refKey(pass, x.x, subst), key)) found = true;
      }
    }
    return false;
  });
  return found;
}
function makeCapacity(pass, file, body, key) {
  let out;
  walkSameFunc(body, (y) => {
    if (out !== void 0) return false;
    if (y.kind === "AssignStmt" && y.lhs.length === 1 && y.rhs.length === 1 && sameRefKey(refKey(pass, y.lhs[0]), key)) {
      const m = unparen(y.rhs[0]);
      if (m.kind === "CallExpr" && unparen(m.fun).kind === "Ident" && unparen(m.fun).name === "make" && m.args?.length === 2) out = textOf(file, unparen(m.args[1]));
    }
    return true;
  });
  return out;
}
function tripKey(file, st) {
  if (st.kind === "RangeStmt") return textOf(file, unparen(st.x));
  const l = countingLoop(st);
  const zero = l && unparen(l.from);
  if (!l || l.op !== "<" || zero?.kind !== "BasicLit" || zero.value !== "0") return void 0;
  const bound = unparen(l.to);
  if (bound.kind === "CallExpr" && unparen(bound.fun).kind === "Ident" && unparen(bound.fun).name === "len" && bound.args?.length === 1) return textOf(file, unparen(bound.args[0]));
  return textOf(file, bound);
}
function receivesEachIteration(body, isReceive) {
  for (const st of body.list ?? []) {
    if (unconditionalParts(st).some((n) => nodeContains(n, isReceive))) return true;
    if (nodeContains(st, (y) => y.kind === "BranchStmt" || y.kind === "ReturnStmt")) return false;
  }
  return false;
}
function helperDrains(pass, call, key) {
  const decl = callGraphOf(pass).calleeOf(call)?.decl;
  if (!decl) return foreignReceiver(pass, call, key);
  if (!decl?.body || call.ellipsis !== -1) return false;
  const fields = decl.type.params.list ?? [];
  if (fields.some((f) => f.type?.kind === "Ellipsis")) return false;
  const names = fields.flatMap((f) => f.names ?? []);
  const args = call.args ?? [];
  if (names.length !== args.length) return false;
  const subst = /* @__PURE__ */ new Map();
  names.forEach((n, i) => {
    const k = refKey(pass, args[i]);
    const o = pass.types.objectOf(n);
    if (k !== void 0 && o && sameRefKey(k, key)) subst.set(o, k);
  });
  if (subst.size === 0) return false;
  let found = false;
  walkSameFunc(decl.body, (x) => {
    if (found) return false;
    if (x.kind === "RangeStmt" && sameRefKey(refKey(pass, x.x, subst), key) && (!leavesEarly(x.body) || countsToTotal(x.body))) found = true;
    else if (x.kind === "ForStmt" && nodeContains(x.body, (y) => sameRefKey(receivedChan(pass, y, subst), key)) && !leavesEarly(x.body)) found = true;
    return !found;
  });
  return found;
}
function foreignReceiver(pass, call, key) {
  const c = pass.types.callee(call);
  if (!c?.sig || c.pkg === pass.pkg.importPath || c.kind === "builtin" || c.kind === "funcvalue") return false;
  const params = c.sig.params;
  return (call.args ?? []).some((a, i) => {
    if (!sameRefKey(refKey(pass, a), key)) return false;
    const p = params[Math.min(i, params.length - 1)];
    const pt = p?.type;
    const t = pt?.kind === "named" ? pt.underlying() : pt;
    return t?.kind === "chan" && t.dir !== "send";
  });
}
function countsToTotal(body) {
  let ok = true;
  let seen = false;
  walkSameFunc(body, (x) => {
    if (!ok) return false;
    if (x.kind === "IfStmt") {
      const exits = (x.body.list ?? []).some((st) => st.kind === "ReturnStmt" || st.kind === "BranchStmt" && st.tok === "break");
      if (exits) {
        const c = unparen(x.cond);
        if (c.kind === "BinaryExpr" && (c.op === "==" || c.op === ">=")) seen = true;
        else ok = false;
        return false;
      }
    }
    if (x.kind === "ReturnStmt" || x.kind === "BranchStmt" && (x.tok === "break" || x.tok === "goto")) ok = false;
    return ok;
  });
  return ok && seen;
}
function leavesEarly(body) {
  let early = false;
  const visit = (n, nested) => {
    walkSameFunc(n, (x) => {
      if (early) return false;
      if (x !== n && (x.kind === "ForStmt" || x.kind === "RangeStmt" || x.kind === "SwitchStmt" || x.kind === "TypeSwitchStmt" || x.kind === "SelectStmt")) {
        visit(x, true);
        return false;
      }
      if (x.kind === "ReturnStmt") early = true;
      if (x.kind === "BranchStmt" && (x.tok === "goto" || x.tok === "break" && (!nested || x.label))) early = true;
      return !early;
    });
  };
  visit(body, false);
  return early;
}
function waitsBeforeClose(c, synced) {
  const lit = unparen(c.defer.call.fun);
  if (lit.kind !== "FuncLit") return false;
  for (const st of lit.body.list ?? []) {
    if (pos(st) >= pos(c.close)) break;
    if ((st.kind === "ExprStmt" || st.kind === "AssignStmt") && synced(st)) return true;
  }
  return false;
}
function earlyReturnFromReceiveLoop(pass, g, go, synced, keys) {
  const returns = /* @__PURE__ */ new Set();
  for (const info of g.loops.values()) {
    const body = info.stmt.body;
    if (!nodeContains(body, (y) => keys.some((k) => sameRefKey(receivedChan(pass, y), k)))) continue;
    walkSameFunc(body, (x) => {
      if (x.kind === "ReturnStmt") returns.add(x);
      return true;
    });
  }
  if (returns.size === 0) return null;
  return g.findPath(go, (n) => returns.has(n), { avoid: synced });
}
function launchesOf(pass, body, key) {
  const out = [];
  for (const go of goStmtsIn(body)) {
    const sender = senderOf(pass, go, key) ?? opaqueSender(pass, go, key);
    if (sender) out.push({ go, at: go, sender });
  }
  walkSameFunc(body, (x) => {
    const timer = afterFuncOf2(pass, x);
    if (timer && !timerStopped(pass, body, timer.v)) {
      const go = { kind: "GoStmt", go: timer.call.lparen, call: { kind: "CallExpr", fun: timer.lit, lparen: timer.lit.body.lbrace, args: null, ellipsis: -1, rparen: timer.lit.body.rbrace } };
      const sender = senderOf(pass, go, key);
      if (sender) out.push({ go, at: x, sender, afterFunc: timer.call });
      return true;
    }
    if (x.kind !== "ExprStmt" || unparen(x.x).kind !== "CallExpr") return x.kind !== "GoStmt" && x.kind !== "DeferStmt";
    const call = unparen(x.x);
    const gg = groupGoOf(pass, call);
    if (gg) {
      if (gg.fn?.kind === "FuncLit") {
        const lit = gg.fn;
        const go = { kind: "GoStmt", go: call.lparen, call: { kind: "CallExpr", fun: lit, lparen: lit.body.lbrace, args: null, ellipsis: -1, rparen: lit.body.rbrace } };
        const sender = senderOf(pass, go, key);
        if (sender) out.push({ go, at: x, sender, group: true });
      }
      return true;
    }
    for (const { go, sender } of helperLaunches(pass, call, key)) out.push({ go, at: x, sender, via: call });
    return true;
  });
  return out;
}
function opaqueSender(pass, go, key) {
  if (unparen(go.call.fun).kind === "FuncLit" || goTarget(pass, go)) return void 0;
  if (!handsToSendParam(pass, go.call, key)) return void 0;
  return opaqueSenderOf(go);
}
function handsToSendParam(pass, call, key, subst) {
  const c = pass.types.callee(call);
  if (c?.decl?.body && c.pkg === pass.pkg.importPath) return false;
  const sig = c?.sig ?? (() => {
    const t = pass.types.typeOf(call.fun);
    const u = t?.kind === "named" ? t.underlying() : t;
    return u?.kind === "signature" ? u : void 0;
  })();
  if (!sig || call.ellipsis !== -1) return false;
  return (call.args ?? []).some((a, i) => {
    if (!sameRefKey(refKey(pass, a, subst), key)) return false;
    const pt = sig.params[i]?.type;
    const t = pt?.kind === "named" ? pt.underlying() : pt;
    return t?.kind === "chan" && t.dir === "send";
  });
}
function opaqueSenderOf(go) {
  const lit = {
    kind: "FuncLit",
    type: { kind: "FuncType", func: go.go, typeParams: null, params: { kind: "FieldList", opening: go.go, list: null, closing: go.go }, results: null },
    body: { kind: "BlockStmt", lbrace: go.go, list: [], rbrace: go.go }
  };
  return { target: { go, fn: lit, params: [] }, sends: [], signals: [], viaCall: true };
}
function afterFuncOf2(pass, x) {
  let e;
  let v;
  if (x.kind === "ExprStmt") e = x.x;
  else if (x.kind === "AssignStmt" && x.rhs.length === 1) {
    e = x.rhs[0];
    const l = unparen(x.lhs[0]);
    if (l.kind === "Ident") v = l;
  } else return void 0;
  const call = e ? unparen(e) : void 0;
  if (call?.kind !== "CallExpr" || pass.types.callee(call)?.name !== "time.AfterFunc") return void 0;
  const lit = call.args?.[1] ? unparen(call.args[1]) : void 0;
  return lit?.kind === "FuncLit" ? { call, lit, ...v ? { v } : {} } : void 0;
}
function timerStopped(pass, body, v) {
  if (!v || v.name === "_") return false;
  const o = pass.types.objectOf(v);
  let found = false;
  inspect(body, (y) => {
    if (found) return false;
    if (y.kind === "CallExpr") {
      const f = unparen(y.fun);
      if (f.kind === "SelectorExpr" && f.sel.name === "Stop" && unparen(f.x).kind === "Ident") {
        const r = unparen(f.x);
        if (r.name === v.name && (!o || pass.types.objectOf(r) === o)) found = true;
      }
    }
    return !found;
  });
  return found;
}
var helperGoCache = /* @__PURE__ */ new WeakMap();
function helperLaunches(pass, call, key) {
  const decl = pass.types.callee(call)?.decl;
  if (!decl?.body || !call.args?.length || call.ellipsis !== -1) return [];
  let fires = helperGoCache.get(decl);
  if (fires === void 0) {
    let gos = false;
    let waits = false;
    const file = pass.fileOf(decl);
    walkSameFunc(decl.body, (x) => {
      if (x.kind === "GoStmt") gos = true;
      else if (x.kind === "UnaryExpr" && x.op === "<-") waits = true;
      else if (x.kind === "SelectStmt") waits = true;
      else if (x.kind === "RangeStmt") {
        const t = pass.types.typeOf(x.x);
        const u = t?.kind === "named" ? t.underlying() : t;
        if (!u || u.kind === "chan") waits = true;
      } else if (x.kind === "CallExpr" && file && isWaitCall(pass, file, x)) waits = true;
      return !waits;
    });
    helperGoCache.set(decl, fires = gos && !waits);
  }
  if (!fires) return [];
  const names = (decl.type.params.list ?? []).flatMap((f) => f.names ?? []);
  const out = [];
  call.args.forEach((a, i) => {
    const p = names[i];
    if (!p || p.name === "_" || !sameRefKey(refKey(pass, a), key)) return;
    const inner = refKey(pass, p);
    if (inner === void 0) return;
    for (const go of goStmtsIn(decl.body)) {
      const sender = senderOf(pass, go, inner);
      if (sender) out.push({ go, sender });
    }
  });
  return out;
}
function run5(pass) {
  for (const file of pass.files) {
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => {
      if (!fn.body || !file.inspector.contains(fn, ["DeferStmt"])) return;
      const closes = deferredCloses(pass, fn.body);
      if (closes.length === 0) return;
      const g = cfgOf(pass, fn);
      if (!g) return;
      const fname = funcName(file, fn);
      for (const c of closes) {
        if (waitDeferredAfter(pass, file, fn.body, c.defer)) continue;
        const launches = launchesOf(pass, fn.body, c.key);
        const senders = launches.length;
        for (const { go, at, sender: s, via, afterFunc, group } of launches) {
          if (!g.locate(at)) continue;
          const synced = syncEntries(pass, file, fn, g, go, at, s, c.key, senders, group);
          if (c.inLiteral && waitsBeforeClose(c, synced)) continue;
          if (!g.locate(c.defer)) continue;
          const deferFirst = g.canReach(c.defer, at);
          if (!deferFirst && !g.canReach(at, c.defer)) continue;
          let path;
          if (deferFirst) path = g.findPath(at, "exit", { avoid: synced });
          else {
            const before = g.findPath(at, c.defer, { avoid: synced });
            const after = before && g.findPath(c.defer, "exit", { avoid: synced });
            path = before && after ? [...before, ...after.slice(1)] : null;
          }
          if (!path) continue;
          const many = senders > 1 || g.loopsContaining(g.locate(at).block).length > 0;
          const early = earlyReturnFromReceiveLoop(pass, g, at, synced, many ? [c.key, ...s.signals] : [c.key]);
          if (early) path = early;
          const ch = textOf(file, c.ch);
          const goFile = pass.fileOf(go) ?? file;
          const goLine = lineOf(goFile, go);
          const started = via ? `the goroutine that ${textOf(file, via.fun)} starts (line ${goLine}${goFile !== file ? ` of ${goFile.path}` : ""}), called on line ${lineOf(file, at)},` : afterFunc ? `the function given to time.AfterFunc on line ${goLine}, which runs in a goroutine of its own when the timer fires,` : `the goroutine started on line ${goLine}`;
          const send = s.sends[0] ?? go;
          const sendFile = pass.fileOf(send) ?? file;
          const opaque = s.sends.length === 0;
          const ret = returnOfPath(path);
          const how = ret ? `the return on line ${lineOf(file, ret)} does not wait for it` : `${fname} can return without waiting for it`;
          const what = c.inLiteral ? `${textOf(file, c.close)} deferred in ${fname}` : `defer ${textOf(file, c.close)} in ${fname}`;
          const related = [
            ...opaque ? [] : [{ node: send, file: sendFile, message: `send on ${ch} in the goroutine` }],
            { node: go, file: goFile, message: "the goroutine starts here" },
            ...via ? [{ node: via, message: `${textOf(file, via.fun)} starts it and returns without waiting` }] : []
          ];
          if (ret) related.push({ node: ret, message: `returns without waiting for the goroutine of line ${goLine}` });
          const byName = c.key.includes("?") || !pass.typesKnown || opaque;
          pass.report({
            node: c.inLiteral ? c.close : c.defer,
            file,
            confidence: byName ? "medium" : "high",
            message: `${what} closes ${ch} when ${fname} returns, but ${started} can still send on it (${opaque ? `${textOf(file, (s.opaqueCall ?? go.call).fun)} takes it as a send-only chan<- parameter` : `line ${lineOf(sendFile, send)}${sendFile !== file ? ` of ${sendFile.path}` : ""}`}) and ${how}: the late send panics with "send on closed channel"; wait for every sender (sync.WaitGroup) before returning, or let the sending side close the channel`,
            related
          });
          break;
        }
      }
    });
  }
}
var analyzer5 = {
  meta: {
    id: ID5,
    severity: "critical",
    summary: "defer close(ch) in a function whose goroutines may still send on ch after it returns: the late send panics.",
    enabledByDefault: true,
    fixable: false,
    category: "goroutine",
    docUrl: docUrl(ID5)
  },
  needs: deferNeeds,
  run: run5
};

// src/rules/loop-var-capture.ts
var ID6 = "loop-var-capture";
function identsOf(exprs) {
  const out = [];
  for (const e of exprs) {
    if (!e) continue;
    const x = unparen(e);
    if (x.kind === "Ident" && x.name !== "_") out.push(x);
  }
  return out;
}
function sharedLoopVars(loop, perIteration) {
  const out = [];
  const add = (ids, how) => {
    for (const id of ids) if (!out.some((v) => v.id.name === id.name)) out.push({ id, loop, how });
  };
  if (loop.kind === "RangeStmt") {
    if (loop.tok === ":=") {
      if (!perIteration) add(identsOf([loop.key, loop.value]), "declared");
    } else if (loop.tok === "=") add(identsOf([loop.key, loop.value]), "outside");
    return out;
  }
  const init = loop.init;
  if (init?.kind === "AssignStmt") {
    if (init.tok === ":=") {
      if (!perIteration) add(identsOf(init.lhs), "declared");
    } else add(identsOf(init.lhs), "outside");
  }
  const declaredByInit = new Set(init?.kind === "AssignStmt" && init.tok === ":=" ? identsOf(init.lhs).map((i) => i.name) : []);
  const post = loop.post;
  const postTargets = post?.kind === "IncDecStmt" ? identsOf([post.x]) : post?.kind === "AssignStmt" && post.tok !== ":=" ? identsOf(post.lhs) : [];
  add(postTargets.filter((i) => !declaredByInit.has(i.name)), "outside");
  return out;
}
function laterLiterals(call) {
  const out = [];
  const fun = unparen(call.fun);
  if (fun.kind === "FuncLit") out.push(fun);
  for (const a of call.args ?? []) {
    const x = unparen(a);
    if (x.kind === "FuncLit") out.push(x);
  }
  return out;
}
function refersTo(pass, use, v, stack) {
  if (use.name !== v.id.name) return "no";
  const ou = pass.types.objectOf(use);
  const ov = pass.types.objectOf(v.id);
  if (ou && ov) return ou === ov ? "yes" : "no";
  return redeclaredBetween(v.loop, use, stack) ? "no" : "maybe";
}
function redeclaredBetween(loop, use, stack) {
  const name = use.name;
  const at = use.namePos;
  const start = stack.indexOf(loop);
  const declares = (n) => {
    if (n.kind === "AssignStmt" && n.tok === ":=") return n.lhs.some((l) => l.kind === "Ident" && l.name === name);
    if (n.kind === "DeclStmt" && n.decl.kind === "GenDecl") {
      return (n.decl.specs ?? []).some((s) => s.kind === "ValueSpec" && s.names.some((x) => x.name === name));
    }
    if (n.kind === "RangeStmt" && n.tok === ":=") return identsOf([n.key, n.value]).some((x) => x.name === name);
    return false;
  };
  for (let i = Math.max(0, start) + 1; i < stack.length; i++) {
    const n = stack[i];
    if (n.kind === "FuncLit") {
      const fields = [...n.type.params.list ?? [], ...n.type.results?.list ?? []];
      if (fields.some((f) => f.names?.some((x) => x.name === name))) return true;
    }
    if (n.kind === "ForStmt" && n !== loop && n.init && declares(n.init) || n.kind === "RangeStmt" && n !== loop && declares(n)) return true;
    if ((n.kind === "IfStmt" || n.kind === "SwitchStmt" || n.kind === "TypeSwitchStmt") && n.init && declares(n.init)) return true;
    const list = n.kind === "BlockStmt" ? n.list : n.kind === "CaseClause" || n.kind === "CommClause" ? n.body : null;
    if (list) {
      for (const s of list) {
        if (pos(s) >= at) break;
        if (declares(s)) return true;
      }
    }
  }
  return false;
}
function firstUse(pass, lit, v, outer) {
  let found;
  const stack = [...outer];
  const visit = (n) => {
    if (found) return;
    stack.push(n);
    if (n.kind === "Ident") {
      const r = refersTo(pass, n, v, stack);
      if (r !== "no") found = { id: n, sure: r === "yes" };
    } else if (n.kind === "SelectorExpr") {
      visit(n.x);
    } else if (n.kind === "KeyValueExpr") {
      if (unparen(n.key).kind !== "Ident") visit(n.key);
      else if (!isFieldKey(pass, n.key)) visit(n.key);
      visit(n.value);
    } else forEachChild(n, visit);
    stack.pop();
  };
  visit(lit);
  return found;
}
function isFieldKey(pass, key) {
  const k = unparen(key);
  const o = pass.types.objectOf(k);
  return !o || o.kind !== "var" || o.varKind === "field";
}
function waitsInIteration(pass, file, loop, st, stack) {
  let found = false;
  const li = stack.indexOf(loop);
  for (let i = stack.length - 2; i > li && i >= 0; i--) {
    const list = stmtListOf(stack[i]);
    if (!list) continue;
    const holder = stack[i + 1];
    const k = list.indexOf(holder);
    if (k < 0) continue;
    for (let j = k + 1; j < list.length; j++) {
      const s = list[j];
      if (s.kind === "ExprStmt" || s.kind === "AssignStmt") {
        walkSameFunc(s, (x) => {
          if (found) return false;
          if (x.kind === "CallExpr" && isWaitCall(pass, file, x)) found = true;
          return !found;
        });
        if (found) return true;
      }
      if (s.kind === "DeferStmt" || s.kind === "GoStmt") continue;
      let leaves = false;
      walkSameFunc(s, (x) => {
        if (x.kind === "BranchStmt" || x.kind === "ReturnStmt") leaves = true;
        return !leaves;
      });
      if (leaves) break;
    }
  }
  const after = pos(st);
  const lit = unparen(st.call.fun);
  if (lit.kind !== "FuncLit") return false;
  const signals = /* @__PURE__ */ new Set();
  walkSameFunc(lit.body, (x) => {
    if (x.kind === "SendStmt" && unparen(x.chan).kind === "Ident") signals.add(unparen(x.chan).name);
    if (x.kind === "CallExpr" && unparen(x.fun).kind === "Ident" && unparen(x.fun).name === "close" && x.args?.[0] && unparen(x.args[0]).kind === "Ident") {
      signals.add(unparen(x.args[0]).name);
    }
    return true;
  });
  if (signals.size === 0) return false;
  for (const s of loop.body.list ?? []) {
    if (pos(s) <= after || s.kind !== "ExprStmt" && s.kind !== "AssignStmt") continue;
    walkSameFunc(s, (x) => {
      if (found) return false;
      if (x.kind === "UnaryExpr" && x.op === "<-" && unparen(x.x).kind === "Ident" && signals.has(unparen(x.x).name)) found = true;
      return !found;
    });
    if (found) return true;
  }
  return false;
}
function run6(pass) {
  for (const file of pass.files) {
    const perIteration = goVersionAtLeast(file.goVersion, 1, 22);
    file.inspector.withStack(["DeferStmt", "GoStmt"], (st, stack) => {
      const loops = enclosingLoops(stack);
      if (loops.length === 0) return;
      const lits = laterLiterals(st.call);
      const addressed = addressTaken(pass, st.call);
      if (lits.length === 0 && addressed.length === 0) return;
      let vars = loops.flatMap((l) => sharedLoopVars(l, perIteration));
      if (st.kind === "GoStmt") vars = vars.filter((v) => !waitsInIteration(pass, file, v.loop, st, stack));
      const fn = enclosingFunc(stack);
      if (fn && vars.some((v) => v.how === "declared") && runsOncePerCall(pass, fn, st)) {
        vars = vars.filter((v) => v.how !== "declared" || assignsVar(pass, v.loop.body, v.id, { addressTaken: true }));
      }
      if (vars.length === 0) return;
      const outer = [...stack];
      for (const v of vars) {
        let reported = false;
        for (const lit of lits) {
          const use = firstUse(pass, lit, v, outer);
          if (!use) continue;
          report(pass, file, st, v, use, fn ? funcName(file, fn) : "the function", lit !== unparen(st.call.fun));
          reported = true;
          break;
        }
        const a = reported ? void 0 : addressed.find((x) => sameVar2(pass, x.id, v, outer));
        if (a) reportAddress(pass, file, st, v, a, fn ? funcName(file, fn) : "the function");
      }
    });
  }
}
function addressTaken(pass, call) {
  const out = [];
  const fun = unparen(call.fun);
  if (fun.kind === "SelectorExpr") {
    const x = unparen(fun.x);
    if (x.kind === "Ident" && isValueVar(pass, x)) {
      const c = pass.types.callee(call);
      if (c?.kind === "method" && c.recv?.pointer) out.push({ id: x, how: "receiver", what: fun.sel.name });
    }
  }
  for (const a of call.args ?? []) {
    const u = unparen(a);
    if (u.kind !== "UnaryExpr" || u.op !== "&") continue;
    let x = unparen(u.x);
    let path = "";
    while (x.kind === "SelectorExpr") {
      const t = pass.types.typeOf(x.x);
      if (!t || t.kind === "pointer" || t.kind === "named" && t.underlying()?.kind === "pointer") break;
      path = "." + x.sel.name + path;
      x = unparen(x.x);
    }
    if (x.kind === "Ident" && (path === "" || isValueVar(pass, x))) out.push({ id: x, how: "argument", what: `&${x.name}${path}` });
  }
  return out;
}
function isValueVar(pass, id) {
  const o = pass.types.objectOf(id);
  if (o?.kind !== "var") return false;
  const t = o.type;
  if (!t) return false;
  const u = t.kind === "named" ? t.underlying() : t;
  return u !== void 0 && u.kind !== "pointer" && u.kind !== "interface" && u.kind !== "typeparam";
}
function sameVar2(pass, id, v, stack) {
  if (id.name !== v.id.name) return false;
  const ou = pass.types.objectOf(id);
  const ov = pass.types.objectOf(v.id);
  return ou !== void 0 && ou === ov && !redeclaredBetween(v.loop, id, stack);
}
function reportAddress(pass, file, st, v, a, fname) {
  const name = v.id.name;
  const loopLine = lineOf(file, v.loop);
  const why = v.how === "declared" ? `${name} is declared by the loop on line ${loopLine} and, under ${file.goVersion} (before go1.22), one ${name} is shared by all iterations` : `the loop on line ${loopLine} assigns ${name}, a variable declared outside it, so one ${name} is shared by all iterations`;
  const taken = a.how === "receiver" ? `${name}.${a.what} has a pointer receiver, so the ${st.kind === "DeferStmt" ? "deferred call" : "goroutine"} gets &${name}` : `the ${st.kind === "DeferStmt" ? "deferred call" : "goroutine"} is given ${a.what}`;
  const copy = `copy it first (${name} := ${name}) so each call gets its own variable${v.how === "declared" ? ", or raise the go directive to 1.22" : ""}`;
  const message2 = st.kind === "DeferStmt" ? `${taken}, but ${why}: when ${fname} returns every deferred call works on its last value and the earlier ones are never handled; ${copy}` : `${taken}, but ${why}: the goroutine started on line ${lineOf(file, st)} sees the next iterations overwrite it (a data race); ${copy}`;
  const related = [
    { node: v.loop, message: `the loop (line ${loopLine})` },
    { node: a.id, message: `address of ${name} taken here` }
  ];
  pass.report({ node: st, file, message: message2, confidence: "high", related });
}
function report(pass, file, st, v, use, fname, viaArg) {
  const name = v.id.name;
  const loopLine = lineOf(file, v.loop);
  const why = v.how === "declared" ? `${name} is declared by the loop on line ${loopLine} and, under ${file.goVersion} (before go1.22), one ${name} is shared by all iterations` : `the loop on line ${loopLine} assigns ${name}, a variable declared outside it, so one ${name} is shared by all iterations`;
  const lit = viaArg ? "function literal passed to the deferred call" : "deferred function literal";
  const fix = v.how === "declared" ? `pass ${name} as an argument or copy it with ${name} := ${name} before the ${st.kind === "DeferStmt" ? "defer" : "go statement"} (or raise the go directive to 1.22)` : `pass ${name} as an argument or copy it with ${name} := ${name} before the ${st.kind === "DeferStmt" ? "defer" : "go statement"}`;
  const message2 = st.kind === "DeferStmt" ? `the ${lit} reads ${name}, but ${why}: the deferred calls run when ${fname} returns and all see its last value; ${fix}` : `the goroutine started on line ${lineOf(file, st)} reads ${name}, but ${why}: it may see a later iteration's value (a data race); ${fix}`;
  const related = [
    { node: v.loop, message: `the loop (line ${loopLine})` },
    { node: use.id, message: `${name} read here` }
  ];
  pass.report({ node: st, file, message: message2, confidence: use.sure ? "high" : "medium", related });
}
var analyzer6 = {
  meta: {
    id: ID6,
    severity: "high",
    summary: "A deferred or go function literal in a loop reads a loop variable shared by all iterations, so it sees a later value.",
    enabledByDefault: true,
    fixable: false,
    category: "evaluation",
    docUrl: docUrl(ID6)
  },
  needs: (o) => bodyNeeds(o, { kinds: ["DeferStmt", "GoStmt"] }),
  run: run6
};

// src/rules/defer-eager-evaluation.ts
var ID7 = "defer-eager-evaluation";
var CLOCK_CALLS = ["time.Since", "time.Now", "time.Until"];
function isNil(pass, e) {
  if (!e) return false;
  const x = unparen(e);
  if (x.kind !== "Ident" || x.name !== "nil") return false;
  const o = pass.types.objectOf(x);
  return !o || o.kind === "nil";
}
function namedResultIndex(fn) {
  const out = /* @__PURE__ */ new Map();
  let i = 0;
  const fields = fn.type.results?.list ?? [];
  let count2 = 0;
  for (const f of fields) count2 += f.names?.length ?? 1;
  for (const f of fields) {
    for (const n of f.names ?? []) out.set(n.name, { index: i++, count: count2 });
    if (!f.names) i++;
  }
  return out;
}
var writesCache = /* @__PURE__ */ new WeakMap();
function writesOf(pass, fn, v) {
  const key = pass.types.objectOf(v) ?? `name:${v.name}`;
  let byVar = writesCache.get(fn);
  if (!byVar) writesCache.set(fn, byVar = /* @__PURE__ */ new Map());
  let w = byVar.get(key);
  if (!w) byVar.set(key, w = computeWritesOf(pass, fn, v));
  return w;
}
function continuesValue(pass, call, v) {
  const isV = (e) => {
    let x = unparen(e);
    for (; ; ) {
      if (x.kind === "UnaryExpr" && x.op === "&") x = unparen(x.x);
      else if (x.kind === "StarExpr") x = unparen(x.x);
      else if (x.kind === "SliceExpr") x = unparen(x.x);
      else break;
    }
    return x.kind === "Ident" && sameVar(pass, x, v);
  };
  if ((call.args ?? []).some(isV)) return true;
  const readOff = (e) => {
    let x = unparen(e);
    let read = false;
    for (; ; ) {
      if (x.kind === "SelectorExpr") x = unparen(x.x);
      else if (x.kind === "CallExpr" && (x.args ?? []).length === 0 && unparen(x.fun).kind === "SelectorExpr") x = unparen(unparen(x.fun).x);
      else break;
      read = true;
    }
    return read && x.kind === "Ident" && sameVar(pass, x, v);
  };
  if ((call.args ?? []).some(readOff)) return true;
  const f = unparen(call.fun);
  if (f.kind === "SelectorExpr") {
    const x = unparen(f.x);
    if (isV(x)) return true;
    if (x.kind === "CallExpr") return continuesValue(pass, x, v);
    if (x.kind === "SelectorExpr") {
      let r = x;
      while (r.kind === "SelectorExpr") r = unparen(r.x);
      return isV(r);
    }
  }
  return (call.args ?? []).some((a) => unparen(a).kind === "CallExpr" && continuesValue(pass, unparen(a), v));
}
function computeWritesOf(pass, fn, v) {
  const out = [];
  if (!fn.body) return out;
  const decl = pass.types.objectOf(v)?.decl;
  const same2 = (e) => {
    if (!e) return false;
    const x = unparen(e);
    return x.kind === "Ident" && sameVar(pass, x, v);
  };
  const results = namedResultIndex(fn);
  const asResult = results.get(v.name);
  const resultObj = asResult !== void 0;
  walkSameFunc(fn.body, (x) => {
    switch (x.kind) {
      case "AssignStmt": {
        x.lhs.forEach((l, i) => {
          if (!same2(l)) return;
          const id = unparen(l);
          if (x.tok === ":=" && (decl ? id === decl : true)) return;
          const v1 = x.lhs.length === x.rhs.length ? x.rhs[i] : x.rhs.length === 1 ? x.rhs[0] : void 0;
          const call = !!v1 && unparen(v1).kind === "CallExpr";
          const fresh = call && !continuesValue(pass, unparen(v1), v);
          const derived = !!v1 && !fresh && mentions(pass, v1, v);
          out.push({ node: x, nil: x.lhs.length === x.rhs.length && isNil(pass, v1), fresh, derived });
        });
        break;
      }
      case "IncDecStmt":
        if (same2(x.x)) out.push({ node: x, nil: false, fresh: false });
        break;
      case "RangeStmt":
        if (x.tok === "=") {
          for (const k of [x.key, x.value]) if (same2(k)) out.push({ node: k, nil: false, fresh: false });
        }
        break;
      case "ReturnStmt": {
        if (!resultObj || !x.results || x.results.length === 0) break;
        const o = pass.types.objectOf(v);
        if (o && o.varKind !== "result" && !(decl && isTopLevelRedecl(fn, decl))) break;
        if (x.results.length === asResult.count) {
          const r = x.results[asResult.index];
          if (same2(r)) break;
          out.push({ node: x, nil: isNil(pass, r), fresh: unparen(r).kind === "CallExpr" });
        } else out.push({ node: x, nil: false, fresh: true });
        break;
      }
    }
    return true;
  });
  for (const lit of callbacksOf(fn)) {
    walkSameFunc(lit.body, (x) => {
      if (x.kind === "AssignStmt") {
        x.lhs.forEach((l, i) => {
          if (!same2(l) || x.tok === ":=") return;
          const v1 = x.lhs.length === x.rhs.length ? x.rhs[i] : x.rhs.length === 1 ? x.rhs[0] : void 0;
          const fresh = !!v1 && unparen(v1).kind === "CallExpr" && !mentions(pass, v1, v);
          out.push({ node: x, nil: x.lhs.length === x.rhs.length && isNil(pass, v1), fresh, derived: !!v1 && !fresh && mentions(pass, v1, v), via: lit });
        });
      } else if (x.kind === "IncDecStmt" && same2(x.x)) out.push({ node: x, nil: false, fresh: false, via: lit });
      return true;
    });
  }
  return out;
}
var callbacksCache = /* @__PURE__ */ new WeakMap();
function callbacksOf(fn) {
  let out = callbacksCache.get(fn);
  if (out) return out;
  out = [];
  const list = out;
  if (fn.body) {
    walkSameFunc(fn.body, (x) => {
      if (x.kind === "GoStmt" || x.kind === "DeferStmt") return false;
      if (x.kind === "CallExpr") {
        for (const a of x.args ?? []) if (unparen(a).kind === "FuncLit") list.push(unparen(a));
      }
      return true;
    });
  }
  callbacksCache.set(fn, out);
  return out;
}
function isTopLevelRedecl(fn, decl) {
  return (fn.body?.list ?? []).some((s) => s.kind === "AssignStmt" && s.tok === ":=" && s.lhs.includes(decl));
}
function deferMentions(pass, d, v) {
  let found = false;
  walkSameFunc(d, (x) => {
    if (found) return false;
    if (x.kind === "Ident" && sameVar(pass, x, v)) found = true;
    return !found;
  });
  return found;
}
function handlingEntries(pass, cfg, fn, d, v) {
  const out = [];
  for (const x of cfg.defers) if (x !== d && deferMentions(pass, x, v)) out.push(x);
  const mentionsV = (c) => mentions(pass, c, v);
  const walk = (n, top) => {
    if (n.kind === "CallExpr" && n !== d.call && sameExpr(n.fun, d.call.fun) && mentionsV(n)) {
      const e = cfg.locate(top ?? n)?.node;
      if (e) out.push(e);
    }
    const nextTop = top ?? (n.kind === "FuncLit" ? n : null);
    forEachChild(n, (c) => walk(c, nextTop));
  };
  if (fn.body) walk(fn.body, null);
  return out;
}
function childOfCancelled(pass, fn, cancel, write) {
  if (write.kind !== "AssignStmt" || write.lhs.length !== 2 || write.rhs.length !== 1) return false;
  const call = unparen(write.rhs[0]);
  if (call.kind !== "CallExpr" || !call.args?.length) return false;
  const c = callName(pass, pass.fileOf(write), call);
  if (!c || !/^context\.With(Cancel|CancelCause|Timeout|TimeoutCause|Deadline|DeadlineCause)$/.test(c.name)) return false;
  const parent = unparen(call.args[0]);
  const newCtx = unparen(write.lhs[0]);
  if (parent.kind !== "Ident" || newCtx.kind !== "Ident" || !sameVar(pass, parent, newCtx)) return false;
  const decl = pass.types.objectOf(cancel)?.decl;
  if (!decl || !fn.body) return false;
  let together = false;
  walkSameFunc(fn.body, (x) => {
    if (together) return false;
    if (x.kind === "AssignStmt" && x.lhs.length === 2 && x.lhs[1] === decl) {
      const first = unparen(x.lhs[0]);
      together = first.kind === "Ident" && sameVar(pass, first, parent);
    }
    return !together;
  });
  return together;
}
function writeAfter(q) {
  const { pass, cfg, fn, d, v } = q;
  const candidates = writesOf(pass, fn, v).filter((w) => !(w.nil && !q.keepNil) && !(q.freshOnly && !w.fresh) && !(q.skipDerived && w.derived));
  if (candidates.length === 0) return void 0;
  const decl = pass.types.objectOf(v)?.decl;
  const declEntry = decl && cfg ? cfg.locate(decl)?.node : void 0;
  const blocked = (n) => n === d || n === declEntry;
  const handled = cfg ? handlingEntries(pass, cfg, fn, d, v) : [];
  const redefers = new Set(cfg ? cfg.defers.filter((x) => x !== d && deferMentions(pass, x, v)) : []);
  const toWrite = (n) => blocked(n) || redefers.has(n);
  for (const w of candidates) {
    if (!cfg) {
      if (pos(w.node) > pos(d)) return w;
      continue;
    }
    const ref = cfg.locate(w.via ?? w.node);
    if (!ref) continue;
    try {
      if (!cfg.pathExists(d, ref.node, toWrite)) continue;
      if (ref.node.kind !== "ReturnStmt" && !cfg.pathExists(ref.node, "exit", blocked) && !cfg.pathExists(ref.node, "panic", blocked)) continue;
      if (pos(w.node) < pos(d) && cfg.canReach(ref.node, d)) continue;
      if (handled.some((o) => o === ref.node || (!w.fresh || pos(o) > pos(ref.node)) && cfg.canReach(ref.node, o))) continue;
      return w;
    } catch {
      continue;
    }
  }
  return void 0;
}
function closureOf(text) {
  return text.includes("(...)") || text === "the call" || text.includes("{...}") ? "defer func() { ... }() around the call" : `defer func() { ${text} }()`;
}
function underlying(t) {
  return t?.kind === "named" ? t.underlying() : t;
}
function closureFix(file, d) {
  const text = textOf(file, d.call);
  if (/\brecover\s*\(/.test(text) || text.includes("\n")) return [];
  return [{ message: `Evaluate at exit: defer func() { ${text} }()`, edits: [{ node: d.call, newText: `func() { ${text} }()` }] }];
}
function clockCall(pass, file, call) {
  const c = pass.types.callee(call);
  let found;
  const f = unparen(call.fun);
  const shift = c?.kind === "method" && f.kind === "SelectorExpr" && pass.types.isType(f.x) ? 1 : 0;
  (call.args ?? []).forEach((arg, j) => {
    if (found) return;
    const i = j - shift;
    const direct = unparen(arg);
    const visit = (x) => {
      if (found || x.kind === "FuncLit") return false;
      if (x.kind === "CompositeLit") {
        for (const e of x.elts ?? []) {
          const v = unparen(e.kind === "KeyValueExpr" ? e.value : e);
          if (v.kind === "CallExpr" && callName(pass, file, v)?.name === "time.Now" && slotIsConcrete(pass, x, e)) continue;
          if (visit(e)) walkSameFunc(e, visit);
        }
        return false;
      }
      if (x.kind !== "CallExpr") return true;
      const n = callName(pass, file, x);
      if (!n || !CLOCK_CALLS.includes(n.name)) return true;
      if (n.name === "time.Now" && x === direct) {
        const p = paramType(c?.sig, i);
        if (!p || !isInterface(p) && !endTimeSlot(c.short, c.sig, i) && !storesTime(pass, c, i)) return false;
      }
      found = { call: x, name: n.name, typed: n.typed };
      return false;
    };
    if (visit(direct)) walkSameFunc(direct, visit);
  });
  return found;
}
function slotIsConcrete(pass, lit, e) {
  const u = underlying(pass.types.typeOf(lit));
  let slot;
  if (u?.kind === "struct") {
    if (e.kind === "KeyValueExpr") {
      const k = unparen(e.key);
      slot = k.kind === "Ident" ? u.fields.find((f) => f.name === k.name)?.type : void 0;
    } else {
      slot = u.fields[(lit.elts ?? []).indexOf(e)]?.type;
    }
  } else if (u?.kind === "slice" || u?.kind === "array") slot = u.elem;
  else if (u?.kind === "map") slot = u.elem;
  return !!slot && !isInterface(slot);
}
function endTimeSlot(callee, sig, i) {
  const name = sig.params[Math.min(i, sig.params.length - 1)]?.name ?? "";
  if (/^(start|begin|since|from|t0|began)/i.test(name) || /Start(ed)?(At|Time)?$/.test(name)) return false;
  if (/^(end|finish|stop|done|completed?|closed?)(ed)?(At|Time|Ts)?$/i.test(name) || /^(to|until|till|t1)$/.test(name)) return true;
  if (/^(Finish|End|Stop|Complete|Close|Done)(At|Time|With)?$/.test(callee) || /^(finish(ed)?|end(ed)?|stop(ped)?|complete(d)?|done)(At|Time)?$/.test(callee) || /(Finish(ed)?|End(ed)?|Stop(ped)?|Complete(d)?|Done)(At|Time)?$/.test(callee)) return true;
  return /^(Mark|Record|Note|Set)[A-Z]\w*[a-z]ed(At|Time)?$/.test(callee) && !/Start(ed)?(At|Time)?$/.test(callee);
}
function storesTime(pass, c, i) {
  const decl = c.pkg === pass.pkg.importPath ? c.decl : c.pkg && (c.kind === "func" || c.kind === "method") ? pass.moduleFunc(c.pkg, c.short, c.recv?.name) : void 0;
  if (!decl?.body) return false;
  const names = (decl.type.params?.list ?? []).flatMap((f) => f.names?.length ? f.names.map((n) => n.name) : ["_"]);
  const name = names[i];
  if (!name || name === "_") return false;
  const START = /^(start|begin|began|since|from|t0|created?)|Start(ed)?|Begin|Began|Created/;
  if (START.test(c.short) || START.test(name)) return false;
  let stores = 0;
  let other = false;
  const isParam = (e) => {
    let x = unparen(e);
    while (x.kind === "CallExpr" && unparen(x.fun).kind === "SelectorExpr" && !x.args?.length) x = unparen(unparen(x.fun).x);
    return x.kind === "Ident" && x.name === name;
  };
  const visit = (n) => {
    if (other) return;
    if (n.kind === "AssignStmt" && n.rhs.length === n.lhs.length) {
      n.rhs.forEach((r, k) => {
        const l = unparen(n.lhs[k]);
        if (isParam(r) && (l.kind === "SelectorExpr" || l.kind === "IndexExpr")) {
          if (l.kind === "SelectorExpr" && START.test(l.sel.name)) other = true;
          stores++;
        } else visit(r);
      });
      return;
    }
    if (n.kind === "CallExpr" && (n.args?.length === 1 || n.args?.length === 2) && isParam(n.args[n.args.length - 1]) && !(n.args.length === 2 && isParam(n.args[0]))) {
      const f = unparen(n.fun);
      if (f.kind === "SelectorExpr" && /^(Store|Set|Swap)$/.test(f.sel.name)) {
        if (n.args.length === 2) visit(n.args[0]);
        stores++;
        return;
      }
    }
    if (n.kind === "Ident" && n.name === name) {
      other = true;
      return;
    }
    forEachChild(n, visit);
  };
  visit(decl.body);
  return stores > 0 && !other;
}
function paramType(sig, i) {
  if (!sig || sig.params.length === 0) return void 0;
  if (i < sig.params.length - 1 || !sig.variadic) return sig.params[i]?.type;
  const last = sig.params[sig.params.length - 1].type;
  return last.kind === "slice" ? last.elem : last;
}
function isInterface(t) {
  return underlying(t)?.kind === "interface";
}
function run7(pass) {
  for (const file of pass.files) {
    file.inspector.withStack(["DeferStmt"], (d, stack) => {
      const fn = enclosingFunc(stack);
      if (!fn?.body) return;
      const fname = funcName(file, fn);
      const raw = textOf(file, d.call);
      const text = raw.includes("\n") ? callText(file, d.call) : raw;
      const deferLine = lineOf(file, d);
      const fun = unparen(d.call.fun);
      const clock = clockCall(pass, file, d.call);
      if (clock) {
        const what = textOf(file, clock.call);
        pass.report({
          node: clock.call,
          file,
          message: fun.kind === "FuncLit" ? `${what}, an argument of the deferred function literal on line ${deferLine}, is evaluated at the defer statement, not when ${fname} returns, so it measures ${clock.name === "time.Now" ? "the start, not the end" : "almost nothing"}; compute it inside the literal, which runs at exit` : `${what} in defer ${text} is evaluated at the defer statement on line ${deferLine}, not when ${fname} returns, so it measures ${clock.name === "time.Now" ? "the start, not the end" : "almost nothing"}; defer a closure so it runs at exit: ${closureOf(text)}`,
          confidence: clock.typed ? "high" : "medium",
          fixes: fun.kind === "FuncLit" ? [] : closureFix(file, d)
        });
        return;
      }
      if (fun.kind === "FuncLit") {
        checkArgs(pass, file, fn, fname, d, text, deferLine);
        return;
      }
      const cfg = pass.cfg(fn);
      if (fun.kind === "Ident") {
        const o = pass.types.objectOf(fun);
        if (o && o.kind !== "var") return checkArgs(pass, file, fn, fname, d, text, deferLine, cfg);
        const w = writeAfter({ pass, cfg, fn, d, v: fun, keepNil: true, freshOnly: false });
        const list = w?.nil ? listHolding(fn.body, d) : [];
        const next = list[list.indexOf(d) + 1];
        const dropsRef = !!w?.nil && !!next && pos(next) <= pos(w.node) && pos(w.node) < end(next) && next.kind === "AssignStmt";
        if (w && !dropsRef && !childOfCancelled(pass, fn, fun, w.node)) {
          const wl = lineOf(file, w.node);
          pass.report({
            node: d,
            file,
            message: `defer ${text} calls the function ${fun.name} holds at the defer statement on line ${deferLine}; ${fun.name} is ${w.nil ? "set to nil" : "reassigned"} on line ${wl}, which does not change the deferred call${w.nil ? "" : ", so the new function is never called"}; to call the value ${fun.name} has at exit, ${closureOf(text)}`,
            confidence: o ? "high" : "medium",
            related: [{ node: w.node, message: `${fun.name} reassigned here` }],
            fixes: closureFix(file, d)
          });
          return;
        }
        return checkArgs(pass, file, fn, fname, d, text, deferLine, cfg);
      }
      if (fun.kind === "SelectorExpr" && pass.types.callee(d.call)?.kind === "funcvalue") {
        const w = fieldWrittenAfter(pass, cfg, fn, d, fun);
        if (w) {
          const ft = textOf(file, fun);
          pass.report({
            node: d,
            file,
            message: `defer ${text} calls the function ${ft} holds at the defer statement on line ${deferLine}; ${ft} is assigned again on line ${lineOf(file, w)}, which does not change the deferred call, so the new function is never called; to call the value ${ft} has at exit, ${closureOf(text)}`,
            related: [{ node: w, message: `${ft} assigned again here` }],
            fixes: closureFix(file, d)
          });
          return;
        }
      }
      if (fun.kind === "SelectorExpr") {
        const x = unparen(fun.x);
        const root = x.kind === "SelectorExpr" ? fieldPathRoot(pass, x) : void 0;
        if (root) {
          const w = writeAfter({ pass, cfg, fn, d, v: root, keepNil: false, freshOnly: true });
          if (w && !returnedAfter(pass, fn, root, w.node)) {
            const wl = lineOf(file, w.node);
            const recv = textOf(file, x);
            pass.report({
              node: d,
              file,
              message: `defer ${text} reads ${recv} at the defer statement on line ${deferLine}; ${root.name} is reassigned on line ${wl}, so the deferred ${fun.sel.name} still acts on the old ${recv}, and the ${recv} of the ${root.name} assigned on line ${wl} ${fun.sel.name === "Close" ? "is never closed" : `gets no ${fun.sel.name}`}; defer a separate ${fun.sel.name} for the new value (or use a new variable)`,
              confidence: "high",
              related: [{ node: w.node, message: `${root.name} reassigned here` }]
            });
            return;
          }
        }
        if (x.kind === "Ident" && isReceiverVar(pass, file, x, d.call)) {
          const w = writeAfter({ pass, cfg, fn, d, v: x, keepNil: false, freshOnly: true });
          if (w && !returnedAfter(pass, fn, x, w.node)) {
            const wl = lineOf(file, w.node);
            pass.report({
              node: d,
              file,
              message: `defer ${text} uses the value ${x.name} has at the defer statement on line ${deferLine}; ${x.name} is reassigned on line ${wl}, so the deferred ${fun.sel.name} still acts on the old ${x.name} and the value assigned on line ${wl} ${fun.sel.name === "Close" ? "is never closed" : `gets no ${fun.sel.name}`}; defer a separate ${fun.sel.name} for the new value (or use a new variable)`,
              confidence: pass.types.objectOf(x) ? "high" : "medium",
              related: [{ node: w.node, message: `${x.name} reassigned here` }]
            });
            return;
          }
        }
      }
      checkArgs(pass, file, fn, fname, d, text, deferLine, cfg);
    });
  }
}
function returnedAfter(pass, fn, v, after) {
  const o = pass.types.objectOf(v);
  if (!o || !fn.body) return false;
  if (o.kind === "var" && o.varKind === "result") return true;
  const at = end(after);
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "ReturnStmt" && pos(x) >= at) {
      found = (x.results ?? []).some((r) => {
        const u = unparen(r);
        return u.kind === "Ident" && pass.types.objectOf(u) === o;
      });
    }
    return !found;
  });
  return found;
}
function fieldPathRoot(pass, e) {
  let x = e;
  while (x.kind === "SelectorExpr") {
    let t = pass.types.typeOf(x.x);
    if (t?.kind === "pointer") t = t.elem;
    const u = underlying(t);
    const name = x.sel.name;
    if (u?.kind !== "struct" || !u.fields.some((f) => f.name === name)) return void 0;
    x = unparen(x.x);
  }
  if (x.kind !== "Ident") return void 0;
  const o = pass.types.objectOf(x);
  if (!o || o.kind !== "var" || o.varKind !== "local" && o.varKind !== "param") return void 0;
  return underlying(o.type)?.kind === "pointer" ? x : void 0;
}
function isReceiverVar(pass, file, x, call) {
  const o = pass.types.objectOf(x);
  if (o) {
    if (o.kind !== "var") return false;
    const u = underlying(o.type);
    if (!u) return false;
    if (u.kind === "pointer" || u.kind === "interface" || u.kind === "signature" || u.kind === "map" || u.kind === "chan") return true;
    const c = pass.types.callee(call);
    return c?.kind === "method" && c.recv?.pointer === false;
  }
  return callName(pass, file, call)?.recv !== void 0;
}
var RELEASING_CALL = /^(?:close|Close|remove|Remove|release|Release|cleanup|Cleanup|free|Free|stop|Stop|cancel|Cancel|shutdown|Shutdown|unlock|Unlock|delete|Delete|drop|Drop|destroy|Destroy|teardown|Teardown|put|Put)/;
function releasingCall(pass, file, call) {
  if (unparen(call.fun).kind === "FuncLit") return false;
  const n = callName(pass, file, call);
  if (!n || n.recv !== void 0) return false;
  const c = pass.types.callee(call);
  if (c && (c.kind === "method" || c.kind === "interface")) return false;
  return RELEASING_CALL.test(n.short);
}
function isLocal(fn, x) {
  for (const f of [...fn.type.params.list ?? [], ...fn.type.results?.list ?? []]) if (f.names?.some((n) => n.name === x.name)) return true;
  let found = false;
  walkSameFunc(fn.body, (n) => {
    if (found) return false;
    if (n.kind === "AssignStmt" && n.tok === ":=" && n.lhs.some((l) => l.kind === "Ident" && l.name === x.name)) found = true;
    if (n.kind === "ValueSpec" && n.names.some((i) => i.name === x.name)) found = true;
    return !found;
  });
  return found;
}
function isContext(pass, x) {
  const t = pass.types.typeOf(x);
  return t?.kind === "named" && t.pkg === "context" && t.name === "Context";
}
function saysSnapshot(call) {
  return (call.args ?? []).some((a) => {
    const x = unparen(a);
    return x.kind === "BasicLit" && x.tokKind === "STRING" && /\b(start(ed|ing)?|initial(ly)?|before|original(ly)?|old|prev(ious)?|was|were|began|begin(ning)?|entry|entering)\b/i.test(x.value);
  });
}
function describesOwnCall(fn, call) {
  if (fn.kind !== "FuncDecl") return false;
  const name = fn.name.name;
  return (call.args ?? []).some((a) => {
    const x = unparen(a);
    return x.kind === "BasicLit" && x.tokKind === "STRING" && x.value.includes(`${name}(`) && new RegExp(`(^|[^A-Za-z0-9_])${name}\\(`).test(x.value);
  });
}
function deferredWithSameCall(pass, file, fn, d, w, v) {
  const i = w.lhs.findIndex((l) => unparen(l).kind === "Ident" && sameVar(pass, unparen(l), v));
  const src = i >= 0 && w.rhs.length === w.lhs.length ? unparen(w.rhs[i]) : void 0;
  if (src?.kind !== "Ident") return false;
  const name = callName(pass, file, d.call)?.name;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "DeferStmt" && x !== d && callName(pass, file, x.call)?.name === name) {
      found = (x.call.args ?? []).some((a) => unparen(a).kind === "Ident" && sameVar(pass, unparen(a), src));
    }
    return !found;
  });
  return found;
}
function pairsWithCallBefore(pass, file, fn, d, x) {
  const list = listHolding(fn.body, d);
  const i = list.indexOf(d);
  const fun = unparen(d.call.fun);
  const owner = fun.kind === "SelectorExpr" ? textOf(file, fun.x) : fun.kind === "Ident" ? "" : void 0;
  if (owner === void 0) return false;
  for (let k = i - 1; k >= 0 && k >= i - 2; k--) {
    const s = list[k];
    const e = s.kind === "ExprStmt" ? s.x : s.kind === "AssignStmt" && s.rhs.length === 1 ? s.rhs[0] : s.kind === "IfStmt" && s.init?.kind === "AssignStmt" && s.init.rhs.length === 1 ? s.init.rhs[0] : void 0;
    const c = e && unparen(e);
    if (c?.kind !== "CallExpr") continue;
    const f = unparen(c.fun);
    const o = f.kind === "SelectorExpr" ? textOf(file, f.x) : f.kind === "Ident" ? "" : void 0;
    if (o !== owner || f.kind === "Ident" && f.name === fun.name) continue;
    if ((c.args ?? []).some((a) => unparen(a).kind === "Ident" && sameVar(pass, unparen(a), x))) return true;
  }
  return false;
}
function fieldWrittenAfter(pass, cfg, fn, d, arg) {
  if (!cfg || !fn.body) return void 0;
  let root = arg;
  while (root.kind === "SelectorExpr") root = unparen(root.x);
  if (root.kind !== "Ident") return void 0;
  const o = pass.types.objectOf(root);
  if (!o || o.kind !== "var" || o.varKind !== "local" && o.varKind !== "param" && o.varKind !== "recv") return void 0;
  let t = pass.types.typeOf(arg.x);
  if (t?.kind === "pointer") t = t.elem;
  const u = underlying(t);
  if (u?.kind !== "struct" || !u.fields.some((f) => f.name === arg.sel.name)) return void 0;
  const writes = [];
  walkSameFunc(fn.body, (x) => {
    if (x.kind === "AssignStmt" && x.lhs.some((l, i) => sameExpr(l, arg) && !(x.lhs.length === x.rhs.length && isNil(pass, x.rhs[i])))) writes.push(x);
    else if (x.kind === "IncDecStmt" && sameExpr(x.x, arg)) writes.push(x);
    else if (x.kind === "AssignStmt" && x.lhs.some((l) => unparen(l).kind === "Ident" && sameVar(pass, unparen(l), root))) writes.length = 0;
    return true;
  });
  for (const w of writes) {
    const ref = cfg.locate(w);
    if (!ref) continue;
    try {
      if (!cfg.pathExists(d, ref.node, (n) => n === d)) continue;
      if (pos(w) < pos(d) && cfg.canReach(ref.node, d)) continue;
      if (!cfg.pathExists(ref.node, "exit", (n) => n === d)) continue;
      return w;
    } catch {
      continue;
    }
  }
  return void 0;
}
function checkArgs(pass, file, fn, fname, d, text, deferLine, cfgIn) {
  const args = d.call.args ?? [];
  if (args.length === 0) return;
  const cfg = cfgIn ?? pass.cfg(fn);
  const releasing = releasingCall(pass, file, d.call);
  const seen = /* @__PURE__ */ new Set();
  for (const a of args) {
    const x = unparen(a);
    if (x.kind === "SelectorExpr" && !releasing && unparen(d.call.fun).kind !== "FuncLit" && !saysSnapshot(d.call) && !describesOwnCall(fn, d.call) && !isContext(pass, x) && isErrorTyped(pass, x) !== true) {
      const key = textOf(file, x);
      if (seen.has(key)) continue;
      seen.add(key);
      const w2 = fieldWrittenAfter(pass, cfg, fn, d, x);
      if (!w2) continue;
      const wl2 = lineOf(file, w2);
      pass.report({
        node: d,
        file,
        message: `defer ${text} receives ${key} as it is at the defer statement on line ${deferLine}; ${fname} changes ${key} on line ${wl2}, so the deferred call reports the old value; if the value at exit is meant, defer a closure: ${closureOf(text)}`,
        confidence: "medium",
        related: [{ node: w2, message: `${key} changed here` }]
      });
      continue;
    }
    if (x.kind !== "Ident" || x.name === "_" || seen.has(x.name)) continue;
    seen.add(x.name);
    const o = pass.types.objectOf(x);
    if (o && o.kind !== "var") continue;
    if (!o && (x.name === "nil" || x.name === "true" || x.name === "false" || x.name === "iota")) continue;
    const typed = isErrorTyped(pass, x);
    const isErr = typed === true || typed === void 0 && /^err$|Err$|^err[A-Z]/.test(x.name);
    if (!isErr && (o && o.varKind === "package" || !o && !isLocal(fn, x))) continue;
    if (!isErr && !releasing && (unparen(d.call.fun).kind === "FuncLit" || saysSnapshot(d.call) || isContext(pass, x))) continue;
    if (!isErr && !releasing && o?.varKind === "param" && describesOwnCall(fn, d.call)) continue;
    if (!isErr && pairsWithCallBefore(pass, file, fn, d, x)) continue;
    const w = writeAfter({ pass, cfg, fn, d, v: x, keepNil: false, freshOnly: !isErr && releasing, skipDerived: !isErr && !releasing });
    if (!w) continue;
    if (!isErr && w.node.kind === "AssignStmt" && deferredWithSameCall(pass, file, fn, d, w.node, x)) continue;
    const wl = lineOf(file, w.node);
    const how = w.node.kind === "ReturnStmt" ? `set again by the return statement on line ${wl}` : `assigned again on line ${wl}`;
    if (isErr) {
      pass.report({
        node: d,
        file,
        message: `defer ${text} receives ${x.name} as it is at the defer statement on line ${deferLine} (usually nil); ${x.name} is ${how}, so the deferred call never sees the error ${fname} ends with; defer a closure that reads it at exit: ${closureOf(text)}`,
        confidence: typed === true && o ? "high" : "medium",
        related: [{ node: w.node, message: `${x.name} ${w.node.kind === "ReturnStmt" ? "set" : "assigned"} here` }],
        fixes: closureFix(file, d)
      });
    } else {
      pass.report({
        node: d,
        file,
        message: `defer ${text} receives ${x.name} as it is at the defer statement on line ${deferLine}; ${x.name} is ${how}, so the deferred call uses the old value; if the value at exit is meant, defer a closure: ${closureOf(text)}`,
        confidence: "medium",
        related: [{ node: w.node, message: `${x.name} ${w.node.kind === "ReturnStmt" ? "set" : "assigned"} here` }]
      });
    }
  }
}
var analyzer7 = {
  meta: {
    id: ID7,
    severity: "high",
    summary: "A deferred call's arguments or receiver are evaluated at the defer statement, but the code wants their values at exit.",
    enabledByDefault: true,
    fixable: true,
    category: "evaluation",
    docUrl: docUrl(ID7)
  },
  needs: deferNeeds,
  run: run7
};

// src/rules/defer-call-chain.ts
var ID8 = "defer-call-chain";
var CHAIN_BEGIN_PREFIXES = [
  "Start",
  "Begin",
  "New",
  "Track",
  "Trace",
  "Time",
  "Measure",
  "Enter",
  "Acquire",
  "Lock",
  "RLock",
  "Open",
  "Push",
  "Span",
  "Region",
  "Task",
  "Timer",
  "Scope",
  "Watch",
  "Mark",
  "Subscribe",
  "Register",
  "Pause",
  "Disable",
  "Suspend",
  "Hold",
  "Pin"
];
var CHAIN_END_METHODS = /* @__PURE__ */ new Set([
  "End",
  "Stop",
  "Finish",
  "Done",
  "ObserveDuration",
  "Release",
  "Unlock",
  "RUnlock",
  "Exit",
  "Leave",
  "Pop",
  "Close",
  "Record",
  "Observe",
  "Complete",
  "Unsubscribe",
  "Unregister",
  "Resume",
  "Enable",
  "Unpin"
]);
function calleeShort(pass, call) {
  const c = pass.types.callee(call);
  if (c) return c.short;
  const f = unparen(call.fun);
  if (f.kind === "Ident") return f.name;
  if (f.kind === "SelectorExpr") return f.sel.name;
  return void 0;
}
function receiverCall(pass, recv) {
  let x = unparen(recv);
  for (; ; ) {
    if (x.kind === "SelectorExpr") {
      x = unparen(x.x);
      if (x.kind === "CallExpr") break;
      return void 0;
    }
    if (x.kind === "IndexExpr" || x.kind === "StarExpr") {
      x = unparen(x.x);
      continue;
    }
    break;
  }
  if (x.kind !== "CallExpr") return void 0;
  const c = pass.types.callee(x);
  if (c?.kind === "conversion" || pass.types.isType(x.fun)) return void 0;
  if (!c) {
    const f = unparen(x.fun);
    if (f.kind === "StarExpr" || f.kind === "ArrayType" || f.kind === "MapType" || f.kind === "ChanType" || f.kind === "FuncType" || f.kind === "InterfaceType") return void 0;
  }
  return x;
}
var ACTION_VERBS = [
  "Shutdown",
  "Stop",
  "Close",
  "Flush",
  "Start",
  "Begin",
  "Run",
  "Exec",
  "Execute",
  "Send",
  "Write",
  "Commit",
  "Rollback",
  "Release",
  "Reset",
  "Cancel",
  "Wait",
  "Drain",
  "Finish",
  "End",
  "Kill",
  "Terminate",
  "Disconnect",
  "Delete",
  "Remove",
  "Save",
  "Sync",
  "Apply",
  "Do",
  "Process",
  "Lock",
  "Unlock",
  "Acquire",
  "Open",
  "Connect",
  "Dial",
  "Listen",
  "Serve",
  "Publish",
  "Notify",
  "Signal",
  "Clear",
  "Purge",
  "Evict",
  "Update",
  "Set",
  "Put",
  "Push",
  "Pop",
  "Enqueue",
  "Dequeue",
  "Submit",
  "Trigger",
  "Fire",
  "Emit",
  "Log",
  "Print",
  "Record",
  "Observe",
  "Stat",
  "Load",
  "Store",
  "Swap",
  "Restore",
  "Revert",
  "Undo",
  "Disable",
  "Enable",
  "Pause",
  "Resume",
  "Detach",
  "Attach",
  "Unregister",
  "Register",
  "Unsubscribe",
  "Subscribe",
  "Abort",
  "Exit",
  "Quit",
  "Halt",
  "Dispose",
  "Destroy",
  "Free",
  "Invalidate",
  "Expire",
  "Mark",
  "Track"
];
function startsWithVerb(name, verbs) {
  const n = name.charAt(0).toUpperCase() + name.slice(1);
  return verbs.some((v) => n === v || n.startsWith(v) && /^[A-Z0-9_]/.test(n.charAt(v.length)));
}
function isAction(name) {
  return startsWithVerb(name, ACTION_VERBS);
}
var STATE_CAPTURE_VERBS = [
  "Snapshot",
  "Summary",
  "Summarize",
  "Checkpoint",
  "Capture",
  "Stats",
  "Total",
  "Totals",
  "Usage",
  "Build",
  "Seal",
  "Pending",
  "Collect",
  "Freeze",
  "Progress",
  "Counters",
  "Clone",
  "Copy"
];
function isStateCapture(name) {
  return startsWithVerb(name, STATE_CAPTURE_VERBS) || /[a-z](Snapshot|Summary|Checkpoint|Stats|Totals|Counters|Progress|Usage)$/.test(name);
}
var RESTORE_METHODS = /* @__PURE__ */ new Set(["Restore", "Load", "Reset", "Rollback", "Revert", "Undo", "Discard", "Free", "Close", "Release", "Put"]);
function exported(name) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
function isIdiom(innerName, outerName) {
  if (!innerName || !outerName) return false;
  if (exported(outerName) === `Un${exported(innerName).charAt(0).toLowerCase()}${exported(innerName).slice(1)}`) return true;
  if ((isStateCapture(innerName) || startsWithVerb(innerName, ["Save"])) && RESTORE_METHODS.has(exported(outerName))) return true;
  if (!CHAIN_END_METHODS.has(exported(outerName))) return false;
  const inner = exported(innerName);
  return CHAIN_BEGIN_PREFIXES.some((p) => inner.startsWith(p));
}
function run8(pass) {
  for (const file of pass.files) {
    file.inspector.withStack(["DeferStmt"], (d, stack) => {
      const fun = unparen(d.call.fun);
      if (fun.kind !== "SelectorExpr") return;
      if (fun.x.kind === "Ident") return;
      const inner = receiverCall(pass, fun.x);
      if (!inner) return;
      const innerName = calleeShort(pass, inner);
      const outerName = fun.sel.name;
      if (!innerName) return;
      const kept = keptEarlier(file, d, inner, stack);
      const handed = kept && (d.call.args ?? []).some((a) => {
        let hit = false;
        walkNode(a, (x) => {
          if (x.kind === "Ident" && x.name === kept.id.name) hit = true;
          return !hit;
        });
        return hit;
      });
      if (kept && !handed && makesNew(pass, inner, innerName)) {
        reportSecondCall(pass, file, d, inner, kept, stack);
        return;
      }
      if (isIdiom(innerName, outerName)) return;
      if (isAction(innerName) || isStateCapture(innerName)) {
        report2(pass, file, d, inner, stack);
        return;
      }
      const label = saysExitState(d.call);
      if (label && returnsStructValue(pass, inner)) {
        report2(pass, file, d, inner, stack, void 0, void 0, void 0, label);
        return;
      }
      const begins = CHAIN_BEGIN_PREFIXES.some((p) => exported(innerName).startsWith(p));
      const elapsed = elapsedIn(pass, inner);
      if (elapsed) {
        report2(pass, file, d, inner, stack, void 0, void 0, elapsed);
        return;
      }
      const stale = begins ? void 0 : staleAccessor(pass, d, inner, stack);
      if (stale) {
        report2(pass, file, d, inner, stack, stale);
        return;
      }
      const accessors = [];
      for (const a of [...d.call.args ?? [], ...inner.args ?? []]) {
        walkNode(a, (x) => {
          if (x.kind === "FuncLit") return false;
          if (x.kind === "CallExpr" && unparen(x.fun).kind === "SelectorExpr") accessors.push(x);
          return true;
        });
      }
      for (const arg of accessors) {
        const argStale = staleAccessor(pass, d, arg, stack);
        if (argStale) {
          report2(pass, file, d, arg, stack, argStale, inner);
          return;
        }
      }
    });
  }
}
function makesNew(pass, inner, name) {
  const decl = pass.types.callee(inner)?.decl;
  if (decl?.body) {
    const self = decl.recv?.list?.[0]?.names?.[0]?.name;
    let returns = 0;
    let fields = 0;
    walkSameFunc(decl.body, (x) => {
      if (x.kind === "ReturnStmt" && x.results?.length) {
        returns++;
        let r = unparen(x.results[0]);
        if (r.kind === "UnaryExpr" && r.op === "&") r = unparen(r.x);
        while (r.kind === "SelectorExpr" || r.kind === "IndexExpr") r = unparen(r.x);
        if (self && r.kind === "Ident" && r.name === self) fields++;
      }
      return true;
    });
    return returns > 0 && fields < returns;
  }
  return /^(Get|New|Begin|Acquire|Open|Start|Create|Make|Borrow|Take|Fetch|Dial|Connect|Batch|Tx|Txn|Lease|Checkout)/.test(name.charAt(0).toUpperCase() + name.slice(1));
}
function keptEarlier(file, d, inner, stack) {
  const fn = enclosingFunc(stack);
  if (!fn?.body) return void 0;
  const text = textOf(file, inner);
  let found;
  walkSameFunc(fn.body, (x) => {
    if (found || pos(x) >= pos(d)) return false;
    if (x.kind === "AssignStmt" && x.lhs.length === x.rhs.length) {
      x.lhs.forEach((l, i) => {
        const id = unparen(l);
        if (!found && id.kind === "Ident" && id.name !== "_" && textOf(file, unparen(x.rhs[i])) === text) found = { id, at: x };
      });
    }
    return !found;
  });
  return found;
}
function reportSecondCall(pass, file, d, inner, kept, stack) {
  const fn = enclosingFunc(stack);
  const fname = fn ? funcName(file, fn) : "the function";
  const innerText = textOf(file, inner);
  const fun = unparen(d.call.fun);
  const fixed = `${kept.id.name}.${fun.sel.name}(${(d.call.args ?? []).map((a) => textOf(file, a)).join(", ")})`;
  pass.report({
    node: d,
    file,
    confidence: "high",
    message: `in defer ${textOf(file, d.call)}, ${innerText} runs now and returns a second value, not the ${kept.id.name} that ${fname} got from the same call on line ${lineOf(file, kept.at)}: the deferred ${fun.sel.name} acts on that second one and ${kept.id.name} is never ${fun.sel.name === "Close" || fun.sel.name === "Release" ? "released" : "finished"}; defer ${fixed}`,
    related: [{ node: kept.at, message: `${kept.id.name} from ${innerText}` }]
  });
}
function saysExitState(call) {
  for (const a of call.args ?? []) {
    const x = unparen(a);
    if (x.kind === "BasicLit" && x.tokKind === "STRING" && /\b(after|final(ly)?|finish(ed)?|complet(e|ed)|end(ed)?|done|exit(ing)?)\b/i.test(x.value)) return x;
  }
  return void 0;
}
function returnsStructValue(pass, call) {
  const t = pass.types.typeOf(call);
  if (t?.kind === "struct") return true;
  return t?.kind === "named" && t.underlying()?.kind === "struct";
}
function receiverFields(pass, decl) {
  const self = decl.recv?.list?.[0]?.names?.[0];
  if (!decl.body || !self || self.name === "_") return void 0;
  const selfObj = pass.types.objectOf(self);
  const isSelf = (e) => {
    const b = unparen(e);
    return b.kind === "Ident" && b.name === self.name && (!selfObj || pass.types.objectOf(b) === selfObj);
  };
  const reads = /* @__PURE__ */ new Set();
  const writes = /* @__PURE__ */ new Set();
  const written = (l) => {
    let x = unparen(l);
    while (x.kind === "IndexExpr" || x.kind === "StarExpr") x = unparen(x.x);
    if (x.kind === "SelectorExpr" && isSelf(x.x)) writes.add(x.sel.name);
  };
  walkSameFunc(decl.body, (x) => {
    if (x.kind === "SelectorExpr" && isSelf(x.x)) reads.add(x.sel.name);
    else if (x.kind === "AssignStmt") x.lhs.forEach(written);
    else if (x.kind === "IncDecStmt") written(x.x);
    else if (x.kind === "CallExpr") {
      const g = unparen(x.fun);
      if (g.kind === "SelectorExpr" && /^(Store|Swap|CompareAndSwap)$/.test(g.sel.name)) written(g.x);
      if (g.kind === "Ident" && (g.name === "delete" || g.name === "clear") && x.args?.[0] && pass.types.objectOf(g)?.kind !== "func") written(x.args[0]);
    }
    return true;
  });
  return { reads, writes };
}
function methodFields(pass, decl, which, depth, seen = /* @__PURE__ */ new Set()) {
  const out = /* @__PURE__ */ new Set();
  if (seen.has(decl)) return out;
  seen.add(decl);
  const own = receiverFields(pass, decl);
  if (!own) return out;
  for (const f of own[which]) out.add(f);
  const self = decl.recv?.list?.[0]?.names?.[0];
  if (depth <= 0 || !self || !decl.body) return out;
  walkSameFunc(decl.body, (x) => {
    if (x.kind !== "CallExpr") return true;
    const g = unparen(x.fun);
    if (g.kind !== "SelectorExpr" || unparen(g.x).kind !== "Ident" || unparen(g.x).name !== self.name) return true;
    const m = pass.types.callee(x)?.decl;
    if (m?.recv) for (const f of methodFields(pass, m, which, depth - 1, seen)) out.add(f);
    return true;
  });
  return out;
}
function methodWrites(pass, decl) {
  return methodFields(pass, decl, "writes", 3);
}
function methodReads(pass, decl) {
  return methodFields(pass, decl, "reads", 2);
}
function pathWrites(pass, decl, path, depth = 0) {
  const out = /* @__PURE__ */ new Set();
  const self = decl.recv?.list?.[0]?.names?.[0];
  if (!decl.body || !self || self.name === "_" || depth >= 3) return out;
  const self0 = varPath(pass, self);
  const whole = self0 ? { ...self0, fields: [...path] } : void 0;
  const along = (e) => {
    const p = whole ? varPath(pass, e) : void 0;
    return whole && p && pathPrefix(p, whole) ? p.fields.length : -1;
  };
  walkSameFunc(decl.body, (x) => {
    const written = (l) => {
      let y = unparen(l);
      while (y.kind === "IndexExpr" || y.kind === "StarExpr") y = unparen(y.x);
      if (y.kind === "SelectorExpr" && along(y.x) === path.length) out.add(y.sel.name);
    };
    if (x.kind === "AssignStmt") x.lhs.forEach(written);
    else if (x.kind === "IncDecStmt") written(x.x);
    else if (x.kind === "CallExpr") {
      const g = unparen(x.fun);
      if (g.kind !== "SelectorExpr") return true;
      const k = along(g.x);
      if (k < 0) return true;
      const m = declWithBody(pass, x);
      if (!m?.recv) return true;
      const ws = k === path.length ? methodWrites(pass, m) : pathWrites(pass, m, path.slice(k), depth + 1);
      for (const w of ws) out.add(w);
    }
    return true;
  });
  return out;
}
function staleAccessor(pass, d, inner, stack) {
  const f = unparen(inner.fun);
  if (f.kind !== "SelectorExpr") return void 0;
  const recv = unparen(f.x);
  let root = recv;
  while (root.kind === "SelectorExpr") root = unparen(root.x);
  if (root.kind !== "Ident" || pass.types.objectOf(root)?.kind !== "var") return void 0;
  const decl = declWithBody(pass, inner);
  const own = decl ? receiverFields(pass, decl) : void 0;
  if (!own) return void 0;
  const fn = enclosingFunc(stack);
  if (!fn?.body) return void 0;
  if (own.reads.size === 0) return paramStale(pass, d, inner, decl, fn.body);
  const accessor = { reads: methodReads(pass, decl) };
  const sameRecv = (e) => sameExpr(unparen(e), recv);
  const recvPath = recv.kind === "SelectorExpr" ? varPath(pass, recv) : void 0;
  const fieldOf = (l) => {
    let x = unparen(l);
    while (x.kind === "IndexExpr" || x.kind === "StarExpr") x = unparen(x.x);
    return x.kind === "SelectorExpr" && sameRecv(x.x) && accessor.reads.has(x.sel.name) ? x.sel.name : void 0;
  };
  let hit;
  walkSameFunc(fn.body, (x) => {
    if (hit || x.kind === "DeferStmt" || x.kind === "GoStmt") return false;
    if (pos(x) <= pos(d)) return true;
    if (x.kind === "AssignStmt") {
      for (const l of x.lhs) {
        const field = fieldOf(l);
        if (field) hit = { field, at: x };
      }
    } else if (x.kind === "IncDecStmt") {
      const field = fieldOf(x.x);
      if (field) hit = { field, at: x };
    } else if (x.kind === "CallExpr" && x !== inner) {
      const g = unparen(x.fun);
      const m = g.kind === "SelectorExpr" && sameRecv(g.x) ? declWithBody(pass, x) : void 0;
      let writes = m ? methodWrites(pass, m) : void 0;
      if (!m && g.kind === "SelectorExpr" && recvPath) {
        const own2 = varPath(pass, g.x);
        if (own2 && own2.fields.length < recvPath.fields.length && pathPrefix(own2, recvPath)) {
          const owner = declWithBody(pass, x);
          if (owner) writes = pathWrites(pass, owner, recvPath.fields.slice(own2.fields.length));
        }
      }
      const field = writes ? [...writes].find((w) => accessor.reads.has(w)) : void 0;
      if (field) hit = { field, at: x };
    }
    return !hit;
  });
  return hit ?? paramStale(pass, d, inner, decl, fn.body);
}
function paramStale(pass, d, inner, decl, body) {
  if (!decl.body) return void 0;
  const params = (decl.type.params?.list ?? []).flatMap((f) => f.names ?? []);
  const args = inner.args ?? [];
  const watched = [];
  params.forEach((p, i) => {
    const a = args[i];
    if (!a || p.name === "_") return;
    const t = pass.types.typeOf(a);
    if (t?.kind !== "pointer") return;
    const path = varPath(pass, a);
    if (!path) return;
    const po = pass.types.objectOf(p);
    const fields = /* @__PURE__ */ new Set();
    walkSameFunc(decl.body, (x) => {
      if (x.kind === "SelectorExpr") {
        const b = unparen(x.x);
        if (b.kind === "Ident" && b.name === p.name && (!po || pass.types.objectOf(b) === po)) fields.add(x.sel.name);
      }
      return true;
    });
    if (fields.size > 0) watched.push({ path, arg: a, fields });
  });
  if (watched.length === 0) return void 0;
  const fieldIn = (e) => {
    const q = varPath(pass, e);
    if (!q) return void 0;
    for (const w of watched) {
      if (q.fields.length <= w.path.fields.length || !pathPrefix(w.path, q)) continue;
      const f = q.fields[w.path.fields.length];
      if (w.fields.has(f)) return { field: f, base: w.arg };
    }
    return void 0;
  };
  let hit;
  walkSameFunc(body, (x) => {
    if (hit || x.kind === "DeferStmt" || x.kind === "GoStmt") return false;
    if (pos(x) <= pos(d)) return true;
    const written = (l) => {
      let y = unparen(l);
      while (y.kind === "IndexExpr" || y.kind === "StarExpr") y = unparen(y.x);
      const f = fieldIn(y);
      if (f) hit = { ...f, at: x };
    };
    if (x.kind === "AssignStmt") x.lhs.forEach(written);
    else if (x.kind === "IncDecStmt") written(x.x);
    else if (x.kind === "CallExpr" && x !== inner) {
      const g = unparen(x.fun);
      if (g.kind === "SelectorExpr") {
        const f = fieldIn(g.x);
        const m = f ? declWithBody(pass, x) : void 0;
        if (f && m?.recv && methodWrites(pass, m).size > 0) hit = { ...f, at: x };
      }
    }
    return !hit;
  });
  return hit;
}
function declWithBody(pass, call) {
  const c = pass.types.callee(call);
  if (!c) return void 0;
  if (c.pkg === pass.pkg.importPath) return c.decl;
  return (c.kind === "method" || c.kind === "func") && c.pkg ? pass.moduleFunc(c.pkg, c.short, c.recv?.name) : void 0;
}
function elapsedIn(pass, inner) {
  const decl = pass.types.callee(inner)?.decl;
  if (!decl?.body) return void 0;
  let found;
  walkSameFunc(decl.body, (x) => {
    if (found) return false;
    if (x.kind === "CallExpr" && pass.types.callee(x)?.name === "time.Since") found = x;
    return !found;
  });
  const f = found ? pass.fileOf(found) : void 0;
  return found && f ? { call: found, file: f } : void 0;
}
function report2(pass, file, d, inner, stack, stale, head, elapsed, label) {
  const fn = enclosingFunc(stack);
  const fname = fn ? funcName(file, fn) : "the function";
  const innerText = textOf(file, inner);
  const fun = unparen(d.call.fun);
  const typed = pass.types.callee(inner) !== void 0;
  const recv = stale ? textOf(file, unparen(inner.fun).x) : "";
  const read = stale ? `${stale.base ? textOf(file, stale.base) : recv}.${stale.field}` : "";
  const changes = stale?.at.kind === "CallExpr" ? `changes afterwards through ${textOf(file, stale.at)}` : "assigns afterwards";
  pass.report({
    node: d,
    file,
    message: label ? `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and hands back a copy of the state as it is then, while the deferred ${fun.sel.name} says ${label.value}: it reports the state from before ${fname} did its work; wrap the whole chain so it runs at exit: defer func() { ${textOf(file, d.call)} }()` : elapsed ? `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and measures elapsed time there (${textOf(elapsed.file, elapsed.call)} on line ${lineOf(elapsed.file, elapsed.call)}${elapsed.file !== file ? ` of ${elapsed.file.path}` : ""}), so the deferred ${fun.sel.name} reports the time up to the defer, not up to when ${fname} returns; wrap the whole chain so it runs at exit: defer func() { ${textOf(file, d.call)} }()` : head && stale ? `in defer ${textOf(file, d.call)}, ${textOf(file, head)} and the argument ${innerText} run now, at the defer statement; ${innerText} reads ${read}, which ${fname} ${changes} (line ${lineOf(file, stale.at)}), so the deferred ${fun.sel.name} gets the value from before that; wrap the whole chain so it runs at exit: defer func() { ${textOf(file, d.call)} }()` : stale ? `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and reads ${read}, which ${fname} ${changes} (line ${lineOf(file, stale.at)}): the deferred ${fun.sel.name} acts on the value from before that; wrap the whole chain so it runs at exit: defer func() { ${textOf(file, d.call)} }()` : `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and only ${fun.sel.name} waits until ${fname} returns; if ${innerText} should run at exit too, wrap the whole chain: defer func() { ${textOf(file, d.call)} }()`,
    confidence: stale ? "medium" : typed ? "high" : "medium",
    related: [
      { node: inner, message: `${innerText} is evaluated when the defer statement runs` },
      ...stale ? [{ node: stale.at, message: `${read} ${stale.at.kind === "CallExpr" ? "changed" : "assigned"} here, after the defer` }] : []
    ]
  });
}
var analyzer8 = {
  meta: {
    id: ID8,
    severity: "low",
    summary: "defer a.B().C(): a.B() runs at the defer statement; only C is deferred.",
    enabledByDefault: true,
    fixable: false,
    category: "evaluation",
    docUrl: docUrl(ID8)
  },
  // What the function's other calls change is asked of a deferred chain (see prune's chainDefer).
  needs: (o) => bodyNeeds(o, { kinds: ["DeferStmt"] }, { deferred: true }),
  run: run8
};

// src/rules/defer-ineffective-return.ts
var ID9 = "defer-ineffective-return";
function valueReturns(lit) {
  const out = [];
  walkSameFunc(lit.body, (x) => {
    if (x.kind === "ReturnStmt" && x.results && x.results.length > 0) out.push(x);
  });
  return out;
}
function returnsOneFunc(pass, call) {
  const lit = unparen(call.fun);
  const fields = lit.type.results?.list ?? [];
  if (fields.length !== 1 || (fields[0].names?.length ?? 1) !== 1) return false;
  const te = fields[0].type;
  if (te && unparen(te).kind === "FuncType") return true;
  const t = pass.types.typeOf(call);
  const u = t?.kind === "named" ? t.underlying() : t;
  return u?.kind === "signature";
}
function namedResults(fn) {
  const out = /* @__PURE__ */ new Set();
  for (const f of fn.type.results?.list ?? []) for (const n of f.names ?? []) out.add(n.name);
  return out;
}
function hasResults(fn) {
  return (fn.type.results?.list ?? []).length > 0;
}
function declaredIn(pass, fn, lit, id) {
  const o = pass.types.objectOf(id);
  if (!o) return void 0;
  if (o.kind !== "var" || !o.decl) return "other";
  const at = o.decl.namePos;
  const inRange = (n, p) => p >= pos(n) && p < end(n);
  if (inRange(lit, at)) {
    if (o.varKind === "result" && (lit.type.results?.list ?? []).some((f) => (f.names ?? []).includes(o.decl))) return "own";
    if (o.varKind === "param" || o.varKind === "recv" || o.varKind === "result") return "other";
    return fnLiterals(lit.body).some((l) => inRange(l, at)) ? "other" : "own";
  }
  if (!inRange(fn, at)) return "other";
  if (o.varKind === "result") return "result";
  if (o.varKind === "param" || o.varKind === "recv") return "param";
  if (fnLiterals(fn).some((l) => l !== lit && inRange(l, at))) return "other";
  if (namedResults(fn).has(id.name) && (fn.body?.list ?? []).some((s) => s.kind === "AssignStmt" && s.tok === ":=" && s.lhs.includes(o.decl))) return "result";
  return "local";
}
function fnLiterals(fn) {
  const out = [];
  const body = fn.kind === "BlockStmt" ? fn : fn.body;
  if (!body) return out;
  inspect(body, (n) => {
    if (n.kind === "FuncLit") out.push(n);
  });
  return out;
}
function otherReaders(pass, fn, lit, id) {
  const o = pass.types.objectOf(id);
  if (!o || !fn.body) return void 0;
  let found;
  const visit = (n, inClosure) => {
    if (found) return false;
    if (n === lit) return false;
    if (n.kind === "UnaryExpr" && n.op === "&") {
      const x = unparen(n.x);
      if (x.kind === "Ident" && pass.types.objectOf(x) === o) {
        found = n;
        return false;
      }
    }
    if (inClosure && n.kind === "Ident" && pass.types.objectOf(n) === o && n !== o.decl) {
      found = n;
      return false;
    }
    return true;
  };
  const walk = (n, inClosure) => {
    if (!visit(n, inClosure)) return;
    const nowClosure = inClosure || n.kind === "FuncLit";
    forEachChild(n, (c) => walk(c, nowClosure));
  };
  walk(fn.body, false);
  return found;
}
function returnsVar(pass, fn, id) {
  const o = pass.types.objectOf(id);
  if (!o || !fn.body) return false;
  const isVar = (e) => {
    const u = unparen(e);
    return u.kind === "Ident" && pass.types.objectOf(u) === o;
  };
  let returned = false;
  let assigned = false;
  walkSameFunc(fn.body, (x) => {
    if (x.kind === "ReturnStmt" && (x.results ?? []).some(isVar)) returned = true;
    else if (x.kind === "AssignStmt" && x.lhs.some(isVar)) assigned = true;
    return !(returned && assigned);
  });
  return returned && assigned;
}
var LOGGING = /^(Print|Printf|Println|Log|Logf|Error|Errorf|Warn|Warnf|Warning|Warningf|Info|Infof|Debug|Debugf|Trace|Tracef)$/;
function onlyLoggedInLiteral(pass, lit, target, after) {
  const o = pass.types.objectOf(target);
  const same2 = (u) => u.kind === "Ident" && (o ? pass.types.objectOf(u) === o : u.name === target.name);
  const logged = /* @__PURE__ */ new Set();
  let other = false;
  const walk = (n) => {
    if (other) return;
    if (n.kind === "CallExpr") {
      const f = unparen(n.fun);
      const name = f.kind === "SelectorExpr" ? f.sel.name : f.kind === "Ident" ? f.name : "";
      if (LOGGING.test(name)) for (const a of n.args ?? []) inspect(a, (x) => void (same2(x) && logged.add(x)));
    }
    if (n.kind === "AssignStmt" && n.lhs.some((l) => same2(unparen(l)))) {
      for (const r of n.rhs) walk(r);
      return;
    }
    if (same2(n) && n.namePos > after && !logged.has(n)) other = true;
    forEachChild(n, walk);
  };
  walk(lit.body);
  return !other;
}
function readInLiteral(pass, lit, target, after) {
  const o = pass.types.objectOf(target);
  let read = false;
  const same2 = (x) => {
    const u = unparen(x);
    return u.kind === "Ident" && (o ? pass.types.objectOf(u) === o : u.name === target.name);
  };
  const walk = (n) => {
    if (read) return;
    if (n.kind === "AssignStmt" && n.lhs.some(same2)) {
      for (const l of n.lhs) if (!same2(l)) walk(l);
      return;
    }
    if (n.kind === "Ident" && same2(n)) {
      if (n.namePos > after) read = true;
      return;
    }
    forEachChild(n, walk);
  };
  walk(lit.body);
  return read;
}
function run9(pass) {
  for (const file of pass.files) {
    file.inspector.withStack(["DeferStmt"], (d, stack) => {
      const lit = unparen(d.call.fun);
      if (lit.kind !== "FuncLit") return;
      const fn = enclosingFunc(stack);
      const fname = fn ? funcName(file, fn) : "the function";
      const rets = returnsOneFunc(pass, d.call) ? [] : valueReturns(lit);
      if (rets.length > 0) {
        const r = rets[0];
        const vals = (r.results ?? []).map((x) => textOf(file, x)).join(", ");
        const named = fn ? [...namedResults(fn)] : [];
        const fix = fn && named.length > 0 ? `assign to ${fname}'s named result${named.length > 1 ? "s" : ""} (${named.join(", ")}) instead` : fn && hasResults(fn) ? `give ${fname} named results and assign to them instead` : `handle the value inside the literal (log it, or assign it to a named result)`;
        pass.report({
          node: r,
          file,
          message: `return ${vals} in the deferred function literal on line ${lineOf(file, d)} goes nowhere: the results of a deferred call are discarded, so ${fname} never sees them; ${fix}`,
          related: [{ node: d, message: "the defer statement" }]
        });
      }
      if (!fn) return;
      reportLostAssignments(pass, file, fn, fname, d, lit);
    });
  }
}
function reportLostAssignments(pass, file, fn, fname, d, lit) {
  const reported = /* @__PURE__ */ new Set();
  walkSameFunc(lit.body, (x) => {
    if (x.kind !== "AssignStmt" || x.tok === ":=") return true;
    for (const [i, l] of x.lhs.entries()) {
      const id = unparen(l);
      if (id.kind !== "Ident" || id.name === "_" || reported.has(id.name)) continue;
      const where2 = declaredIn(pass, fn, lit, id);
      if (where2 === "own") {
        reportOwnShadow(pass, file, fn, fname, d, lit, x, id, x.lhs.length === x.rhs.length ? x.rhs[i] : void 0, reported);
        continue;
      }
      const typed = isErrorTyped(pass, id);
      if (typed === false) continue;
      if (typed === void 0 && !/^err$|Err$|^err[A-Z]/.test(id.name)) continue;
      if (where2 === void 0 || where2 === "result" || where2 === "other") continue;
      if (readInLiteral(pass, lit, id, end(x)) && !(returnsVar(pass, fn, id) && onlyLoggedInLiteral(pass, lit, id, end(x)))) continue;
      const reader = otherReaders(pass, fn, lit, id);
      if (reader) continue;
      reported.add(id.name);
      const declLine = pass.types.objectOf(id)?.decl;
      const named = namedResults(fn);
      const shadows = where2 === "local" && named.has(id.name) && declLine !== void 0;
      const kind = where2 === "param" ? "a parameter" : shadows ? `the variable declared on line ${lineOf(file, declLine)}, which shadows the named result ${id.name}` : "a local variable";
      const fix = shadows ? `give the ${id.name} declared on line ${lineOf(file, declLine)} another name (or assign with = instead of :=) so that the literal assigns ${fname}'s named result` : hasResults(fn) ? `declare ${id.name} as a named result of ${fname} (${id.name} error in its result list) so that the assignment changes the returned error` : `${fname} returns nothing, so handle the error inside the deferred function (log it or report it)`;
      pass.report({
        node: x,
        file,
        message: shadows ? `the deferred function literal assigns ${textOf(file, x)}, but ${id.name} there is ${kind} of ${fname}: deferred calls run after the return statement has copied the results, so this error is lost; ${fix}` : `the deferred function literal assigns ${textOf(file, x)}, but ${id.name} is ${kind} of ${fname}, not ${named.size > 0 ? "one of its named results" : "a named result"}: deferred calls run after the return statement has copied the results, so this error is lost; ${fix}`,
        confidence: typed === true ? "high" : "medium",
        related: [
          { node: d, message: "the defer statement" },
          ...declLine ? [{ node: declLine, message: `${id.name} declared here` }] : []
        ]
      });
    }
    return true;
  });
}
function reportOwnShadow(pass, file, fn, fname, d, lit, x, id, rhs, reported) {
  const result = (fn.type.results?.list ?? []).flatMap((f) => f.names ?? []).find((n) => n.name === id.name);
  const own = (lit.type.results?.list ?? []).flatMap((f) => f.names ?? []).find((n) => n.name === id.name);
  if (!result && own && pass.types.objectOf(id)?.decl === own && isErrorTyped(pass, own) !== false) {
    reported.add(id.name);
    pass.report({
      node: x,
      file,
      message: `the deferred function literal assigns ${textOf(file, x)}, but ${id.name} is the literal's own named result: the results of a deferred call are discarded, so ${fname} never sees this error; ${namedResults(fn).size > 0 ? `assign ${fname}'s named result instead` : `give ${fname} a named result (err error) and assign it from the literal`}`,
      related: [{ node: d, message: "the defer statement" }, { node: own, message: `${id.name} declared as the literal's result here` }]
    });
    return;
  }
  if (!result || isErrorTyped(pass, result) !== true) return;
  if (isErrorTyped(pass, id) !== true && !(rhs && isErrorTyped(pass, rhs) === true)) return;
  if (readInLiteral(pass, lit, id, end(x))) return;
  const decl = pass.types.objectOf(id)?.decl;
  if (!decl) return;
  reported.add(id.name);
  const declLine = lineOf(file, decl);
  pass.report({
    node: x,
    file,
    message: `the deferred function literal assigns ${textOf(file, x)}, but ${id.name} there is the literal's own variable declared on line ${declLine}, which shadows the named result ${id.name} of ${fname}: the assignment changes only that copy, so ${fname} returns without this error; give the variable declared on line ${declLine} another name (e.g. \`if r := recover(); r != nil\`) so that the literal assigns the named result`,
    confidence: "high",
    related: [
      { node: d, message: "the defer statement" },
      { node: decl, message: `${id.name} declared here` },
      { node: result, message: `the named result ${id.name}` }
    ]
  });
}
var analyzer9 = {
  meta: {
    id: ID9,
    severity: "medium",
    summary: "A deferred function literal returns values or assigns an error that nobody sees: the result is lost.",
    enabledByDefault: true,
    fixable: false,
    category: "evaluation",
    docUrl: docUrl(ID9)
  },
  needs: deferNeeds,
  run: run9
};

// src/rules/defer-func-result-not-called.ts
var ID10 = "defer-func-result-not-called";
function isFuncType(t) {
  if (!t) return false;
  const u = t.kind === "named" ? t.underlying() : t;
  return u?.kind === "signature" && (u.params.length === 0 || u.variadic && u.params.length === 1);
}
function takesArgs(t) {
  const u = t?.kind === "named" ? t.underlying() : t;
  return u?.kind === "signature" && u.params.length > 0;
}
var START_NAME = /^(Observe|Start|Begin|Track|Trace|Time|Measure|Enter|Acquire|Span|Timer|Scope|Watch|Mark|New[A-Z]\w*(Span|Timer|Scope|Tracker))/;
function typeName(t) {
  if (t.kind === "named") return t.pkg ? `${t.pkg}.${t.name}` : t.name;
  return "func";
}
function resultsOf(pass, call) {
  const c = pass.types.callee(call);
  if (c?.kind === "conversion" || c?.kind === "builtin") return void 0;
  if (c?.sig && !c.sig.results.some((r) => r.type.kind === "typeparam")) return c.sig.results;
  const t = pass.types.typeOf(call);
  if (!t) return void 0;
  if (t.kind === "tuple") return t.types.map((type) => ({ name: "", type }));
  return [{ name: "", type: t }];
}
function restoresPrevious(pass, call) {
  const fun = textOfFun(call);
  if (!fun) return false;
  const outer = pass.types.callee(call)?.name;
  return (call.args ?? []).some((a) => {
    const x = unparen(a);
    if (x.kind !== "CallExpr") return false;
    const inner = pass.types.callee(x)?.name;
    return outer !== void 0 && inner !== void 0 ? outer === inner && textOfFun(x) === fun : textOfFun(x) === fun;
  });
}
function textOfFun(call) {
  const f = unparen(call.fun);
  if (f.kind === "Ident") return f.name;
  if (f.kind === "SelectorExpr" && unparen(f.x).kind === "Ident") return `${unparen(f.x).name}.${f.sel.name}`;
  return void 0;
}
function run10(pass) {
  for (const file of pass.files) {
    file.inspector.withStack(["DeferStmt"], (d, stack) => {
      const call = d.call;
      const results = resultsOf(pass, call);
      if (!results || results.length === 0) return;
      let funcs = results.map((r, i) => ({ r, i })).filter((x) => isFuncType(x.r.type));
      const finisher = funcs.length === 0 && results.length === 1 && takesArgs(results[0].type) && START_NAME.test(pass.types.callee(call)?.short ?? "");
      if (finisher) funcs = [{ r: results[0], i: 0 }];
      if (funcs.length === 0) return;
      if (restoresPrevious(pass, call)) return;
      const fn = enclosingFunc(stack);
      const fname = fn ? funcName(file, fn) : "the function";
      const isLit = unparen(call.fun).kind === "FuncLit";
      const text = isLit ? `func literal (line ${lineOf(file, call)})` : textOf(file, call);
      const callee = pass.types.callee(call);
      const who = isLit ? "the literal" : callee ? callee.name : textOf(file, unparen(call.fun));
      if (finisher) {
        pass.report({
          node: d,
          file,
          message: `defer ${text} calls ${who} only when ${fname} returns and drops the ${typeName(results[0].type)} it returns, so that finisher never runs; keep it and call it at exit: done := ${text}; defer func() { done(...) }()`
        });
        return;
      }
      if (results.length === 1) {
        const t = typeName(results[0].type);
        pass.report({
          node: d,
          file,
          message: isLit ? `the deferred function literal runs only when ${fname} returns and the ${t} it returns is dropped, so that returned cleanup never runs; add () after the literal's call (defer func() func() { ... }()()) to run the literal now and its result at exit` : `defer ${text} calls ${who} only when ${fname} returns and drops the ${t} it returns, so that returned cleanup never runs; write defer ${text}() to call ${who} now and its result at exit`,
          fixes: [{ message: isLit ? "Call the returned function: add () after the call" : `Call the returned function: defer ${text}()`, edits: [{ range: { pos: end(call), end: end(call) }, newText: "()" }] }]
        });
        return;
      }
      const what = funcs.map((x) => `its ${ordinal(x.i + 1)} result (${x.r.name ? `${x.r.name}, ` : ""}a ${typeName(x.r.type)})`).join(" and ");
      pass.report({
        node: d,
        file,
        message: `defer ${text} discards ${what}, so that function is never called${who === "context.WithCancel" || who.startsWith("context.With") ? " and the context is never cancelled" : ""}; assign the results and defer the returned function instead (x, cancel := ...; defer cancel())`
      });
    });
  }
}
function ordinal(n) {
  return n === 1 ? "first" : n === 2 ? "second" : n === 3 ? "third" : `${n}th`;
}
var analyzer10 = {
  meta: {
    id: ID10,
    severity: "high",
    summary: "defer f() where f returns a func value: the returned cleanup is never called.",
    enabledByDefault: true,
    fixable: true,
    category: "lifetime",
    docUrl: docUrl(ID10)
  },
  needs: deferNeeds,
  run: run10
};

// src/rules/lock-leaked-on-return.ts
var ID11 = "lock-leaked-on-return";
var ACQUIRE_WORDS = /* @__PURE__ */ new Set(["lock", "rlock", "locked", "locks", "acquire", "acquires", "trylock"]);
var ACQUIRE_DOC = /\breturns\s+(?:\w+\s+){0,2}with\b[^.]*\b(held|locked)\b|\bcaller\b[^.]*\b(must|should|is responsible)\b[^.]*\b(unlock|release)/i;
function intentionalAcquire(fn) {
  if (fn.kind !== "FuncDecl") return false;
  if (nameWords(fn.name.name).some((w) => ACQUIRE_WORDS.has(w) && w !== "acquire" && w !== "acquires")) return true;
  const doc = fn.doc?.list.map((c) => c.text).join("\n") ?? "";
  return ACQUIRE_DOC.test(doc);
}
function sameMutex(pass, m, e) {
  if (m.path) {
    const p = varPath(pass, e);
    return !!p && samePath(m.path, p);
  }
  return sameExpr(m.expr, e);
}
function unlocksIn(pass, n, m, unlock) {
  return lockCallsIn(pass, n).find((l) => l.method === unlock && sameMutex(pass, m, l.mutex));
}
function calleeUnlocks(pass, call, path, unlock) {
  return !!searchCallees(pass, call, path, (fn, p) => {
    const body = fn.body;
    if (!body) return void 0;
    const calls = lockCallsIn(pass, body);
    const same2 = (l) => {
      const lp = varPath(pass, l.mutex);
      return !!lp && samePath(lp, p);
    };
    const hit = calls.find((l) => l.method === unlock && same2(l));
    const first = calls.filter(same2).sort((a, b) => pos(a.call) - pos(b.call))[0];
    if (hit && first && (first.method === "Lock" || first.method === "RLock")) return void 0;
    return hit ?? void 0;
  });
}
var TAKES_OVER = /^(put|release|recycle|free|enqueue|push|submit|handoff|handOff)/i;
function handsOff(pass, n, m) {
  let found = false;
  const owner = rootIdent(m.expr);
  const isOwner = (e) => {
    const u = unparen(e);
    return !!owner && u.kind === "Ident" && u.name === owner.name && pass.types.objectOf(u) === pass.types.objectOf(owner);
  };
  walkNode(n, (x) => {
    if (found || x.kind === "FuncLit") return false;
    if (x.kind === "SendStmt" && isOwner(x.value)) found = true;
    if (x.kind === "CallExpr") {
      for (const a of x.args ?? []) {
        if (sameMutex(pass, m, a)) found = true;
        const u = unparen(a);
        if (u.kind === "SelectorExpr" && (u.sel.name === "Unlock" || u.sel.name === "RUnlock") && sameMutex(pass, m, u.x)) found = true;
      }
      const f = unparen(x.fun);
      const name = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : "";
      if (TAKES_OVER.test(name) && (x.args ?? []).some(isOwner)) found = true;
    }
    if (x.kind === "UnaryExpr" && x.op === "&" && sameMutex(pass, m, x.x)) found = true;
    return !found;
  });
  return found;
}
function successReturn(fn, ret, unlocks) {
  const results = fn.type.results?.list ?? [];
  const last = results[results.length - 1]?.type;
  if (!last || last.kind !== "Ident" || last.name !== "error" && last.name !== "bool") return false;
  if (last.name === "bool" && results.reduce((n, f) => n + Math.max(1, f.names?.length ?? 0), 0) < 2) return false;
  const r = ret.results?.[ret.results.length - 1];
  const v = r && unparen(r);
  if (!v || v.kind !== "Ident") return false;
  if (v.name === (last.name === "error" ? "nil" : "true")) return true;
  let tested = false;
  walkNode(fn.body, (x) => {
    if (tested || x.kind === "FuncLit") return false;
    if (x.kind === "IfStmt" && nodeContains(x.cond, (y) => y.kind === "Ident" && y.name === v.name) && unlocks.some((u) => pos(x.body) <= pos(u.call) && pos(u.call) < end(x.body))) {
      tested = true;
    }
    return !tested;
  });
  return tested;
}
function releasesOnSuccess(fn, unlocks) {
  let found = false;
  walkNode(fn.body, (x) => {
    if (found || x.kind === "FuncLit") return false;
    const last = x.kind === "ReturnStmt" ? x.results?.[x.results.length - 1] : void 0;
    const definite = last && unparen(last).kind === "Ident" && ["nil", "true"].includes(unparen(last).name);
    if (x.kind === "ReturnStmt" && definite && successReturn(fn, x, unlocks)) {
      const list = listHolding(fn.body, x);
      for (const st of list.slice(0, list.indexOf(x))) {
        if (st.kind === "ExprStmt" && unlocks.some((u) => u.call === unparen(st.x))) found = true;
      }
    }
    return !found;
  });
  return found;
}
var releaserIndex = /* @__PURE__ */ new WeakMap();
function condFields(cond) {
  const out = [];
  const c = unparen(cond);
  if (c.kind === "SelectorExpr") out.push(c.sel.name);
  else if (c.kind === "BinaryExpr" && c.op === "&&") out.push(...condFields(c.x), ...condFields(c.y));
  return out;
}
var packageLockCallsCache = /* @__PURE__ */ new WeakMap();
function packageLockCalls(pass) {
  let out = packageLockCallsCache.get(pass.files);
  if (!out) {
    out = [];
    for (const f of pass.files) {
      if (!sourceMentions(f, "Lock")) continue;
      for (const d of f.file.decls ?? []) if (d.kind === "FuncDecl" && d.body) out.push({ decl: d, calls: lockCallsIn(pass, d.body) });
    }
    packageLockCallsCache.set(pass.files, out);
  }
  return out;
}
function around(body, n, pick) {
  const at = pos(n);
  const out = [];
  walkNode(body, (x) => {
    if (pos(x) > at || end(x) <= at || x.kind === "FuncLit") return false;
    if (pick(x, at)) out.push(x);
    return true;
  });
  return out;
}
function ifsAround(body, n) {
  return around(body, n, (x, at) => x.kind === "IfStmt" && pos(x.body) <= at && at < end(x.body));
}
function releasersOf(pass, mutex, unlock) {
  const e = unparen(mutex);
  if (e.kind !== "SelectorExpr") return void 0;
  let index = releaserIndex.get(pass.files);
  if (!index) {
    index = /* @__PURE__ */ new Map();
    const field = (l) => {
      const x = unparen(l.mutex);
      return x.kind === "SelectorExpr" ? x.sel.name : void 0;
    };
    for (const { decl: d, calls } of packageLockCalls(pass)) {
      for (const l of calls) {
        if (l.method !== "Unlock" && l.method !== "RUnlock") continue;
        const name = field(l);
        if (!name) continue;
        if (calls.some((k) => (k.method === "Lock" || k.method === "RLock") && field(k) === name)) continue;
        let byField = index.get(l.method);
        if (!byField) index.set(l.method, byField = /* @__PURE__ */ new Map());
        let guards = byField.get(name);
        if (!guards) byField.set(name, guards = /* @__PURE__ */ new Set());
        const conds = ifsAround(d.body, l.call).flatMap((x) => condFields(x.cond));
        if (conds.length === 0) guards.add("");
        for (const c of conds) guards.add(c);
      }
    }
    releaserIndex.set(pass.files, index);
  }
  return index.get(unlock)?.get(e.sel.name);
}
var signalIndex = /* @__PURE__ */ new WeakMap();
function signalMutex(pass, mutex, self) {
  const keyOf = (e2) => {
    const x = unparen(e2);
    if (x.kind !== "SelectorExpr") return void 0;
    const owner = declaringStructType(pass.types.typeOf(x.x), x.sel.name);
    return owner ? `${owner}.${x.sel.name}` : void 0;
  };
  const key = keyOf(mutex);
  if (!key) return false;
  let index = signalIndex.get(pass.files);
  if (!index) {
    index = /* @__PURE__ */ new Map();
    for (const { decl: d, calls } of packageLockCalls(pass)) {
      if ((d.body.list?.length ?? 0) < 2 || intentionalAcquire(d)) continue;
      const keys = calls.map((l) => keyOf(l.mutex));
      calls.forEach((l, i) => {
        const k = keys[i];
        if (!k) return;
        const locking = l.method === "Lock" || l.method === "RLock";
        const other = calls.some((o, j) => keys[j] === k && (o.method === "Lock" || o.method === "RLock") !== locking);
        if (other) return;
        if (!locking && ifsAround(d.body, l.call).length === 0) return;
        let e2 = index.get(k);
        if (!e2) index.set(k, e2 = { holders: /* @__PURE__ */ new Set(), releasers: /* @__PURE__ */ new Set() });
        (locking ? e2.holders : e2.releasers).add(d);
      });
    }
    signalIndex.set(pass.files, index);
  }
  const e = index.get(key);
  if (!e) return false;
  return [...e.holders].some((d) => d !== self) && [...e.releasers].some((d) => d !== self);
}
function setsMarker(path, fields) {
  for (const b of path) {
    for (const n of b.nodes) {
      if (n.kind !== "AssignStmt" || n.tok !== "=" || n.lhs.length !== n.rhs.length) continue;
      for (let i = 0; i < n.lhs.length; i++) {
        const l = unparen(n.lhs[i]);
        const r = unparen(n.rhs[i]);
        if (l.kind === "SelectorExpr" && fields.has(l.sel.name) && r.kind === "Ident" && r.name === "true") return true;
      }
    }
  }
  return false;
}
function flagsSetAfter(fn, stmt) {
  const out = [];
  const stmts = listHolding(fn.body, stmt);
  for (let i = stmts.indexOf(stmt) + 1; i < stmts.length; i++) {
    const s = stmts[i];
    if (s.kind !== "AssignStmt") break;
    if (s.lhs.length === 1 && s.rhs.length === 1) {
      const l = unparen(s.lhs[0]);
      const r = unparen(s.rhs[0]);
      if (l.kind === "Ident" && r.kind === "Ident" && r.name === "true") out.push(l.name);
    }
  }
  return out;
}
function releasedByEnclosingDefer(pass, file, lit, m, unlock) {
  const at = pos(lit);
  let found = false;
  const visit = (body) => {
    walkNode(body, (x) => {
      if (found) return false;
      if (x === lit) return false;
      if (x.kind === "DeferStmt") {
        const f = unparen(x.call.fun);
        const l = f.kind === "FuncLit" ? void 0 : lockCall(pass, x.call);
        if (f.kind === "FuncLit" ? unlocksIn(pass, f.body, m, unlock) : l?.method === unlock && sameMutex(pass, m, l.mutex)) found = true;
        return false;
      }
      if (x.kind === "FuncLit") {
        if (pos(x) <= at && at < end(x)) visit(x.body);
        return false;
      }
      return true;
    });
  };
  const decl = enclosingFuncDecl(file, lit);
  if (decl?.body) visit(decl.body);
  return found;
}
function loopsAround(body, target) {
  return around(body, target, (x) => x.kind === "ForStmt" || x.kind === "RangeStmt");
}
function releases(pass, n, m, unlock) {
  if (unlocksIn(pass, n, m, unlock)) return true;
  if (handsOff(pass, n, m)) return true;
  if (m.path) {
    for (const call of packageCallsIn(pass, n)) if (calleeUnlocks(pass, call, m.path, unlock)) return true;
    if (n.kind === "GoStmt" && calleeUnlocks(pass, n.call, m.path, unlock)) return true;
  }
  return false;
}
function methodDecl(pass, sel) {
  const candidates = methodsNamed(pass, sel.sel.name);
  if (candidates.length === 0) return void 0;
  let t = pass.types.typeOf(sel.x);
  if (t?.kind === "pointer") t = t.elem;
  if (t?.kind !== "named" || t.pkg !== pass.pkg.importPath) return void 0;
  for (const d of candidates) {
    let r = unparen(d.recv.list[0].type);
    if (r.kind === "StarExpr") r = unparen(r.x);
    if (r.kind === "IndexExpr" || r.kind === "IndexListExpr") r = unparen(r.x);
    if (r.kind === "Ident" && r.name === t.name) return d;
  }
  return void 0;
}
function handsOutUnlock(pass, fn, path, unlock) {
  const called = /* @__PURE__ */ new Set();
  let found = false;
  walkNode(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "CallExpr") called.add(unparen(x.fun));
    if (x.kind !== "SelectorExpr" || called.has(x)) return true;
    const decl = methodDecl(pass, x);
    if (!decl?.body) return true;
    const fake = { kind: "CallExpr", fun: x, lparen: -1, args: [], ellipsis: -1, rparen: -1 };
    const p = pathInCallee(pass, fake, decl, path);
    if (p && lockCallsIn(pass, decl.body).some((l) => l.method === unlock && samePathOf(pass, l.mutex, p))) found = true;
    return !found;
  });
  return found;
}
function samePathOf(pass, e, p) {
  const q = varPath(pass, e);
  return !!q && samePath(q, p);
}
function allUnlocks(pass, fn, m, unlock) {
  const direct = [];
  let inLiterals = false;
  const visit = (n, lit) => {
    walkNode(n, (x) => {
      if (x.kind === "DeferStmt" && unparen(x.call.fun).kind === "FuncLit") {
        visit(unparen(x.call.fun).body, lit);
        return false;
      }
      if (x.kind === "FuncLit" && x !== n) {
        if (!locksItself(pass, x, m, unlock)) visit(x.body, true);
        return false;
      }
      if (x.kind === "CallExpr") {
        const l = lockCall(pass, x);
        if (l && l.method === unlock && sameMutex(pass, m, l.mutex)) {
          if (lit) inLiterals = true;
          else direct.push(l);
        }
      }
      return true;
    });
  };
  if (fn.body) visit(fn.body, false);
  return { direct, inLiterals };
}
function locksItself(pass, lit, m, unlock) {
  const lock = unlock === "RUnlock" ? "RLock" : "Lock";
  let first;
  walkNode(lit.body, (x) => {
    if (first || x.kind === "FuncLit") return false;
    if (x.kind === "CallExpr") {
      const l = lockCall(pass, x);
      if (l && (l.method === lock || l.method === unlock) && sameMutex(pass, m, l.mutex)) first = l.method === lock ? "lock" : "unlock";
    }
    return !first;
  });
  return first === "lock";
}
function deferredReleases(pass, file, fn, cfg, m, unlock) {
  const out = /* @__PURE__ */ new Set();
  let aliases;
  for (const d of cfg.defers) {
    const fun = unparen(d.call.fun);
    if (fun.kind === "FuncLit") {
      let hit = false;
      walkNode(fun.body, (x) => {
        if (hit) return false;
        if (x.kind === "CallExpr") {
          const l = lockCall(pass, x);
          if (l && l.method === unlock && sameMutex(pass, m, l.mutex)) hit = true;
          else if (l && l.method === unlock) {
            aliases ??= aliasesOf(pass, fn, m.expr);
            const r = rootIdent(l.mutex);
            const owner = rootIdent(m.expr);
            if (r && owner && aliases.has(r.name) && textOf(file, l.mutex).replace(r.name, owner.name) === textOf(file, m.expr)) hit = true;
            const params = (fun.type.params?.list ?? []).flatMap((f) => f.names ?? []);
            const i = r ? params.findIndex((p) => p.name === r.name) : -1;
            const arg = i >= 0 ? d.call.args?.[i] : void 0;
            if (!hit && r && arg && textOf(file, l.mutex).replace(r.name, textOf(file, arg)) === textOf(file, m.expr)) hit = true;
          }
        }
        return !hit;
      });
      if (hit) out.add(d);
      continue;
    }
    if (releases(pass, d, m, unlock)) out.add(d);
  }
  return out;
}
function aliasesOf(pass, fn, mutex) {
  const out = /* @__PURE__ */ new Set();
  const owner = rootIdent(mutex);
  if (!owner || !fn.body) return out;
  const o = pass.types.objectOf(owner);
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind === "AssignStmt" && x.rhs.length === 1) {
      let r = unparen(x.rhs[0]);
      if (r.kind === "TypeAssertExpr") r = unparen(r.x);
      const l = unparen(x.lhs[0]);
      if (r.kind === "Ident" && r.name === owner.name && pass.types.objectOf(r) === o && l.kind === "Ident" && l.name !== owner.name) out.add(l.name);
    }
    return true;
  });
  return out;
}
function ownLine(file, s) {
  const a = file.source.position(pos(s));
  const b = file.source.position(end(s));
  if (a.line !== b.line) return void 0;
  const start = file.source.offsetOf(a.line, 1);
  const next = a.line < file.source.lineStarts.length ? file.source.lineStarts[a.line] : file.source.size;
  const before = file.source.text(start, pos(s));
  const after = file.source.text(end(s), next);
  if (!/^[ \t]*$/.test(before) || !/^[ \t]*(\/\/[^\n]*)?\r?\n?$/.test(after)) return void 0;
  return { start, end: next, indent: before };
}
function atPathEnd(cfg, stmt) {
  const at = cfg.locate(stmt);
  if (!at || at.node !== stmt) return false;
  const rest = at.block.nodes.slice(at.index + 1);
  if (rest.length === 1 && rest[0].kind === "ReturnStmt") return true;
  if (rest.length > 0) return false;
  const seen = /* @__PURE__ */ new Set();
  const stack = [...at.block.succs];
  while (stack.length > 0) {
    const b = stack.pop();
    if (seen.has(b)) continue;
    seen.add(b);
    if (b === cfg.exit) continue;
    if (b.nodes.length > 0 || b.succs.length === 0) return false;
    stack.push(...b.succs);
  }
  return seen.has(cfg.exit);
}
function fixFor(file, cfg, lockS, lc, unlock, unlocks) {
  const lockLine = ownLine(file, lockS);
  if (!lockLine) return void 0;
  if (cfg.loopsContaining(cfg.locate(lockS).block).length > 0) return void 0;
  const edits = [];
  const mu = textOf(file, lc.mutex);
  edits.push({ range: { pos: lockLine.end, end: lockLine.end }, newText: `${lockLine.indent}defer ${mu}.${unlock}()
` });
  for (const u of unlocks) {
    const s = cfg.locate(u.call)?.node;
    if (!s || s.kind !== "ExprStmt" || unparen(s.x) !== u.call || !atPathEnd(cfg, s)) return void 0;
    const line = ownLine(file, s);
    if (!line) return void 0;
    edits.push({ range: { pos: line.start, end: line.end }, newText: "" });
  }
  return { message: `defer ${mu}.${unlock}() right after the lock and drop the explicit unlocks at the ends of the paths`, edits };
}
var LOCKS = /* @__PURE__ */ new Set(["Lock", "RLock"]);
function sameMutexEachTime(pass, cfg, stmt, mutex) {
  const root = rootIdent(mutex);
  if (!root) return false;
  const decl = pass.types.objectOf(root)?.decl;
  const at = cfg.locate(stmt);
  if (!decl || !at) return !!decl;
  const indexVars = [];
  walkNode(mutex, (x) => {
    if (x.kind === "IndexExpr") walkNode(x.index, (y) => {
      if (y.kind === "Ident") indexVars.push(y);
      return true;
    });
    return true;
  });
  const decls = [decl, ...indexVars.map((v) => pass.types.objectOf(v)?.decl).filter((d) => !!d)];
  for (const l of cfg.loopsContaining(at.block)) {
    if (decls.some((d) => pos(l.stmt) <= d.namePos && d.namePos < end(l.stmt))) return false;
  }
  return true;
}
function checkAcquireFailure(pass, file, fn, cfg, locks) {
  const results = fn.type.results?.list ?? [];
  const last = results[results.length - 1]?.type;
  if (!fn.body || last?.kind !== "Ident" || last.name !== "error") return;
  const failures = [];
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind === "ReturnStmt" && x.results?.length) {
      const r = unparen(x.results[x.results.length - 1]);
      if (!(r.kind === "Ident" && r.name === "nil")) failures.push(x);
    }
    return true;
  });
  if (failures.length === 0) return;
  const node = callGraphOf(pass).nodeOf(fn);
  const leaking = [];
  for (const e of node?.in ?? []) {
    if (e.kind !== "call" || e.site.kind !== "CallExpr") continue;
    const cf = pass.fileOf(e.site);
    const ret = cf ? errorBranchKeeps(pass, cf, e.site) : void 0;
    if (cf && ret) leaking.push({ e, file: cf, ret });
  }
  if (leaking.length === 0) return;
  for (const { stmt, lc } of locks) {
    const unlock = UNLOCK_FOR[lc.method];
    const m = { expr: lc.mutex, path: varPath(pass, lc.mutex) };
    const deferred = deferredReleases(pass, file, fn, cfg, m, unlock);
    const guards = guardConds(fn, stmt).map((c) => textOf(file, c));
    const avoid = (n) => n !== stmt && (guards.length > 0 && n.kind !== "ExprStmt" && guards.includes(textOf(file, n)) || deferred.has(n) || releases(pass, n, m, unlock));
    const ret = failures.find((r) => cfg.pathExists(stmt, r, avoid));
    if (!ret) continue;
    for (const { e, file: cf, ret: leak } of leaking) {
      const mu = textOf(file, lc.mutex);
      const fname = funcName(file, fn);
      pass.report({
        node: stmt,
        file,
        confidence: lc.typed ? "high" : "medium",
        message: `${fname} returns ${textOf(file, unparen(ret.results[ret.results.length - 1]))} on line ${lineOf(file, ret)} with ${mu} still locked, and ${funcName(cf, e.caller.decl ?? e.caller.lit)} (line ${lineOf(cf, leak)}${cf !== file ? ` of ${cf.path}` : ""}) leaves on that error without unlocking, as callers of a failed call do: ${mu} stays locked and the next ${mu}.${lc.method}() blocks forever; call ${mu}.${unlock}() before returning the error`,
        related: [{ node: ret, message: `returns the error with ${mu} held` }, { node: leak, file: cf, message: "leaves on the error without unlocking" }]
      });
      break;
    }
  }
}
function errorBranchKeeps(pass, file, call) {
  const fn = enclosingFuncDecl(file, call);
  if (!fn?.body) return void 0;
  let out;
  walkNode(fn.body, (x) => {
    if (out) return false;
    const list = stmtListOf(x);
    if (!list) return true;
    list.forEach((st, i) => {
      if (out) return;
      let assign;
      let test;
      if (st.kind === "IfStmt" && st.init?.kind === "AssignStmt" && unparen(st.init.rhs[0]) === call) [assign, test] = [st.init, st];
      else if (st.kind === "AssignStmt" && st.rhs.length === 1 && unparen(st.rhs[0]) === call && list[i + 1]?.kind === "IfStmt") [assign, test] = [st, list[i + 1]];
      if (!assign || !test || assign.kind !== "AssignStmt") return;
      const errVar = unparen(assign.lhs[assign.lhs.length - 1]);
      const c = unparen(test.cond);
      if (errVar.kind !== "Ident" || c.kind !== "BinaryExpr" || c.op !== "!=" || textOf(file, c.x) !== errVar.name || textOf(file, c.y) !== "nil") return;
      if (lockCallsIn(pass, test.body).length > 0 || packageCallsIn(pass, test.body).length > 0) return;
      const r = test.body.list?.[test.body.list.length - 1];
      if (r?.kind === "ReturnStmt") out = r;
    });
    return !out;
  });
  return out;
}
function checkFunc(pass, file, fn) {
  if (!fn.body || !callsMethodNamed(fn.body, LOCKS)) return;
  let cfg = cfgOf(pass, fn);
  if (!cfg) return;
  let panicking = false;
  walkNode(fn.body, (x) => {
    if (panicking || x.kind === "FuncLit") return false;
    const c = x.kind === "ExprStmt" ? exprStmtCall(x) : null;
    if (c && !isPanicCall(c) && pass.alwaysPanics(c)) panicking = true;
    return !panicking;
  });
  if (panicking) {
    const g = callGraphOf(pass);
    cfg = buildCFG(fn.body, { mayReturn: (c) => g.mayReturn(c), panics: (c) => pass.alwaysPanics(c) });
  }
  const locks = [];
  for (const ref of cfg.entries({ liveOnly: true })) {
    const lc = lockStmt(pass, ref.node);
    if (lc && (lc.method === "Lock" || lc.method === "RLock")) locks.push({ stmt: ref.node, lc });
  }
  if (locks.length === 0) return;
  if (intentionalAcquire(fn) && !requestHandler(pass, file, fn)) {
    if (fn.kind === "FuncDecl") checkAcquireFailure(pass, file, fn, cfg, locks);
    return;
  }
  const fname = funcName(file, fn);
  for (const { stmt, lc } of locks) {
    const unlock = UNLOCK_FOR[lc.method];
    const m = { expr: lc.mutex, path: varPath(pass, lc.mutex) };
    const { direct, inLiterals } = allUnlocks(pass, fn, m, unlock);
    if (inLiterals) continue;
    if (direct.length === 0 && !(m.path && cfg.blocks.some((b) => b.nodes.some((n) => packageCallsIn(pass, n).length > 0 && releases(pass, n, m, unlock))))) continue;
    const deferred = deferredReleases(pass, file, fn, cfg, m, unlock);
    if (deferred.size > 0 && !cfg.pathExists(cfg.entry, stmt, (n) => n !== stmt && deferred.has(n))) continue;
    if (!cfg.pathExists(cfg.entry, stmt, (n) => n !== stmt && releases(pass, n, m, unlock))) continue;
    if (relocksUnderSameGuard(pass, file, fn, lc.call, (u) => u.method === unlock && sameMutex(pass, m, u.mutex))) continue;
    if (m.path && handsOutUnlock(pass, fn, m.path, unlock)) continue;
    if (fn.kind === "FuncLit" && releasedByEnclosingDefer(pass, file, fn, m, unlock)) continue;
    const guards = guardConds(fn, stmt).map((c) => textOf(file, c));
    const muText = textOf(file, lc.mutex);
    for (const g of [`${muText} != nil`, `nil != ${muText}`]) if (textOf(file, fn.body).includes(g)) guards.push(g);
    for (const flag of flagsSetAfter(fn, stmt)) {
      let releasing = false;
      walkNode(fn.body, (x) => {
        if (releasing || x.kind === "FuncLit") return false;
        if (x.kind === "IfStmt" && textOf(file, x.cond) === flag && unlocksIn(pass, x.body, m, unlock)) releasing = true;
        return !releasing;
      });
      if (releasing) guards.push(flag);
    }
    const avoid = (n) => {
      if (n !== stmt && guards.length > 0 && n.kind !== "ExprStmt" && guards.includes(textOf(file, n))) return true;
      return deferred.has(n) || releases(pass, n, m, unlock);
    };
    const mu = textOf(file, lc.mutex);
    const held = m.path ? formatPath(m.path) : mu;
    const misses = exhaustiveSwitchMisses(pass, cfg);
    const avoidBlock = misses.size > 0 ? (b) => misses.has(b) : void 0;
    const again = lc.method === "Lock" && sameMutexEachTime(pass, cfg, stmt, lc.mutex) ? cfg.findPath(stmt, stmt, { avoid: (n) => n !== stmt && avoid(n), avoidBlock }) : null;
    if (again) {
      const branch = again.flatMap((b) => b.nodes).find((n) => n.kind === "BranchStmt" && (n.tok === "continue" || n.tok === "goto"));
      const how = branch ? `the ${branch.tok} on line ${lineOf(file, branch)} goes` : "the loop goes";
      pass.report({
        node: stmt,
        file,
        confidence: lc.typed ? "high" : "medium",
        message: `${mu}.${lc.method}() on line ${lineOf(file, stmt)} is not released before ${how} back to it: the next iteration's ${mu}.${lc.method}() blocks on the lock the goroutine still holds and deadlocks; call ${mu}.${unlock}() before the ${branch ? branch.tok : "next iteration"}, or move the locked part into a function with defer ${mu}.${unlock}()`,
        related: [{ node: branch ?? stmt, message: branch ? `${branch.tok} with ${held} held` : "locked again on the next iteration" }]
      });
      continue;
    }
    if (lc.method === "RLock" && direct.length > 0) {
      const mine = loopsAround(fn.body, stmt);
      const apart = (u) => {
        const theirs = loopsAround(fn.body, u.call);
        return theirs.length > 0 && !theirs.some((l) => mine.includes(l));
      };
      if (mine.length > 0 && direct.every(apart)) continue;
    }
    const path = cfg.findPath(stmt, "exit", { avoid, avoidBlock });
    if (path && lc.method === "Lock" && path.some((b) => b.nodes.some((n) => n !== stmt && lockCallsIn(pass, n).some((l) => l.call !== lc.call && l.method === "Lock" && sameMutex(pass, m, l.mutex))))) continue;
    if (path && lc.method === "Lock" && locks.some((o) => o.stmt !== stmt && o.lc.method === "Lock" && sameMutex(pass, m, o.lc.mutex) && cfg.pathExists(o.stmt, stmt, (n) => n !== o.stmt && releases(pass, n, m, unlock)))) continue;
    const releasers = path && direct.length > 0 ? releasersOf(pass, lc.mutex, unlock) : void 0;
    if (path && releasers && setsMarker(path, releasers)) continue;
    if (path && releasers && signalMutex(pass, lc.mutex, fn)) continue;
    if (path && releasers && !releasesOnSuccess(fn, direct)) {
      const kept = /* @__PURE__ */ new Set();
      let p = path;
      while (p) {
        const r = returnOfPath(p);
        if (!r || !successReturn(fn, r, direct)) break;
        kept.add(r);
        p = cfg.findPath(stmt, "exit", { avoid: (n) => kept.has(n) || avoid(n), avoidBlock });
      }
      if (!p) continue;
    }
    if (!path) {
      const toPanic = cfg.findPath(stmt, "panic", { avoid, avoidBlock });
      const last = toPanic?.[toPanic.length - 1]?.nodes.at(-1);
      if (!toPanic || !last) continue;
      const call = last.kind === "ExprStmt" ? unparen(last.x) : void 0;
      const arg = call?.kind === "CallExpr" && isPanicCall(call) && call.args?.length === 1 ? unparen(call.args[0]) : void 0;
      pass.report({
        node: stmt,
        file,
        severity: "high",
        confidence: arg?.kind === "BasicLit" ? "low" : "medium",
        message: `${mu}.${lc.method}() on line ${lineOf(file, stmt)} is not released before ${call?.kind === "CallExpr" && !isPanicCall(call) ? `${textOf(file, call)} on line ${lineOf(file, last)}, which always panics` : `the panic on line ${lineOf(file, last)}`}: if anything recovers it (net/http recovers handler panics, and so do worker pools), ${held} stays locked and the next ${mu}.Lock() deadlocks; use defer ${mu}.${unlock}() right after the lock, which also runs when panicking`,
        related: [{ node: last, message: "panics with the lock held" }]
      });
      continue;
    }
    const ret = returnOfPath(path);
    const where2 = ret ? `the return on line ${lineOf(file, ret)}` : `the end of ${fname}`;
    const late = [...deferred][0];
    const fix = late ? void 0 : fixFor(file, cfg, stmt, lc, unlock, direct);
    const remedy = late ? `move the defer ${callText(file, late.call)} on line ${lineOf(file, late)} up to right after the lock, or call ${mu}.${unlock}() on that path` : `call ${mu}.${unlock}() on that path or use defer ${mu}.${unlock}() right after the lock`;
    pass.report({
      node: stmt,
      file,
      confidence: lc.typed ? "high" : "medium",
      message: `${mu}.${lc.method}() on line ${lineOf(file, stmt)} is not released on the path to ${where2}: ${fname} returns with ${held} still held, so the next ${mu}.Lock() deadlocks; ${remedy}`,
      related: [{ node: ret ?? fn.body, message: ret ? "returns with the lock held" : "end of the function, reached with the lock held" }],
      ...fix ? { fixes: [fix] } : {}
    });
  }
}
function run11(pass) {
  for (const file of pass.files) {
    if (!sourceMentions(file, "Lock")) continue;
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => checkFunc(pass, file, fn));
  }
}
var analyzer11 = {
  meta: {
    id: ID11,
    severity: "critical",
    summary: "A mutex locked without a deferred unlock and a return (or the end of the function) reachable from the lock without passing an unlock.",
    enabledByDefault: true,
    fixable: true,
    category: "locking",
    docUrl: docUrl(ID11)
  },
  needs: (o) => bodyNeeds(o, { names: [...LOCK_NAMES] }),
  run: run11
};

// src/rules/defer-close-unchecked-write.ts
var ID12 = "defer-close-unchecked-write";
var helperOrigins = /* @__PURE__ */ new WeakMap();
function helperInner(pass, file, call) {
  const c = pass.types.callee(call);
  if (c?.pkg && c.pkg !== pass.pkg.importPath) return void 0;
  const decl = c?.decl;
  if (!decl?.body) return void 0;
  let inner = helperOrigins.get(decl);
  if (inner === void 0) {
    helperOrigins.set(decl, null);
    helperOrigins.set(decl, inner = returnedOrigin(pass, pass.fileOf(decl) ?? file, decl) ?? null);
  }
  return inner ?? void 0;
}
function helperOrigin(pass, file, e) {
  const call = unparen(e);
  if (call.kind !== "CallExpr") return void 0;
  const c = pass.types.callee(call);
  if (c && otherModuleFunc(pass, c)) return moduleHelperOrigin(pass, file, call, c);
  const inner = helperInner(pass, file, call);
  if (!inner) return void 0;
  const helper = textOf(file, call.fun);
  return { ...inner, call, name: inner.wrapperType ? helper : `${helper} (${inner.name} inside)` };
}
var MODULE_WRITER = { what: "io.WriteCloser", verb: "returned by", release: ["Close"], checked: ["Close"] };
function moduleWriterOrigin(pass, file, e) {
  const call = unparen(e);
  if (call.kind !== "CallExpr") return void 0;
  const c = pass.types.callee(call);
  if (!c || c.kind !== "func" && c.kind !== "method" && c.kind !== "interface" || !c.pkg || !inModule(pass, c.pkg)) return void 0;
  if (!/Create|Open|Writer/.test(c.short)) return void 0;
  const t = c.sig?.results?.[0]?.type;
  if (t?.kind !== "named" || t.pkg !== "io" || t.name !== "WriteCloser") return void 0;
  return { call, name: textOf(file, call.fun), res: MODULE_WRITER, typed: true };
}
function packageStruct(pass, e, throughVar) {
  let lit = unparen(e);
  if (throughVar && lit.kind === "Ident") {
    const v = definingValue(pass, lit);
    if (!v) return void 0;
    lit = unparen(v);
  }
  if (lit.kind === "UnaryExpr" && lit.op === "&") lit = unparen(lit.x);
  if (lit.kind !== "CompositeLit") return void 0;
  const t = pass.types.typeOf(lit);
  if (t?.kind !== "named" || t.pkg !== pass.pkg.importPath || t.underlying()?.kind !== "struct") return void 0;
  return { lit, t };
}
function wrapperOrigin(pass, declFile, r) {
  const ps = packageStruct(pass, r, true);
  if (!ps) return void 0;
  const { lit, t } = ps;
  let inner;
  for (const el of lit.elts ?? []) {
    let v = unparen(el.kind === "KeyValueExpr" ? el.value : el);
    if (v.kind === "Ident") v = definingValue(pass, v) ?? v;
    const o = writeOrigin(pass, declFile, v);
    if (o && o.res.wraps !== "recv" && !inner) inner = o;
  }
  if (!inner) return void 0;
  const reads = (lit.elts ?? []).some((el) => {
    const v = unparen(el.kind === "KeyValueExpr" ? el.value : el);
    return v.kind === "CallExpr" && ["bufio.NewReader", "bufio.NewReaderSize", "bufio.NewScanner"].includes(pass.types.callee(v)?.name ?? "");
  });
  if (reads) return void 0;
  const methods = wrapperMethods(pass, t.name);
  if (!methods.has("Close")) return void 0;
  const checked = ["Close", "Flush", "Sync"].filter((m) => methods.has(m));
  return {
    call: inner.call,
    name: t.name,
    typed: inner.typed,
    wrapperType: t.name,
    res: { what: `${t.name} wrapping the ${inner.res.what} ${inner.res.verb} ${inner.name},`, verb: "returned by", release: ["Close"], checked }
  };
}
function embeddedOrigin(pass, file, e) {
  const ps = packageStruct(pass, e, false);
  const u = ps?.t.underlying();
  if (!ps || u?.kind !== "struct") return void 0;
  const { lit, t } = ps;
  for (const el of lit.elts ?? []) {
    if (el.kind !== "KeyValueExpr" || el.key.kind !== "Ident") continue;
    const key = el.key.name;
    if (!u.fields.some((f) => f.embedded && f.name === key)) continue;
    let v = unparen(el.value);
    if (v.kind === "Ident") v = definingValue(pass, v) ?? v;
    const o = writeOrigin(pass, file, v);
    if (!o || o.res.wraps === "recv") continue;
    const release = o.res.release.filter((m) => !methodsNamed(pass, m).some((d) => recvTypeName(d) === t.name));
    if (release.length === 0) continue;
    return { ...o, wrapperType: t.name, res: { ...o.res, what: `${t.name} embedding the ${o.res.what}`, verb: `${o.res.verb}`, release } };
  }
  return void 0;
}
function returnsOnlyNil(d) {
  let returns = 0;
  let ok = true;
  walkSameFunc(d.body, (x) => {
    if (!ok) return false;
    if (x.kind === "ReturnStmt") {
      returns++;
      const last = x.results?.[x.results.length - 1];
      if (!last || unparen(last).kind !== "Ident" || unparen(last).name !== "nil") ok = false;
    }
    return ok;
  });
  return ok && returns > 0;
}
function wrapperMethods(pass, typeName2) {
  const out = /* @__PURE__ */ new Set();
  for (const name of ["Close", "Flush", "Sync"]) {
    for (const d of methodsNamed(pass, name)) {
      if (!d.body || recvTypeName(d) !== typeName2) continue;
      const res = d.type.results?.list ?? [];
      const last = res[res.length - 1]?.type;
      if (!last || unparen(last).kind !== "Ident" || unparen(last).name !== "error") continue;
      if (returnsOnlyNil(d)) continue;
      let releases2 = false;
      inspect(d.body, (x) => {
        if (releases2) return false;
        if (x.kind === "CallExpr") {
          const mc = methodCallOn(x);
          if (mc && ["Close", "Flush", "Sync"].includes(mc.method)) releases2 = true;
        }
        return !releases2;
      });
      if (releases2) out.add(name);
    }
  }
  return out;
}
function namesWriteFlag(e) {
  let found = false;
  inspect(e, (x) => {
    if (!found && x.kind === "SelectorExpr" && /^O_(WRONLY|RDWR|APPEND|CREATE|TRUNC)$/.test(x.sel.name)) found = true;
    return !found;
  });
  return found;
}
function moduleHelperOrigin(pass, file, call, c) {
  const d = pass.moduleFunc(c.pkg, c.short, c.recv?.name, "os.");
  if (!d?.body) return void 0;
  const calls = returnedQualifiedCalls(d.body);
  let name;
  let ok = !!calls;
  for (const r of calls ?? []) {
    const n = r.qual === "os" ? `os.${r.name}` : void 0;
    const writes = n === "os.OpenFile" && !!r.call.args?.[1] && namesWriteFlag(r.call.args[1]);
    if (!n || n !== "os.Create" && n !== "os.CreateTemp" && !writes || name && name !== n) ok = false;
    else name = n;
  }
  const res = ok && name ? WRITE_RESOURCES[name] : void 0;
  if (!res || !name) return void 0;
  return { call, name: `${textOf(file, call.fun)} (${name} inside)`, res, typed: false };
}
function returnedOrigin(pass, declFile, decl) {
  const first = decl.type.results?.list?.[0]?.type;
  if (!first || unparen(first).kind !== "StarExpr" && unparen(first).kind !== "SelectorExpr" && unparen(first).kind !== "Ident") return void 0;
  let inner;
  let ok = true;
  walkSameFunc(decl.body, (x) => {
    if (!ok || x.kind !== "ReturnStmt") return ok;
    const r = x.results?.[0] ? unparen(x.results[0]) : void 0;
    if (!r) {
      ok = false;
      return false;
    }
    if (r.kind === "Ident" && r.name === "nil") return true;
    const v = r.kind === "Ident" ? definingValue(pass, r) : r;
    const o = (v ? writeOrigin(pass, declFile, v) : void 0) ?? wrapperOrigin(pass, declFile, r) ?? embeddedOrigin(pass, declFile, r) ?? (v && unparen(v).kind === "CallExpr" ? helperInner(pass, declFile, unparen(v)) : void 0);
    if (!o || o.res.wraps === "recv" || inner && inner.name !== o.name) ok = false;
    else {
      const { under: _under, ...rest } = o;
      inner = rest;
    }
    return ok;
  });
  return ok ? inner : void 0;
}
function funcVarCalls(pass, fn, call) {
  const f = unparen(call.fun);
  if (f.kind !== "Ident" || !fn.body) return void 0;
  const obj = pass.types.objectOf(f);
  if (obj?.kind !== "var") return void 0;
  const values = [];
  let other = false;
  const given = (names, vals) => names.forEach((l, i) => {
    const u = unparen(l);
    if (u.kind !== "Ident" || pass.types.objectOf(u) !== obj) return;
    if (vals && vals.length === names.length) values.push(vals[i]);
    else other = true;
  });
  inspect(fn.body, (x) => {
    if (other) return false;
    if (x.kind === "AssignStmt") given(x.lhs, x.rhs);
    else if (x.kind === "ValueSpec") given(x.names, x.values);
    else if (x.kind === "UnaryExpr" && x.op === "&") {
      const u = unparen(x.x);
      if (u.kind === "Ident" && pass.types.objectOf(u) === obj) other = true;
    }
    return !other;
  });
  if (other || values.length === 0) return void 0;
  const out = [];
  for (const v of values) {
    const u = unparen(v);
    if (u.kind !== "Ident" && u.kind !== "SelectorExpr") return void 0;
    out.push({ ...call, fun: u });
  }
  return out;
}
function funcVarOrigin(pass, file, fn, e) {
  const call = unparen(e);
  if (call.kind !== "CallExpr") return void 0;
  const calls = funcVarCalls(pass, fn, call);
  if (!calls) return void 0;
  let first;
  for (const c of calls) {
    const o = writeOrigin(pass, file, c) ?? helperOrigin(pass, file, c);
    if (!o) return void 0;
    first ??= o;
  }
  return first && { ...first, call, name: `${textOf(file, call.fun)} (${first.name})` };
}
function bindingsIn(pass, file, fn) {
  const out = [];
  let deferredRecv;
  const deferredOn = (name) => {
    if (!deferredRecv) {
      const names = /* @__PURE__ */ new Set();
      walkSameFunc(fn.body, (x) => {
        if (x.kind === "DeferStmt") {
          for (const dc of deferredCalls(x)) {
            const m = methodCallOn(boundCall(pass, dc.call));
            const r = m ? unparen(m.recv) : void 0;
            if (r?.kind === "Ident") names.add(r.name);
          }
          return false;
        }
        return true;
      });
      deferredRecv = names;
    }
    return deferredRecv.has(name);
  };
  const consider = (lhs, rhs, at) => {
    if (!rhs || rhs.length !== 1) {
      if (rhs && rhs.length === lhs.length) rhs.forEach((r, i) => consider([lhs[i]], [r], at));
      return;
    }
    const first = unparen(lhs[0]);
    if (first.kind !== "Ident" || first.name === "_") return;
    const origin = writeOrigin(pass, file, rhs[0]) ?? (deferredOn(first.name) ? helperOrigin(pass, file, rhs[0]) ?? embeddedOrigin(pass, file, rhs[0]) ?? moduleWriterOrigin(pass, file, rhs[0]) ?? moduleWrapperOrigin(pass, file, rhs[0]) ?? funcVarOrigin(pass, file, fn, rhs[0]) : void 0);
    if (origin) {
      out.push({ id: first, origin, at });
      return;
    }
    let src = unparen(rhs[0]);
    if (src.kind === "CallExpr" && src.args?.length === 1 && pass.types.callee(src)?.kind === "conversion") src = unparen(src.args[0]);
    if (src.kind === "Ident" && deferredOn(first.name) && !deferredOn(src.name)) {
      const b = bindingAt(pass, out, src, at);
      if (b && !checkedIn(fn.body, (r) => r.kind === "Ident" && sameVar(pass, r, src), ["Close", "Sync", "Flush"], void 0)) out.push({ id: first, origin: b.origin, at });
    }
  };
  walkSameFunc(fn.body, (x) => {
    if (x.kind === "AssignStmt") consider(x.lhs, x.rhs, pos(x));
    else if (x.kind === "ValueSpec") consider(x.names, x.values, pos(x));
    return true;
  });
  return out;
}
function bindingAt(pass, bindings, id, at) {
  let found;
  for (const b of bindings) if (b.at < at && sameVar(pass, b.id, id)) found = b;
  return found;
}
function checkedElsewhere(pass, fn, id, methods, except) {
  const isTarget = (recv) => samePath2(pass, recv, id);
  if (!checkedIn(fn.body, isTarget, methods, except)) return false;
  if (methods.length === 1 && methods[0] === "Error") {
    const direct = /* @__PURE__ */ new Set();
    const flushes = [];
    const errors = [];
    inspect(fn.body, (x) => {
      if (x.kind === "DeferStmt" || x.kind === "GoStmt") direct.add(x.call);
      else if (x.kind === "CallExpr" && !direct.has(x)) {
        const m = methodCallOn(x);
        if (m && isTarget(unparen(m.recv))) {
          if (m.method === "Flush") flushes.push(pos(x));
          else if (m.method === "Error") errors.push(pos(x));
        }
      }
      return true;
    });
    return flushes.some((f) => errors.some((e) => f < e));
  }
  return true;
}
function checkedIn(body, isTarget, methods, except) {
  let found = false;
  const dropped = /* @__PURE__ */ new Set();
  const visit = (n) => {
    if (found) return false;
    if (n.kind === "ExprStmt") dropped.add(unparen(n.x));
    else if (n.kind === "DeferStmt" || n.kind === "GoStmt") dropped.add(n.call);
    else if (n.kind === "AssignStmt" && n.lhs.every((l) => l.kind === "Ident" && l.name === "_")) for (const r of n.rhs) dropped.add(unparen(r));
    else if (n.kind === "CallExpr" && n !== except && !dropped.has(n)) {
      const m = methodCallOn(n);
      if (m && methods.includes(m.method) && isTarget(unparen(m.recv))) found = true;
    }
    return !found;
  };
  inspect(body, visit);
  return found;
}
function samePath2(pass, a, b) {
  a = unparen(a);
  b = unparen(b);
  if (a.kind === "Ident") return b.kind === "Ident" && sameVar(pass, a, b);
  if (a.kind === "SelectorExpr") return b.kind === "SelectorExpr" && a.sel.name === b.sel.name && samePath2(pass, a.x, b.x);
  return false;
}
function fieldPath(e) {
  const x = unparen(e);
  if (x.kind !== "SelectorExpr") return void 0;
  let r = unparen(x.x);
  while (r.kind === "SelectorExpr") r = unparen(r.x);
  return r.kind === "Ident" ? x : void 0;
}
function localFieldBinding(pass, file, fn, path, at) {
  let found;
  const root = unparen(path.x);
  const consider = (lhs, rhs, pos2) => {
    if (!rhs || pos2 >= at) return;
    lhs.forEach((l, i) => {
      const v = rhs.length === lhs.length ? rhs[i] : i === 0 && rhs.length === 1 ? rhs[0] : void 0;
      if (!v) return;
      if (samePath2(pass, l, path)) {
        const o = writeOrigin(pass, file, v);
        found = o ? { id: path.sel, origin: o, at: pos2 } : void 0;
        return;
      }
      if (root.kind !== "Ident" || !samePath2(pass, l, root)) return;
      let lit = unparen(v);
      if (lit.kind === "UnaryExpr" && lit.op === "&") lit = unparen(lit.x);
      if (lit.kind !== "CompositeLit") return;
      found = void 0;
      for (const e of lit.elts ?? []) {
        if (e.kind !== "KeyValueExpr" || unparen(e.key).kind !== "Ident" || unparen(e.key).name !== path.sel.name) continue;
        const o = writeOrigin(pass, file, e.value);
        if (o) found = { id: path.sel, origin: o, at: pos2 };
      }
    });
  };
  walkSameFunc(fn.body, (x) => {
    if (x.kind === "AssignStmt") consider(x.lhs, x.rhs, pos(x));
    else if (x.kind === "ValueSpec") consider(x.names, x.values, pos(x));
    return true;
  });
  return found;
}
var fieldFactsCache = /* @__PURE__ */ new WeakMap();
function fieldFacts(pass, key, methods) {
  let cache = fieldFactsCache.get(pass.files);
  if (!cache) fieldFactsCache.set(pass.files, cache = /* @__PURE__ */ new Map());
  const hit = cache.get(key);
  if (hit) return hit;
  const all = fieldStores(pass);
  let origin;
  let agree = !all.addressed.has(key);
  const list = all.stores.get(key) ?? [];
  for (const { file, value } of list) {
    if (!agree) break;
    if (!value) {
      agree = false;
      break;
    }
    const u = unparen(value);
    if (u.kind === "Ident" && u.name === "nil") continue;
    const o2 = writeOrigin(pass, file, value);
    if (!o2 || origin && origin.res !== o2.res) agree = false;
    else origin ??= o2;
  }
  const o = agree && list.length > 0 ? origin : void 0;
  let checked = false;
  if (o) {
    const isField = (recv) => recv.kind === "SelectorExpr" && recv.sel.name === key.slice(key.lastIndexOf(".") + 1) && selectorFieldKey(pass, recv) === key;
    for (const file of pass.files) {
      for (const d of file.file.decls ?? []) {
        if (d.kind === "FuncDecl" && d.body && checkedIn(d.body, isField, methods(o), void 0)) checked = true;
      }
    }
  }
  const facts = { origin: o, checked };
  cache.set(key, facts);
  return facts;
}
var READ_ONLY_ARGS = {
  "io.ReadAll": [0],
  "io.ReadFull": [0],
  "io.ReadAtLeast": [0],
  "io.Copy": [1],
  "io.CopyN": [1],
  "io.CopyBuffer": [1],
  "io.LimitReader": [0],
  "io.NewSectionReader": [0],
  "io.TeeReader": [0],
  "bufio.NewReader": [0],
  "bufio.NewReaderSize": [0],
  "bufio.NewScanner": [0],
  "encoding/json.NewDecoder": [0],
  "encoding/xml.NewDecoder": [0],
  "encoding/gob.NewDecoder": [0],
  "encoding/csv.NewReader": [0],
  "compress/gzip.NewReader": [0]
};
var WRITE_METHODS = /^(Write|WriteString|WriteAt|WriteByte|WriteRune|WriteTo|ReadFrom|WriteAll|WriteHeader|Create|CreateHeader|CreateRaw|CreatePart|CreateFormFile|CreateFormField|WriteField|Copy|AddFS|Encode)$/;
function writtenThrough(pass, fn, id, origin, wrapper) {
  let found = false;
  const isV = (e) => samePath2(pass, e, id);
  const idx = unparen(id);
  const holder = idx.kind === "SelectorExpr" ? idx.x : void 0;
  const field = idx.kind === "SelectorExpr" ? idx.sel.name : "";
  const usesField = (decl) => {
    if (!decl?.body) return false;
    let uses = false;
    inspect(decl.body, (y) => {
      if (uses) return false;
      if (y.kind === "SelectorExpr" && y.sel.name === field) uses = true;
      return !uses;
    });
    return uses;
  };
  inspect(fn.body, (x) => {
    if (found) return false;
    if (x === origin) return false;
    if (x.kind === "CallExpr") {
      const m = methodCallOn(x);
      if (m && isV(m.recv) && WRITE_METHODS.test(m.method)) found = true;
      else if (m && wrapper && isV(m.recv) && !["Close", "Flush", "Sync"].includes(m.method) && pass.types.callee(x)?.decl) found = true;
      else if (m && holder && samePath2(pass, m.recv, holder) && usesField(pass.types.callee(x)?.decl)) found = true;
      else {
        const readOnly = READ_ONLY_ARGS[pass.types.callee(x)?.name ?? ""];
        if ((x.args ?? []).some((a, i) => isV(a) && !readOnly?.includes(i))) found = true;
      }
    } else if (x.kind === "AssignStmt" && x.rhs.some(isV)) found = true;
    else if (x.kind === "ValueSpec" && (x.values ?? []).some(isV)) found = true;
    else if (x.kind === "ReturnStmt" && (x.results ?? []).some(isV)) found = true;
    else if (x.kind === "CompositeLit" && (x.elts ?? []).some((e) => isV(e.kind === "KeyValueExpr" ? e.value : e))) found = true;
    return !found;
  });
  return found;
}
function removedAtExit(pass, file, fn, id, origin) {
  const created = origin.args?.[0];
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found || x.kind !== "DeferStmt") return !found;
    for (const dc of deferredCalls(x)) {
      const c = callName(pass, file, dc.call);
      if (c?.name !== "os.Remove" && c?.name !== "os.RemoveAll") continue;
      const arg = dc.call.args?.[0] ? unparen(dc.call.args[0]) : void 0;
      if (!arg) continue;
      if (arg.kind === "CallExpr") {
        const m = methodCallOn(arg);
        const recv = m ? unparen(m.recv) : void 0;
        if (m?.method === "Name" && recv?.kind === "Ident" && sameVar(pass, recv, id)) found = true;
      } else if (created && origin.args.length >= 1 && c.name === "os.Remove" && sameExpr(arg, created) && unparen(created).kind !== "BasicLit") found = true;
    }
    return !found;
  });
  return found;
}
function testsErrorNotNil(pass, cond) {
  let found = false;
  inspect(cond, (x) => {
    if (found) return false;
    if (x.kind === "BinaryExpr" && x.op === "!=") {
      const [a, b] = [unparen(x.x), unparen(x.y)];
      const other = b.kind === "Ident" && b.name === "nil" ? a : a.kind === "Ident" && a.name === "nil" ? b : void 0;
      if (other) {
        const t = pass.types.typeOf(other);
        if (t ? t.kind === "named" && t.pkg === "" && t.name === "error" : other.kind === "Ident" && /err/i.test(other.name)) found = true;
      }
    }
    return !found;
  });
  return found;
}
function onFailureOnly(pass, lit, call) {
  let found = false;
  const at = pos(call);
  inspect(lit.body, (x) => {
    if (found) return false;
    if (x.kind === "IfStmt" && pos(x.body) <= at && at < end(x.body) && testsErrorNotNil(pass, x.cond)) found = true;
    return !found;
  });
  return found;
}
function underClosedFirst(pass, fn, d, origin) {
  const under3 = origin.under ? unparen(origin.under) : void 0;
  if (under3?.kind !== "Ident") return false;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind !== "DeferStmt") return true;
    if (pos(x) <= pos(d)) return false;
    for (const dc of deferredCalls(x)) {
      const m = methodCallOn(dc.call);
      const r = m ? unparen(m.recv) : void 0;
      if (m?.method === "Close" && r?.kind === "Ident" && sameVar(pass, r, under3)) found = true;
    }
    return false;
  });
  return found;
}
function run12(pass) {
  const includeTests = pass.options.rules[ID12]?.tests === true;
  for (const file of pass.files) {
    if (file.test && !includeTests) continue;
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => {
      if (!fn.body || !file.inspector.contains(fn, ["DeferStmt"])) return;
      const bindings = bindingsIn(pass, file, fn);
      walkSameFunc(fn.body, (x) => {
        if (x.kind !== "DeferStmt") return true;
        for (const dc of deferredCalls(x)) {
          if (!dc.discarded) continue;
          const m = methodCallOn(boundCall(pass, dc.call));
          const recv = m ? unparen(m.recv) : void 0;
          if (m && recv?.kind === "SelectorExpr") {
            checkField(pass, file, fn, x, dc, m.method, recv);
            continue;
          }
          if (!m || recv?.kind !== "Ident") continue;
          const b = bindingAt(pass, bindings, recv, pos(x));
          if (!b || !b.origin.res.release.includes(m.method)) continue;
          if (dc.lit && onFailureOnly(pass, dc.lit, dc.call)) continue;
          if (!writtenThrough(pass, fn, recv, b.origin.call, b.origin.wrapperType)) continue;
          if (b.origin.res.what.endsWith("file") && removedAtExit(pass, file, fn, recv, b.origin.call)) continue;
          if (checkedElsewhere(pass, fn, recv, b.origin.res.checked, dc.call)) continue;
          if (underClosedFirst(pass, fn, x, b.origin) && checkedElsewhere(pass, fn, recv, ["Flush"], dc.call)) continue;
          report3(pass, file, fn, x, dc.call, recv, b);
        }
        return true;
      });
    });
  }
}
var RELEASES = new Set(Object.values(WRITE_RESOURCES).flatMap((r) => r.release));
function checkField(pass, file, fn, d, dc, method, recv) {
  if (!RELEASES.has(method) || !fieldPath(recv)) return;
  let b = localFieldBinding(pass, file, fn, recv, pos(d));
  let packageWide = false;
  if (!b) {
    const key = selectorFieldKey(pass, recv);
    if (!key) return;
    const facts = fieldFacts(pass, key, (o) => o.res.checked);
    if (!facts.origin || facts.checked) return;
    b = { id: recv.sel, origin: facts.origin, at: 0 };
    packageWide = true;
  }
  if (!b.origin.res.release.includes(method)) return;
  if (dc.lit && onFailureOnly(pass, dc.lit, dc.call)) return;
  if (!writtenThrough(pass, fn, recv, packageWide ? void 0 : b.origin.call)) return;
  if (checkedElsewhere(pass, fn, recv, b.origin.res.checked, dc.call)) return;
  report3(pass, file, fn, d, dc.call, recv, b, packageWide);
}
function report3(pass, file, fn, d, call, recv, b, packageWide = false) {
  const { origin } = b;
  const v = { name: textOf(file, recv) };
  const res = origin.res;
  const callText2 = textOf(file, call);
  const line = lineOf(file, origin.call);
  const what = packageWide ? `${res.what} that the package stores in ${v.name} (${res.verb} ${origin.name} on line ${line}${pass.fileOf(origin.call) && pass.fileOf(origin.call) !== file ? ` of ${pass.fileOf(origin.call).path}` : ""})` : `${res.what} ${res.verb} ${origin.name} on line ${line}`;
  const fname = funcName(file, fn);
  let message2;
  if (res.errorVia) {
    message2 = `deferred ${callText2} discards the write errors of the ${what} (${res.errorVia}), so rows that fail to reach the underlying writer when ${fname} returns are lost silently; call ${v.name}.Flush() on the success path and check ${v.name}.Error()`;
  } else {
    const checks = res.checked.map((c) => `${v.name}.${c}()`).join(" or ");
    const results = (fn.type.results?.list ?? []).length > 0;
    message2 = results ? `deferred ${callText2} discards the error of the ${what}, so data that fails to reach its destination when ${fname} returns is lost silently; join the error into a named result with \`defer func() { err = errors.Join(err, ${callText2}) }()\` or call ${checks} on the success path and check its error` : `deferred ${callText2} discards the error of the ${what}, so data that fails to reach its destination when ${fname} returns is lost silently; ${fname} returns nothing, so call ${checks} on the success path and handle its error (log it or report it)`;
  }
  pass.report({
    node: d.call === call ? d : call,
    file,
    message: message2,
    confidence: origin.typed && !packageWide ? "high" : "medium",
    related: [{ node: origin.call, message: `${v.name} is ${/^[aeiou]/i.test(res.what) ? "an" : "a"} ${res.what} ${res.verb} ${origin.name}` }]
  });
}
var analyzer12 = {
  meta: {
    id: ID12,
    severity: "high",
    summary: "A deferred Close or Flush of a file or writer opened for writing drops its error, so failed final writes are lost silently.",
    enabledByDefault: true,
    fixable: false,
    category: "lifetime",
    docUrl: docUrl(ID12)
  },
  needs: (o) => bodyNeeds(o, { kinds: ["DeferStmt"] }, { deferred: true }),
  run: run12
};

// src/rules/defer-order-inverted.ts
var ID13 = "defer-order-inverted";
var UNDERLYING_CLOSE = /* @__PURE__ */ new Set(["Close"]);
function wrapsIn(pass, file, fn) {
  const out = [];
  walkSameFunc(fn.body, (x) => {
    let lhs;
    let rhs;
    if (x.kind === "AssignStmt") [lhs, rhs] = [x.lhs, x.rhs];
    else if (x.kind === "ValueSpec") [lhs, rhs] = [x.names, x.values];
    if (!lhs || !rhs || rhs.length !== 1) return true;
    const w = unparen(lhs[0]);
    if (w.kind !== "Ident" && w.kind !== "SelectorExpr" || w.kind === "Ident" && w.name === "_" || !rootIdent(w)) return true;
    let origin = writeOrigin(pass, file, rhs[0], true) ?? moduleWrapperOrigin(pass, file, rhs[0], true);
    const mw = origin?.under ? unparen(origin.under) : void 0;
    if (origin && mw?.kind === "CallExpr" && pass.types.callee(mw)?.name === "io.MultiWriter") {
      const args = (mw.args ?? []).filter((a) => rootIdent(a));
      const pick = args.find((a) => closedInDefer(pass, fn, a)) ?? args[0];
      origin = pick ? { ...origin, under: pick } : origin;
    }
    if (origin?.under && rootIdent(origin.under)) out.push({ w, origin, at: pos(x) });
    return true;
  });
  return out;
}
function closedInDefer(pass, fn, e) {
  const root = rootIdent(e);
  if (!root) return false;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found || x.kind !== "DeferStmt") return !found;
    found = releasesOf(pass, x).some((r) => {
      const rr = r.method === "Close" ? rootIdent(r.recv) : void 0;
      return !!rr && sameVar(pass, rr, root);
    });
    return false;
  });
  return found;
}
function same(pass, e, target) {
  if (!sameExpr(e, target)) return false;
  const a = rootIdent(e);
  const b = rootIdent(target);
  return !!a && !!b && sameVar(pass, a, b);
}
function wrapOf(pass, wraps, w, at) {
  const e = unparen(w);
  if (e.kind !== "Ident" && e.kind !== "SelectorExpr") return void 0;
  let found;
  for (const x of wraps) if (x.at < at && same(pass, x.w, e)) found = x;
  return found;
}
function chainBelow(pass, wraps, top) {
  const out = [];
  let cur = top;
  const seen = /* @__PURE__ */ new Set();
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    const under3 = cur.origin.under;
    const next = wrapOf(pass, wraps, under3, cur.at);
    out.push({ expr: under3, wrap: next, via: cur });
    cur = next;
  }
  return out;
}
function releasesOf(pass, d) {
  const out = [];
  for (const dc of deferredCalls(d)) {
    const m = methodCallOn(dc.call);
    if (m) out.push({ dc, recv: m.recv, method: m.method });
    const callee = m ? void 0 : pass.types.callee(dc.call)?.decl;
    (dc.call.args ?? []).forEach((a, i) => {
      const x = unparen(a);
      if (x.kind === "SelectorExpr" && rootIdent(x.x) && pass.types.typeOf(x)?.kind === "signature") {
        out.push({ dc, recv: x.x, method: x.sel.name });
      } else if (callee?.body && rootIdent(x) && x.kind !== "UnaryExpr") {
        const param = (callee.type.params.list ?? []).flatMap((f) => f.names ?? [])[i];
        if (!param) return;
        let closes = false;
        walkSameFunc(callee.body, (y) => {
          if (closes) return false;
          if (y.kind === "CallExpr") {
            const mm = methodCallOn(y);
            const r = mm ? unparen(mm.recv) : void 0;
            if (mm?.method === "Close" && r?.kind === "Ident" && r.name === param.name) closes = true;
          }
          return !closes;
        });
        if (closes) out.push({ dc, recv: x, method: "Close" });
      }
    });
  }
  return out;
}
function releasedExplicitly(pass, fn, r, methods) {
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found || x.kind === "DeferStmt" || x.kind === "ForStmt" || x.kind === "RangeStmt") return false;
    if (x.kind === "CallExpr") {
      const m = methodCallOn(x);
      if (m && methods.includes(m.method) && same(pass, m.recv, r.recv)) found = true;
    }
    return !found;
  });
  return found;
}
function run13(pass) {
  for (const file of pass.files) {
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => {
      if (!fn.body || !file.inspector.contains(fn, ["DeferStmt"])) return;
      const wraps = wrapsIn(pass, file, fn);
      if (wraps.length === 0) return;
      const defers = [];
      walkSameFunc(fn.body, (x) => {
        if (x.kind === "DeferStmt") defers.push(x);
        return true;
      });
      if (defers.length === 0) return;
      const reported = /* @__PURE__ */ new Set();
      const releases2 = defers.map((d) => releasesOf(pass, d));
      defers.forEach((d1, i) => {
        for (const r1 of releases2[i]) {
          const top = wrapOf(pass, wraps, r1.recv, pos(d1));
          if (!top || !top.origin.res.release.includes(r1.method)) continue;
          const res = top.origin.res;
          if (!res.release.includes("Rollback") && releasedExplicitly(pass, fn, r1, res.release)) continue;
          const chain = chainBelow(pass, wraps, top);
          for (const r0 of releases2[i]) {
            if (r0 === r1) break;
            const hit = matchUnder(pass, chain, r0);
            if (hit && !reported.has(r0.dc.call)) {
              reported.add(r0.dc.call);
              report4(pass, file, r0, r1, top, hit, "same");
            }
          }
          for (let j = i + 1; j < defers.length; j++) {
            const d2 = defers[j];
            if (!registeredAfter(pass, fn, d1, d2)) continue;
            for (const r2 of releases2[j]) {
              const hit = matchUnder(pass, chain, r2);
              if (hit && !reported.has(r2.dc.call)) {
                reported.add(r2.dc.call);
                report4(pass, file, r2, r1, top, hit, "later");
              }
            }
          }
        }
      });
    });
  }
}
function matchUnder(pass, chain, r) {
  for (const c of chain) {
    if (!same(pass, r.recv, c.expr)) continue;
    const ends = c.wrap ? c.wrap.origin.res.release.includes(r.method) || r.method === "Close" : UNDERLYING_CLOSE.has(r.method);
    if (ends) return c;
  }
  return void 0;
}
function registeredAfter(pass, fn, d1, d2) {
  const g = cfgOf(pass, fn);
  if (!g || !g.isEntry(d1) || !g.isEntry(d2)) return pos(d2) > pos(d1);
  return g.canReach(d1, d2);
}
function report4(pass, file, early, late, top, hit, how) {
  const earlyText = textOf(file, early.dc.call);
  const lateText = textOf(file, late.dc.call);
  const under3 = textOf(file, hit.expr);
  const res = top.origin.res;
  const w = textOf(file, top.w);
  const wrapText = textOf(file, top.origin.call);
  const lateLine = lineOf(file, late.dc.call);
  const tx = res.wraps === "recv";
  let severity;
  let consequence;
  if (res.closeWaits) {
    severity = "critical";
    consequence = `${earlyText} waits for ${w} to be released (a *sql.Conn closes only when its operations have finished), and ${lateText}, which would release it, runs only after it: ${res.closeWaits.replace("{w}", w)} deadlocks the function, unless the context of ${w} is cancelled`;
  } else if (tx && !top.origin.name.startsWith("(*database/sql.")) {
    consequence = `${lateText} then runs against a store that ${earlyText} has already closed: the rollback can fail, and a store whose Close waits for open transactions deadlocks here`;
  } else if (tx) {
    severity = "medium";
    consequence = `${lateText} then runs against a closed database (database/sql keeps only the transaction's own connection open, and a driver whose connector releases shared state on Close can fail the rollback)`;
  } else {
    const into = hit.via === top ? "" : ` through ${textOf(file, hit.via.w)}`;
    const flushedOnly = hit.wrap && !hit.wrap.origin.res.release.includes("Close") && early.method !== "Close";
    consequence = flushedOnly ? `${lateText} then writes the rest of the ${res.what} ${w}'s data${into} into ${under3} after its last flush, where it stays buffered and is lost` : `${lateText} then writes the rest of the ${res.what} ${w}'s data${into} into an already closed ${under3} and that data is lost`;
  }
  const fix = res.closeWaits ? `defer ${under3}.Close() before making ${w}, so that it runs after ${w} is released` : tx ? `defer ${under3}.Close() before starting ${w}, or end ${w} explicitly before closing ${under3}` : `register the deferred close of ${under3} before creating ${w}, or close ${w} explicitly and check its error before ${under3} is closed`;
  const message2 = how === "later" ? `the deferred ${earlyText} runs before the deferred ${lateText} registered on line ${lateLine} because deferred calls run last in, first out: ${consequence}; ${fix}` : `${earlyText} runs before ${lateText} in the same deferred function: ${consequence}; close ${w} first`;
  pass.report({
    node: early.dc.lit ? early.dc.call : early.dc.defer,
    file,
    message: message2,
    ...severity ? { severity } : {},
    confidence: top.origin.typed ? "high" : "medium",
    related: [
      { node: late.dc.lit ? late.dc.call : late.dc.defer, message: `${lateText}, which still needs ${under3}` },
      { node: top.origin.call, message: `${w} wraps ${textOf(file, top.origin.under)}` }
    ]
  });
}
var analyzer13 = {
  meta: {
    id: ID13,
    severity: "high",
    summary: "Deferred calls run last in, first out: a file or connection is closed before the writer over it flushes into it.",
    enabledByDefault: true,
    fixable: false,
    category: "lifetime",
    docUrl: docUrl(ID13)
  },
  needs: deferNeeds,
  run: run13
};

// src/rules/defer-nil-func.ts
var ID14 = "defer-nil-func";
function under2(t) {
  return t?.kind === "named" ? t.underlying() : t;
}
function isNil2(pass, e) {
  const x = unparen(e);
  if (x.kind !== "Ident" || x.name !== "nil") return false;
  const o = pass.types.objectOf(x);
  return !o || o.kind === "nil";
}
function impliesNonNil(pass, cond, subject, want, ok) {
  const c = unparen(cond);
  if (c.kind === "UnaryExpr" && c.op === "!") return impliesNonNil(pass, c.x, subject, !want, ok);
  if (ok && c.kind === "Ident" && sameVar(pass, c, ok)) return want;
  if (c.kind === "BinaryExpr") {
    if (c.op === "&&" && want) return impliesNonNil(pass, c.x, subject, true, ok) || impliesNonNil(pass, c.y, subject, true, ok);
    if (c.op === "||" && !want) return impliesNonNil(pass, c.x, subject, false, ok) || impliesNonNil(pass, c.y, subject, false, ok);
    if (c.op === "!=" || c.op === "==") {
      const other = isNil2(pass, c.y) ? c.x : isNil2(pass, c.x) ? c.y : void 0;
      if (!other || !sameExpr(other, subject)) return false;
      return c.op === "!=" ? want : !want;
    }
  }
  return false;
}
function assigns(n, isSubject) {
  let found = false;
  walkNode(n, (x) => {
    if (found) return false;
    if (x.kind === "AssignStmt" && x.lhs.some((l) => isSubject(l))) found = true;
    else if (x.kind === "ValueSpec" && x.names.some((l) => isSubject(l))) found = true;
    else if (x.kind === "UnaryExpr" && x.op === "&" && isSubject(x.x)) found = true;
    else if (x.kind === "Ident" && n === x && isSubject(x)) found = true;
    return !found;
  });
  return found;
}
function nilPathTo(pass, g, start, d, subject, isSubject, zeroTrips = false, ok) {
  const assigning = /* @__PURE__ */ new Set();
  for (const b of g.blocks) if (b.nodes.some((n) => assigns(n, isSubject))) assigning.add(b);
  const loopAssigns = /* @__PURE__ */ new Set();
  for (const info of g.loops.values()) {
    if (zeroTrips && info.stmt.kind === "RangeStmt" && !lengthTested(g, info.stmt)) continue;
    for (const m of info.members) {
      if (assigning.has(m)) {
        loopAssigns.add(info.header);
        break;
      }
    }
  }
  const seen = /* @__PURE__ */ new Set();
  const queue = [start];
  while (queue.length > 0) {
    const { block, index } = queue.shift();
    let blocked = false;
    for (let i = index; i < block.nodes.length; i++) {
      const n = block.nodes[i];
      if (n === d) return true;
      if (assigns(n, isSubject)) {
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    const control = block.term === "branch" ? block.control : null;
    const cond = control?.kind === "IfStmt" ? control.cond : null;
    block.succs.forEach((s, k) => {
      if (cond && k <= 1 && impliesNonNil(pass, cond, subject, k === 0, ok)) return;
      if (loopAssigns.has(s) || seen.has(s)) return;
      seen.add(s);
      queue.push({ block: s, index: 0 });
    });
  }
  return false;
}
function isBlank(e) {
  const x = unparen(e);
  return x.kind === "Ident" && x.name === "_";
}
function nilReturnOf(pass, call, index = 0) {
  let callee = callGraphOf(pass).calleeOf(call)?.decl;
  if (!callee) {
    const c = pass.types.callee(call);
    if (c && otherModuleFunc(pass, c)) callee = pass.moduleFunc(c.pkg, c.short, c.recv?.name, "nil");
  }
  if (!callee?.body) return void 0;
  const types = [];
  for (const f of callee.type.results?.list ?? []) for (let k = 0; k < Math.max(1, f.names?.length ?? 0); k++) if (f.type) types.push(f.type);
  const rt = types[index];
  if (!rt || under2(pass.types.typeOf(rt))?.kind !== "signature" && unparen(rt).kind !== "FuncType") return void 0;
  const named = (t, name) => {
    const tt = pass.types.typeOf(t);
    return tt?.kind === "named" && tt.name === name && !tt.pkg || tt?.kind === "basic" && tt.name === name || unparen(t).kind === "Ident" && unparen(t).name === name;
  };
  if (types.length > 1 && types.some((t) => named(t, "bool"))) return void 0;
  const errorSlots = new Set(types.flatMap((t, k) => named(t, "error") ? [k] : []));
  const nilLiteral = (e) => unparen(e).kind === "Ident" && unparen(e).name === "nil";
  let ret;
  const dead = /* @__PURE__ */ new Set();
  walkSameFunc(callee.body, (x) => {
    const list = x.kind === "BlockStmt" ? x.list : x.kind === "CaseClause" || x.kind === "CommClause" ? x.body : null;
    list?.forEach((st, k) => {
      const prev = k > 0 ? list[k - 1] : void 0;
      if (st.kind === "ReturnStmt" && prev?.kind === "ExprStmt" && unparen(prev.x).kind === "CallExpr" && endsFlow(pass, unparen(prev.x))) dead.add(st);
    });
    return true;
  });
  walkSameFunc(callee.body, (x) => {
    if (ret) return false;
    if (x.kind !== "ReturnStmt" || dead.has(x)) return x.kind !== "ReturnStmt";
    const r = x.results?.length === types.length ? x.results[index] : void 0;
    const silent = (e) => isNil2(pass, e) || mapLookup(pass, e);
    if (r && silent(r) && x.results.every((o, k) => k === index || (errorSlots.has(k) ? nilLiteral(o) : silent(o) || under2(pass.types.typeOf(o))?.kind === "signature"))) ret = x;
    return !ret;
  });
  return ret;
}
function whenNil(pass, file, call, ret, value) {
  const callee = textOf(file, call.fun);
  const own = pass.fileOf(ret);
  if (!own) return `${callee} takes a \`return ${(ret.results ?? []).map((r) => unparen(r).kind === "Ident" ? unparen(r).name : "...").join(", ")}\` in its package`;
  const rf = own;
  return mapLookup(pass, value) ? `the map lookup ${textOf(rf, value)} that ${callee} returns on line ${lineOf(rf, ret)} misses` : `${callee} takes its \`return nil\` on line ${lineOf(rf, ret)}`;
}
function mapLookup(pass, e) {
  const x = unparen(e);
  return x.kind === "IndexExpr" && under2(pass.types.typeOf(x.x))?.kind === "map";
}
function lengthTested(g, r) {
  let found = false;
  for (const b of g.blocks) {
    const c = b.term === "branch" ? b.control : null;
    const cond = c?.kind === "IfStmt" ? c.cond : c?.kind === "ForStmt" ? c.cond : null;
    if (!cond || found) continue;
    walkNode(cond, (x) => {
      if (found) return false;
      if (x.kind === "CallExpr" && unparen(x.fun).kind === "Ident" && unparen(x.fun).name === "len" && x.args?.[0] && sameExpr(x.args[0], r.x)) found = true;
      return !found;
    });
  }
  return found;
}
function assignFix(v) {
  return `assign ${v.name} on every path (e.g. to a no-op func) or guard the defer with \`if ${v.name} != nil\``;
}
function nilSource(pass, file, fn, v, d) {
  const obj = pass.types.objectOf(v);
  if (obj && obj.kind !== "var") return void 0;
  if (obj && obj.varKind !== "local" && obj.varKind !== "result") return void 0;
  if (obj?.type && under2(obj.type)?.kind !== "signature") return void 0;
  for (const f of fn.type.results?.list ?? []) {
    for (const n of f.names ?? []) {
      if (n.name === v.name && (obj ? obj.decl === n : true)) {
        return { after: null, says: `${v.name} is nil on a path from the start of ${funcName(file, fn)} (a named result starts as nil) to this defer`, related: { node: n, message: `${v.name} declared here` }, fix: assignFix(v) };
      }
    }
  }
  const decl = obj?.decl;
  let found;
  walkSameFunc(fn.body, (x) => {
    if (pos(x) >= pos(d)) return false;
    if (x.kind === "DeclStmt" && x.decl.kind === "GenDecl" && x.decl.tok === "var") {
      for (const s of x.decl.specs ?? []) {
        if (s.kind !== "ValueSpec") continue;
        const i = s.names.findIndex((n) => decl ? n === decl : n.name === v.name);
        if (i < 0) continue;
        const val = s.values?.[i];
        const multi = !!s.values && s.values.length === 1 && s.names.length > 1;
        if (val && !isNil2(pass, val) || multi) {
          found = void 0;
          continue;
        }
        if (!decl && !(s.type && unparen(s.type).kind === "FuncType")) continue;
        found = { after: x, says: `${v.name} is nil on a path from its declaration on line ${lineOf(file, x)} to this defer`, related: { node: s.names[i], message: `${v.name} declared without a value here` }, fix: assignFix(v) };
      }
    } else if (x.kind === "AssignStmt" && x.tok === ":=" && decl) {
      const i = x.lhs.findIndex((l) => l === decl);
      if (i >= 0) {
        const val = x.lhs.length === x.rhs.length ? unparen(x.rhs[i]) : void 0;
        const okId = i === 0 && x.lhs.length === 2 && x.rhs.length === 1 && unparen(x.lhs[1]).kind === "Ident" && !isBlank(x.lhs[1]) ? unparen(x.lhs[1]) : void 0;
        const blankOk = i === 0 && x.lhs.length === 2 && x.rhs.length === 1 && (isBlank(x.lhs[1]) || okId) ? unparen(x.rhs[0]) : void 0;
        const lookup = val ?? (blankOk?.kind === "IndexExpr" ? blankOk : void 0);
        if (lookup?.kind === "IndexExpr" && under2(pass.types.typeOf(lookup.x))?.kind === "map") {
          const text = textOf(file, lookup);
          found = { after: x, says: `${v.name} is nil when the map lookup ${text} on line ${lineOf(file, x)} misses`, related: { node: lookup, message: `${v.name} from ${text}, nil when the key is missing` }, fix: `look it up with \`${v.name}, ok := ${text}\` and defer ${v.name}() only when ok`, ...okId ? { ok: okId } : {} };
        } else if (blankOk?.kind === "TypeAssertExpr" && blankOk.type) {
          const text = textOf(file, blankOk);
          found = { after: x, says: `${v.name} is nil when the type assertion ${text} on line ${lineOf(file, x)} fails${okId ? "" : " (its ok result is discarded)"}`, related: { node: blankOk, message: `${v.name} from ${text}, nil when the value is not a ${textOf(file, blankOk.type)}` }, fix: `defer ${v.name}() only when ${okId ? okId.name : "the ok result"} is true`, ...okId ? { ok: okId } : {} };
        } else if (val?.kind === "CallExpr" && x.lhs.length === 1 || x.lhs.length > 1 && x.rhs.length === 1 && unparen(x.rhs[0]).kind === "CallExpr") {
          const call = val ?? unparen(x.rhs[0]);
          const nilRet = nilReturnOf(pass, call, x.lhs.length > 1 ? i : 0);
          const retVal = nilRet?.results?.[x.lhs.length > 1 ? i : 0];
          found = nilRet && retVal ? {
            after: x,
            says: `${v.name} is nil when ${whenNil(pass, file, call, nilRet, retVal)}`,
            related: { node: nilRet, message: `${textOf(file, call.fun)} returns a nil func here` },
            fix: `make ${textOf(file, call.fun)} return a no-op func instead of nil, or guard the defer with \`if ${v.name} != nil\``,
            confidence: "medium"
          } : void 0;
        } else found = void 0;
      }
    }
    return true;
  });
  return found;
}
function escapes(pass, fn, v) {
  let out = false;
  const isV = (e) => {
    const x = unparen(e);
    return x.kind === "Ident" && sameVar(pass, x, v);
  };
  inspect(fn.body, (x) => {
    if (out) return false;
    if (x.kind === "UnaryExpr" && x.op === "&" && isV(x.x)) out = true;
    if (x.kind === "FuncLit") {
      inspect(x.body, (y) => {
        if (y.kind === "AssignStmt" && y.lhs.some(isV)) out = true;
        return !out;
      });
      return false;
    }
    return !out;
  });
  return out;
}
function checkLocal(pass, file, fn, d, v) {
  const src = nilSource(pass, file, fn, v, d);
  if (!src || escapes(pass, fn, v)) return;
  const g = cfgOf(pass, fn);
  if (!g) return;
  let start;
  if (src.after) {
    const ref = g.locate(src.after);
    if (!ref) return;
    start = { block: ref.block, index: ref.index + 1 };
  } else start = { block: g.entry, index: 0 };
  const isSubject = (e) => {
    const x = unparen(e);
    return x.kind === "Ident" && sameVar(pass, x, v);
  };
  let zeroTrip = false;
  if (!nilPathTo(pass, g, start, d, v, isSubject, false, src.ok)) {
    if (!nilPathTo(pass, g, start, d, v, isSubject, true, src.ok)) return;
    zeroTrip = true;
  }
  const typed = !!pass.types.objectOf(v);
  const says = zeroTrip ? `${src.says.replace(/ to this defer$/, "")} when a loop that assigns it runs no iteration` : src.says;
  pass.report({
    node: d,
    file,
    message: `${says}, and a nil func value deferred here panics with a nil pointer dereference when the deferred calls run as ${funcName(file, fn)} returns (the defer statement itself does not fail); ${src.fix}`,
    confidence: typed && !zeroTrip ? src.confidence ?? "high" : "medium",
    ...src.related ? { related: [src.related] } : {}
  });
}
function checkMapCall(pass, file, fn, d, ix) {
  if (under2(pass.types.typeOf(ix.x))?.kind !== "map") return;
  let okLookup = false;
  walkSameFunc(fn.body, (x) => {
    if (okLookup || pos(x) >= pos(d)) return false;
    if (x.kind === "AssignStmt" && x.lhs.length === 2 && x.rhs.length === 1 && sameExpr(x.rhs[0], ix)) okLookup = true;
    return !okLookup;
  });
  if (okLookup) return;
  const g = cfgOf(pass, fn);
  if (!g) return;
  const isSubject = (e) => sameExpr(e, ix);
  if (!nilPathTo(pass, g, { block: g.entry, index: 0 }, d, ix, isSubject)) return;
  const call = textOf(file, d.call);
  const m = textOf(file, ix.x);
  const k = textOf(file, ix.index);
  pass.report({
    node: d,
    file,
    message: `the function in ${call} is nil when ${k} is not a key of ${m}, and a nil func value deferred here panics with a nil pointer dereference when the deferred calls run as ${funcName(file, fn)} returns; look it up with \`f, ok := ${textOf(file, ix)}\` and defer f() only when ok`
  });
}
function fieldOwner(pass, t, f, depth = 0) {
  if (!t || depth > 4) return void 0;
  if (t.kind === "pointer") t = t.elem;
  if (t.kind !== "named") return void 0;
  const u = t.underlying();
  if (u?.kind !== "struct") return void 0;
  for (const fld of u.fields) {
    if (fld.name === f && !fld.embedded) {
      return under2(fld.type)?.kind === "signature" && t.pkg === pass.pkg.importPath ? { name: t.name, pkg: t.pkg } : void 0;
    }
  }
  for (const fld of u.fields) {
    if (!fld.embedded) continue;
    const o = fieldOwner(pass, fld.type, f, depth + 1);
    if (o) return o;
  }
  return void 0;
}
var fieldSetCache = /* @__PURE__ */ new WeakMap();
function fieldsSet(pass) {
  let s = fieldSetCache.get(pass.files);
  if (s) return s;
  s = /* @__PURE__ */ new Set();
  const set = s;
  const addSel = (e) => {
    const owner = declaringStructType(pass.types.typeOf(e.x), e.sel.name);
    set.add(owner ? `${owner}.${e.sel.name}` : `?${e.sel.name}`);
  };
  for (const file of pass.files) {
    inspect(file.file, (x) => {
      if (x.kind === "AssignStmt") {
        for (const l of x.lhs) {
          const e = unparen(l);
          if (e.kind === "SelectorExpr") addSel(e);
        }
      } else if (x.kind === "UnaryExpr" && x.op === "&") {
        const e = unparen(x.x);
        if (e.kind === "SelectorExpr") addSel(e);
      } else if (x.kind === "CompositeLit") {
        const t = pass.types.typeOf(x);
        const named = t?.kind === "named" ? `${t.pkg}.${t.name}` : void 0;
        const u = under2(t);
        for (const el of x.elts ?? []) {
          if (el.kind === "KeyValueExpr") {
            if (el.key.kind === "Ident") set.add(named && u?.kind === "struct" ? `${named}.${el.key.name}` : `?${el.key.name}`);
          } else if (u?.kind === "struct") {
            for (const f of u.fields) set.add(named ? `${named}.${f.name}` : `?${f.name}`);
            break;
          } else if (!u) {
            set.add("*");
            break;
          }
        }
      }
      return true;
    });
  }
  fieldSetCache.set(pass.files, s);
  return s;
}
function exportedName(n) {
  return new RegExp("^\\p{Lu}", "u").test(n);
}
function checkLiteralField(pass, file, fn, d, sel) {
  const x = unparen(sel.x);
  if (x.kind !== "Ident") return false;
  const o = pass.types.objectOf(x);
  if (!o || o.kind !== "var" || o.varKind !== "local" || !o.decl) return false;
  let v = definingValue(pass, x);
  if (v && unparen(v).kind === "UnaryExpr" && unparen(v).op === "&") v = unparen(v).x;
  const lit = v ? unparen(v) : void 0;
  if (lit?.kind !== "CompositeLit" || !lit.type) return false;
  const st = under2(pass.types.typeOf(lit));
  const f = sel.sel.name;
  const field = st?.kind === "struct" ? st.fields.find((fl) => fl.name === f && !fl.embedded) : void 0;
  if (!field || under2(field.type)?.kind !== "signature") return false;
  if ((lit.elts ?? []).some((e) => e.kind !== "KeyValueExpr" || e.key.kind === "Ident" && e.key.name === f)) return false;
  const reads = /* @__PURE__ */ new Set([x, o.decl]);
  const fields = new Set(st.kind === "struct" ? st.fields.filter((fl) => !fl.embedded).map((fl) => fl.name) : []);
  inspect(fn.body, (y) => {
    if (y.kind === "SelectorExpr" && y.sel.name !== f && fields.has(y.sel.name)) {
      const b = unparen(y.x);
      if (b.kind === "Ident" && pass.types.objectOf(b) === o) reads.add(b);
    }
    return true;
  });
  let other = false;
  inspect(fn.body, (y) => {
    if (other) return false;
    if (y.kind === "Ident" && !reads.has(y) && pass.types.objectOf(y) === o) other = true;
    return !other;
  });
  if (other) return false;
  const def = pass.fileOf(lit) ?? file;
  pass.report({
    node: d,
    file,
    message: `${x.name} is built on line ${lineOf(def, lit)} by a composite literal that leaves its func field ${f} out, and nothing sets ${textOf(file, sel)} before this defer, so the deferred ${textOf(file, d.call)} calls a nil func and panics with a nil pointer dereference when ${funcName(file, fn)} returns; set ${f} in the literal or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    related: [{ node: lit, message: `${x.name} built here without ${f}` }]
  });
  return true;
}
function checkRangedLiteralField(pass, file, fn, d, sel) {
  const x = unparen(sel.x);
  if (x.kind !== "Ident") return false;
  const o = pass.types.objectOf(x);
  if (!o || o.kind !== "var" || !o.decl) return false;
  const declFile = pass.fileOf(o.decl);
  if (!declFile) return false;
  let loop;
  inspect(declFile.file, (y) => {
    if (loop) return false;
    if (pos(y) > pos(o.decl) || end(y) <= pos(o.decl)) return false;
    if (y.kind === "RangeStmt" && y.value && unparen(y.value) === o.decl) loop = y;
    return !loop;
  });
  const range = loop;
  if (!range) return false;
  const coll = unparen(range.x);
  if (coll.kind !== "Ident") return false;
  const v = definingValue(pass, coll);
  const lit = v ? unparen(v) : void 0;
  if (lit?.kind !== "CompositeLit") return false;
  const f = sel.sel.name;
  const et = pass.types.typeOf(x);
  const st = under2(et?.kind === "pointer" ? et.elem : et);
  const field = st?.kind === "struct" ? st.fields.find((fl) => fl.name === f && !fl.embedded) : void 0;
  if (!field || under2(field.type)?.kind !== "signature") return false;
  let missing;
  for (const e of lit.elts ?? []) {
    let el = unparen(e.kind === "KeyValueExpr" ? e.value : e);
    if (el.kind === "UnaryExpr" && el.op === "&") el = unparen(el.x);
    if (el.kind !== "CompositeLit") return false;
    const elts = el.elts ?? [];
    if (elts.length > 0 && elts.some((k) => k.kind !== "KeyValueExpr")) return false;
    if (!missing && !elts.some((k) => k.kind === "KeyValueExpr" && k.key.kind === "Ident" && k.key.name === f)) missing = el;
  }
  if (!missing) return false;
  let set = false;
  inspect(range.body, (y) => {
    if (set) return false;
    if (y.kind === "AssignStmt" && y.lhs.some((l) => unparen(l).kind === "SelectorExpr" && unparen(l).sel.name === f)) set = true;
    if (y.kind === "UnaryExpr" && y.op === "&" && unparen(y.x).kind === "Ident" && pass.types.objectOf(unparen(y.x)) === o) set = true;
    return !set;
  });
  if (set) return false;
  const def = pass.fileOf(missing) ?? file;
  pass.report({
    node: d,
    file,
    message: `${x.name} ranges over ${coll.name}, whose element on line ${lineOf(def, missing)} leaves its func field ${f} out, so for that element the deferred ${textOf(file, d.call)} calls a nil func and panics with a nil pointer dereference when ${funcName(file, fn)} returns; give every element a ${f} or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    related: [{ node: missing, message: `element without ${f}` }]
  });
  return true;
}
var nilTestCache = /* @__PURE__ */ new WeakMap();
function storedOnlyIfNonNil(pass, key) {
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key) ?? [];
  if (stores.length === 0 || fs.addressed.has(key)) return void 0;
  let first;
  for (const st of stores) {
    if (st.literal || !st.value) return void 0;
    const body = innermostFuncBody(st.file, st.value);
    if (!body) return void 0;
    let guard;
    walkSameFunc(body, (x) => {
      if (guard) return false;
      if (x.kind === "IfStmt" && !x.else && pos(x.body) <= pos(st.value) && pos(st.value) < end(x.body)) {
        const v = nilCompared(pass, unparen(x.cond));
        if (v && unparen(x.cond).op === "!=" && sameExpr(v, st.value)) guard = x;
      }
      return true;
    });
    if (!guard) return void 0;
    first ??= guard;
  }
  return first;
}
function nilCompared(pass, e) {
  if (e.kind !== "BinaryExpr" || e.op !== "==" && e.op !== "!=") return void 0;
  const [a, b] = [unparen(e.x), unparen(e.y)];
  return isNilIdent(pass, b) ? a : isNilIdent(pass, a) ? b : void 0;
}
function nilTestedFields(pass) {
  let m = nilTestCache.get(pass.files);
  if (m) return m;
  const out = /* @__PURE__ */ new Map();
  const copies = /* @__PURE__ */ new Map();
  const keyOf = (e) => {
    const o = declaringStructType(pass.types.typeOf(e.x), e.sel.name);
    return o ? `${o}.${e.sel.name}` : void 0;
  };
  for (const file of pass.files) {
    inspect(file.file, (x) => {
      if (x.kind === "AssignStmt" && x.tok === ":=" && x.lhs.length === 1 && x.rhs.length === 1 && x.lhs[0].kind === "Ident") {
        const r = unparen(x.rhs[0]);
        const k = r.kind === "SelectorExpr" ? keyOf(r) : void 0;
        const o = pass.types.objectOf(x.lhs[0]);
        if (k && o) copies.set(o, k);
      }
      return true;
    });
  }
  const defaults = /* @__PURE__ */ new Set();
  for (const file of pass.files) {
    inspect(file.file, (x) => {
      if (x.kind === "IfStmt" && x.cond.kind === "BinaryExpr" && x.cond.op === "==") {
        const v = nilCompared(pass, x.cond);
        const name = v?.kind === "SelectorExpr" ? v.sel.name : v?.kind === "Ident" ? v.name : void 0;
        if (!name) return true;
        walkSameFunc(x.body, (y) => {
          if (y.kind === "AssignStmt" && y.lhs.some((l) => {
            const u = unparen(l);
            return u.kind === "SelectorExpr" && u.sel.name === name || u.kind === "Ident" && u.name === name;
          })) defaults.add(x.cond);
          return true;
        });
      }
      return true;
    });
  }
  const testedParams = /* @__PURE__ */ new Map();
  for (const file of pass.files) {
    for (const d of file.file.decls ?? []) {
      if (d.kind !== "FuncDecl" || !d.body) continue;
      const params = [];
      for (const f of d.type.params.list ?? []) for (const n of f.names?.length ? f.names : [null]) params.push(n ? pass.types.objectOf(n) : void 0);
      if (!params.some((o) => o)) continue;
      const idx = /* @__PURE__ */ new Set();
      inspect(d.body, (x) => {
        const v = defaults.has(x) ? void 0 : nilCompared(pass, x);
        if (v?.kind === "Ident") {
          const i = params.indexOf(pass.types.objectOf(v));
          if (i >= 0) idx.add(i);
        }
        return true;
      });
      if (idx.size > 0) testedParams.set(d, [...idx]);
    }
  }
  for (const file of pass.files) {
    inspect(file.file, (x) => {
      if (x.kind === "CallExpr" && testedParams.size > 0) {
        const d = pass.types.callee(x)?.decl;
        for (const i of (d && testedParams.get(d)) ?? []) {
          const a = x.args?.[i] ? unparen(x.args[i]) : void 0;
          const k2 = a?.kind === "SelectorExpr" ? keyOf(a) : void 0;
          if (k2 && !out.has(k2)) out.set(k2, x);
        }
      }
      const v = defaults.has(x) ? void 0 : nilCompared(pass, x);
      if (!v) return true;
      const k = v.kind === "SelectorExpr" ? keyOf(v) : v.kind === "Ident" ? copies.get(pass.types.objectOf(v) ?? v) : void 0;
      if (k && !out.has(k)) out.set(k, x);
      return true;
    });
  }
  nilTestCache.set(pass.files, m = out);
  return m;
}
var nilStoresCache = /* @__PURE__ */ new WeakMap();
var nilStoresSeen = /* @__PURE__ */ new WeakMap();
function mayStoreNil(pass, key) {
  let m = nilStoresCache.get(pass.files);
  if (!m) {
    const out = /* @__PURE__ */ new Map();
    const nilable2 = (v) => {
      const u = unparen(v);
      if (u.kind === "FuncLit") return false;
      if (u.kind === "Ident") {
        if (u.name === "nil") return true;
        const o = pass.types.objectOf(u);
        if (!o) return true;
        if (o.kind === "func") return false;
        if (o.varKind === "param") return true;
        const def = definingValue(pass, u);
        return !def || unparen(def).kind === "Ident" && nilable2(def);
      }
      if (u.kind === "SelectorExpr") return declaringStructType(pass.types.typeOf(u.x), u.sel.name) !== void 0 || pass.types.typeOf(u.x) === void 0;
      return false;
    };
    const add = (k, optional) => {
      if (!k) return;
      out.set(k, (out.get(k) ?? false) || optional);
    };
    const keyOf = (u) => {
      const o = declaringStructType(pass.types.typeOf(u.x), u.sel.name);
      return o ? `${o}.${u.sel.name}` : void 0;
    };
    const seen = /* @__PURE__ */ new Set();
    const optionOf = (lit) => {
      const out2 = /* @__PURE__ */ new Set();
      for (const f of lit.type.params?.list ?? []) {
        for (const n of f.names ?? []) {
          let t = pass.types.objectOf(n)?.type;
          if (t?.kind === "pointer") t = t.elem;
          if (t?.kind === "named") out2.add(`${t.pkg}.${t.name}`);
        }
      }
      return out2;
    };
    const visit = (x, conditional, builds, options = /* @__PURE__ */ new Set()) => {
      if (x.kind === "AssignStmt") {
        x.lhs.forEach((l, i) => {
          const u = unparen(l);
          if (u.kind !== "SelectorExpr") return;
          const k = keyOf(u);
          if (!k) return;
          seen.add(k);
          const v = x.rhs.length === x.lhs.length ? x.rhs[i] : void 0;
          const owner = k.slice(0, k.lastIndexOf("."));
          if (builds.has(owner)) add(k, conditional || !v || nilable2(v));
          else if (options.has(owner)) add(k, true);
        });
      } else if (x.kind === "CompositeLit") {
        const t = pass.types.typeOf(x);
        const named = t?.kind === "named" ? `${t.pkg}.${t.name}` : void 0;
        if (named) {
          for (const el of x.elts ?? []) {
            if (el.kind !== "KeyValueExpr" || el.key.kind !== "Ident") continue;
            seen.add(`${named}.${el.key.name}`);
            add(`${named}.${el.key.name}`, nilable2(el.value));
          }
        }
      }
      const nested = conditional || x.kind === "IfStmt" || x.kind === "CaseClause" || x.kind === "CommClause";
      forEachChild(x, (c) => {
        if (c.kind === "FuncDecl") visit(c, false, built(c), fluentOf(c));
        else if (c.kind === "FuncLit") visit(c, false, builds, optionOf(c));
        else visit(c, nested, builds, options);
      });
    };
    const fluentOf = (fd) => {
      const out2 = /* @__PURE__ */ new Set();
      const recv = fd.recv?.list?.[0];
      const res = fd.type.results?.list ?? [];
      if (!recv?.type || res.length !== 1 || (res[0].names?.length ?? 0) > 1) return out2;
      const rt = pass.types.typeOf(recv.type);
      const named = rt?.kind === "pointer" ? rt.elem : rt;
      const resT = res[0].type ? pass.types.typeOf(res[0].type) : void 0;
      const same2 = (a, b) => !!a && !!b && (a === b || a.kind === "pointer" && b.kind === "pointer" && a.elem === b.elem);
      if (named?.kind === "named" && same2(rt, resT)) out2.add(`${named.pkg}.${named.name}`);
      return out2;
    };
    const built = (fd) => {
      const out2 = /* @__PURE__ */ new Set();
      if (fd.body) {
        inspect(fd.body, (y) => {
          if (y.kind === "CompositeLit") {
            const t = pass.types.typeOf(y);
            if (t?.kind === "named") out2.add(`${t.pkg}.${t.name}`);
          }
          return true;
        });
      }
      return out2;
    };
    for (const file of pass.files) visit(file.file, false, /* @__PURE__ */ new Set());
    for (const k of [...out.keys()]) if (!seen.has(k)) out.delete(k);
    nilStoresSeen.set(pass.files, seen);
    nilStoresCache.set(pass.files, m = out);
  }
  if (!nilStoresSeen.get(pass.files)?.has(key)) return true;
  return m.get(key) ?? false;
}
function defaultedBy(pass, sel) {
  const owner = unparen(sel.x);
  if (owner.kind !== "Ident") return false;
  const o = pass.types.objectOf(owner);
  if (!o || o.kind !== "var" || o.varKind !== "local") return false;
  const v = definingValue(pass, owner);
  const call = v ? unparen(v) : void 0;
  if (call?.kind !== "CallExpr") return false;
  const decl = pass.types.callee(call)?.decl;
  if (!decl?.body) return false;
  let sets = false;
  walkSameFunc(decl.body, (x) => {
    if (sets) return false;
    if (x.kind === "AssignStmt" && x.lhs.some((l) => {
      const u = unparen(l);
      return u.kind === "SelectorExpr" && u.sel.name === sel.sel.name;
    }) && x.rhs.every((r) => !isNil2(pass, r))) sets = true;
    return !sets;
  });
  return sets;
}
function checkNilTestedField(pass, file, fn, d, sel, owner) {
  const key = `${owner.pkg}.${owner.name}.${sel.sel.name}`;
  const tested = nilTestedFields(pass).get(key);
  const documented = tested ? void 0 : owner.pkg === pass.pkg.importPath ? optionalByDoc(pass, owner.name, sel.sel.name) : void 0;
  const setter = tested || documented || owner.pkg !== pass.pkg.importPath || exportedName(sel.sel.name) ? void 0 : setterOnly(pass, key);
  const omits = documented || setter || owner.pkg !== pass.pkg.importPath || exportedName(sel.sel.name) ? void 0 : constructorOmitting(pass, owner, sel.sel.name);
  const sibling = tested || documented || setter || omits ? void 0 : siblingHookTested(pass, owner, sel.sel.name);
  const copied = tested || documented || setter || omits || sibling || owner.pkg !== pass.pkg.importPath ? void 0 : storedOnlyIfNonNil(pass, key);
  const test = tested ?? documented ?? setter ?? omits?.lit ?? sibling?.test ?? copied;
  if (!test) return;
  if (!setter && !omits && !mayStoreNil(pass, key) && !(tested && owner.pkg === pass.pkg.importPath && !exportedName(sel.sel.name) && setterOnly(pass, key))) return;
  if (defaultedBy(pass, sel)) return;
  let handled = false;
  walkSameFunc(fn.body, (x) => {
    if (handled) return false;
    if (x.kind === "AssignStmt" && pos(x) < pos(d) && x.lhs.some((l) => {
      const u = unparen(l);
      return u.kind === "SelectorExpr" && u.sel.name === sel.sel.name;
    })) {
      handled = true;
      return false;
    }
    const v = nilCompared(pass, x);
    if (v?.kind === "SelectorExpr" && v.sel.name === sel.sel.name) handled = true;
    else if (v?.kind === "Ident") {
      const def = definingValue(pass, v);
      if (def && unparen(def).kind === "SelectorExpr" && unparen(def).sel.name === sel.sel.name) handled = true;
    }
    return !handled;
  });
  if (handled) return;
  if (fn.kind === "FuncLit") {
    const outer = enclosingFuncDecl(file, fn);
    if (outer?.body) {
      walkSameFunc(outer.body, (x) => {
        if (handled || pos(x) >= pos(fn)) return false;
        const v = nilCompared(pass, x);
        if (v?.kind === "SelectorExpr" && v.sel.name === sel.sel.name && textOf(file, v) === textOf(file, sel)) handled = true;
        return !handled;
      });
      if (handled) return;
    }
  }
  let conditional = false;
  walkSameFunc(fn.body, (x) => {
    if (conditional) return false;
    if ((x.kind === "IfStmt" || x.kind === "CaseClause" || x.kind === "CommClause") && pos(x) < pos(d) && end(x) > pos(d)) conditional = true;
    return !conditional;
  });
  if (conditional) return;
  const tf = pass.fileOf(test) ?? file;
  if (setter) {
    const name = setter.name.name;
    pass.report({
      node: d,
      file,
      confidence: "medium",
      message: `${owner.name}.${sel.sel.name} is set only by ${owner.name}.${name} (line ${lineOf(tf, setter)}${tf !== file ? ` of ${tf.path}` : ""}), so it is nil until someone calls that, but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is nil the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\` or give the field a no-op default where ${owner.name} is built`
    });
    return;
  }
  if (omits) {
    const name = omits.decl.name.name;
    pass.report({
      node: d,
      file,
      confidence: "medium",
      message: `${owner.name}.${sel.sel.name} is set only in composite literals, and ${name} (line ${lineOf(tf, omits.lit)}${tf !== file ? ` of ${tf.path}` : ""}) returns a ${owner.name} whose literal leaves ${sel.sel.name} out, so for a ${owner.name} made by ${name} the deferred ${textOf(file, d.call)} calls a nil func and panics with a nil pointer dereference as ${funcName(file, fn)} returns; give ${sel.sel.name} a no-op value in ${name} or guard the defer with \`if ${textOf(file, sel)} != nil\``
    });
    return;
  }
  if (sibling) {
    pass.report({
      node: d,
      file,
      confidence: "medium",
      message: `${owner.name}.${sel.sel.name} is a hook nothing in package ${pass.pkg.name} sets, like ${owner.name}.${sibling.field}, which the package tests against nil before calling it (line ${lineOf(tf, test)}${tf !== file ? ` of ${tf.path}` : ""}), but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is left unset the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\``
    });
    return;
  }
  if (copied) {
    pass.report({
      node: d,
      file,
      confidence: "medium",
      message: `${owner.name}.${sel.sel.name} is set only when the value copied into it is not nil (\`if ${textOf(tf, copied.cond)}\` on line ${lineOf(tf, copied)}${tf !== file ? ` of ${tf.path}` : ""}), so it stays nil otherwise, but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is nil the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\` or give the field a no-op default where ${owner.name} is built`
    });
    return;
  }
  if (documented) {
    pass.report({
      node: d,
      file,
      confidence: "medium",
      message: `${test.kind === "TypeSpec" ? `the comment on type ${owner.name} (line ${lineOf(tf, test)}${tf !== file ? ` of ${tf.path}` : ""}) says its func fields, ${sel.sel.name} among them, may be left unset` : `the comment on ${owner.name}.${sel.sel.name} (line ${lineOf(tf, test)}${tf !== file ? ` of ${tf.path}` : ""}) says it may be left unset`}, and ${storedOnlyByOptions(pass, key) ? "only a functional option sets it" : storedOnlyBySetters(pass, key) ? "only a setter its users may never call sets it" : `nothing in package ${pass.pkg.name} sets it`}, but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is nil the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\``
    });
    return;
  }
  pass.report({
    node: d,
    file,
    confidence: "medium",
    message: `the package tests ${owner.name}.${sel.sel.name} against nil (line ${lineOf(tf, test)}${tf !== file ? ` of ${tf.path}` : ""}), so it can be nil, but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is nil the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\``
  });
}
function constructorOmitting(pass, owner, field) {
  const key = `${owner.pkg}.${owner.name}.${field}`;
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key);
  if (!stores?.length || fs.addressed.has(key) || stores.some((st) => !st.literal || !st.value || isNil2(pass, st.value))) return void 0;
  for (const file of pass.files) {
    if (file.test) continue;
    for (const decl of file.file.decls ?? []) {
      if (decl.kind !== "FuncDecl" || !decl.body) continue;
      let found;
      walkSameFunc(decl.body, (x) => {
        if (found) return false;
        if (x.kind !== "ReturnStmt") return true;
        for (const r of x.results ?? []) {
          let e = unparen(r);
          if (e.kind === "UnaryExpr" && e.op === "&") e = unparen(e.x);
          if (e.kind !== "CompositeLit" || !e.elts?.length || !e.elts.every((el) => el.kind === "KeyValueExpr")) continue;
          const t = pass.types.typeOf(e);
          if (t?.kind !== "named" || t.pkg !== owner.pkg || t.name !== owner.name) continue;
          if (!e.elts.some((el) => el.kind === "KeyValueExpr" && unparen(el.key).kind === "Ident" && unparen(el.key).name === field)) found = e;
        }
        return false;
      });
      if (found) return { decl, lit: found };
    }
  }
  return void 0;
}
function setterOnly(pass, key) {
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key);
  const only = stores?.length === 1 ? stores[0] : void 0;
  if (fs.addressed.has(key) || !only) return void 0;
  const set = plainSetter(pass, only, false);
  if (!set) return void 0;
  const name = set.decl.name.name;
  if (!/^(?:[oO]n|[rR]egister)(?:[A-Z_]|$)/.test(name) && !(HOOK_NAME.test(set.field) && /^[sS]et[A-Z]/.test(name))) return void 0;
  return set.decl;
}
function plainSetter(pass, st, chaining) {
  if (st.literal || !st.value) return void 0;
  const fd = enclosingFuncDecl(st.file, st.value);
  const recv = fd?.recv?.list?.[0]?.names?.[0]?.name;
  if (!fd || !recv) return void 0;
  const isLocking = (x) => !!(x.kind === "DeferStmt" ? lockCall(pass, x.call) : lockStmt(pass, x));
  const rest = (fd.body?.list ?? []).filter((x) => !isLocking(x));
  const last = rest[rest.length - 1];
  const rv = chaining && rest.length === 2 && last?.kind === "ReturnStmt" && last.results?.length === 1 ? unparen(last.results[0]) : void 0;
  if (rest.length !== 1 && !(rv?.kind === "Ident" && rv.name === recv)) return void 0;
  const a = rest[0];
  if (a.kind !== "AssignStmt" || a.lhs.length !== 1 || a.rhs.length !== 1 || unparen(a.rhs[0]) !== unparen(st.value)) return void 0;
  const l = unparen(a.lhs[0]);
  const r = unparen(st.value);
  if (l.kind !== "SelectorExpr" || unparen(l.x).kind !== "Ident" || unparen(l.x).name !== recv) return void 0;
  if (r.kind !== "Ident" || !(fd.type.params.list ?? []).some((f) => (f.names ?? []).some((n) => n.name === r.name))) return void 0;
  return { decl: fd, field: l.sel.name };
}
function storedOnlyByOptions(pass, key) {
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key) ?? [];
  if (stores.length === 0 || fs.addressed.has(key)) return false;
  return stores.every((st) => {
    if (st.literal || !st.value) return false;
    const at = pos(st.value);
    const fd = enclosingFuncDecl(st.file, st.value);
    let inOption = false;
    walkSameFunc(fd?.body ?? st.value, (x) => {
      if (x.kind === "ReturnStmt") {
        for (const r of x.results ?? []) {
          const u = unparen(r);
          if (u.kind === "FuncLit" && pos(u) <= at && at < end(u)) inOption = true;
        }
      }
      return !inOption;
    });
    return inOption;
  });
}
function storedOnlyBySetters(pass, key) {
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key) ?? [];
  if (stores.length === 0 || fs.addressed.has(key)) return false;
  return stores.every((st) => !!plainSetter(pass, st, true));
}
var HOOK_NAME = /^(?:[Oo]n|[Aa]fter|[Bb]efore)[A-Z]|(?:Hook|Callback)$/;
function siblingHookTested(pass, owner, field) {
  if (owner.pkg !== pass.pkg.importPath || !HOOK_NAME.test(field)) return void 0;
  const key = `${owner.pkg}.${owner.name}.${field}`;
  const set = fieldsSet(pass);
  if (set.has(key) || set.has(`?${field}`) || set.has("*") || !mayStoreNil(pass, key)) return void 0;
  const tested = nilTestedFields(pass);
  for (const [k, test] of tested) {
    const prefix = `${owner.pkg}.${owner.name}.`;
    if (!k.startsWith(prefix)) continue;
    const other = k.slice(prefix.length);
    if (other === field || other.includes(".") || !HOOK_NAME.test(other) || set.has(k)) continue;
    return { field: other, test };
  }
  return void 0;
}
var OPTIONAL_DOC = /\b(?:if (?:it is |it's )?(?:set|non-nil|not nil|provided|given|present)|when (?:it is |it's )?(?:set|non-nil|provided)|optional(?:ly)?|(?:may|can|might) be (?:nil|left nil|unset|left unset)|nil (?:means|disables|to disable|for none)|if any)\b/i;
var TYPE_OPTIONAL_DOC = /\b(?:callbacks|hooks|handlers|funcs|functions|func fields)\b[^.]*\b(?:are (?:all )?optional|may be (?:nil|left nil|unset)|can be (?:nil|left nil|unset))\b/i;
function optionalByDoc(pass, typeName2, field) {
  const key = `${pass.pkg.importPath}.${typeName2}.${field}`;
  if (!mayStoreNil(pass, key) || fieldsSet(pass).has(key) && !storedOnlyByOptions(pass, key) && !storedOnlyBySetters(pass, key)) return void 0;
  for (const file of pass.files) {
    for (const d of file.file.decls ?? []) {
      if (d.kind !== "GenDecl" || d.tok !== "type") continue;
      for (const spec of d.specs ?? []) {
        if (spec.kind !== "TypeSpec" || spec.name.name !== typeName2 || spec.type.kind !== "StructType") continue;
        for (const f of spec.type.fields.list ?? []) {
          if (!(f.names ?? []).some((n) => n.name === field)) continue;
          const text = [f.doc, f.comment].flatMap((g) => g?.list ?? []).map((c) => c.text).join(" ");
          if (OPTIONAL_DOC.test(text)) return f;
          const typeText = [spec.doc, d.specs?.length === 1 ? d.doc : null].flatMap((g) => g?.list ?? []).map((c) => c.text.replace(/^\/\/\s?/, "")).join(" ");
          return TYPE_OPTIONAL_DOC.test(typeText) ? spec : void 0;
        }
      }
    }
  }
  return void 0;
}
function checkLocalStructField(pass, file, fn, d, sel) {
  const root = unparen(sel.x);
  if (root.kind !== "Ident" || !fn.body) return false;
  const o = pass.types.objectOf(root);
  if (!o || o.kind !== "var" || o.varKind !== "local" || !o.decl || under2(o.type)?.kind !== "struct") return false;
  if (pos(o.decl) < pos(fn.body) || pos(o.decl) >= end(fn.body)) return false;
  const def = definingValue(pass, root);
  if (def) {
    const cl = unparen(def);
    if (cl.kind !== "CompositeLit" || (cl.elts ?? []).some((e) => e.kind !== "KeyValueExpr" || e.key.kind === "Ident" && e.key.name === sel.sel.name)) return false;
  } else {
    let zero = false;
    walkSameFunc(fn.body, (x) => {
      if (x.kind === "ValueSpec" && !x.values?.length && x.names.includes(o.decl)) zero = true;
      return !zero;
    });
    if (!zero) return false;
  }
  const field = sel.sel.name;
  let other = false;
  const stores = [];
  const bases = /* @__PURE__ */ new Set();
  walkNode(fn.body, (x) => {
    if (other) return false;
    if (x.kind === "AssignStmt") {
      for (const l of x.lhs) {
        const u = unparen(l);
        if (u.kind === "SelectorExpr" && u.sel.name === field && unparen(u.x).kind === "Ident" && pass.types.objectOf(unparen(u.x)) === o) stores.push(x);
        if (u.kind === "Ident" && u !== root && pass.types.objectOf(u) === o && pos(u) !== pos(o.decl)) other = true;
      }
    }
    if (x.kind === "UnaryExpr" && x.op === "&" && unparen(x.x).kind === "Ident" && pass.types.objectOf(unparen(x.x)) === o) other = true;
    if (x.kind === "SelectorExpr" && unparen(x.x).kind === "Ident" && pass.types.objectOf(unparen(x.x)) === o) {
      bases.add(unparen(x.x));
      const t = pass.types.typeOf(x);
      if (t?.kind === "signature" && !under2(pass.types.typeOf(x.x))?.fields?.some((f) => f.name === x.sel.name)) other = true;
    }
    return !other;
  });
  if (other || stores.length === 0) return false;
  let tested = false;
  walkSameFunc(fn.body, (x) => {
    const v = tested ? void 0 : nilCompared(pass, x);
    if (v?.kind === "SelectorExpr" && v.sel.name === field) tested = true;
    return !tested;
  });
  if (tested) return false;
  let own = 0;
  walkSameFunc(fn.body, (x) => {
    if (x.kind === "AssignStmt" && stores.includes(x)) own++;
    return true;
  });
  if (own !== stores.length) return false;
  const cfg = cfgOf(pass, fn);
  if (!cfg || !cfg.locate(d)) return false;
  const storeSet = new Set(stores);
  const path = cfg.findPath(cfg.entry, d, { avoid: (n) => nodeContains(n, (x) => storeSet.has(x)) });
  if (!path) return false;
  pass.report({
    node: d,
    file,
    confidence: "medium",
    message: `${textOf(file, sel)} is set only on some paths (line ${lineOf(file, stores[0])}), and ${textOf(file, root)} starts with a nil ${field}, so on a path that skips the store the deferred ${textOf(file, d.call)} calls a nil func and panics with a nil pointer dereference when ${funcName(file, fn)} returns; give ${field} a no-op value where ${textOf(file, root)} is declared or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    related: [{ node: stores[0], message: `${textOf(file, sel)} set here, on some paths only` }]
  });
  return true;
}
function checkField2(pass, file, fn, d, sel) {
  const c = pass.types.callee(d.call);
  if (!c || c.kind !== "funcvalue") return;
  if (checkLiteralField(pass, file, fn, d, sel)) return;
  if (checkRangedLiteralField(pass, file, fn, d, sel)) return;
  if (checkLocalStructField(pass, file, fn, d, sel)) return;
  const f = sel.sel.name;
  const owner = fieldOwner(pass, pass.types.typeOf(sel.x), f);
  if (!owner) return;
  if (exportedName(f) && pass.pkg.name !== "main") {
    checkNilTestedField(pass, file, fn, d, sel, owner);
    return;
  }
  const set = fieldsSet(pass);
  if (set.has(`${owner.pkg}.${owner.name}.${f}`) || set.has(`?${f}`) || set.has("*")) {
    if (checkSetOnSomePaths(pass, file, fn, d, sel, `${owner.pkg}.${owner.name}.${f}`)) return;
    checkNilTestedField(pass, file, fn, d, sel, owner);
    return;
  }
  pass.report({
    node: d,
    file,
    message: `field ${f} of ${owner.name} is never set in package ${pass.pkg.name}, so ${textOf(file, sel)} is always nil and the deferred ${textOf(file, d.call)} panics with a nil pointer dereference when ${funcName(file, fn)} returns; set the field where ${owner.name} is built or guard the defer with \`if ${textOf(file, sel)} != nil\``
  });
}
function checkSetOnSomePaths(pass, file, fn, d, sel, key) {
  if (!fn.body || exportedName(sel.sel.name)) return false;
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key) ?? [];
  if (stores.length === 0 || fs.addressed.has(key)) return false;
  const inFn = (n) => !!n && pos(fn) <= pos(n) && pos(n) < end(fn);
  if (stores.some((st) => st.literal || st.file !== file || !inFn(st.value) || st.value && isNil2(pass, st.value))) return false;
  const root = unparen(sel.x);
  if (root.kind !== "Ident") return false;
  const cfg = cfgOf(pass, fn);
  if (!cfg) return false;
  const storesField = (n) => {
    let hit = false;
    walkNode(n, (x) => {
      if (hit || x.kind === "FuncLit") return false;
      if (x.kind === "AssignStmt") {
        for (const l of x.lhs) {
          const t = unparen(l);
          if (t.kind === "SelectorExpr" && t.sel.name === sel.sel.name && selectorFieldKey(pass, t) === key) hit = true;
        }
      }
      return !hit;
    });
    return hit;
  };
  const path = cfg.findPath(cfg.entry, d, { avoid: storesField });
  if (!path) return false;
  const first = stores[0].value;
  pass.report({
    node: d,
    file,
    confidence: "medium",
    message: `${textOf(file, sel)} is set only by ${funcName(file, fn)} itself (line ${lineOf(file, first)}), and a path reaches this defer without passing that store, so on a first call that takes it the field is still nil and the deferred ${textOf(file, d.call)} panics with a nil pointer dereference when ${funcName(file, fn)} returns; set the field where ${textOf(file, root)} is built or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    related: [{ node: first, message: `${textOf(file, sel)} set here, on some paths only` }]
  });
  return true;
}
function checkPackageVar(pass, file, fn, d, v) {
  const o = pass.types.objectOf(v);
  if (!o || o.kind !== "var" || o.varKind !== "package" || o.pkg !== pass.pkg.importPath || !o.decl) return o?.varKind === "package";
  if (under2(o.type)?.kind !== "signature") return true;
  if (exportedName(v.name) && pass.pkg.name !== "main") return true;
  let hasValue = false;
  let assigned = false;
  for (const pf of pass.files) {
    inspect(pf.file, (x) => {
      if (assigned) return false;
      if (x.kind === "ValueSpec" && x.names.includes(o.decl)) {
        const i = x.names.indexOf(o.decl);
        if (x.values?.[i] && !isNil2(pass, x.values[i])) hasValue = true;
        if (x.values && x.values.length === 1 && x.names.length > 1) hasValue = true;
      }
      const isV = (e) => {
        const y = unparen(e);
        return y.kind === "Ident" && y.name === v.name && pass.types.objectOf(y) === o;
      };
      if (x.kind === "AssignStmt" && x.lhs.some(isV)) assigned = true;
      if (x.kind === "UnaryExpr" && x.op === "&" && isV(x.x)) assigned = true;
      return !assigned;
    });
  }
  if (hasValue || assigned) return true;
  pass.report({
    node: d,
    file,
    message: `package variable ${v.name} is declared without a value and never assigned in package ${pass.pkg.name}, so the deferred ${textOf(file, d.call)} panics with a nil pointer dereference when ${funcName(file, fn)} returns; give ${v.name} a no-op default or guard the defer with \`if ${v.name} != nil\``,
    related: [{ node: o.decl, message: `${v.name} declared here` }]
  });
  return true;
}
function checkCallResult(pass, file, fn, d, call) {
  const nilRet = nilReturnOf(pass, call);
  const r = nilRet?.results?.[0];
  if (!nilRet || !r) return;
  const callee = textOf(file, call.fun);
  const rf = pass.fileOf(nilRet) ?? file;
  pass.report({
    node: d,
    file,
    confidence: "medium",
    message: `defer ${textOf(file, d.call)} defers the function ${callee} returns, which is nil when ${whenNil(pass, file, call, nilRet, r)}: the defer statement accepts the nil func, and the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; make ${callee} return a no-op func instead of nil, or keep its result and guard the defer with a nil check`,
    related: [{ node: nilRet, file: rf, message: `${callee} returns a nil func here` }]
  });
}
function run14(pass) {
  for (const file of pass.files) {
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => {
      if (!fn.body || !file.inspector.contains(fn, ["DeferStmt"])) return;
      walkSameFunc(fn.body, (x) => {
        if (x.kind !== "DeferStmt") return true;
        const fun = unparen(x.call.fun);
        if (fun.kind === "Ident") {
          if (checkPackageVar(pass, file, fn, x, fun)) return true;
          checkLocal(pass, file, fn, x, fun);
        } else if (fun.kind === "IndexExpr") checkMapCall(pass, file, fn, x, fun);
        else if (fun.kind === "SelectorExpr") checkField2(pass, file, fn, x, fun);
        else if (fun.kind === "CallExpr") checkCallResult(pass, file, fn, x, fun);
        return true;
      });
    });
  }
}
var analyzer14 = {
  meta: {
    id: ID14,
    severity: "medium",
    summary: "A deferred function value that can be nil: the defer statement accepts it, and the call panics when the function returns.",
    enabledByDefault: true,
    fixable: false,
    category: "lifetime",
    docUrl: docUrl(ID14)
  },
  // Whether a deferred field or package variable is ever set is asked of every body naming it.
  needs: (o) => bodyNeeds(o, { kinds: ["DeferStmt"] }, { deferred: true }),
  run: run14
};

// src/rules/defer-before-error-check.ts
var ID15 = "defer-before-error-check";
function resultAssign(s) {
  let lhs;
  let rhs;
  if (s.kind === "AssignStmt" && (s.tok === ":=" || s.tok === "=")) {
    lhs = s.lhs;
    rhs = s.rhs;
  } else if (s.kind === "DeclStmt" && s.decl.kind === "GenDecl" && s.decl.tok === "var" && s.decl.specs?.length === 1) {
    const spec = s.decl.specs[0];
    if (spec.kind !== "ValueSpec" || !spec.values) return void 0;
    lhs = spec.names;
    rhs = spec.values;
  } else return void 0;
  if (lhs.length < 2 || rhs.length !== 1) return void 0;
  const call = unparen(rhs[0]);
  if (call.kind !== "CallExpr") return void 0;
  const last = lhs[lhs.length - 1];
  if (last.kind !== "Ident") return void 0;
  const values = lhs.slice(0, -1).filter((l) => l.kind === "Ident" && l.name !== "_");
  if (values.length === 0) return void 0;
  return { stmt: s, call, values, err: last.name === "_" ? null : last };
}
function nilable(t) {
  if (!t) return void 0;
  let u = t;
  if (u.kind === "named") u = u.underlying();
  if (!u) return void 0;
  switch (u.kind) {
    case "pointer":
    case "interface":
    case "map":
    case "slice":
    case "chan":
    case "signature":
      return true;
    case "typeparam":
      return void 0;
    default:
      return false;
  }
}
function errorVar(pass, err) {
  const known = isErrorTyped(pass, err);
  if (known !== void 0) return known ? "high" : void 0;
  return /^err$|^err[A-Z0-9_]|Err$/.test(err.name) ? "medium" : void 0;
}
function firstUseOf(pass, n, x, intoLiterals) {
  let use;
  inspect(n, (y) => {
    if (use || y.kind === "FuncLit" && !intoLiterals) return false;
    if (y.kind === "CallExpr") {
      const f = unparen(y.fun);
      const root = f.kind === "SelectorExpr" ? selectorRoot(f.x) : void 0;
      if (root && sameObj(pass, root, x)) use = y;
    } else if (y.kind === "SelectorExpr") {
      const root = selectorRoot(y.x);
      if (root && sameObj(pass, root, x)) use = y;
    }
    return !use;
  });
  return use;
}
function deferUse(pass, file, d, x, err) {
  const fun = unparen(d.call.fun);
  if (fun.kind !== "FuncLit" && !(err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err)))) {
    for (const arg of d.call.args ?? []) {
      const u = firstUseOf(pass, arg, x, false);
      if (u && !nilSafeCall(pass, u, x)) return { shown: textOf(file, d.call), path: u, atDefer: true };
    }
  }
  if (fun.kind !== "FuncLit" && !(err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err))) && dereferencesArg(pass, d.call, x)) {
    return { shown: textOf(file, d.call), path: d.call };
  }
  if (fun.kind === "SelectorExpr" && !(err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err))) && poolKeeps(pass, d.call, x)) {
    return { shown: textOf(file, d.call), path: d.call, pooled: true };
  }
  if (fun.kind === "SelectorExpr" && pass.types.isType(fun.x) && pass.types.callee(d.call)?.kind === "method") {
    const r = d.call.args?.[0] ? unparen(d.call.args[0]) : void 0;
    if (err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err))) return void 0;
    if (r?.kind === "Ident" && sameObj(pass, r, x) && !nilSafeCall(pass, d.call, x)) return { shown: textOf(file, d.call), path: d.call };
    return void 0;
  }
  if (fun.kind === "SelectorExpr") {
    let base = unparen(fun.x);
    while (base.kind === "CallExpr" && unparen(base.fun).kind === "SelectorExpr") base = unparen(unparen(base.fun).x);
    const root = selectorRoot(base);
    if (err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err))) return void 0;
    if (root && root.name === x.name && sameObj(pass, root, x) && !nilSafeCall(pass, d.call, x)) return { shown: textOf(file, d.call), path: d.call };
    return void 0;
  }
  if (fun.kind !== "FuncLit") return void 0;
  if (err && mentions(pass, fun.body, err)) return void 0;
  let guarded = false;
  inspect(fun.body, (n) => {
    if (guarded) return false;
    if (n.kind === "BinaryExpr" && (n.op === "==" || n.op === "!=")) {
      const a = unparen(n.x);
      const b = unparen(n.y);
      if (a.kind === "Ident" && sameObj(pass, a, x) && isNilIdent(pass, b) || b.kind === "Ident" && sameObj(pass, b, x) && isNilIdent(pass, a)) guarded = true;
    }
    return !guarded;
  });
  const use = guarded ? void 0 : firstUseOf(pass, fun.body, x, true);
  if (guarded || !use || nilSafeCall(pass, use, x)) return void 0;
  return { shown: "function literal", path: use };
}
var POOL_RETURNS = /^(Put|PutBack|Release|Return|Recycle|Give|GiveBack|Free)$/;
function poolKeeps(pass, call, x) {
  const fun = unparen(call.fun);
  if (fun.kind !== "SelectorExpr" || !POOL_RETURNS.test(fun.sel.name) || call.args?.length !== 1) return false;
  const a = unparen(call.args[0]);
  if (a.kind !== "Ident" || !sameObj(pass, a, x)) return false;
  const decl = pass.types.callee(call)?.decl;
  const p = decl?.type.params?.list?.[0]?.names?.[0];
  if (!decl?.body || !decl.recv || !p || p.name === "_") return false;
  const isP = (e) => !!e && unparen(e).kind === "Ident" && unparen(e).name === p.name;
  let tested = false;
  let kept = false;
  inspect(decl.body, (n) => {
    if (n.kind === "IfStmt" || n.kind === "SwitchStmt") {
      const cond = n.kind === "IfStmt" ? n.cond : n.tag;
      if (cond && mentions(pass, cond, p)) tested = true;
    }
    return !tested;
  });
  if (tested) return false;
  inspect(decl.body, (n) => {
    if (kept) return false;
    if (n.kind === "SendStmt" && isP(n.value)) kept = true;
    else if (n.kind === "CallExpr" && unparen(n.fun).kind === "Ident" && unparen(n.fun).name === "append" && (n.args ?? []).slice(1).some(isP)) kept = true;
    else if (n.kind === "AssignStmt" && n.rhs.some(isP) && n.lhs.some((l) => unparen(l).kind !== "Ident")) kept = true;
    return !kept;
  });
  return kept;
}
function dereferencesArg(pass, call, x) {
  const decl = pass.types.callee(call)?.decl;
  if (!decl?.body || !decl.type.params) return false;
  const params = [];
  for (const f of decl.type.params.list ?? []) {
    if (f.type?.kind === "Ellipsis") return false;
    for (const n of f.names ?? []) params.push(n);
  }
  const args = call.args ?? [];
  for (let i = 0; i < args.length && i < params.length; i++) {
    const a = unparen(args[i]);
    const p = params[i];
    if (a.kind !== "Ident" || !sameObj(pass, a, x) || p.name === "_") continue;
    let guarded = false;
    inspect(decl.body, (n) => {
      if (guarded) return false;
      if (n.kind === "BinaryExpr" && (n.op === "==" || n.op === "!=")) {
        const l = unparen(n.x);
        const r = unparen(n.y);
        if (l.kind === "Ident" && sameObj(pass, l, p) && isNilIdent(pass, r) || r.kind === "Ident" && sameObj(pass, r, p) && isNilIdent(pass, l)) guarded = true;
      }
      return !guarded;
    });
    if (guarded) continue;
    for (const st of decl.body.list ?? []) {
      for (const part of unconditionalParts(st)) {
        const use = firstUseOf(pass, part, p, false);
        if (use && !nilSafeCall(pass, use, p)) return true;
      }
    }
  }
  return false;
}
function nilSafeCall(pass, path, x) {
  if (path.kind !== "CallExpr") return false;
  const fun = unparen(path.fun);
  if (fun.kind !== "SelectorExpr") return false;
  const recvExpr = pass.types.isType(fun.x) && path.args?.[0] ? unparen(path.args[0]) : unparen(fun.x);
  if (recvExpr.kind !== "Ident" || !sameObj(pass, recvExpr, x)) return false;
  const t = pass.types.typeOf(x) ?? pass.types.objectOf(x)?.type;
  const u = t?.kind === "named" ? t.underlying() : t;
  if (u && (u.kind === "slice" || u.kind === "map")) return true;
  const decl = pass.types.callee(path)?.decl;
  const recv = decl?.recv?.list?.[0]?.names?.[0];
  const first = decl?.body?.list?.[0];
  if (!recv || !first || first.kind !== "IfStmt" || first.init) return false;
  const isRecv = (e) => e.kind === "Ident" && e.name === recv.name;
  const nilTest2 = (e) => {
    const c2 = unparen(e);
    if (c2.kind !== "BinaryExpr") return false;
    if (c2.op === "||") return nilTest2(c2.x) || nilTest2(c2.y);
    if (c2.op !== "==") return false;
    const a = unparen(c2.x);
    const b = unparen(c2.y);
    return isRecv(a) && isNilIdent(pass, b) || isRecv(b) && isNilIdent(pass, a);
  };
  const returns = (first.body.list ?? []).some((st) => st.kind === "ReturnStmt");
  if (returns && nilTest2(first.cond)) return true;
  const c = unparen(first.cond);
  const only = (decl.body.list ?? []).length === 1 && !first.else;
  return only && c.kind === "BinaryExpr" && c.op === "!=" && (isRecv(unparen(c.x)) && isNilIdent(pass, unparen(c.y)) || isRecv(unparen(c.y)) && isNilIdent(pass, unparen(c.x)));
}
function sameObj(pass, a, b) {
  if (a.name !== b.name) return false;
  const oa = pass.types.objectOf(a);
  const ob = pass.types.objectOf(b);
  return oa && ob ? oa === ob : !oa && !ob;
}
function fallsThrough(list, exits) {
  const last = list?.[list.length - 1];
  if (!last) return true;
  switch (last.kind) {
    case "AssignStmt":
    case "IncDecStmt":
    case "SendStmt":
    case "DeclStmt":
    case "GoStmt":
    case "DeferStmt":
    case "EmptyStmt":
      return true;
    case "BlockStmt":
      return fallsThrough(last.list, exits);
    case "IfStmt":
      return !last.else || fallsThrough(last.body.list, exits);
    case "ExprStmt": {
      const c = unparen(last.x);
      if (c.kind !== "CallExpr") return true;
      if (exits(c)) return false;
      const f = unparen(c.fun);
      const name = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : "";
      if (/^(panic|Exit|Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln|FailNow|Skip|Skipf|SkipNow|Goexit|Crash|Die|Must)/.test(name)) return false;
      if (name === "Failf" || name === "Fail" && (c.args?.length ?? 0) > 0) return false;
      for (let x = f; x.kind === "SelectorExpr"; ) {
        const recv = unparen(x.x);
        if (recv.kind !== "CallExpr") break;
        const rf = unparen(recv.fun);
        if (rf.kind === "SelectorExpr" && (rf.sel.name === "Fatal" || rf.sel.name === "Panic") && (recv.args?.length ?? 0) === 0) return false;
        x = rf;
      }
      return true;
    }
    default:
      return false;
  }
}
function exitTest(pass) {
  const base = callGraphOf(pass);
  const g = exitGraph(pass);
  return (call) => {
    const n = base.calleeOf(call);
    if (n && (base.alwaysExits(n) || g.alwaysExits(n))) return true;
    const f = unparen(call.fun);
    const alias = f.kind === "Ident" && exitAliases(pass).has(f.name) || f.kind === "SelectorExpr" && exitFieldAliases(pass).has(f.sel.name);
    const file = alias ? pass.fileOf(call) : void 0;
    return !!file && !!processExit(pass, file, call);
  };
}
function errTest(pass, s, err) {
  const isErr = (e) => {
    const x = unparen(e);
    return x.kind === "Ident" && sameObj(pass, x, err);
  };
  const cmp = (e, op) => {
    const c2 = unparen(e);
    return c2.kind === "BinaryExpr" && c2.op === op && (isErr(c2.x) && isNilIdent(pass, unparen(c2.y)) || isErr(c2.y) && isNilIdent(pass, unparen(c2.x)));
  };
  const c = unparen(s.cond);
  const exits = exitTest(pass);
  if (cmp(c, "!=") || c.kind === "BinaryExpr" && c.op === "||" && cmp(c.x, "!=")) return fallsThrough(s.body.list, exits) ? "falls-through" : "settled";
  if (cmp(c, "==") || c.kind === "BinaryExpr" && c.op === "&&" && cmp(c.x, "==")) {
    if (!s.else) return "falls-through";
    return s.else.kind === "BlockStmt" && fallsThrough(s.else.list, exits) ? "falls-through" : "settled";
  }
  return void 0;
}
function settles(pass, s, x, err, companions, rest = []) {
  if (s.kind === "IfStmt" && companions.some((c) => mentions(pass, s.cond, c)) && !fallsThrough(s.body.list, exitTest(pass))) {
    return true;
  }
  if (err && s.kind === "IfStmt" && !(s.init && mentions(pass, s.init, err))) {
    const t = mentions(pass, s.cond, err) ? errTest(pass, s, err) : "falls-through";
    if (t === "falls-through") return settlesX(pass, s, x);
    return true;
  }
  if (err && mentions(pass, s, err) && !(recordsOnly(s) && rest.some((r) => r.kind === "IfStmt" && mentions(pass, r.cond, err)))) return true;
  return settlesX(pass, s, x);
}
function recordsOnly(s) {
  if (s.kind !== "ExprStmt") return false;
  const c = unparen(s.x);
  if (c.kind !== "CallExpr") return false;
  const f = unparen(c.fun);
  const name = f.kind === "SelectorExpr" ? f.sel.name : f.kind === "Ident" ? f.name : "";
  return /^([Rr]ecord|[Ll]og|[Pp]rint|[Oo]bserve|[Tt]race|[Dd]ebug|[Ii]nfo|[Ww]arn|[Rr]eport|Add|Set|Inc)/.test(name) && !/[Ff]atal|[Pp]anic|[Ee]xit/.test(name);
}
function settlesX(pass, s, x) {
  let found = false;
  inspect(s, (n) => {
    if (found) return false;
    if (n.kind === "AssignStmt" && n.lhs.some((l) => l.kind === "Ident" && sameObj(pass, l, x))) found = true;
    else if (n.kind === "UnaryExpr" && n.op === "&" && unparen(n.x).kind === "Ident" && sameObj(pass, unparen(n.x), x)) found = true;
    else if (n.kind === "BinaryExpr" && (n.op === "==" || n.op === "!=")) {
      const a = unparen(n.x);
      const b = unparen(n.y);
      if (a.kind === "Ident" && sameObj(pass, a, x) && isNilIdent(pass, b) || b.kind === "Ident" && sameObj(pass, b, x) && isNilIdent(pass, a)) found = true;
    }
    return !found;
  });
  return found;
}
function checkList(pass, file, fn, list) {
  for (let i = 0; i < list.length; i++) {
    const a = resultAssign(list[i]);
    if (!a) continue;
    const callee = callName(pass, file, a.call);
    const calleeName = callee ? displayName(pass, callee.name) : textOf(file, a.call.fun);
    let confidence;
    let http = false;
    if (a.err) {
      const c = errorVar(pass, a.err);
      if (!c) continue;
      confidence = c;
    } else {
      if (!callee || !(HTTP_REQUEST_CALLS.has(callee.name) || REQUEST_PARTS.has(callee.name) || returnsResponse(pass, a.call))) continue;
      http = true;
      confidence = callee.typed ? "high" : "medium";
    }
    if (callee && !callee.typed) confidence = "medium";
    const assignLine = lineOf(file, a.stmt);
    const xs = a.values.filter((x) => nilable(pass.types.typeOf(x) ?? pass.types.objectOf(x)?.type) !== false);
    const reported = /* @__PURE__ */ new Set();
    for (const x of xs) {
      let passedTest = false;
      let reportedFailure = false;
      for (let j = i + 1; j < list.length; j++) {
        let s = list[j];
        while (s.kind === "LabeledStmt") s = s.stmt;
        if (a.err && s.kind === "IfStmt" && mentions(pass, s.cond, a.err)) {
          passedTest = true;
          if (file.test && failsTest(s.body)) reportedFailure = true;
        }
        if (s.kind === "DeferStmt") {
          const use = deferUse(pass, file, s, x, a.err);
          if (use && (reportedFailure || reported.has(s))) break;
          if (use) {
            reported.add(s);
            const known = nilable(pass.types.typeOf(x) ?? pass.types.objectOf(x)?.type) !== void 0;
            const conf = (known || releaseCall(use.path)) && !(passedTest && file.test) ? confidence : "medium";
            report5(pass, file, fn, s, x, a, calleeName, use, assignLine, http || isHttpName(callee?.name), conf);
            break;
          }
          if (a.err && mentions(pass, s, a.err)) break;
          continue;
        }
        if (settles(pass, s, x, a.err, a.values.filter((v) => v !== x), list.slice(j + 1))) break;
      }
    }
  }
}
var REQUEST_PARTS = /* @__PURE__ */ new Set(["(*net/http.Request).FormFile", "(*net/http.Request).MultipartReader"]);
var TEST_FAILURES = /* @__PURE__ */ new Set(["Error", "Errorf", "Fail", "NoError", "Nil"]);
function failsTest(b) {
  return callsMethodNamed(b, TEST_FAILURES);
}
function releaseCall(e) {
  const c = unparen(e);
  if (c.kind !== "CallExpr") return false;
  const f = unparen(c.fun);
  return f.kind === "SelectorExpr" && RELEASE_METHODS.has(f.sel.name);
}
function returnsResponse(pass, call) {
  const t = pass.types.typeOf(call);
  if (t?.kind !== "tuple" || t.types.length < 2) return false;
  const first = t.types[0];
  const last = t.types[t.types.length - 1];
  return first.kind === "pointer" && first.elem.kind === "named" && first.elem.pkg === "net/http" && first.elem.name === "Response" && last.kind === "named" && last.pkg === "" && last.name === "error";
}
function isHttpName(name) {
  return !!name && HTTP_REQUEST_CALLS.has(name);
}
function report5(pass, file, fn, d, x, a, calleeName, use, assignLine, http, confidence) {
  const exit = fn ? `as ${funcName(file, fn)} returns` : "at function exit";
  const shown = textOf(file, use.path);
  const related = [{ node: a.stmt, message: `${x.name} and ${a.err ? a.err.name : "a discarded error"} assigned here` }];
  if (!a.err) {
    pass.report({
      node: d,
      file,
      confidence,
      message: use.atDefer ? `the error of ${calleeName} on line ${assignLine} is discarded: when the request fails ${x.name} is nil, and the argument ${shown} of the deferred ${use.shown} is evaluated at the defer statement itself, a nil dereference; check the error and defer the close only after it` : `the error of ${calleeName} on line ${assignLine} is discarded: when the request fails ${x.name} is nil and the deferred ${shown} panics with a nil dereference ${exit}; check the error and defer the close only after it`,
      related
    });
    return;
  }
  const effect = use.pooled ? `when ${calleeName} fails ${x.name} holds no valid value (nil, or the zero value), and ${shown} hands it back to the pool ${exit}, where a later caller gets it as if it were good` : use.atDefer ? `when ${calleeName} fails ${x.name} is nil, and the argument ${shown} is evaluated at the defer statement itself, a nil dereference before ${a.err.name} is even looked at` : http ? `when the request fails ${x.name} is nil and ${shown} panics with a nil dereference ${exit}` : `when ${calleeName} fails ${x.name} is nil and ${shown} runs on it ${exit} (a nil dereference, or a failed close that hides the real error)`;
  pass.report({
    node: d,
    file,
    confidence,
    message: `${x.name} from ${calleeName} on line ${assignLine} is used by the deferred ${use.shown} before ${a.err.name} is checked: ${effect}; move the defer below the ${a.err.name} check`,
    related
  });
}
function run15(pass) {
  for (const file of pass.files) {
    file.inspector.withStack(["BlockStmt", "CaseClause", "CommClause"], (n, stack) => {
      let fn;
      for (let k = stack.length - 2; k >= 0; k--) {
        const s = stack[k];
        if (s.kind === "FuncDecl" || s.kind === "FuncLit") {
          fn = s;
          break;
        }
      }
      const list = n.kind === "BlockStmt" ? n.list : n.body;
      if (list && list.length > 1) checkList(pass, file, fn, list);
    });
  }
}
var analyzer15 = {
  meta: {
    id: ID15,
    severity: "critical",
    summary: "A defer that uses a call result before the call's error is checked: on failure the value is nil and the deferred call dereferences it.",
    enabledByDefault: true,
    fixable: false,
    category: "lifetime",
    docUrl: docUrl(ID15)
  },
  needs: deferNeeds,
  run: run15
};

// src/rules/defer-lock-mismatch.ts
var ID16 = "defer-lock-mismatch";
function mutexKey(pass, e) {
  const x = unparen(e);
  if (x.kind === "IndexExpr") {
    const base = mutexKey(pass, x.x);
    const i = unparen(x.index);
    const idx = i.kind === "BasicLit" ? i.value : i.kind === "Ident" ? refKey(pass, i) : void 0;
    return base === void 0 || idx === void 0 ? void 0 : `${base}[${idx}]`;
  }
  if (x.kind === "SelectorExpr") {
    const base = mutexKey(pass, x.x);
    return base === void 0 ? void 0 : `${base}.${x.sel.name}`;
  }
  if (x.kind === "CallExpr") {
    const field = accessedField(pass, x);
    const f = unparen(x.fun);
    const base = field && f.kind === "SelectorExpr" ? mutexKey(pass, f.x) : void 0;
    return base === void 0 ? void 0 : `${base}.${field}`;
  }
  return refKey(pass, x);
}
function mismatch(held, deferred) {
  if (held === "Lock" && deferred === "Lock") {
    return { effect: "locks it a second time and deadlocks (sync mutexes are not reentrant)", fix: "Unlock" };
  }
  if (held === "RLock" && deferred === "RLock") {
    return { effect: "takes a second read lock, so neither read lock is ever released and every later Lock blocks forever", fix: "RUnlock" };
  }
  if (held === "RLock" && deferred === "Unlock") {
    return { effect: 'releases a write lock that was never taken: "fatal error: sync: Unlock of unlocked RWMutex", which recover cannot stop', fix: "RUnlock" };
  }
  if (held === "Lock" && deferred === "RUnlock") {
    return { effect: 'releases a read lock that was never taken: "fatal error: sync: RUnlock of unlocked RWMutex", which recover cannot stop', fix: "Unlock" };
  }
  return void 0;
}
function enclosingLists(stack) {
  const out = [];
  for (let i = stack.length - 1; i > 0; i--) {
    const n = stack[i];
    const parent = stack[i - 1];
    if (parent.kind === "FuncDecl" || parent.kind === "FuncLit") break;
    const list = parent.kind === "BlockStmt" ? parent.list : parent.kind === "CaseClause" || parent.kind === "CommClause" ? parent.body : null;
    if (list) {
      const index = list.indexOf(n);
      if (index >= 0) out.push({ list, index });
    }
  }
  return out;
}
function lastOp(pass, stack, key) {
  for (const { list, index } of enclosingLists(stack)) {
    for (let i = index - 1; i >= 0; i--) {
      const ops = lockCallsIn(pass, list[i]).filter((l) => sameRefKey(mutexKey(pass, l.mutex), key));
      if (ops.length === 0) continue;
      const st = list[i];
      if (ops.length === 1 && st.kind === "ExprStmt" && unparen(st.x) === ops[0].call) return ops[0];
      return void 0;
    }
  }
  return void 0;
}
function usedAfter(pass, fn, d, key) {
  if (!fn.body) return false;
  const later = [];
  const after = d.call.rparen;
  walkSameFunc(fn.body, (x) => {
    if (x.kind === "CallExpr" && x.lparen > after) {
      const l = lockCall(pass, x);
      if (l && sameRefKey(mutexKey(pass, l.mutex), key)) later.push(x);
    }
    return true;
  });
  if (later.length === 0) return false;
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d)) return true;
  return g.pathExists(d, (n) => n !== d && later.some((c) => nodeContains(n, (y) => y === c)));
}
function handleFromUnknownCall(pass, mutex) {
  const x = unparen(mutex);
  if (x.kind !== "Ident") return false;
  const v = definingValue(pass, x);
  return !!v && unparen(v).kind === "CallExpr" && !pass.types.typeOf(x);
}
function check3(pass, file, d, stack) {
  const call = boundCall(pass, d.call);
  const deferred = lockCall(pass, call);
  if (!deferred || deferred.method === "TryLock" || deferred.method === "TryRLock") return;
  const key = mutexKey(pass, deferred.mutex);
  if (key === void 0) return;
  const held = lastOp(pass, stack, key);
  if (!held || held.method !== "Lock" && held.method !== "RLock") return;
  const m = mismatch(held.method, deferred.method);
  if (!m) return;
  const fn = enclosingFunc(stack);
  if (!fn || usedAfter(pass, fn, d, key)) return;
  if (held.method === "RLock" && deferred.method === "Unlock" && !held.typed && handleFromUnknownCall(pass, deferred.mutex)) return;
  const mu = textOf(file, deferred.mutex);
  const fun = unparen(call.fun);
  const typed = held.typed && deferred.typed;
  pass.report({
    node: d,
    file,
    confidence: typed ? "high" : "medium",
    message: `${mu} is ${held.method === "Lock" ? "locked" : "read-locked"} with ${held.method} on line ${lineOf(file, held.call)}, but the deferred ${textOf(file, d.call)}, run as ${funcName(file, fn)} returns, ${m.effect}; defer ${mu}.${m.fix}() instead`,
    related: [{ node: held.call, message: `${textOf(file, held.call)} takes the lock here` }],
    fixes: [{ message: `defer ${mu}.${m.fix}()`, edits: [{ node: fun.sel, newText: m.fix }] }]
  });
}
function deferredUnlock(pass, d, stack) {
  const deferred = lockCall(pass, boundCall(pass, d.call));
  if (!deferred || deferred.method !== "Unlock" && deferred.method !== "RUnlock") return void 0;
  const key = mutexKey(pass, deferred.mutex);
  const fn = enclosingFunc(stack);
  if (key === void 0 || !fn?.body) return void 0;
  return { deferred, key, fn };
}
function unlockedFatal(pass, unlock) {
  if (unlock.method === "RUnlock") return "RUnlock of unlocked RWMutex";
  return /RWMutex/.test(pass.types.callee(unlock.call)?.name ?? "") ? "Unlock of unlocked RWMutex" : "unlock of unlocked mutex";
}
function checkDoubleUnlock(pass, file, d, u) {
  const { deferred, key, fn } = u;
  const unlocks = [];
  walkSameFunc(fn.body, (x) => {
    if (x.kind === "DeferStmt" || x.kind === "GoStmt") return false;
    if (x.kind === "ExprStmt") {
      const c = unparen(x.x);
      const l = c.kind === "CallExpr" ? lockCall(pass, c) : void 0;
      if (l && l.method === deferred.method && sameRefKey(mutexKey(pass, l.mutex), key)) unlocks.push(x);
    }
    return true;
  });
  if (unlocks.length === 0) return;
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d)) return;
  const isRelock = (y) => {
    if (y.kind !== "CallExpr") return false;
    const l = lockCall(pass, y);
    return !!l && l.method !== "Unlock" && l.method !== "RUnlock" && sameRefKey(mutexKey(pass, l.mutex), key);
  };
  const relocks = (n) => n.kind === "DeferStmt" ? isRelock(n.call) : nodeContains(n, isRelock);
  for (const u2 of unlocks) {
    if (!g.locate(u2) || !g.pathExists(d, u2, (n) => n !== u2 && relocks(n))) continue;
    const path = g.findPath(u2, "exit", { avoid: (n) => n !== u2 && relocks(n) });
    if (!path) continue;
    const mu = textOf(file, deferred.mutex);
    const fatal = unlockedFatal(pass, deferred);
    const fname = funcName(file, fn);
    const what = deferred.method === "RUnlock" ? "read-unlocks" : "unlocks";
    pass.report({
      node: u2,
      file,
      confidence: deferred.typed ? "high" : "medium",
      message: `${textOf(file, u2.x)} ${what} ${mu} here, and the deferred ${textOf(file, d.call)} (line ${lineOf(file, d)}) ${what} it again as ${fname} returns: "fatal error: sync: ${fatal}", which recover cannot stop; drop this explicit ${deferred.method} and let the defer release the lock, or lock ${mu} again before returning`,
      related: [{ node: d, message: `the deferred ${textOf(file, d.call)}` }]
    });
    return;
  }
}
function checkUnlockWithoutLock(pass, file, d, u) {
  const { deferred, key, fn } = u;
  const want = deferred.method === "Unlock" ? "Lock" : "RLock";
  const acquires = (y) => {
    if (y.kind !== "CallExpr") return false;
    const l = lockCall(pass, y);
    return !!l && l.method !== "Unlock" && l.method !== "RUnlock" && sameRefKey(mutexKey(pass, l.mutex), key);
  };
  let first;
  walkSameFunc(fn.body, (x) => {
    if (first || x.kind === "DeferStmt" || x.kind === "GoStmt" || x.kind === "FuncLit") return false;
    if (x.kind === "CallExpr" && x.lparen < d.defer) {
      const l = lockCall(pass, x);
      if (l && l.method === want && sameRefKey(mutexKey(pass, l.mutex), key)) first = l;
    }
    return !first;
  });
  if (!first) return;
  const list = listHolding(fn.body, d);
  const before = list[list.indexOf(d) - 1];
  if (before?.kind === "ExprStmt" && acquires(unparen(before.x))) return;
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d) || !g.locate(first.call)) return;
  if (!g.findPath(g.entry, d, { avoid: (n) => nodeContains(n, acquires) })) return;
  const mu = textOf(file, deferred.mutex);
  const lockText = textOf(file, first.call);
  const fatal = unlockedFatal(pass, deferred);
  pass.report({
    node: d,
    file,
    confidence: deferred.typed ? "high" : "medium",
    message: `${lockText} on line ${lineOf(file, first.call)} runs only on some paths to the deferred ${textOf(file, d.call)}, and on the others ${mu} is not locked when ${funcName(file, fn)} returns, so the deferred call fails with "fatal error: sync: ${fatal}", which recover cannot stop; lock ${mu} on every path before the defer, or defer the ${deferred.method} right after the ${want} in the same branch`,
    related: [{ node: first.call, message: `${lockText}, taken only on some paths` }]
  });
}
function run16(pass) {
  for (const file of pass.files) {
    file.inspector.withStack(["DeferStmt"], (d, stack) => {
      check3(pass, file, d, stack);
      const u = deferredUnlock(pass, d, stack);
      if (!u) return;
      checkDoubleUnlock(pass, file, d, u);
      checkUnlockWithoutLock(pass, file, d, u);
    });
  }
}
var analyzer16 = {
  meta: {
    id: ID16,
    severity: "critical",
    summary: "A deferred Lock, RLock, Unlock or RUnlock that does not undo the lock just taken on the same mutex, or a deferred unlock of a mutex the function already unlocked: deadlock or fatal error at exit.",
    enabledByDefault: true,
    fixable: true,
    category: "locking",
    docUrl: docUrl(ID16)
  },
  needs: deferNeeds,
  run: run16
};

// src/rules/lock-reentry-under-defer.ts
var ID17 = "lock-reentry-under-defer";
var MAX_DEPTH = 3;
function sameMutex2(pass, h, e) {
  if (h.path) {
    const p = varPath(pass, e);
    return !!p && samePath(h.path, p);
  }
  return sameExpr(h.lock.mutex, e);
}
function deferredUnlock2(pass, cfg, h, unlock) {
  for (const d of cfg.defers) {
    const fun = unparen(d.call.fun);
    let hit = false;
    if (fun.kind === "FuncLit") {
      let relocked = false;
      walkNode(fun.body, (x) => {
        if (hit || relocked) return false;
        if (x.kind === "CallExpr") {
          const l = lockCall(pass, x);
          if (l && sameMutex2(pass, h, l.mutex)) {
            if (l.method === unlock) hit = true;
            else if (l.method === "Lock" || l.method === "RLock") relocked = true;
          }
        }
        return !hit && !relocked;
      });
    } else {
      const l = lockCall(pass, d.call);
      hit = !!l && l.method === unlock && sameMutex2(pass, h, l.mutex);
    }
    if (hit) return d;
  }
  return void 0;
}
function reachedEntries(cfg, from, stop) {
  const at = cfg.locate(from);
  if (!at) return [];
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  const scan = (b, i) => {
    for (; i < b.nodes.length; i++) {
      const n = b.nodes[i];
      if (stop(n)) return false;
      out.push(n);
    }
    return true;
  };
  const queue = [];
  if (scan(at.block, at.index + 1)) queue.push(...at.block.succs);
  while (queue.length > 0) {
    const b = queue.shift();
    if (seen.has(b)) continue;
    seen.add(b);
    if (scan(b, 0)) queue.push(...b.succs);
  }
  return out;
}
function releasedBefore(pass, trail, site) {
  const g = trail.funcs[trail.funcs.length - 1];
  const path = trail.path;
  if (!g || !path || !g.body) return false;
  let unlocks = unlockingBodies.get(g.body);
  if (unlocks === void 0) unlockingBodies.set(g.body, unlocks = callsMethodNamed(g.body, UNLOCKS));
  if (!unlocks) return false;
  const f = g.decl ?? g.lit;
  const cfg = cfgOf(pass, f);
  if (!cfg) return false;
  const at = pos(site);
  const holds = (n) => pos(n) <= at && at < end(n);
  const releases2 = (n) => n.kind !== "DeferStmt" && !holds(n) && lockCallsIn(pass, n).some((l) => (l.method === "Unlock" || l.method === "RUnlock") && samePathOf2(pass, l.mutex, path));
  if (!cfg.blocks.some((b) => b.nodes.some(holds))) return false;
  return !cfg.pathExists(cfg.entry, holds, releases2);
}
function locksOnEntry(pass, fn, path, trail) {
  if (!fn.body) return void 0;
  if (path.decl && !path.global && assignsVar(pass, fn.body, path.decl)) return void 0;
  let locks = lockCallsIn(pass, fn.body).filter((l) => (l.method === "Lock" || l.method === "RLock") && samePathOf2(pass, l.mutex, path) && !skippedForCall(trail, l.call));
  if (locks.length === 0) return void 0;
  const deferredLocks = /* @__PURE__ */ new Set();
  walkSameFunc(fn.body, (x) => {
    if (x.kind === "DeferStmt") for (const l of lockCallsIn(pass, x)) deferredLocks.add(l.call);
    return true;
  });
  if (deferredLocks.size > 0) {
    const unlocksItself = lockCallsIn(pass, fn.body).some((l) => (l.method === "Unlock" || l.method === "RUnlock") && !deferredLocks.has(l.call) && samePathOf2(pass, l.mutex, path));
    if (unlocksItself) locks = locks.filter((l) => !deferredLocks.has(l.call));
    if (locks.length === 0) return void 0;
  }
  const f = fn.decl ?? fn.lit;
  const file = pass.fileOf(f);
  if (file) locks = locks.filter((l) => !relocksUnderSameGuard(pass, file, f, l.call, (u) => (u.method === "Unlock" || u.method === "RUnlock") && samePathOf2(pass, u.mutex, path)));
  if (locks.length === 0) return void 0;
  const cfg = cfgOf(pass, f);
  if (!cfg) return void 0;
  const releases2 = (n) => n.kind !== "DeferStmt" && lockCallsIn(pass, n).some((l) => (l.method === "Unlock" || l.method === "RUnlock") && samePathOf2(pass, l.mutex, path));
  for (const l of locks) {
    const target = (n) => lockCallsIn(pass, n).some((x) => x.call === l.call) && !(n.kind === "GoStmt");
    if (cfg.pathExists(cfg.entry, target, releases2)) return l;
  }
  return void 0;
}
function samePathOf2(pass, e, p) {
  const q = varPath(pass, e);
  return !!q && samePath(q, p);
}
function describe(h, again) {
  if (h.lock.method === "RLock" && again === "RLock") {
    return "a recursive read lock deadlocks as soon as another goroutine calls Lock between the two RLocks";
  }
  return "sync mutexes are not reentrant, so the goroutine deadlocks on itself";
}
var LOCKS2 = /* @__PURE__ */ new Set(["Lock", "RLock"]);
var UNLOCKS = /* @__PURE__ */ new Set(["Unlock", "RUnlock"]);
var unlockingBodies = /* @__PURE__ */ new WeakMap();
function sameGuardUnlocks(pass, file, fn, lockStmtNode, h, unlock) {
  const out = /* @__PURE__ */ new Set();
  const guards = guardConds(fn, lockStmtNode).map((c) => textOf(file, c));
  if (guards.length === 0 || !fn.body) return out;
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind === "IfStmt" && pos(x.cond) > pos(lockStmtNode) && guards.includes(textOf(file, x.cond))) {
      if (lockCallsIn(pass, x.body).some((l) => l.method === unlock && sameMutex2(pass, h, l.mutex))) out.add(x.cond);
    }
    return true;
  });
  return out;
}
function equalityTests(file, conds) {
  const out = /* @__PURE__ */ new Map();
  const add = (c) => {
    const x = unparen(c);
    if (x.kind === "Ident" || x.kind === "SelectorExpr") {
      out.set(textOf(file, x), "true");
      return;
    }
    if (x.kind === "UnaryExpr" && x.op === "!") {
      const y = unparen(x.x);
      if (y.kind === "Ident" || y.kind === "SelectorExpr") out.set(textOf(file, y), "false");
      return;
    }
    if (x.kind !== "BinaryExpr") return;
    if (x.op === "&&") {
      add(x.x);
      add(x.y);
      return;
    }
    if (x.op !== "==") return;
    const l = unparen(x.x);
    const r = unparen(x.y);
    const plain = (e) => e.kind === "BasicLit" && plainLiteralText(e.value);
    if (plain(r) && !plain(l)) out.set(textOf(file, l), r.value);
    else if (plain(l) && !plain(r)) out.set(textOf(file, r), l.value);
  };
  for (const c of conds) add(c);
  return out;
}
function exclusive(a, b) {
  for (const [e, v] of a) {
    const w = b.get(e);
    if (w !== void 0 && w !== v) return true;
  }
  return false;
}
function nextIterationOnly(cfg, deferStmt, lock, n) {
  const at = cfg.locate(deferStmt);
  const target = cfg.locate(n);
  if (!at || !target) return false;
  for (const l of cfg.loopsContaining(at.block)) {
    if (!cfg.loopsContaining(target.block).includes(l)) continue;
    if (cfg.findPath(lock, n, { avoidBlock: (b) => b === l.header }) === null) return true;
  }
  return false;
}
function warmedUpBefore(pass, file, body, lockStmtNode, call) {
  const text = textOf(file, call);
  let found = false;
  walkSameFunc(body, (x) => {
    if (found || pos(x) >= pos(lockStmtNode)) return false;
    if (x.kind !== "ExprStmt") return true;
    const c = unparen(x.x);
    if (c.kind !== "CallExpr" || textOf(file, c) !== text) return false;
    const t = pass.types.typeOf(c);
    const results = !t ? [] : t.kind === "tuple" ? t.types : [t];
    if (results.some((r) => !(r.kind === "named" && r.pkg === "" && r.name === "error"))) found = true;
    return false;
  });
  return found;
}
function checkFunc2(pass, file, fn) {
  if (!fn.body || !file.inspector.contains(fn, ["DeferStmt"]) || !hasDefer(fn.body) || !callsMethodNamed(fn.body, LOCKS2)) return;
  const cfg = cfgOf(pass, fn);
  if (!cfg) return;
  const held = [];
  for (const ref of cfg.entries({ liveOnly: true })) {
    const lc = lockStmt(pass, ref.node);
    if (!lc || lc.method !== "Lock" && lc.method !== "RLock") continue;
    const unlock = UNLOCK_FOR[lc.method];
    const h = { lock: lc, path: varPath(pass, lc.mutex) };
    const d = deferredUnlock2(pass, cfg, h, unlock);
    if (!d || pos(d) <= pos(ref.node)) continue;
    const guarded = sameGuardUnlocks(pass, file, fn, ref.node, h, unlock);
    const released = (n) => guarded.has(n) || n.kind !== "DeferStmt" && lockCallsIn(pass, n).some((l) => l.method === unlock && sameMutex2(pass, h, l.mutex));
    if (!cfg.pathExists(ref.node, d, released)) continue;
    held.push({ stmt: ref.node, lock: lc, unlock, path: h.path, deferStmt: d, guarded });
  }
  const fname = funcName(file, fn);
  for (const h of held) {
    if (h.path?.decl && !h.path.global && assignsVar(pass, fn.body, h.path.decl)) continue;
    const mu = textOf(file, h.lock.mutex);
    const lockLine = lineOf(file, h.stmt);
    const releases2 = (n) => h.guarded.has(n) || n.kind !== "DeferStmt" && lockCallsIn(pass, n).some((l) => (l.method === "Unlock" || l.method === "RUnlock") && sameMutex2(pass, h, l.mutex));
    const heldIntro = `${mu} is locked on line ${lockLine} and held until ${fname} returns (deferred unlock on line ${lineOf(file, h.deferStmt)})`;
    const related = [
      { node: h.stmt, message: `${mu}.${h.lock.method}() takes the lock` },
      { node: h.deferStmt, message: "the unlock runs only at function exit" }
    ];
    const confidence = h.lock.typed ? "high" : "medium";
    const declAt = h.path?.decl && !h.path.global ? pos(h.path.decl) : -1;
    const redeclares = (n) => declAt >= 0 && (n.kind === "AssignStmt" || n.kind === "DeclStmt" || n.kind === "RangeStmt") && pos(n) <= declAt && declAt < end(n);
    const lockTests = equalityTests(file, guardConds(fn, h.stmt));
    for (const n of reachedEntries(cfg, h.stmt, (x) => releases2(x) || redeclares(x))) {
      if (n.kind === "DeferStmt" && pos(n) < pos(h.deferStmt)) continue;
      if (n.kind === "GoStmt" || n === h.stmt) continue;
      if (lockTests.size > 0 && exclusive(lockTests, equalityTests(file, guardConds(fn, n)))) continue;
      const direct = lockCallsIn(pass, n).find((l) => (l.method === "Lock" || l.method === "RLock") && sameMutex2(pass, h, l.mutex));
      if (direct && n.kind !== "DeferStmt" && nextIterationOnly(cfg, h.deferStmt, h.stmt, n)) continue;
      if (direct && n.kind !== "DeferStmt") {
        pass.report({
          node: direct.call,
          file,
          confidence,
          message: `${heldIntro}, but line ${lineOf(file, direct.call)} locks ${mu} again: ${describe(h, direct.method)}; remove the second lock or release the first before it`,
          related
        });
        break;
      }
      if (!h.path) continue;
      let reported = false;
      for (const call of packageCallsIn(pass, n)) {
        if (warmedUpBefore(pass, file, fn.body, h.stmt, call)) continue;
        const chain = searchCallees(pass, call, h.path, (g, p, trail) => locksOnEntry(pass, g, p, trail), MAX_DEPTH, (_callee, site, trail) => !skippedForCall(trail, site) && !releasedBefore(pass, trail, site));
        if (!chain) continue;
        const inner = chain.found;
        const innerFile = pass.fileOf(inner.call) ?? file;
        const names = chain.funcs.map((g, i) => {
          const f = g.decl ?? g.lit;
          const name = funcName(pass.fileOf(f) ?? file, f);
          const via = unparen(chain.calls[i].fun);
          return g.lit && via.kind === "Ident" ? `${via.name} (${name})` : name;
        });
        const how = n.kind === "DeferStmt" ? `the deferred ${callText(file, call)} (registered after the unlock, so it runs first)` : `${callText(file, call)} on line ${lineOf(file, call)}`;
        pass.report({
          node: call,
          file,
          confidence,
          message: `${heldIntro}, but ${how} locks it again (${[fname, ...names].join(" → ")} → ${callText(innerFile, inner.call)} on line ${lineOf(innerFile, inner.call)}): ${describe(h, inner.method)}; call a variant that expects the lock to be held, or release it before the call`,
          related: [...related, { node: inner.call, file: innerFile, message: `${callText(innerFile, inner.call)} locks the same mutex` }]
        });
        reported = true;
        break;
      }
      if (reported) break;
    }
  }
}
function run17(pass) {
  for (const file of pass.files) {
    if (!sourceMentions(file, "Lock")) continue;
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => checkFunc2(pass, file, fn));
  }
}
var analyzer17 = {
  meta: {
    id: ID17,
    severity: "critical",
    summary: "While a mutex is held until function exit, the function locks the same mutex again (directly or through same-package callees): self-deadlock.",
    enabledByDefault: true,
    fixable: false,
    category: "locking",
    docUrl: docUrl(ID17)
  },
  needs: (o) => bodyNeeds(o, { kinds: ["DeferStmt"], names: [...LOCK_NAMES] }),
  run: run17
};

// src/rules/goroutine-blocked-send.ts
var ID18 = "goroutine-blocked-send";
function chanText(m) {
  return m.field ? `${m.id.name}.${m.field}` : m.id.name;
}
function isUnbufferedMake(pass, e) {
  const x = unparen(e);
  if (x.kind !== "CallExpr") return false;
  const f = unparen(x.fun);
  if (f.kind !== "Ident" || f.name !== "make") return false;
  const o = pass.types.objectOf(f);
  if (o && o.kind !== "builtin") return false;
  const args = x.args ?? [];
  const t0 = args[0];
  if (!t0) return false;
  let isChan = unparen(t0).kind === "ChanType";
  if (!isChan) {
    const t = pass.types.typeOf(t0);
    const u = t?.kind === "named" ? t.underlying() : t;
    isChan = u?.kind === "chan";
  }
  if (!isChan) return false;
  if (args.length === 1) return true;
  const n = unparen(args[1]);
  return args.length === 2 && n.kind === "BasicLit" && n.tokKind === "INT" && /^0+$/.test(n.value);
}
function unbufferedMakes(pass, body) {
  const out = [];
  const add = (lhs, rhs) => {
    if (lhs.kind !== "Ident" || !isUnbufferedMake(pass, rhs)) return;
    const o = pass.types.objectOf(lhs);
    if (o && o.varKind !== void 0 && o.varKind !== "local") return;
    const key = refKey(pass, lhs);
    if (key !== void 0) out.push({ id: lhs, make: unparen(rhs), key });
  };
  const addLit = (lhs, rhs) => {
    let v = unparen(rhs);
    if (v.kind === "UnaryExpr" && v.op === "&") v = unparen(v.x);
    if (lhs.kind !== "Ident" || v.kind !== "CompositeLit") return;
    const o = pass.types.objectOf(lhs);
    if (o && o.varKind !== void 0 && o.varKind !== "local") return;
    const base = refKey(pass, lhs);
    if (base === void 0) return;
    for (const el of v.elts ?? []) {
      if (el.kind !== "KeyValueExpr" || unparen(el.key).kind !== "Ident" || !isUnbufferedMake(pass, el.value)) continue;
      const field = unparen(el.key).name;
      out.push({ id: lhs, make: unparen(el.value), key: `${base}.${field}`, field });
    }
  };
  walkSameFunc(body, (x) => {
    if (x.kind === "AssignStmt" && x.lhs.length === x.rhs.length) x.lhs.forEach((l, i) => (add(l, x.rhs[i]), addLit(l, x.rhs[i])));
    else if (x.kind === "ValueSpec" && x.values && x.values.length === x.names.length) x.names.forEach((n, i) => (add(n, x.values[i]), addLit(n, x.values[i])));
    return true;
  });
  return out;
}
function blockingSend(pass, s, parents) {
  const clause = parents.get(s);
  if (clause?.kind !== "CommClause" || clause.comm !== s) return true;
  const body = parents.get(clause);
  if ((body?.kind === "BlockStmt" ? body.list?.length ?? 0 : 0) <= 1) return true;
  const sel = body ? parents.get(body) : void 0;
  const block = sel ? parents.get(sel) : void 0;
  const loop = block ? parents.get(block) : void 0;
  if (sel?.kind !== "SelectStmt" || block?.kind !== "BlockStmt" || loop?.kind !== "ForStmt" || loop.cond || loop.body !== block) return false;
  if ((body.list ?? []).some((c) => c !== clause && (c.kind !== "CommClause" || !c.comm))) return false;
  let leaves = false;
  walkNode(loop.body, (x) => {
    if (leaves || x.kind === "FuncLit" || x === clause) return false;
    if (x.kind === "ReturnStmt" || x.kind === "BranchStmt" && (x.label || x.tok === "goto")) leaves = true;
    if (x.kind === "CallExpr" && endsFlow(pass, x)) leaves = true;
    return !leaves;
  });
  return !leaves;
}
function returnsAfterSend(body, send) {
  let found = false;
  walkNode(body, (x) => {
    if (found) return false;
    if (x.kind === "CommClause" && x.comm === send) found = x.body?.[0]?.kind === "ReturnStmt";
    else {
      const list = x.kind === "BlockStmt" ? x.list : x.kind === "CaseClause" ? x.body : null;
      const i = list ? list.indexOf(send) : -1;
      if (i >= 0) found = list[i + 1]?.kind === "ReturnStmt";
    }
    return !found;
  });
  return found;
}
function closesField(body, file, text) {
  return nodeContains(body, (x) => {
    if (x.kind !== "CallExpr" || x.args?.length !== 1) return false;
    const f = unparen(x.fun);
    return f.kind === "Ident" && f.name === "close" && textOf(file, x.args[0]) === text;
  });
}
function lingeringSend(pass, s, parents) {
  const clause = parents.get(s);
  if (clause?.kind !== "CommClause" || clause.comm !== s) return void 0;
  const body = parents.get(clause);
  if (body?.kind !== "BlockStmt" || (body.list?.length ?? 0) < 2) return void 0;
  let field;
  for (const c of body.list ?? []) {
    if (c === clause) continue;
    if (c.kind !== "CommClause" || !c.comm) return void 0;
    const e = c.comm.kind === "ExprStmt" ? c.comm.x : c.comm.kind === "AssignStmt" && c.comm.rhs.length === 1 ? c.comm.rhs[0] : void 0;
    const r = e ? unparen(e) : void 0;
    if (r?.kind !== "UnaryExpr" || r.op !== "<-") return void 0;
    const x = unparen(r.x);
    if (x.kind !== "SelectorExpr") return void 0;
    let t = pass.types.typeOf(x.x);
    if (t?.kind === "pointer") t = t.elem;
    if (!t || t.kind === "named" && t.pkg === "time") return void 0;
    field ??= x;
  }
  return field;
}
function launchesIn(pass, body) {
  const out = goStmtsIn(body).map((go) => ({ go, at: go }));
  if (!pass.typesKnown) return out;
  for (const a of afterFuncLaunches(pass, body)) out.push({ go: a.go, at: a.at });
  walkSameFunc(body, (x) => {
    if (x.kind !== "ExprStmt" || unparen(x.x).kind !== "CallExpr") return true;
    const gg = groupGoOf(pass, unparen(x.x));
    if (gg?.fn?.kind === "FuncLit") {
      const call = { kind: "CallExpr", fun: gg.fn, lparen: gg.call.lparen, args: null, ellipsis: -1, rparen: gg.call.rparen };
      out.push({ go: { kind: "GoStmt", go: gg.call.lparen, call }, at: x });
    }
    return true;
  });
  return out;
}
function senderOf2(pass, launch, key) {
  const go = launch.go;
  const local = goTarget(pass, go);
  const target = local?.fn.body && pass.fileOf(local.fn) ? local : moduleGoTarget(pass, go, "<-");
  if (!target?.fn.body) return void 0;
  const subst = targetSubst(pass, target);
  const parents = /* @__PURE__ */ new Map();
  const sends = [];
  const others = [];
  const otherSends = [];
  const stack = [];
  const walk = (n) => {
    if (stack.length > 0) parents.set(n, stack[stack.length - 1]);
    if (n.kind === "SendStmt") {
      const k = refKey(pass, n.chan, subst);
      if (sameRefKey(k, key)) sends.push(n);
      else if (k !== void 0) {
        others.push(k);
        otherSends.push({ key: k, node: n });
      }
    } else if (n.kind === "CallExpr" && n.args?.length === 1 && unparen(n.fun).kind === "Ident" && unparen(n.fun).name === "close") {
      const k = refKey(pass, n.args[0], subst);
      if (k !== void 0 && !sameRefKey(k, key)) others.push(k);
    }
    stack.push(n);
    inspectChildren(n, walk);
    stack.pop();
  };
  walk(target.fn.body);
  if (sends.length === 0) return void 0;
  let kept = others;
  if (otherSends.length > 0) {
    const g = cfgOf(pass, target.fn);
    const before = /* @__PURE__ */ new Set();
    const after = /* @__PURE__ */ new Set();
    if (g) {
      for (const o of otherSends) {
        if (g.locate(o.node) && sends.some((sn) => g.locate(sn) && g.canReach(o.node, sn))) before.add(o.key);
        else after.add(o.key);
      }
    }
    for (const k of after) before.delete(k);
    if (before.size > 0) kept = others.filter((k) => !before.has(k));
  }
  const blocking = sends.filter((sn) => blockingSend(pass, sn, parents));
  const lingering = /* @__PURE__ */ new Map();
  for (const sn of sends) {
    const field = blocking.includes(sn) ? void 0 : lingeringSend(pass, sn, parents);
    if (field) lingering.set(sn, field);
  }
  return { go, at: launch.at, target, sends, blocking, others: kept, lingering };
}
function inspectChildren(n, f) {
  forEachChild(n, f);
}
function channelUse(pass, body, m, senders) {
  const allowed = /* @__PURE__ */ new Set([m.id]);
  const viaSelector = /* @__PURE__ */ new Set();
  if (m.field) {
    const called = /* @__PURE__ */ new Set();
    inspectChildren(body, function mark(n) {
      if (n.kind === "CallExpr") called.add(unparen(n.fun));
      if (n.kind === "SelectorExpr" && unparen(n.x).kind === "Ident" && !called.has(n)) viaSelector.add(unparen(n.x));
      inspectChildren(n, mark);
    });
  }
  let deferredReceive = false;
  const senderLits = new Set(senders.map((s) => s.target.fn));
  for (const s of senders) for (const a of s.go.call.args ?? []) allowed.add(unparen(a));
  const ownFlow = /* @__PURE__ */ new Set();
  walkSameFunc(body, (x) => void ownFlow.add(x));
  let escapes2 = false;
  const visit = (n, inDeferredLit) => {
    if (escapes2) return;
    if (senderLits.has(n)) return;
    if (n.kind === "DeferStmt" && unparen(n.call.fun).kind === "FuncLit") {
      inspectChildren(n, (c) => visit(c, true));
      return;
    }
    if (n.kind === "UnaryExpr" && n.op === "<-" && sameRefKey(refKey(pass, n.x), m.key)) {
      if (inDeferredLit) deferredReceive = true;
      else if (!ownFlow.has(n)) escapes2 = true;
      return;
    }
    if (n.kind === "RangeStmt" && sameRefKey(refKey(pass, n.x), m.key)) {
      if (!ownFlow.has(n)) escapes2 = true;
      inspectChildren(n.body, (c) => visit(c, inDeferredLit));
      return;
    }
    if (n.kind === "CallExpr") {
      const f = unparen(n.fun);
      if (f.kind === "Ident" && ["close", "len", "cap"].includes(f.name) && n.args?.length === 1 && sameRefKey(refKey(pass, n.args[0]), m.key)) return;
    }
    if (n.kind === "Ident" && !allowed.has(n) && sameRefKey(refKey(pass, n), m.key)) {
      escapes2 = true;
      return;
    }
    if (m.field && n.kind === "Ident" && n !== m.id && !viaSelector.has(n) && sameVar(pass, n, m.id)) {
      escapes2 = true;
      return;
    }
    inspectChildren(n, (c) => visit(c, inDeferredLit));
  };
  inspectChildren(body, (c) => visit(c, false));
  if (escapes2) return "escapes";
  return deferredReceive ? "deferred-receive" : "local";
}
function receiveLoops(pass, g, key) {
  return [...g.loops.values()].filter((info) => {
    const st = info.stmt;
    if (st.kind === "RangeStmt" && sameRefKey(refKey(pass, st.x), key)) return true;
    return nodeContains(st.body, (y) => sameRefKey(receivedChan(pass, y), key));
  });
}
function receiveSites(pass, body, key) {
  const out = [];
  walkSameFunc(body, (x) => {
    if (x.kind === "UnaryExpr" && x.op === "<-" && sameRefKey(receivedChan(pass, x), key)) out.push(x);
    return true;
  });
  return out;
}
function constantTrips(st) {
  const int = (e) => {
    const u = e && unparen(e);
    return u && u.kind === "BasicLit" && u.tokKind === "INT" && /^[0-9]+$/.test(u.value) ? Number(u.value) : void 0;
  };
  if (st.kind === "RangeStmt") {
    const x = unparen(st.x);
    if (x.kind === "CompositeLit" && x.type?.kind === "ArrayType" && !(x.elts ?? []).some((e) => e.kind === "KeyValueExpr")) return (x.elts ?? []).length;
    return int(x);
  }
  const l = countingLoop(st);
  const from = l && int(l.from);
  const to = l && int(l.to);
  if (!l || from === void 0 || to === void 0) return void 0;
  return l.op === "<" ? Math.max(0, to - from) : Math.max(0, to - from + 1);
}
function guardedBy(pass, body, exit, vars) {
  if (vars.length === 0) return false;
  return underIf(body, exit, (cond) => nodeContains(cond, (y) => y.kind === "Ident" && vars.some((v) => sameVar(pass, v, y))));
}
function inOtherCase(pass, body, exit, key) {
  const at = pos(exit);
  let ok = false;
  walkSameFunc(body, (x) => {
    if (ok) return false;
    if (pos(x) > at || end(x) <= at) return false;
    if (x.kind !== "SelectStmt") return true;
    const cases = (x.body.list ?? []).filter((c) => c.kind === "CommClause");
    const receivesCh = (c) => !!c.comm && nodeContains(c.comm, (y) => sameRefKey(receivedChan(pass, y), key));
    if (!cases.some(receivesCh)) return true;
    const holder = cases.find((c) => pos(c) <= at && at < end(c));
    if (holder && !receivesCh(holder)) ok = true;
    return true;
  });
  return ok;
}
function inCaseReceiving(pass, body, exit, keys) {
  const at = pos(exit);
  let ok = false;
  walkSameFunc(body, (x) => {
    if (ok) return false;
    if (pos(x) > at || end(x) <= at) return false;
    if (x.kind === "CommClause" && x.comm && nodeContains(x.comm, (y) => {
      const r = receivedChan(pass, y);
      return r !== void 0 && keys.some((k) => sameRefKey(r, k));
    })) ok = true;
    return true;
  });
  return ok;
}
function receiveCounters(pass, loop, key) {
  const body = loop.body;
  const out = [];
  const counted = (st) => {
    if (st.kind === "IncDecStmt" && unparen(st.x).kind === "Ident") return unparen(st.x);
    if (st.kind === "AssignStmt" && (st.tok === "+=" || st.tok === "-=") && st.lhs.length === 1 && unparen(st.lhs[0]).kind === "Ident") return unparen(st.lhs[0]);
    return void 0;
  };
  const scan = (list) => {
    for (const st of list) {
      const id = counted(st);
      if (id) out.push(id);
    }
  };
  if (loop.kind === "RangeStmt" && sameRefKey(refKey(pass, loop.x), key)) scan(body.list ?? []);
  walkSameFunc(body, (x) => {
    if (x.kind === "CommClause" && x.comm && nodeContains(x.comm, (y) => sameRefKey(receivedChan(pass, y), key))) scan(x.body ?? []);
    if (x.kind === "BlockStmt") {
      const list = x.list ?? [];
      list.forEach((st, i) => {
        if (st.kind !== "CommClause" && nodeContains(st, (y) => sameRefKey(receivedChan(pass, y), key)) && st.kind !== "SelectStmt") scan(list.slice(i + 1));
      });
    }
    return true;
  });
  return out;
}
function countedExits(pass, g, loops, key) {
  const out = /* @__PURE__ */ new Set();
  for (const l of loops) {
    const counters = receiveCounters(pass, l.stmt, key);
    if (counters.length === 0) continue;
    for (const e of g.loopExits(l.stmt).exits) {
      if (e.via && guardedBy(pass, l.stmt.body, e.via, counters)) out.add(e.from);
    }
  }
  for (const l of loops) {
    if (l.stmt.kind !== "ForStmt" || !l.stmt.cond) continue;
    const cond = l.stmt.cond;
    for (const e of g.loopExits(l.stmt).exits) {
      if (!e.via) continue;
      const list = listHolding(l.stmt.body, e.via);
      const k = list.indexOf(e.via);
      if (k <= 0) continue;
      const joins = list.slice(0, k).some((st) => {
        if (st.kind !== "ForStmt" || st.init || !st.cond || !sameExpr(st.cond, cond)) return false;
        const receivesEach = (st.body.list ?? []).some((x) => (x.kind === "ExprStmt" || x.kind === "AssignStmt") && nodeContains(x, (y) => sameRefKey(receivedChan(pass, y), key)));
        let leaves = false;
        walkSameFunc(st.body, (x) => {
          if (x.kind === "BranchStmt" || x.kind === "ReturnStmt") leaves = true;
          return !leaves;
        });
        return receivesEach && !leaves;
      });
      if (joins) out.add(e.from);
    }
  }
  return out;
}
function describeLeave(pass, file, path, key, fname, ch) {
  for (const b of [...path].reverse()) {
    if (b.kind !== "select.case" || b.stmt?.kind !== "CommClause") continue;
    const cc = b.stmt;
    const comm = cc.comm;
    if (!comm || nodeContains(comm, (y) => sameRefKey(receivedChan(pass, y), key))) continue;
    const sel = b.preds[0]?.control;
    const selLine = sel ? lineOf(file, sel) : lineOf(file, cc);
    let what;
    if (comm.kind === "ExprStmt") what = textOf(file, comm.x);
    else if (comm.kind === "AssignStmt" && comm.rhs[0]) what = textOf(file, comm.rhs[0]);
    else what = textOf(file, comm);
    return {
      text: `when the select on line ${selLine} takes its ${what} case, ${fname} returns without receiving`,
      node: cc,
      note: `${fname} stops waiting for ${ch} here`
    };
  }
  const ret = returnOfPath(path);
  if (ret) return { text: `the return on line ${lineOf(file, ret)} leaves before receiving from ${ch}`, node: ret, note: `returns without receiving from ${ch}` };
  return { text: `${fname} can return without receiving from ${ch}`, note: "" };
}
var CANCELLING_CONTEXTS = /* @__PURE__ */ new Set(["context.WithCancel", "context.WithTimeout", "context.WithDeadline", "context.WithCancelCause", "context.WithTimeoutCause", "context.WithDeadlineCause"]);
function cancelledOnReturn(pass, parent, goPos, body, sends) {
  const cancels = /* @__PURE__ */ new Map();
  walkSameFunc(parent, (x) => {
    if (x.kind === "AssignStmt" && x.lhs.length === 2 && x.rhs.length === 1) {
      const r = unparen(x.rhs[0]);
      const ctx = unparen(x.lhs[0]);
      const cancel = unparen(x.lhs[1]);
      if (r.kind === "CallExpr" && CANCELLING_CONTEXTS.has(pass.types.callee(r)?.name ?? "") && ctx.kind === "Ident" && cancel.kind === "Ident") {
        const co = pass.types.objectOf(ctx);
        const fo = pass.types.objectOf(cancel);
        if (co && fo) cancels.set(co, fo);
      }
    }
    return true;
  });
  if (cancels.size === 0) return false;
  const deferred = /* @__PURE__ */ new Set();
  for (const x of parent.list ?? []) {
    if (pos(x) >= goPos) break;
    if (x.kind !== "DeferStmt") continue;
    const f = unparen(x.call.fun);
    if (f.kind === "Ident") deferred.add(pass.types.objectOf(f));
    else if (f.kind === "FuncLit") {
      walkSameFunc(f.body, (y) => {
        if (y.kind === "CallExpr" && unparen(y.fun).kind === "Ident") deferred.add(pass.types.objectOf(unparen(y.fun)));
        return true;
      });
    }
  }
  const wakes = (c) => {
    let hit = false;
    if (c.comm) walkNode(c.comm, (y) => {
      if (hit) return false;
      if (y.kind === "CallExpr") {
        const f = unparen(y.fun);
        if (f.kind === "SelectorExpr" && f.sel.name === "Done" && unparen(f.x).kind === "Ident") {
          const o = pass.types.objectOf(unparen(f.x));
          if (o && cancels.has(o) && deferred.has(cancels.get(o))) hit = true;
        }
      }
      return !hit;
    });
    return hit;
  };
  const selects = [];
  walkSameFunc(body, (x) => {
    if (x.kind === "SelectStmt") selects.push(x);
    return true;
  });
  return sends.length > 0 && sends.every((snd) => selects.some((sel) => {
    const clauses = (sel.body.list ?? []).filter((c) => c.kind === "CommClause");
    const home = clauses.find((c) => pos(c) <= pos(snd) && pos(snd) < end(c));
    return !!home && home.comm !== null && !nodeContains(home.comm, (y) => y === snd) && clauses.some((c) => c !== home && wakes(c));
  }));
}
function fixFor2(file, m) {
  const args = m.make.args;
  const t = textOf(file, args[0]);
  if (args.length === 2) return { message: `buffer ${chanText(m)}: make(${t}, 1)`, edits: [{ node: args[1], newText: "1" }] };
  return { message: `buffer ${chanText(m)}: make(${t}, 1)`, edits: [{ range: { pos: end(args[0]), end: end(args[0]) }, newText: ", 1" }] };
}
function check4(pass, file, fn, enclosing) {
  if (!fn.body) return;
  if (fn.kind === "FuncDecl" && !fn.recv && fn.name.name === "main" && pass.pkg.name === "main" && !file.test) return;
  const makes = unbufferedMakes(pass, fn.body);
  if (makes.length === 0) return;
  const gos = launchesIn(pass, fn.body);
  if (gos.length === 0) return;
  const g = cfgOf(pass, fn);
  if (!g) return;
  const fname = funcName(file, fn);
  for (const m of makes) {
    const senders = gos.map((go) => senderOf2(pass, go, m.key)).filter((s) => !!s && g.locate(s.at) !== void 0);
    if (senders.length === 0) continue;
    const use = channelUse(pass, fn.body, m, senders);
    if (use !== "local" && use !== "escapes") continue;
    if (deferredCloses(pass, fn.body).some((c) => sameRefKey(c.key, m.key))) continue;
    if (senders.some((x) => nodeContains(x.target.fn.body, (y) => sameRefKey(receivedChan(pass, y, targetSubst(pass, x.target)), m.key)))) continue;
    if (use === "escapes") {
      if (!checkReturnedWithout(pass, file, fn, m, senders)) checkReturned(pass, file, fn, m, senders);
      continue;
    }
    const loops = receiveLoops(pass, g, m.key);
    const drainHeads = new Set(loops.flatMap(loopHeadEntries));
    const drainHeaders = new Set(loops.filter((l) => l.stmt.kind === "RangeStmt" && sameRefKey(refKey(pass, l.stmt.x), m.key)).map((l) => l.header));
    const receives = (n) => drainHeads.has(n) || nodeContains(n, (y) => sameRefKey(receivedChan(pass, y), m.key));
    const counted = countedExits(pass, g, loops, m.key);
    const leaky = new Set(loops.filter((l) => l.stmt.kind === "RangeStmt" && sameRefKey(refKey(pass, l.stmt.x), m.key) && g.loopExits(l.stmt).exits.some((e) => !counted.has(e.from))));
    const multiHeads = new Set(loops.filter((l) => !leaky.has(l)).flatMap(loopHeadEntries));
    const multiHeaders = new Set([...drainHeaders].filter((b) => ![...leaky].some((l) => l.header === b)));
    for (const b of counted) {
      drainHeaders.add(b);
      multiHeaders.add(b);
    }
    const receivesMulti = (n) => multiHeads.has(n) || nodeContains(n, (y) => sameRefKey(receivedChan(pass, y), m.key));
    const ch = chanText(m);
    const handler = [fn, ...enclosing].map((f) => requestHandler(pass, file, f)).find((h) => h);
    const byName = m.key.startsWith("?") || !pass.typesKnown;
    for (const s of senders) {
      const lingers = s.blocking.length === 0;
      const blocking = lingers ? [...s.lingering.keys()] : s.blocking;
      if (blocking.length === 0) continue;
      const makeBlock = g.locate(m.make)?.block;
      const goLoops = g.loopsContaining(g.locate(s.at).block).filter((l) => !makeBlock || !l.members.has(makeBlock));
      const send = blocking[0];
      const streams = goLoops.length === 0 && senders.length === 1 && blocking.some((b) => loopDepthIn(s.target.fn.body, b) > 0 && !returnsAfterSend(s.target.fn.body, b));
      const goInLoop = goLoops.length > 0 || senders.length > 1 || streams;
      const starters = goLoops.filter((l) => !(l.stmt.kind === "RangeStmt" && sameRefKey(refKey(pass, l.stmt.x), m.key)));
      const startHeads = new Set(starters.flatMap(loopHeadEntries));
      const startHeaders = new Set(starters.map((l) => l.header));
      const recv = goInLoop ? (n) => !startHeads.has(n) && multiHeads.has(n) || nodeContains(n, (y) => sameRefKey(receivedChan(pass, y), m.key)) : receives;
      const headers = goInLoop ? new Set([...multiHeaders].filter((b) => !startHeaders.has(b))) : drainHeaders;
      const avoid = s.others.length === 0 ? recv : (n) => recv(n) || nodeContains(n, (y) => {
        const r = receivedChan(pass, y);
        return r !== void 0 && s.others.some((k) => sameRefKey(r, k));
      });
      let path = g.findPath(s.at, "exit", { avoid, avoidBlock: (b) => headers.has(b) });
      let leave;
      let confidence = byName || file.test ? "medium" : "high";
      let multi = false;
      let watches = false;
      let cancelled = false;
      if (path) {
        leave = describeLeave(pass, file, path, m.key, fname, ch);
        const comm = leave.node?.kind === "CommClause" ? leave.node.comm : void 0;
        const recvExpr = comm?.kind === "ExprStmt" ? comm.x : comm?.kind === "AssignStmt" ? comm.rhs[0] : void 0;
        const leaveKey = recvExpr ? receivedChan(pass, unparen(recvExpr)) : void 0;
        const subst = targetSubst(pass, s.target);
        const watching = (sel) => (sel.body.list ?? []).some((c) => c.kind === "CommClause" && !!c.comm && nodeContains(c.comm, (y) => sameRefKey(receivedChan(pass, y, subst), leaveKey)));
        let inWatchingSelect = false;
        if (leaveKey) walkSameFunc(s.target.fn.body, (x) => {
          if (inWatchingSelect) return false;
          if (x.kind === "SelectStmt" && watching(x) && blocking.some((b) => pos(x) <= pos(b) && pos(b) < end(x))) inWatchingSelect = true;
          return true;
        });
        if (leaveKey && inWatchingSelect) {
          watches = true;
          confidence = "medium";
        }
        if (!watches && s.target.fn.kind === "FuncLit" && fn.body && cancelledOnReturn(pass, fn.body, pos(s.at), s.target.fn.body, blocking)) {
          cancelled = true;
          confidence = "medium";
        }
      } else if (goInLoop) {
        for (const l of loops) {
          if (l.members.has(g.locate(s.at).block)) continue;
          const got = receivedVars(pass, l.stmt.body, m.key);
          let onValue = false;
          const early = g.loopExits(l.stmt).exits.find((e) => {
            if (e.via?.kind !== "ReturnStmt" && e.via?.kind !== "BranchStmt") return false;
            if (counted.has(e.from)) return false;
            if (streams && s.others.length > 0 && inCaseReceiving(pass, l.stmt.body, e.via, s.others)) return false;
            if (inOtherCase(pass, l.stmt.body, e.via, m.key)) return true;
            onValue = guardedBy(pass, l.stmt.body, e.via, got);
            if (onValue && streams && finalEventTested(pass, l.stmt.body, e.via, got, s.target.fn.body)) return false;
            return onValue;
          });
          if (!early || !g.canReach(s.at, l.header)) continue;
          path = [early.from];
          const via = early.via;
          leave = {
            text: `the ${via.kind === "ReturnStmt" ? "return" : via.tok} on line ${lineOf(file, via)} leaves before receiving from ${ch} ${streams ? "everything the goroutine sends" : "once per sender"}`,
            node: via,
            note: `leaves the receive loop on line ${lineOf(file, l.stmt)} early`
          };
          if (onValue) confidence = "medium";
          multi = true;
          break;
        }
      }
      if (!path && !leave && goLoops.length > 0 && loops.length === 0) {
        const sites = receiveSites(pass, fn.body, m.key);
        const outer = goLoops[goLoops.length - 1];
        const trips = goLoops.reduce((acc, l) => {
          const t = constantTrips(l.stmt);
          return acc === void 0 || t === void 0 ? void 0 : acc * t;
        }, 1);
        if (sites.length > 0 && (trips === void 0 || trips > sites.length)) {
          path = [g.locate(s.at).block];
          const first = sites[0];
          leave = {
            text: `the loop on line ${lineOf(file, outer.stmt)} starts ${trips === void 0 ? "a goroutine per iteration" : `${trips} goroutines`} but ${fname} receives from ${ch} only ${sites.length === 1 ? "once" : `${sites.length} times`} (line ${lineOf(file, first)})`,
            node: first,
            note: "the only receive"
          };
          if (sites.length > 1) leave.note = "the first of the receives";
          multi = true;
        }
      }
      if (!path || !leave) continue;
      let quit;
      if (lingers) {
        const field = s.lingering.get(send);
        const fieldText = textOf(pass.fileOf(field) ?? file, field);
        if (s.target.pkg || watches || closesField(fn.body, file, fieldText)) continue;
        quit = fieldText;
        confidence = "medium";
      }
      const fixable = !goInLoop && s.sends.length === 1 && blocking.length === 1 && loopDepthIn(s.target.fn.body, send) === 0;
      const typeText = textOf(file, m.make.args[0]);
      const sendAt = s.target.pkg ? `in ${textOf(file, s.go.call.fun)}, package ${s.target.pkg}` : `line ${lineOf(file, send)}`;
      const related = [
        ...s.target.pkg ? [] : [{ node: send, message: `the goroutine blocks here when nobody receives` }],
        { node: s.at, message: goroutineStartNote(s.go) }
      ];
      if (leave.node && leave.note) related.push({ node: leave.node, message: leave.note });
      const per = quit ? `one goroutine per ${handler ? "request" : "call"} held until then` : handler ? "one leaked goroutine per request" : "one leaked goroutine per call";
      pass.report({
        node: m.make,
        file,
        severity: handler ? "critical" : void 0,
        confidence,
        message: `${fname} makes ${ch} unbuffered, and ${goroutineText(file, s.go)} sends ${streams ? "values" : "its result"} on it (${sendAt}); ${leave.text}, so ${quit ? `the goroutine blocks on the send until ${quit} is closed, which only the owner's shutdown does` : streams ? "the goroutine blocks forever on its next send" : `${multi ? "the goroutines not yet received from block" : "the goroutine blocks"} forever on the send`}${watches ? " if it has already started it (it watches the same channel)" : cancelled ? " if it has already chosen that case (otherwise the return cancels the context it waits on)" : ""}: ${per}${handler ? ` (${fname} is ${/^[aeiou]/i.test(handler.framework) ? "an" : "a"} ${handler.framework})` : ""}; ${fixable ? `buffer the channel (make(${typeText}, 1))` : `give the channel room for every sender`} or select on ctx.Done() in the sender`,
        related,
        ...fixable ? { fixes: [fixFor2(file, m)] } : {}
      });
      break;
    }
  }
}
function checkReturnedWithout(pass, file, fn, m, senders) {
  if (fn.kind !== "FuncDecl" || !fn.body || senders.length !== 1) return false;
  const s = senders[0];
  if (s.target.pkg || s.blocking.length === 0) return false;
  const g = cfgOf(pass, fn);
  if (!g || g.loopsContaining(g.locate(s.at).block).length > 0) return false;
  const senderLits = /* @__PURE__ */ new Set([s.target.fn]);
  const withIt = /* @__PURE__ */ new Set();
  let other = false;
  const visit = (n, parent) => {
    if (other || senderLits.has(n)) return;
    if (n.kind === "Ident" && n !== m.id && sameRefKey(refKey(pass, n), m.key)) {
      if (parent.kind === "ReturnStmt" && (parent.results ?? []).some((r) => unparen(r) === n)) withIt.add(parent);
      else if (!(s.go.call.args ?? []).some((a) => unparen(a) === n)) other = true;
      return;
    }
    forEachChild(n, (c) => visit(c, n));
  };
  forEachChild(fn.body, (c) => visit(c, fn.body));
  if (other || withIt.size === 0) return false;
  if ((fn.type.results?.list ?? []).some((f) => (f.names ?? []).length > 0)) return false;
  const without = (n) => n.kind === "ReturnStmt" && !withIt.has(n);
  const path = g.findPath(s.at, without, { avoid: (n) => withIt.has(n) });
  const ret = path?.[path.length - 1]?.nodes.find(without);
  if (!ret) return false;
  const fname = funcName(file, fn);
  const send = s.blocking[0];
  const typeText = textOf(file, m.make.args[0]);
  const returns = [...withIt].sort((a, b) => pos(a) - pos(b));
  pass.report({
    node: s.go,
    file,
    message: `${fname} makes ${chanText(m)} unbuffered and hands it to its caller only by returning it (line ${lineOf(file, returns[0])}), but the return on line ${lineOf(file, ret)} leaves without it after ${goroutineText(file, s.go)} has started: then nobody can ever receive, and the goroutine blocks forever on its send (line ${lineOf(file, send)}), one leaked goroutine per such call; start the goroutine after the checks that can return early, or buffer the channel (make(${typeText}, 1) holds one value) and let the sender stop on ctx.Done()`,
    related: [
      { node: ret, message: `returns without ${chanText(m)}` },
      { node: send, message: "the goroutine blocks here" }
    ]
  });
  return true;
}
function checkReturned(pass, file, fn, m, senders) {
  if (fn.kind !== "FuncDecl" || !fn.body || senders.length !== 1) return;
  const s = senders[0];
  if (s.target.pkg || s.blocking.length !== 1 || s.sends.length !== 1 || loopDepthIn(s.target.fn.body, s.blocking[0]) > 0) return;
  const g = cfgOf(pass, fn);
  if (!g || g.loopsContaining(g.locate(s.at).block).length > 0) return;
  const senderLits = /* @__PURE__ */ new Set([s.target.fn]);
  let returned = false;
  let other = false;
  const visit = (n, parent) => {
    if (other || senderLits.has(n)) return;
    if (n.kind === "Ident" && n !== m.id && sameRefKey(refKey(pass, n), m.key)) {
      if (parent.kind === "ReturnStmt" && (parent.results ?? []).some((r) => unparen(r) === n)) returned = true;
      else if (!(s.go.call.args ?? []).some((a) => unparen(a) === n)) other = true;
      return;
    }
    forEachChild(n, (c) => visit(c, n));
  };
  forEachChild(fn.body, (c) => visit(c, fn.body));
  if (other || !returned) return;
  const node = callGraphOf(pass).nodeOf(fn);
  for (const e of node?.in ?? []) {
    if (e.kind !== "call" || e.site.kind !== "CallExpr") continue;
    const cf = pass.fileOf(e.site);
    const caller = e.caller.body;
    if (!cf || !caller) continue;
    const site = e.site;
    const holder = (() => {
      let v;
      walkSameFunc(caller, (x) => {
        if (v) return false;
        if (x.kind === "AssignStmt" && x.lhs.length === 1 && x.rhs.length === 1 && unparen(x.rhs[0]) === site && unparen(x.lhs[0]).kind === "Ident") v = unparen(x.lhs[0]);
        return !v;
      });
      return v;
    })();
    const isRecv = (y) => {
      if (y.kind !== "UnaryExpr" || y.op !== "<-") return false;
      const x = unparen(y.x);
      return x === site || !!holder && x.kind === "Ident" && sameVar(pass, x, holder);
    };
    let leave;
    let recvClause;
    walkSameFunc(caller, (x) => {
      if (leave || x.kind !== "SelectStmt") return !leave;
      const clauses = (x.body.list ?? []).filter((c) => c.kind === "CommClause");
      const home = clauses.find((c) => !!c.comm && nodeContains(c.comm, isRecv));
      if (!home) return true;
      const alt = clauses.find((c) => c !== home && (c.body ?? []).some((st) => st.kind === "ReturnStmt"));
      if (alt) [leave, recvClause] = [alt, home];
      return !leave;
    });
    if (!leave || !recvClause) continue;
    const fname = funcName(file, fn);
    const cname = funcName(cf, e.caller.decl ?? e.caller.lit);
    const send = s.blocking[0];
    const typeText = textOf(file, m.make.args[0]);
    pass.report({
      node: m.make,
      file,
      message: `${fname} makes ${chanText(m)} unbuffered and returns it, and ${goroutineText(file, s.go)} sends its result on it (line ${lineOf(file, send)}); ${cname} receives from it in a select whose other case (line ${lineOf(cf, leave)}${cf !== file ? ` of ${cf.path}` : ""}) returns without receiving, so then the goroutine blocks forever on the send: one leaked goroutine per such call; buffer the channel (make(${typeText}, 1)) or select on ctx.Done() in the sender`,
      related: [
        { node: send, message: "the goroutine blocks here when nobody receives" },
        { node: leave, file: cf, message: "returns without receiving" }
      ],
      fixes: [fixFor2(file, m)]
    });
    return;
  }
}
function callsMethodGo(fn) {
  if (!fn.body) return false;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      if (f.kind === "SelectorExpr" && f.sel.name === "Go") found = true;
    }
    return !found;
  });
  return found;
}
function checkChanMap(pass, file, fn, enclosing) {
  if (!fn.body || !pass.typesKnown) return;
  if (fn.kind === "FuncDecl" && !fn.recv && fn.name.name === "main" && pass.pkg.name === "main" && !file.test) return;
  const body = fn.body;
  const maps = /* @__PURE__ */ new Map();
  walkSameFunc(body, (x) => {
    if (x.kind === "AssignStmt" && x.tok === ":=" && x.lhs.length === 1 && x.rhs.length === 1 && unparen(x.lhs[0]).kind === "Ident") {
      const id = unparen(x.lhs[0]);
      const t = pass.types.typeOf(id);
      const u = t?.kind === "named" ? t.underlying() : t;
      const e = u?.kind === "map" ? u.elem : void 0;
      const eu = e?.kind === "named" ? e.underlying() : e;
      const key = refKey(pass, id);
      if (eu?.kind === "chan" && key) maps.set(key, { id, stores: 0, other: false });
    }
    return true;
  });
  if (maps.size === 0) return;
  const mapOf = (e) => {
    const x = unparen(e);
    if (x.kind !== "IndexExpr") return void 0;
    const k = refKey(pass, x.x);
    return k && maps.has(k) ? k : void 0;
  };
  const uses = (n, parent) => {
    if (n.kind === "AssignStmt") {
      n.lhs.forEach((l, i) => {
        const k = mapOf(l);
        if (!k) return;
        const v = n.rhs.length === n.lhs.length ? n.rhs[i] : void 0;
        if (v && isUnbufferedMake(pass, v)) maps.get(k).stores++;
        else maps.get(k).other = true;
      });
    }
    if (n.kind === "Ident" && parent) {
      const k = refKey(pass, n);
      const m = k ? maps.get(k) : void 0;
      if (m && n !== m.id) {
        const ok = parent.kind === "IndexExpr" && parent.x === n || parent.kind === "RangeStmt" && parent.x === n || parent.kind === "CallExpr" && unparen(parent.fun).kind === "Ident" && unparen(parent.fun).name === "len";
        if (!ok) m.other = true;
      }
      return;
    }
    forEachChild(n, (c) => uses(c, n));
  };
  uses(body, void 0);
  for (const [key, m] of maps) {
    if (m.other || m.stores === 0) continue;
    const rangeVals = /* @__PURE__ */ new Map();
    walkSameFunc(body, (x) => {
      if (x.kind === "RangeStmt" && refKey(pass, x.x) === key && x.value && unparen(x.value).kind === "Ident") {
        const o = pass.types.objectOf(unparen(x.value));
        if (o) rangeVals.set(o, x);
      }
      return true;
    });
    const isChanOfMap = (e) => {
      if (mapOf(e) === key) return true;
      const x = unparen(e);
      const o = x.kind === "Ident" ? pass.types.objectOf(x) : void 0;
      return !!o && rangeVals.has(o);
    };
    let go;
    let send;
    for (const g2 of goStmtsIn(body)) {
      const lit = unparen(g2.call.fun);
      if (lit.kind !== "FuncLit" || loopDepthIn(body, g2) === 0) continue;
      walkSameFunc(lit.body, (y) => {
        if (send) return false;
        if (y.kind === "SelectStmt") return false;
        if (y.kind === "SendStmt" && isChanOfMap(y.chan)) send = y;
        return true;
      });
      if (send) {
        go = g2;
        break;
      }
    }
    if (!go || !send) continue;
    const g = cfgOf(pass, fn);
    if (!g) continue;
    let leave;
    for (const [, r] of rangeVals) {
      if (pos(r) < end(go)) continue;
      const receives = nodeContains(r.body, (y) => y.kind === "UnaryExpr" && y.op === "<-" && isChanOfMap(y.x));
      if (!receives) continue;
      const early = g.loopExits(r).exits.find((e) => e.via?.kind === "ReturnStmt" || e.via?.kind === "BranchStmt" && e.via.tok === "break");
      if (early?.via) {
        leave = early.via;
        break;
      }
    }
    if (!leave) continue;
    const fname = funcName(file, fn);
    const handler = [fn, ...enclosing].map((f) => requestHandler(pass, file, f)).find((h) => h);
    pass.report({
      node: go,
      file,
      ...handler ? { severity: "critical" } : {},
      message: `${fname} gives each key of ${m.id.name} its own unbuffered channel, and ${goroutineText(file, go)} sends once on its key's channel (line ${lineOf(file, send)}); the loop receiving from them can leave on line ${lineOf(file, leave)} before it has received from every channel, and then the goroutines of the keys not yet received from block forever on their sends: one leaked goroutine per such key; give each channel a buffer of one (make(chan T, 1)) or select on ctx.Done() in the sender`,
      related: [
        { node: send, message: "each goroutine blocks here when its channel is never received from" },
        { node: leave, message: "leaves before receiving from every channel" }
      ]
    });
  }
}
function run18(pass) {
  for (const file of pass.files) {
    const mayCallGo = pass.typesKnown && sourceMentions(file, ".Go");
    const mayCallAfter = pass.typesKnown && sourceMentions(file, "AfterFunc");
    file.inspector.withStack(["FuncDecl", "FuncLit"], (fn, stack) => {
      if (!file.inspector.contains(fn, ["GoStmt"]) && !(mayCallGo && callsMethodGo(fn)) && !(mayCallAfter && fn.body && afterFuncLaunches(pass, fn.body).length > 0)) return;
      const enclosing = stack.slice(0, -1).filter(isFunc).reverse();
      check4(pass, file, fn, enclosing);
      checkChanMap(pass, file, fn, enclosing);
    });
  }
}
var analyzer18 = {
  meta: {
    id: ID18,
    severity: "high",
    summary: "A goroutine sends its result on an unbuffered channel that its parent stops receiving from on some path: the goroutine leaks.",
    enabledByDefault: true,
    fixable: true,
    category: "goroutine",
    docUrl: docUrl(ID18)
  },
  needs: (o) => bodyNeeds(o, { kinds: ["GoStmt"], names: ["Go", "AfterFunc"] }, { returnedChans: true }),
  run: run18
};

// src/rules/recover-ineffective.ts
var ID19 = "recover-ineffective";
function message(s) {
  const file = s.file;
  const where2 = s.heldBy ? `${s.heldBy} (${funcName(file, s.fn)})` : funcName(file, s.fn);
  switch (s.reason) {
    case "defer-recover":
      return `defer recover() never stops a panic: recover is called by the runtime, not by a deferred function, so it returns nil; defer a function literal that calls recover() and handles its value`;
    case "defer-arg":
      return `recover() in the arguments of ${textOf(file, findStmtCall(s) ?? s.call)} is evaluated when the defer statement runs, before any panic, so it returns nil; call recover() inside the deferred function: defer func() { if r := recover(); r != nil { ... } }()`;
    case "nested-literal": {
      const outer = s.callers[0];
      const outerName = outer ? funcName(outer.file, outer.fn) : "the deferred function";
      return `recover() in ${where2} returns nil: the literal is called inside ${outerName}, which is deferred, instead of being deferred itself, and recover only works when called directly by the deferred function; call recover() in the deferred function's own body`;
    }
    case "called-helper": {
      const lines = [...new Set(s.callers.map((c) => lineOf(c.file, c.node)))].join(", ");
      const closures = s.callers.every((c) => c.fn.kind === "FuncLit");
      const who = s.heldBy ?? where2;
      return `recover() in ${where2} returns nil: ${who} is only called from deferred ${closures ? "closures" : "functions"} (line ${lines}), never deferred itself, and recover only works when called directly by the deferred function; write defer ${s.callers[0] ? textOf(s.callers[0].file, s.callers[0].node) : `${who}()`} instead of calling it from ${closures ? "a closure" : "another function"}`;
    }
    case "deferred-arg-literal": {
      const callee = s.via ? textOf(file, s.via.fun) : "the deferred function";
      return `recover() in ${where2} returns nil: the literal is passed to the deferred ${callee}(...), so ${callee} is the deferred function and the literal runs called by it, not directly as the deferred call; recover only works in the deferred function's own body: defer func() { if r := recover(); r != nil { ... } }()`;
    }
    case "handler":
      return `recover() in ${where2} returns nil: ${where2} is a request handler, which the server calls and never defers, and recover only stops a panic when called directly by a deferred function; put it in a deferred literal at the top of the handler: defer func() { if p := recover(); p != nil { ... } }()`;
    case "goroutine":
      return `recover() in ${where2} returns nil: the literal runs as a goroutine, not as a deferred call, so there is never a panic for it to stop; defer a recovering function at the top of the goroutine instead`;
    default:
      if (s.heldBy) {
        return `recover() in ${where2} returns nil: ${s.heldBy} is only called, never deferred, and recover only stops a panic when called directly by a deferred function; write defer ${s.heldBy}() where the panic can happen, or move recover() into a deferred function`;
      }
      if (s.fn.kind === "FuncLit") {
        return `recover() in ${where2} returns nil: the literal is called in place, not deferred, and recover only stops a panic when called directly by a deferred function; defer the literal (defer func() { ... }()) instead`;
      }
      return `recover() in ${where2} returns nil: ${where2} is never deferred in this package, and recover only stops a panic when called directly by a deferred function; defer ${where2} where the panic can happen, or move recover() into a deferred function`;
  }
}
function findStmtCall(s) {
  let out;
  s.file.inspector.preorder(["DeferStmt", "GoStmt"], (d) => {
    if (!out && d.call.lparen < s.call.lparen && s.call.rparen < d.call.rparen) out = d.call;
  });
  return out;
}
function deferredName(name) {
  return name.startsWith("the ") ? `the deferred ${name.slice(4)}` : `the deferred ${name}`;
}
function run19(pass) {
  for (const s of recoverSites(pass)) {
    if (s.status !== "ineffective") continue;
    pass.report({
      node: s.call,
      file: s.file,
      confidence: s.confidence,
      message: message(s),
      related: [
        ...s.callers.map((c) => ({ node: c.node, file: c.file, message: `called here from ${deferredName(funcName(c.file, c.fn))}` })),
        ...s.via ? [{ node: s.via, file: s.file, message: `the deferred call, which runs ${textOf(s.file, s.via.fun)}, not the literal` }] : []
      ]
    });
  }
}
var analyzer19 = {
  meta: {
    id: ID19,
    severity: "high",
    summary: "A recover() that is not called directly by a deferred function: it returns nil and the panic still crashes the program.",
    enabledByDefault: true,
    fixable: false,
    category: "panics",
    docUrl: docUrl(ID19)
  },
  // Whether a function with a recover is ever deferred, called or used as a value is asked of every body naming it.
  needs: (o) => bodyNeeds(o, { names: ["recover"] }, { deferred: true, containing: ["recover"] }),
  run: run19
};

// src/rules/recover-swallows-panic.ts
var ID20 = "recover-swallows-panic";
function emptyBranch(b) {
  if (!b) return true;
  if (b.kind === "IfStmt") return inertIf(b);
  if (b.kind !== "BlockStmt") return false;
  return (b.list ?? []).every(
    (s) => s.kind === "EmptyStmt" || s.kind === "ReturnStmt" && !s.results?.length || s.kind === "AssignStmt" && s.tok === "=" && s.lhs.every((l) => l.kind === "Ident" && l.name === "_") && s.rhs.every((r) => unparen(r).kind === "Ident") || // `out, err = nil, nil`: the results are cleared, the error among them, so the function
    // reports success (a nil pointer alone, `cc = nil`, may be the caller's "not ready").
    s.kind === "AssignStmt" && s.tok === "=" && s.rhs.every((r) => {
      const u = unparen(r);
      return u.kind === "Ident" && u.name === "nil";
    }) && s.lhs.some((l) => {
      const u = unparen(l);
      return u.kind === "Ident" && /^err$|^err[A-Z0-9_]|Err$/.test(u.name);
    }) || s.kind === "IfStmt" && inertIf(s)
  );
}
var PREDICATES = /* @__PURE__ */ new Set(["Is", "As", "Contains", "HasPrefix", "HasSuffix", "EqualFold", "len"]);
function inertIf(s) {
  if (s.init) {
    if (s.init.kind !== "AssignStmt" || s.init.tok !== ":=") return false;
    if (!s.init.rhs.every((r) => ["TypeAssertExpr", "Ident", "BasicLit"].includes(unparen(r).kind))) return false;
  }
  let calls = true;
  walkSameFunc(s.cond, (x) => {
    if (!calls) return false;
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      const name = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : "";
      if (!PREDICATES.has(name)) calls = false;
    }
    return calls;
  });
  return calls && emptyBranch(s.body) && emptyBranch(s.else);
}
function pathTo(root, target) {
  const path = [];
  let out;
  const walk = (n) => {
    if (out) return;
    path.push(n);
    if (n === target) out = [...path];
    else inspectChildren2(n, walk);
    path.pop();
  };
  walk(root);
  return out;
}
function inspectChildren2(n, f) {
  forEachChild(n, f);
}
function nilTest(pass, x, isV) {
  x = unparen(x);
  if (x.kind !== "BinaryExpr" || x.op !== "!=" && x.op !== "==") return void 0;
  if (isV(x.x) && isNilIdent(pass, x.y) || isV(x.y) && isNilIdent(pass, x.x)) return x.op;
  return void 0;
}
function ifIgnores(op, s, last) {
  if (op === "!=") return emptyBranch(s.body);
  if (s.else !== null) return emptyBranch(s.body) && emptyBranch(s.else);
  return last && emptyBranch(s.body);
}
function isLast(body, s) {
  const list = body.list ?? [];
  return list[list.length - 1] === s;
}
function declaredIn2(pass, id, body) {
  const o = pass.types.objectOf(id);
  const d = o?.decl;
  return !!o && o.kind === "var" && o.varKind === "local" && !!d && d.namePos >= body.lbrace && d.namePos <= body.rbrace;
}
function narrowed(path, i) {
  const a = path[i];
  if (a.kind !== "TypeAssertExpr" || !a.type) return void 0;
  let j = i - 1;
  while (j > 0 && path[j].kind === "ParenExpr") j--;
  const assign = path[j];
  if (assign?.kind !== "AssignStmt" || assign.lhs.length !== 2 || assign.rhs.length !== 1) return void 0;
  const ok = unparen(assign.lhs[1]);
  const ifs = path[j - 1];
  if (ifs?.kind !== "IfStmt" || ifs.init !== assign || ifs.else) return void 0;
  if (ok.kind !== "Ident") return void 0;
  if (ok.name !== "_" && !inspectFind(ifs.cond, (y) => y.kind === "Ident" && y.name === ok.name)) return void 0;
  return a.type;
}
function inspectFind(n, f) {
  let found = false;
  const visit = (x) => {
    if (found) return;
    if (f(x)) {
      found = true;
      return;
    }
    inspectChildren2(x, visit);
  };
  visit(n);
  return found;
}
function innermostOwner(parents) {
  for (let i = parents.length - 1; i >= 0; i--) if (parents[i].kind === "FuncLit") return parents[i];
  return void 0;
}
function onlyBuildsError(pass, e) {
  let ok = true;
  const visit = (x) => {
    if (!ok || x.kind === "FuncLit") {
      ok = ok && x.kind !== "FuncLit";
      return;
    }
    if (x.kind === "CallExpr") {
      const c = pass.types.callee(x);
      if (!c || c.kind !== "conversion" && !["fmt.Errorf", "fmt.Sprintf", "fmt.Sprint", "errors.New"].includes(c.name)) ok = false;
    }
    inspectChildren2(x, visit);
  };
  visit(e);
  return ok;
}
function treatment(pass, s) {
  const body = s.fn.body;
  if (!body) return void 0;
  const path = pathTo(body, s.call);
  if (!path || path.length < 2) return void 0;
  let i = path.length - 2;
  while (i > 0 && path[i].kind === "ParenExpr") i--;
  const parent = path[i];
  if (parent.kind === "ExprStmt") return "discarded";
  if (parent.kind === "TypeAssertExpr") {
    if (!parent.type) {
      const sw = path.slice(0, i).reverse().find((n) => n.kind === "TypeSwitchStmt");
      const clauses = sw?.body.list ?? [];
      const empty = (c) => (c.body ?? []).every((st) => emptyBranch({ kind: "BlockStmt", list: [st] }));
      if (!sw || clauses.length === 0) return void 0;
      if (clauses.every(empty)) return "ignored";
      const all = (t2) => {
        const u = unparen(t2);
        return u.kind === "Ident" && u.name === "any" || u.kind === "InterfaceType" && (u.methods?.list ?? []).length === 0;
      };
      const dflt = clauses.find((c) => !c.list || c.list.length === 0);
      if (dflt && !empty(dflt)) return void 0;
      if (clauses.some((c) => (c.list ?? []).some(all))) return void 0;
      const handled = clauses.filter((c) => !empty(c)).flatMap((c) => (c.list ?? []).filter((t2) => !(unparen(t2).kind === "Ident" && unparen(t2).name === "nil")));
      return handled.length > 0 ? { narrowed: handled[0], switchTypes: handled.map((t2) => textOf(s.file, t2)).join(", ") } : void 0;
    }
    const t = narrowed(path, i);
    return t ? { narrowed: t } : void 0;
  }
  const isCall = (e) => unparen(e) === s.call;
  if (parent.kind === "BinaryExpr") {
    const ifs = path[i - 1];
    if (ifs?.kind === "IfStmt" && ifs.cond === parent) {
      const op = nilTest(pass, parent, isCall);
      return op && ifIgnores(op, ifs, isLast(body, ifs)) ? "ignored" : void 0;
    }
    return void 0;
  }
  let v;
  if (parent.kind === "AssignStmt" && parent.rhs.length === 1 && parent.lhs.length === 1) {
    const l = parent.lhs[0];
    if (l.kind !== "Ident") return void 0;
    if (l.name === "_") return "discarded";
    if (parent.tok !== ":=" && !declaredIn2(pass, l, body)) return void 0;
    v = l;
  } else if (parent.kind === "ValueSpec" && parent.names.length === 1) {
    v = parent.names[0];
    if (v.name === "_") return "discarded";
  } else return void 0;
  const target = pass.types.objectOf(v);
  const isV = (e) => {
    e = unparen(e);
    if (e.kind !== "Ident" || e.name !== v.name) return false;
    const o = pass.types.objectOf(e);
    return !target || !o || o === target;
  };
  let used = false;
  let tested = false;
  let narrowedTo;
  const visit = (n, parents) => {
    if (used) return;
    if (n.kind === "IfStmt" && !n.else && n.init?.kind === "AssignStmt" && n.init.lhs.length === 2 && n.init.rhs.length === 1) {
      const a = unparen(n.init.rhs[0]);
      const ok = unparen(n.init.lhs[1]);
      if (a.kind === "TypeAssertExpr" && a.type && isV(a.x) && ok.kind === "Ident" && (ok.name === "_" || inspectFind(n.cond, (y) => y.kind === "Ident" && y.name === ok.name))) {
        narrowedTo ??= a.type;
        visit(n.body, [...parents, n]);
        return;
      }
    }
    if (n.kind === "ReturnStmt" && s.fn.kind === "FuncLit" && innermostOwner(parents) === void 0 && (n.results ?? []).every((r) => onlyBuildsError(pass, r))) return;
    if (n.kind === "AssignStmt" && n.lhs.length === 1 && n.lhs[0].kind === "Ident" && n.lhs[0].name === "_" && n.rhs.length === 1 && isV(n.rhs[0])) return;
    if (n.kind === "IfStmt") {
      const op = nilTest(pass, n.cond, isV);
      if (op) {
        const returnsOnly = op === "!=" && s.fn.kind === "FuncLit" && innermostOwner(parents) === void 0 && (n.body.list ?? []).length > 0 && (n.body.list ?? []).every((st) => st.kind === "ReturnStmt" && (st.results ?? []).every((r) => onlyBuildsError(pass, r)));
        if (!returnsOnly && !ifIgnores(op, n, isLast(body, n))) {
          used = true;
          return;
        }
        tested = true;
        if (n.init) visit(n.init, [...parents, n]);
        if (!emptyBranch(n.body)) visit(n.body, [...parents, n]);
        if (n.else && !emptyBranch(n.else)) visit(n.else, [...parents, n]);
        return;
      }
    }
    if (n.kind === "Ident" && n !== v && n !== target?.decl && isV(n)) {
      const p = parents[parents.length - 1];
      if (!(p?.kind === "SelectorExpr" && p.sel === n)) {
        used = true;
        return;
      }
    }
    inspectChildren2(n, (c) => visit(c, [...parents, n]));
  };
  visit(body, []);
  if (used) return void 0;
  if (narrowedTo) return { narrowed: narrowedTo };
  return tested ? "ignored" : "discarded";
}
function guardsOneBuiltin(pass, file, lit) {
  if (lit.kind !== "FuncLit") return false;
  const outer = innermostFuncBody(file, lit);
  if (!outer) return false;
  const d = findDefer(outer, lit);
  const list = d ? listHolding(outer, d) : [];
  const all = list.filter((st) => st !== d);
  if (all.length === 0 || all.length === list.length) return false;
  const rest = all.length === 2 && all[1].kind === "ReturnStmt" ? all : all.slice(0, 1);
  if (all.length !== rest.length) return false;
  let plain = true;
  const visit = (n) => {
    if (!plain) return;
    if (n.kind === "FuncLit" || n.kind === "GoStmt" || n.kind === "UnaryExpr" && n.op === "<-") {
      plain = false;
      return;
    }
    if (n.kind === "CallExpr" && !reflectOp(pass, n) && (pass.types.callee(n)?.kind !== "builtin" || unparen(n.fun).kind === "Ident" && unparen(n.fun).name === "panic")) {
      plain = false;
      return;
    }
    forEachChild(n, visit);
  };
  for (const st of rest) visit(st);
  return plain;
}
function reflectOp(pass, call) {
  const name = pass.types.callee(call)?.name ?? "";
  return name.startsWith("(reflect.Value).") || name.startsWith("(reflect.Type).");
}
function handlerDeferredAfter(file, lit) {
  if (lit.kind !== "FuncLit") return false;
  const outer = innermostFuncBody(file, lit);
  if (!outer) return false;
  const d = findDefer(outer, lit);
  if (!d) return false;
  let found = false;
  walkSameFunc(outer, (x) => {
    if (found) return false;
    if (x.kind === "DeferStmt" && pos(x) > pos(d)) {
      const f = unparen(x.call.fun);
      const name = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : "";
      if (/crash|panic/i.test(name) && /handle|report|log|capture/i.test(name)) found = true;
    }
    return !found;
  });
  return found;
}
function findDefer(body, lit) {
  let found;
  walkSameFunc(body, (x) => {
    if (found) return false;
    if (x.kind === "DeferStmt" && unparen(x.call.fun) === lit) found = x;
    return !found;
  });
  return found;
}
function guardFlag(s) {
  const body = s.fn.body;
  if (!body) return void 0;
  let flag;
  walkSameFunc(body, (x) => {
    if (flag) return false;
    if (x.kind !== "IfStmt" || x.else) return true;
    const c = unparen(x.cond);
    if ((c.kind === "SelectorExpr" || c.kind === "Ident") && pos(x.body) <= pos(s.call) && pos(s.call) < end(x.body)) flag = c;
    return !flag;
  });
  return flag;
}
function bailoutFlag(pass, flag) {
  const name = flag.kind === "SelectorExpr" ? flag.sel.name : flag.kind === "Ident" ? flag.name : "";
  const obj = pass.types.objectOf(flag.kind === "SelectorExpr" ? flag.sel : flag);
  const same2 = (e) => {
    const u = unparen(e);
    const id = u.kind === "SelectorExpr" ? u.sel : u.kind === "Ident" ? u : void 0;
    if (!id || id.name !== name) return false;
    const o = pass.types.objectOf(id);
    return !obj || !o || o === obj;
  };
  const isPanic = (st) => {
    if (st.kind !== "ExprStmt") return false;
    const c = unparen(st.x);
    if (c.kind !== "CallExpr") return false;
    const f = unparen(c.fun);
    return f.kind === "Ident" && f.name === "panic";
  };
  for (const file of pass.files) {
    let found = false;
    file.inspector.preorder(["BlockStmt", "CaseClause"], (x) => {
      if (found) return;
      const list = x.kind === "BlockStmt" ? x.list ?? [] : x.body ?? [];
      list.forEach((st, i) => {
        if (found || st.kind !== "AssignStmt" || st.tok !== "=" || st.lhs.length !== 1 || st.rhs.length !== 1) return;
        const v = unparen(st.rhs[0]);
        if (v.kind !== "Ident" || v.name !== "true" || !same2(st.lhs[0])) return;
        if (list.slice(i + 1).some(isPanic)) found = true;
      });
    });
    if (found) return true;
  }
  return false;
}
function run20(pass) {
  const sites = recoverSites(pass);
  const handles = /* @__PURE__ */ new Set();
  for (const s of sites) if (s.status === "effective" && !s.file.test && !treatment(pass, s)) handles.add(s.fn);
  for (const s of sites) {
    if (s.status !== "effective" || s.file.test) continue;
    const t = treatment(pass, s);
    if (!t) continue;
    if (handles.has(s.fn)) continue;
    if (guardsOneBuiltin(pass, s.file, s.fn)) continue;
    if (t === "discarded" && handlerDeferredAfter(s.file, s.fn)) continue;
    const flag = guardFlag(s);
    if (flag && bailoutFlag(pass, flag)) continue;
    const where2 = s.fn.kind === "FuncLit" ? `${s.heldBy ? `${s.heldBy} (the function literal on line ${lineOf(s.file, s.fn)})` : `function literal on line ${lineOf(s.file, s.fn)}`}` : `function ${funcName(s.file, s.fn)}`;
    if (typeof t === "object" && t.switchTypes) {
      pass.report({
        node: s.call,
        file: s.file,
        confidence: "medium",
        message: `the deferred ${where2} switches on the type of recover() and handles only ${t.switchTypes}; its default case is empty or missing, so a panic of any other type (a runtime error, panic("...") with a string) is stopped and dropped with no log, no error and no re-panic; handle the rest in the default case (log it, wrap it with fmt.Errorf("%v", r), or re-panic)`
      });
      continue;
    }
    if (typeof t === "object") {
      const ty = textOf(s.file, t.narrowed);
      pass.report({
        node: s.call,
        file: s.file,
        confidence: "medium",
        message: `the deferred ${where2} handles only panics whose value is ${/^[aeiou]/i.test(ty) ? "an" : "a"} ${ty} (recover().(${ty}) with no else branch): any other panic, such as panic("...") with a string, is stopped and dropped with no log, no error and no re-panic; handle the other values in an else branch (log them, wrap them with fmt.Errorf("%v", r), or re-panic)`
      });
      continue;
    }
    const what = t === "discarded" ? "discards the value of recover()" : "tests the value of recover() and then does nothing with it";
    pass.report({
      node: s.call,
      file: s.file,
      message: `the deferred ${where2} ${what}: the panic vanishes with no log, no error and no re-panic, and the function returns as if it had succeeded; log the value, turn it into an error through a named result, or re-panic`
    });
  }
}
var analyzer20 = {
  meta: {
    id: ID20,
    severity: "medium",
    summary: "A deferred recover() whose value is discarded or ignored: the panic disappears without a trace.",
    enabledByDefault: true,
    fixable: false,
    category: "panics",
    docUrl: docUrl(ID20)
  },
  needs: (o) => bodyNeeds(o, { names: ["recover"] }, { deferred: true, containing: ["recover"] }),
  run: run20
};

// src/rules/waitgroup-done-path.ts
var ID21 = "waitgroup-done-path";
var DONE = "(*sync.WaitGroup).Done";
function doneCall(pass, call) {
  const fun = unparen(call.fun);
  if (fun.kind !== "SelectorExpr" || fun.sel.name !== "Done" || (call.args?.length ?? 0) !== 0) return void 0;
  const c = pass.types.callee(call);
  let typed = true;
  if (c) {
    if (c.name !== DONE) return void 0;
  } else {
    if (!/(^|\.)(wg|[a-z]*WaitGroup|[a-z]*Wg)$/i.test(formatPathOf(pass, fun.x) ?? "")) return void 0;
    typed = false;
  }
  const path = varPath(pass, fun.x);
  return path ? { call, wg: fun.x, path, typed } : void 0;
}
function formatPathOf(pass, e) {
  const p = varPath(pass, e);
  return p ? formatPath(p) : void 0;
}
function doneCallsIn(pass, n) {
  const out = [];
  walkNode(n, (x) => {
    if (x.kind === "FuncLit" && x !== n) return false;
    if (x.kind === "CallExpr") {
      const d = doneCall(pass, x);
      if (d) out.push(d);
    }
    return true;
  });
  return out;
}
function marksDone(pass, n, wg) {
  if (n.kind === "DeferStmt" || n.kind === "GoStmt") return false;
  let found = false;
  walkNode(n, (x) => {
    if (found) return false;
    if (x.kind === "FuncLit") return false;
    if (x.kind === "CallExpr") {
      const d = doneCall(pass, x);
      if (d && samePath(d.path, wg)) found = true;
      else if (unparen(x.fun).kind === "FuncLit") {
        if (doneCallsIn(pass, unparen(x.fun).body).some((y) => samePath(y.path, wg))) found = true;
      } else {
        for (const a of x.args ?? []) {
          const p = varPath(pass, a);
          if (p && samePath(p, wg)) found = true;
        }
      }
    }
    return !found;
  });
  if (found) return true;
  for (const call of packageCallsIn(pass, n)) {
    const hit = searchCallees(pass, call, wg, (g, p) => g.body && doneCallsIn(pass, g.body).some((d) => samePath(d.path, p)) ? true : void 0);
    if (hit) return true;
  }
  return false;
}
function deferredDone(pass, cfg, wg) {
  for (const d of cfg.defers) {
    const fun = unparen(d.call.fun);
    const calls = fun.kind === "FuncLit" ? doneCallsIn(pass, fun.body).filter((c) => !inRecoverBranch(fun.body, c.call)) : doneCallsIn(pass, d.call);
    if (calls.some((c) => samePath(c.path, wg))) return d;
  }
  return void 0;
}
function inRecoverBranch(body, call) {
  const at = pos(call);
  let inside = false;
  inspect(body, (x) => {
    if (inside || at < pos(x) || at >= end(x)) return false;
    if (x.kind === "IfStmt" && at >= pos(x.body) && at < end(x.body)) {
      let recovers = false;
      for (const part of [x.init, x.cond]) {
        if (part) inspect(part, (y) => {
          if (y.kind === "CallExpr" && unparen(y.fun).kind === "Ident" && unparen(y.fun).name === "recover") recovers = true;
          return !recovers;
        });
      }
      if (recovers) inside = true;
    }
    return !inside;
  });
  return inside;
}
function defaultCaseReturns(fn) {
  const out = /* @__PURE__ */ new Set();
  if (!fn.body) return out;
  const closedFlags = /* @__PURE__ */ new Set();
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind === "CommClause" && x.comm === null) {
      for (const st of x.body ?? []) if (st.kind === "ReturnStmt") out.add(st);
    }
    if (x.kind === "AssignStmt" && x.lhs.length === 2 && x.rhs.length === 1) {
      const r = unparen(x.rhs[0]);
      const okId = unparen(x.lhs[1]);
      if (r.kind === "UnaryExpr" && r.op === "<-" && okId.kind === "Ident") closedFlags.add(okId.name);
    }
    if (x.kind === "IfStmt" && !x.init) {
      const c = unparen(x.cond);
      if (c.kind === "UnaryExpr" && c.op === "!" && unparen(c.x).kind === "Ident" && closedFlags.has(unparen(c.x).name)) {
        for (const st of x.body.list ?? []) if (st.kind === "ReturnStmt") out.add(st);
      }
    }
    if ((x.kind === "ForStmt" || x.kind === "RangeStmt") && x.body.list && x.body.list.length >= 2) {
      const [take, check6] = x.body.list;
      if (take.kind === "AssignStmt" && take.rhs.length === 1 && unparen(take.rhs[0]).kind === "CallExpr" && check6.kind === "IfStmt" && !check6.init) {
        const names = take.lhs.map((l) => unparen(l)).filter((l) => l.kind === "Ident").map((l) => l.name);
        const c = unparen(check6.cond);
        const tested = c.kind === "BinaryExpr" && c.op === "!=" ? [unparen(c.x), unparen(c.y)] : [];
        const errName = tested.find((e) => e.kind === "Ident" && e.name !== "nil" && /err/i.test(e.name) && names.includes(e.name));
        if (errName && tested.some((e) => e.kind === "Ident" && e.name === "nil")) {
          for (const st of check6.body.list ?? []) if (st.kind === "ReturnStmt") out.add(st);
        }
      }
    }
    return true;
  });
  return out;
}
function isFalse(e) {
  const x = e ? unparen(e) : void 0;
  return x?.kind === "Ident" && x.name === "false";
}
function isTrue(e) {
  const x = e ? unparen(e) : void 0;
  return x?.kind === "Ident" && x.name === "true";
}
function sharedFlagGuard(pass, body, call) {
  const at = pos(call);
  let found = false;
  walkNode(body, (x) => {
    if (found || at < pos(x) || at >= end(x)) return false;
    if (x.kind === "IfStmt" && at >= pos(x.body) && at < end(x.body)) {
      const c = unparen(x.cond);
      const flag = c.kind === "UnaryExpr" && c.op === "!" ? unparen(c.x) : void 0;
      if (flag?.kind === "SelectorExpr") {
        found = (x.body.list ?? []).some((st) => st.kind === "AssignStmt" && st.tok === "=" && st.lhs.length === 1 && sameExpr(st.lhs[0], flag) && isTrue(st.rhs[0]));
      }
    }
    return !found;
  });
  return found;
}
function onceGuards(pass, fn, dones) {
  const out = /* @__PURE__ */ new Set();
  if (!fn.body) return out;
  const candidates = [];
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind !== "IfStmt" || x.else || x.init) return true;
    const c = unparen(x.cond);
    if (c.kind !== "UnaryExpr" || c.op !== "!") return true;
    const flag = unparen(c.x);
    if (flag.kind !== "Ident") return true;
    const list = x.body.list ?? [];
    const di = list.findIndex((st) => st.kind === "ExprStmt" && dones.some((d) => d.call === unparen(st.x)));
    if (di < 0) return true;
    const set = list.findIndex((st, i) => i > di && st.kind === "AssignStmt" && st.tok === "=" && st.lhs.length === 1 && unparen(st.lhs[0]).kind === "Ident" && sameVar(pass, unparen(st.lhs[0]), flag) && isTrue(st.rhs[0]));
    if (set >= 0) candidates.push({ ifs: x, flag });
    return true;
  });
  for (const { ifs, flag } of candidates) {
    const allowed = new Set((ifs.body.list ?? []).filter((st) => st.kind === "AssignStmt"));
    let ok = true;
    let declared = false;
    const check6 = (x, inLit) => {
      if (!ok) return;
      if (x.kind === "UnaryExpr" && x.op === "&" && unparen(x.x).kind === "Ident" && sameVar(pass, unparen(x.x), flag)) ok = false;
      else if (x.kind === "AssignStmt") {
        x.lhs.forEach((l, i) => {
          const id = unparen(l);
          if (id.kind !== "Ident" || !sameVar(pass, id, flag)) return;
          if (x.tok === ":=") {
            declared = true;
            if (inLit || x.rhs.length !== x.lhs.length || !isFalse(x.rhs[i])) ok = false;
          } else if (inLit || !allowed.has(x) || x.rhs.length !== x.lhs.length || !isTrue(x.rhs[i])) {
            ok = false;
          }
        });
      } else if (x.kind === "ValueSpec") {
        x.names.forEach((n, i) => {
          if (!sameVar(pass, n, flag)) return;
          declared = true;
          if (x.values && !isFalse(x.values[i])) ok = false;
        });
      } else if (x.kind === "RangeStmt") {
        for (const k of [x.key, x.value]) if (k && unparen(k).kind === "Ident" && sameVar(pass, unparen(k), flag)) ok = false;
      }
      walkNode(x, (y) => {
        if (y === x) return true;
        check6(y, inLit || y.kind === "FuncLit");
        return false;
      });
    };
    check6(fn.body, false);
    if (ok && declared) out.add(ifs);
  }
  return out;
}
function testAndSetFlag(pass, fn, call) {
  if (!fn.body) return void 0;
  const at = pos(call);
  let flag;
  inspect(fn.body, (x) => {
    if (at < pos(x) || at >= end(x)) return false;
    if (x.kind === "IfStmt" && !x.init && at >= pos(x.body) && at < end(x.body)) {
      const c = unparen(x.cond);
      const f2 = c.kind === "UnaryExpr" && c.op === "!" ? unparen(c.x) : void 0;
      if (f2?.kind === "Ident") {
        const id = f2;
        const sets = (x.body.list ?? []).some(
          (st) => st.kind === "AssignStmt" && st.tok === "=" && st.lhs.length === 1 && st.rhs.length === 1 && unparen(st.lhs[0]).kind === "Ident" && sameVar(pass, unparen(st.lhs[0]), id) && isTrue(st.rhs[0])
        );
        if (sets) flag = id;
      }
    }
    return true;
  });
  if (!flag) return void 0;
  const f = flag;
  for (const p of fn.type.params.list ?? []) for (const n of p.names ?? []) if (sameVar(pass, n, f)) return void 0;
  let ok = true;
  inspect(fn.body, (x) => {
    if (!ok) return false;
    if (x.kind === "UnaryExpr" && x.op === "&" && unparen(x.x).kind === "Ident" && sameVar(pass, unparen(x.x), f)) ok = false;
    else if (x.kind === "AssignStmt" && x.tok === "=") {
      x.lhs.forEach((l, i) => {
        const id = unparen(l);
        if (id.kind === "Ident" && sameVar(pass, id, f) && !isTrue(x.rhs[i])) ok = false;
      });
    }
    return ok;
  });
  return ok ? f : void 0;
}
function sameTestAndSet(pass, fn, a, b) {
  const fa = testAndSetFlag(pass, fn, a);
  const fb = fa && testAndSetFlag(pass, fn, b);
  return !!fa && !!fb && sameVar(pass, fa, fb);
}
function nilGuards(pass, fn, group, dones) {
  const out = [];
  if (!fn.body) return out;
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind !== "IfStmt" || x.init) return true;
    const c = unparen(x.cond);
    if (c.kind !== "BinaryExpr" || c.op !== "!=") return true;
    const isNil3 = (e) => unparen(e).kind === "Ident" && unparen(e).name === "nil";
    const other = isNil3(c.y) ? c.x : isNil3(c.x) ? c.y : void 0;
    const p = other ? varPath(pass, other) : void 0;
    if (!p || !samePath(p, group)) return true;
    if (dones.some((d) => pos(d.call) >= pos(x.body) && pos(d.call) < end(x.body))) out.push(x);
    return true;
  });
  return out;
}
function parentGroupText(file, go, fn, wg) {
  const x = unparen(wg);
  if (x.kind !== "Ident") return void 0;
  let i = 0;
  for (const f of fn.type.params.list ?? []) {
    for (const n of f.names ?? []) {
      if (n.name === x.name) {
        const a = go.call.args?.[i];
        if (!a || go.call.ellipsis !== -1) return void 0;
        const v = unparen(a);
        return textOf(file, v.kind === "UnaryExpr" && v.op === "&" ? v.x : v);
      }
      i++;
    }
    if (!f.names || f.names.length === 0) i++;
  }
  return void 0;
}
function groupName(text) {
  const m = /([A-Za-z_][A-Za-z0-9_]*)\W*$/.exec(text);
  return m ? m[1] : text;
}
function addsTo(pass, body, name) {
  let found = false;
  walkNode(body, (x) => {
    if (found) return false;
    if (x.kind !== "CallExpr") return true;
    const f = unparen(x.fun);
    if (f.kind !== "SelectorExpr" || f.sel.name !== "Add" || (x.args?.length ?? 0) !== 1) return true;
    const c = pass.types.callee(x);
    if (c && c.name !== "(*sync.WaitGroup).Add") return true;
    const recv = unparen(f.x);
    const last = recv.kind === "Ident" ? recv.name : recv.kind === "SelectorExpr" ? recv.sel.name : void 0;
    if (last === name) found = true;
    return !found;
  });
  return found;
}
function spawnerAdds(pass, file, go, waiter) {
  const at = pos(go);
  const decl = enclosingFuncDecl(file, go);
  if (!decl?.body) return true;
  const lits = [];
  inspect(decl.body, (x) => {
    if (pos(x) > at || end(x) <= at) return false;
    if (x.kind === "FuncLit") lits.push(x);
    return true;
  });
  const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(waiter)?.[0];
  if (root) {
    const params = /* @__PURE__ */ new Set();
    const addParams = (t) => {
      for (const f of t.params.list ?? []) for (const n of f.names ?? []) params.add(n.name);
    };
    addParams(decl.type);
    for (const l of lits) addParams(l.type);
    if (params.has(root)) return true;
  }
  const group = groupName(waiter);
  return addsTo(pass, decl.body, group) || lits.some((l) => addsTo(pass, l.body, group));
}
function oneOfMany(file, go, waiter) {
  const decl = enclosingFuncDecl(file, go);
  if (!decl?.body) return false;
  const at = pos(go);
  const group = groupName(waiter);
  let loop;
  const adds = [];
  walkNode(decl.body, (x) => {
    if ((x.kind === "ForStmt" || x.kind === "RangeStmt") && pos(x) < at && end(x) > at) loop = x;
    if (x.kind === "CallExpr") {
      const f = unparen(x.fun);
      if (f.kind === "SelectorExpr" && f.sel.name === "Add" && groupName(textOf(file, f.x)) === group) adds.push(x);
    }
    return true;
  });
  if (!loop) return false;
  const l = loop;
  return adds.length > 0 && adds.every((a) => {
    const arg = a.args?.length === 1 ? unparen(a.args[0]) : void 0;
    return arg?.kind === "BasicLit" && arg.value === "1" && (end(a) <= pos(l) || pos(a) >= end(l));
  });
}
function spawnerAddsExtra(file, go, waiter) {
  const decl = enclosingFuncDecl(file, go);
  if (!decl?.body) return false;
  const group = groupName(waiter);
  const addOf = (st) => {
    if (st.kind !== "ExprStmt") return void 0;
    const c = unparen(st.x);
    if (c.kind !== "CallExpr") return void 0;
    const f = unparen(c.fun);
    return f.kind === "SelectorExpr" && f.sel.name === "Add" && groupName(textOf(file, f.x)) === group ? c : void 0;
  };
  let extra = false;
  const visit = (list) => {
    list.forEach((st, i) => {
      const add = addOf(st);
      if (!add) return;
      const arg = add.args?.length === 1 ? unparen(add.args[0]) : void 0;
      if (arg?.kind !== "BasicLit" || !/^[1-9][0-9]*$/.test(arg.value)) return;
      for (const next of list.slice(i + 1)) {
        if (next.kind === "GoStmt") return;
        if (addOf(next)) break;
      }
      extra = true;
    });
  };
  walkNode(decl.body, (x) => {
    if (extra || x.kind === "FuncLit" || x.kind === "ForStmt" || x.kind === "RangeStmt") return false;
    if (x.kind === "BlockStmt") visit(x.list ?? []);
    else if (x.kind === "CaseClause" || x.kind === "CommClause") visit(x.body ?? []);
    return true;
  });
  return extra;
}
function addsAgainAfterWait(file, go, waiter) {
  const calls = spawnerCallsAfter(file, go, waiter);
  const wait = calls.find((c) => c.name === "Wait");
  return !!wait && calls.some((c) => c.name === "Add" && c.pos > wait.pos);
}
function spawnerCallsAfter(file, go, waiter) {
  const at = pos(go);
  const body = innermostFuncBody(file, go);
  if (!body) return [];
  const calls = [];
  walkNode(body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind === "CallExpr" && pos(x) > at) {
      const f = unparen(x.fun);
      if (f.kind === "SelectorExpr" && (f.sel.name === "Wait" || f.sel.name === "Add") && textOf(file, f.x) === waiter) calls.push({ name: f.sel.name, pos: pos(x) });
      if (f.kind === "Ident" && f.name === "close" && x.args?.length === 1) calls.push({ name: "close", pos: pos(x), ch: textOf(file, x.args[0]) });
    }
    return true;
  });
  return calls;
}
function returnsAfterWait(file, go, fn, waiter) {
  const out = /* @__PURE__ */ new Set();
  if (fn.kind !== "FuncLit" || !fn.body) return out;
  const calls = spawnerCallsAfter(file, go, waiter);
  const wait = calls.find((c) => c.name === "Wait");
  if (!wait) return out;
  const late = new Set(calls.filter((c) => c.name === "close" && c.pos > wait.pos).map((c) => c.ch));
  for (const c of calls) if (c.name === "close" && c.pos < wait.pos) late.delete(c.ch);
  if (late.size === 0) return out;
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit") return false;
    if (x.kind === "CommClause" && x.comm?.kind === "ExprStmt") {
      const r = unparen(x.comm.x);
      if (r.kind === "UnaryExpr" && r.op === "<-" && late.has(textOf(file, r.x))) {
        for (const st of x.body ?? []) if (st.kind === "ReturnStmt") out.add(st);
      }
    }
    return true;
  });
  return out;
}
function doneInOtherLiteral(file, go, fn, group) {
  const decl = enclosingFuncDecl(file, go);
  if (!decl?.body) return false;
  const started = /* @__PURE__ */ new Set();
  let found = false;
  inspect(decl.body, (x) => {
    if (found || x === fn) return false;
    if (x.kind === "GoStmt") started.add(unparen(x.call.fun));
    if (x.kind === "FuncLit" && !started.has(x)) {
      walkNode(x.body, (y) => {
        if (found || y.kind === "FuncLit") return false;
        if (y.kind === "CallExpr") {
          const f = unparen(y.fun);
          if (f.kind === "SelectorExpr" && f.sel.name === "Done" && (y.args ?? []).length === 0 && groupName(textOf(file, f.x)) === group) found = true;
        }
        return !found;
      });
    }
    return !found;
  });
  return found;
}
function handsLiteral(st) {
  let found = false;
  walkNode(st, (x) => {
    if (found) return false;
    if (x.kind === "CallExpr" && (x.args ?? []).some((a) => unparen(a).kind === "FuncLit")) found = true;
    return !found;
  });
  return found;
}
function addsItself(file, fn, wg) {
  const addOf = (st) => {
    if (st.kind !== "ExprStmt") return false;
    const c = unparen(st.x);
    if (c.kind !== "CallExpr") return false;
    const f = unparen(c.fun);
    return f.kind === "SelectorExpr" && f.sel.name === "Add" && textOf(file, f.x) === wg;
  };
  let found;
  const visit = (list) => {
    list.forEach((st, i) => {
      if (found || !addOf(st)) return;
      for (const next of list.slice(i + 1)) {
        if (addOf(next)) break;
        if (goStmtsIn(next).length > 0 || next.kind === "GoStmt" || handsLiteral(next)) return;
      }
      found = st;
    });
  };
  if (fn.body) {
    walkNode(fn.body, (x) => {
      if (found || x.kind === "FuncLit") return false;
      if (x.kind === "BlockStmt") visit(x.list ?? []);
      else if (x.kind === "CaseClause" || x.kind === "CommClause") visit(x.body ?? []);
      return !found;
    });
  }
  return found;
}
function checkHandedGroup(pass, file, go, fn, cfg, seen) {
  const fnFile = pass.fileOf(fn) ?? file;
  const g = callGraphOf(pass);
  for (const ref of cfg.entries({ liveOnly: true })) {
    if (ref.node.kind === "DeferStmt" || ref.node.kind === "GoStmt") continue;
    walkNode(ref.node, (x) => {
      if (x.kind === "FuncLit") return false;
      if (x.kind !== "CallExpr") return true;
      const callee = g.calleeOf(x)?.decl;
      if (!callee?.body || callee === fn) return true;
      (x.args ?? []).forEach((a, i) => {
        let t = pass.types.typeOf(a);
        if (t?.kind === "pointer") t = t.elem;
        if (!(t?.kind === "named" && t.pkg === "sync" && t.name === "WaitGroup")) return;
        const param = (callee.type.params.list ?? []).flatMap((f) => f.names ?? [])[i];
        if (!param || param.name === "_") return;
        const po = pass.types.objectOf(param);
        const dones = doneCallsIn(pass, callee.body).filter((d) => unparen(d.wg).kind === "Ident" && pass.types.objectOf(unparen(d.wg)) === po);
        const first = dones[0];
        if (!first || seen.has(first.call)) return;
        const hcfg = cfgOf(pass, callee);
        if (!hcfg || deferredDone(pass, hcfg, first.path)) return;
        const v = unparen(a);
        const waiter = textOf(fnFile, v.kind === "UnaryExpr" && v.op === "&" ? v.x : v);
        const parent = parentGroupText(file, go, fn, v.kind === "UnaryExpr" && v.op === "&" ? v.x : v) ?? waiter;
        if (!spawnerAdds(pass, file, go, parent) || oneOfMany(file, go, parent.replace(/^&/, ""))) return;
        const path = hcfg.findPath(hcfg.entry, "exit", { avoid: (n) => marksDone(pass, n, first.path) });
        if (!path) return;
        seen.add(first.call);
        const hFile = pass.fileOf(callee) ?? fnFile;
        const ret = returnOfPath(path);
        const how = ret ? `the return on line ${lineOf(hFile, ret)}` : "the path to the end of the function";
        const where2 = fn.kind === "FuncLit" ? goroutineText(file, go) : `${funcName(fnFile, fn)} (started as a goroutine on line ${lineOf(file, go)})`;
        pass.report({
          node: first.call,
          file: hFile,
          confidence: first.typed ? "high" : "medium",
          message: `${callText(hFile, first.call)} on line ${lineOf(hFile, first.call)} is skipped by ${how} in ${funcName(hFile, callee)}, which ${where2} calls with ${textOf(fnFile, a)} on line ${lineOf(fnFile, x)} to mark the group done, so ${parent}.Wait() blocks forever; call defer ${param.name}.Done() at the start of ${funcName(hFile, callee)} instead`,
          related: [
            ...ret ? [{ node: ret, file: hFile, message: "leaves without calling Done" }] : [],
            { node: x, file: fnFile, message: `the goroutine hands ${textOf(fnFile, a)} over here` },
            { node: go, file, message: goroutineStartNote(go) }
          ]
        });
      });
      return true;
    });
  }
}
function checkGoroutine(pass, file, go, fn, seen) {
  if (!fn.body) return;
  const cfg = cfgOf(pass, fn);
  if (!cfg) return;
  const fnFile = pass.fileOf(fn) ?? file;
  const explicit = /* @__PURE__ */ new Map();
  for (const ref of cfg.entries({ liveOnly: true })) {
    if (ref.node.kind === "DeferStmt" || ref.node.kind === "GoStmt") continue;
    for (const d of doneCallsIn(pass, ref.node)) {
      const k = formatPath(d.path);
      explicit.set(k, [...explicit.get(k) ?? [], d]);
    }
  }
  if (explicit.size === 0 && cfg.defers.every((d) => !nodeContains(d, (y) => y.kind === "CallExpr" && !!doneCall(pass, y)))) checkHandedGroup(pass, file, go, fn, cfg, seen);
  const goLine = lineOf(file, go);
  const where2 = fn.kind === "FuncLit" ? goroutineText(file, go) : `${funcName(fnFile, fn)} (started as a goroutine on line ${goLine})`;
  for (const dones of explicit.values()) {
    const first = dones[0];
    if (seen.has(first.call)) continue;
    seen.add(first.call);
    const wgText = textOf(fnFile, first.wg);
    const waiter = parentGroupText(file, go, fn, first.wg) ?? wgText;
    const confidence = first.typed ? "high" : "medium";
    const deferred = deferredDone(pass, cfg, first.path);
    if (deferred) {
      const entryOf = (d) => cfg.locate(d.call)?.node ?? d.call;
      const again = dones.find((d) => cfg.canReach(deferred, entryOf(d))) ?? dones.find((d) => cfg.canReach(entryOf(d), deferred));
      const deferredCalls2 = (() => {
        const f = unparen(deferred.call.fun);
        return (f.kind === "FuncLit" ? doneCallsIn(pass, f.body) : doneCallsIn(pass, deferred.call)).filter((c) => samePath(c.path, first.path));
      })();
      const guarded = !!again && deferredCalls2.length > 0 && deferredCalls2.every((d) => sameTestAndSet(pass, fn, d.call, again.call));
      if (again && !guarded && !addsAgainAfterWait(file, go, waiter.replace(/^&/, "")) && !spawnerAddsExtra(file, go, waiter.replace(/^&/, ""))) {
        const at2 = cfg.locate(entryOf(again));
        const loopsOn = !!at2 && cfg.loopsContaining(at2.block).some((l) => cfg.canReach(entryOf(again), l.header));
        pass.report({
          node: again.call,
          file: fnFile,
          severity: "critical",
          confidence: loopsOn ? "low" : confidence,
          message: pos(again.call) < pos(deferred) ? `${wgText}.Done() on line ${lineOf(fnFile, again.call)} in ${where2} is followed on the same path by defer ${wgText}.Done() on line ${lineOf(fnFile, deferred)}, so the group's counter is decremented twice and goes negative ("sync: negative WaitGroup counter" panic); return right after the early Done, or keep only the deferred call` : `${wgText}.Done() is deferred on line ${lineOf(fnFile, deferred)} and called again on line ${lineOf(fnFile, again.call)} in ${where2}, so the group's counter is decremented twice and goes negative ("sync: negative WaitGroup counter" panic); keep only the deferred call`,
          related: [{ node: deferred, file: fnFile, message: `${wgText}.Done() deferred here` }]
        });
      }
      continue;
    }
    const selfAdd = addsItself(fnFile, fn, wgText);
    if (!selfAdd && !spawnerAdds(pass, file, go, waiter)) continue;
    if (oneOfMany(file, go, waiter.replace(/^&/, ""))) continue;
    if (fn.kind === "FuncLit" && doneInOtherLiteral(file, go, fn, groupName(waiter.replace(/^&/, "")))) continue;
    if (fn.body && dones.some((d) => sharedFlagGuard(pass, fn.body, d.call))) continue;
    const avoid = (n) => marksDone(pass, n, first.path);
    const inLoop = dones.some((d) => {
      const at2 = cfg.locate(d.call);
      return !!at2 && cfg.loopsContaining(at2.block).length > 0;
    });
    if (selfAdd && (inLoop || !cfg.locate(selfAdd))) continue;
    const idle = inLoop ? defaultCaseReturns(fn) : /* @__PURE__ */ new Set();
    for (const r of returnsAfterWait(file, go, fn, waiter.replace(/^&/, ""))) idle.add(r);
    const guards = onceGuards(pass, fn, dones);
    for (const g of nilGuards(pass, fn, first.path, dones)) guards.add(g);
    const avoidBlock = guards.size === 0 ? void 0 : (b) => b.kind === "if.done" && guards.has(b.stmt);
    let path = inLoop ? cfg.findPath(cfg.entry, (n) => n.kind === "ReturnStmt" && !idle.has(n), { avoid, avoidBlock }) : cfg.findPath(selfAdd ?? cfg.entry, "exit", { avoid: (n) => avoid(n) || idle.has(n), avoidBlock });
    let how;
    let at;
    if (path) {
      const ret = returnOfPath(path) ?? (inLoop ? path[path.length - 1].nodes.find((n) => n.kind === "ReturnStmt") : void 0);
      how = ret ? `the return on line ${lineOf(fnFile, ret)}` : `the path to the end of the function`;
      at = ret;
    } else if (!selfAdd && (deferredRecover(pass, fn) && !recoverMarksDone(pass, fnFile, deferredRecover(pass, fn), wgText) || go.spawner && deferredRecover(pass, go.spawner) && !recoverMarksDone(pass, pass.fileOf(go.spawner) ?? fnFile, deferredRecover(pass, go.spawner), wgText))) {
      path = cfg.findPath(cfg.entry, "panic", { avoid });
      const last = path?.[path.length - 1];
      if (last?.noReturnCall) {
        how = `the panic on line ${lineOf(fnFile, last.noReturnCall)} (stopped by the goroutine's own recover)`;
        at = last.noReturnCall;
      } else if (!inLoop) {
        const call = callBeforeDone(pass, cfg, first.call, avoid);
        if (call) {
          how = `a panic in ${callText(fnFile, call)} (line ${lineOf(fnFile, call)}), which the goroutine's own recover stops`;
          at = call;
        }
      }
    }
    if (!how && inLoop && !selfAdd) {
      const skip = continueSkippingDone(file, go, fn, first.call, groupName(waiter));
      if (skip) {
        how = `the continue on line ${lineOf(fnFile, skip.cont)}, while ${textOf(file, skip.add)} counted every item`;
        at = skip.cont;
      }
    }
    if (!how) continue;
    pass.report({
      node: first.call,
      file: fnFile,
      confidence,
      message: `${callText(fnFile, first.call)} on line ${lineOf(fnFile, first.call)} is skipped by ${how} in ${where2}, so the group is never marked done and ${waiter}.Wait() blocks forever; ${inLoop ? `call ${wgText}.Done() on that path too (one Done for each item taken), or move the work for one item into a function that defers it` : `call defer ${wgText}.Done() at the start of the goroutine instead`}`,
      related: [
        ...at ? [{ node: at, file: fnFile, message: "leaves without calling Done" }] : [],
        { node: go, file, message: goroutineStartNote(go) }
      ]
    });
  }
}
function continueSkippingDone(file, go, fn, done, group) {
  let loop;
  walkNode(fn.body, (x) => {
    if (x.kind === "FuncLit" && x !== fn) return false;
    if (pos(x) > pos(done) || end(x) <= pos(done)) return false;
    if (x.kind === "RangeStmt") loop = x;
    return true;
  });
  if (!loop) return void 0;
  const range = textOf(file, loop.x);
  const decl = enclosingFuncDecl(file, go);
  let add;
  if (decl?.body) {
    walkNode(decl.body, (x) => {
      if (add) return false;
      if (x.kind === "CallExpr" && x.args?.length === 1) {
        const f = unparen(x.fun);
        const a = unparen(x.args[0]);
        if (f.kind === "SelectorExpr" && f.sel.name === "Add" && groupName(textOf(file, f.x)) === group && a.kind === "CallExpr" && unparen(a.fun).kind === "Ident" && unparen(a.fun).name === "len" && a.args?.[0] && textOf(file, a.args[0]) === range) add = x;
      }
      return !add;
    });
  }
  if (!add) return void 0;
  let cont;
  const visit = (n, nested) => {
    walkNode(n, (x) => {
      if (cont || x.kind === "FuncLit") return false;
      if (x !== n && (x.kind === "ForStmt" || x.kind === "RangeStmt")) {
        visit(x, true);
        return false;
      }
      if (x.kind === "BranchStmt" && x.tok === "continue" && pos(x) < pos(done) && (!nested || x.label?.name === labelOf2(fn, loop))) cont = x;
      return !cont;
    });
  };
  visit(loop.body, false);
  return cont ? { cont, add } : void 0;
}
function labelOf2(fn, loop) {
  let name;
  walkNode(fn.body, (x) => {
    if (name) return false;
    if (x.kind === "LabeledStmt" && x.stmt === loop) name = x.label.name;
    return !name;
  });
  return name;
}
function recoverMarksDone(pass, file, d, wgText) {
  const target = deferredTarget(pass, d.call, "recover");
  if (!target?.body) return false;
  const want = wgText.replace(/^&/, "");
  const params = /* @__PURE__ */ new Set();
  let i = 0;
  for (const field of target.type.params?.list ?? []) {
    for (const name of field.names ?? [{ name: "" }]) {
      const arg = d.call.args?.[i++];
      if (arg && name.name && textOf(file, arg).replace(/^&/, "") === want) params.add(name.name);
    }
  }
  let marks = false;
  inspect(target.body, (x) => {
    if (marks) return false;
    if (x.kind === "CallExpr" && (x.args?.length ?? 0) === 0) {
      const f = unparen(x.fun);
      if (f.kind === "SelectorExpr" && f.sel.name === "Done") {
        const recv = unparen(f.x);
        const text = recv.kind === "Ident" ? recv.name : "";
        if (params.has(text) || target.kind === "FuncLit" && textOf(file, recv).replace(/^&/, "") === want) marks = true;
      }
    }
    return !marks;
  });
  return marks;
}
function callBeforeDone(pass, cfg, done, marks) {
  const doneEntry = cfg.locate(done)?.node;
  if (!doneEntry) return void 0;
  let found;
  for (const { node } of cfg.entries({ liveOnly: true })) {
    if (found) break;
    if (node === doneEntry || node.kind === "DeferStmt" || node.kind === "GoStmt" || marks(node)) continue;
    if (!cfg.pathExists(cfg.entry, (n) => n === node) || !cfg.pathExists(node, (n) => n === doneEntry, marks)) continue;
    walkNode(node, (x) => {
      if (found || x.kind === "FuncLit") return false;
      if (x.kind === "CallExpr") {
        const c = pass.types.callee(x);
        if (c && c.kind !== "builtin" && c.kind !== "conversion" && !/^(log|fmt)\./.test(c.name) && !PLUMBING_CALLS.has(c.name)) found = x;
      }
      return !found;
    });
  }
  return found;
}
function checkGroupGo(pass, file, call) {
  const f = unparen(call.fun);
  if (f.kind !== "SelectorExpr" || f.sel.name !== "Go" || call.args?.length !== 1) return;
  const gg = groupGoOf(pass, call);
  if (!gg?.fn?.body || pass.types.callee(call)?.name !== "(*sync.WaitGroup).Go") return;
  const group = varPath(pass, gg.group);
  if (!group) return;
  const done = doneCallsIn(pass, gg.fn.body).find((d) => samePath(d.path, group));
  if (!done) return;
  const fnFile = pass.fileOf(gg.fn) ?? file;
  const wg = textOf(file, gg.group);
  pass.report({
    node: done.call,
    file: fnFile,
    severity: "critical",
    confidence: "high",
    message: `${wg}.Go on line ${lineOf(file, call)} calls ${wg}.Done itself when the function returns, so ${callText(fnFile, done.call)} here decrements the counter a second time: "sync: negative WaitGroup counter" panic, or ${wg}.Wait() returns while goroutines still run; remove this Done (and the matching Add, if any)`,
    related: [{ node: call, file, message: `${wg}.Go starts the goroutine and marks it done` }]
  });
}
function run21(pass) {
  const seen = /* @__PURE__ */ new Set();
  for (const file of pass.files) {
    if (pass.typesKnown) file.inspector.preorder(["CallExpr"], (call) => checkGroupGo(pass, file, call));
    file.inspector.preorder(["GoStmt"], (go) => {
      const t = goTarget(pass, go);
      if (t && !(pos(t.fn) <= pos(go) && pos(go) < end(t.fn))) checkGoroutine(pass, file, go, t.fn, seen);
    });
    if (pass.typesKnown && sourceMentions(file, "AfterFunc")) {
      file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => {
        if (fn.body) for (const a of afterFuncLaunches(pass, fn.body)) checkGoroutine(pass, file, a.go, a.lit, seen);
      });
    }
  }
}
var analyzer21 = {
  meta: {
    id: ID21,
    severity: "high",
    summary: "A goroutine calls wg.Done() without defer and a path (early return, recovered panic) skips it, so Wait blocks forever; or Done is both deferred and called.",
    enabledByDefault: true,
    fixable: false,
    category: "goroutines",
    docUrl: docUrl(ID21)
  },
  needs: (o) => bodyNeeds(o, { kinds: ["GoStmt"], names: ["Go", "AfterFunc"] }),
  run: run21
};

// src/rules/goroutine-outside-recover.ts
var ID22 = "goroutine-outside-recover";
function isCancel(pass, call) {
  const t = pass.types.typeOf(call.fun);
  return t?.kind === "named" && t.pkg === "context" && (t.name === "CancelFunc" || t.name === "CancelCauseFunc");
}
var BOOKKEEPING_CALLS = /* @__PURE__ */ new Set([
  "(*sync.Mutex).Lock",
  "(*sync.Mutex).Unlock",
  "(*sync.RWMutex).Lock",
  "(*sync.RWMutex).Unlock",
  "(*sync.RWMutex).RLock",
  "(*sync.RWMutex).RUnlock",
  "builtin delete"
]);
function onlyPlumbing(pass, fn, bookkeeping = false, depth = 0) {
  if (!fn.body) return false;
  let ok = true;
  inspect(fn.body, (x) => {
    if (!ok) return false;
    if (x.kind === "CallExpr") {
      const c = pass.types.callee(x);
      if (c && (PLUMBING_CALLS.has(c.name) || c.kind === "conversion" || isCancel(pass, x))) return true;
      if (!bookkeeping || !c) ok = false;
      else if (BOOKKEEPING_CALLS.has(c.name)) return true;
      else if (c.name === "(*sync.Once).Do") ok = x.args?.length === 1 && unparen(x.args[0]).kind === "FuncLit";
      else if (!c.decl || c.pkg !== pass.pkg.importPath || depth >= 2 || !onlyPlumbing(pass, c.decl, true, depth + 1)) ok = false;
    }
    return ok;
  });
  return ok;
}
function onlyForeignCalls(pass, fn) {
  if (fn.kind !== "FuncLit") return false;
  let ok = true;
  let foreign = false;
  walkSameFunc(fn.body, (x) => {
    if (!ok) return false;
    if (x.kind !== "CallExpr") return true;
    const c = pass.types.callee(x);
    if (!c || c.name === "builtin panic" || c.name === "(net/http.Handler).ServeHTTP") ok = false;
    else if (otherModuleFunc(pass, c)) {
      if (moduleRecoverer(pass, c)) foreign = true;
      else if (pass.moduleFunc(c.pkg, c.short, c.recv?.name)) ok = false;
      else foreign = true;
    } else if (c.kind === "interface" && c.pkg !== "" && inModule(pass, c.pkg)) ok = false;
    else if ((c.kind === "func" || c.kind === "method" || c.kind === "interface") && c.pkg !== "" && c.pkg !== pass.pkg.importPath) foreign = true;
    else if (c.decl && protectingRecover(pass, c.decl)) foreign = true;
    else if (!PLUMBING_CALLS.has(c.name) && c.kind !== "conversion" && c.kind !== "builtin" && !isCancel(pass, x)) ok = false;
    return ok;
  });
  return ok && foreign;
}
function callsOtherModulePackage(pass, fn) {
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "CallExpr") {
      const c = pass.types.callee(x);
      if (otherModuleFunc(pass, c) || c?.kind === "interface" && c.pkg !== "" && c.pkg !== pass.pkg.importPath && inModule(pass, c.pkg)) found = true;
    }
    return !found;
  });
  return found;
}
function protectedInPlace(pass, fn) {
  let ok = true;
  let inPlace = false;
  walkSameFunc(fn.body, (x) => {
    if (!ok) return false;
    if (x.kind === "DeferStmt") {
      const f2 = unparen(x.call.fun);
      if (f2.kind === "FuncLit" ? !onlyPlumbing(pass, f2) : !PLUMBING_CALLS.has(pass.types.callee(x.call)?.name ?? "")) ok = false;
      return false;
    }
    if (x.kind !== "CallExpr") return true;
    const f = unparen(x.fun);
    if (f.kind === "FuncLit") {
      if (protectingRecover(pass, f)) inPlace = true;
      else ok = false;
      return true;
    }
    const c = pass.types.callee(x);
    if (c?.decl && protectingRecover(pass, c.decl)) {
      inPlace = true;
      return true;
    }
    if (!c || c.name === "builtin panic" || !PLUMBING_CALLS.has(c.name) && c.kind !== "conversion" && c.kind !== "builtin" && !isCancel(pass, x)) ok = false;
    return ok;
  });
  return ok && inPlace;
}
function moduleRecoverer(pass, c) {
  if (!c || !otherModuleFunc(pass, c)) return false;
  if (pass.moduleFunc(c.pkg, c.short, c.recv?.name, "recover")) return true;
  const d = pass.moduleFunc(c.pkg, c.short, c.recv?.name);
  return (d?.body?.list ?? []).some((st) => {
    if (st.kind !== "DeferStmt") return false;
    const f = unparen(st.call.fun);
    return f.kind === "Ident" && !!pass.moduleFunc(c.pkg, f.name, void 0, "recover");
  });
}
function delegatesToRecoverer(pass, fn) {
  const stmts = fn.body?.list ?? [];
  if (stmts.length === 0) return false;
  let delegated = false;
  const callsOk = (n) => {
    let ok = true;
    walkSameFunc(n, (x) => {
      if (!ok) return false;
      if (x.kind !== "CallExpr") return true;
      const c = pass.types.callee(x);
      if (c?.decl?.body && protectingRecover(pass, c.decl) || moduleRecoverer(pass, c)) delegated = true;
      else if (!c || c.name === "builtin panic" || !PLUMBING_CALLS.has(c.name) && c.kind !== "conversion" && c.kind !== "builtin") ok = false;
      return ok;
    });
    return ok;
  };
  for (const s of stmts) {
    if (s.kind === "DeferStmt") {
      const fun = unparen(s.call.fun);
      const c = pass.types.callee(s.call);
      if (fun.kind === "FuncLit" ? onlyPlumbing(pass, fun) : !!c && PLUMBING_CALLS.has(c.name)) continue;
      return false;
    }
    if (s.kind === "IfStmt" && !s.else) {
      const before = delegated;
      if (s.init && !callsOk(s.init) || !callsOk(s.cond) || delegated === before) return false;
      continue;
    }
    if (s.kind !== "ExprStmt" && s.kind !== "AssignStmt" && s.kind !== "SendStmt") return false;
    if (!callsOk(s)) return false;
  }
  return delegated;
}
var FAIL_METHODS = /* @__PURE__ */ new Set(["Fatal", "Fatalf", "Error", "Errorf", "Fail", "FailNow"]);
function assertsPanic(pass, rec) {
  const lit = unparen(rec.call.fun);
  if (lit.kind !== "FuncLit") return false;
  let found = false;
  walkSameFunc(lit.body, (x) => {
    if (found) return false;
    if (x.kind !== "CallExpr") return true;
    const f = unparen(x.fun);
    if (f.kind !== "SelectorExpr") return true;
    const name = pass.types.callee(x)?.name ?? "";
    if (FAIL_METHODS.has(f.sel.name) && (/^\(\*testing\.(T|B|F|common)\)\./.test(name) || !name && unparen(f.x).kind === "Ident")) found = true;
    if (/^github\.com\/stretchr\/testify\/(assert|require)\./.test(name)) found = true;
    return !found;
  });
  return found;
}
function check5(pass, file, fn) {
  if (!fn.body || !file.inspector.contains(fn, ["DeferStmt"])) return;
  const hasGo = file.inspector.contains(fn, ["GoStmt"]);
  const groupGos = pass.typesKnown ? groupGoCalls(pass, fn.body) : [];
  const afters = pass.typesKnown && sourceMentions(file, "AfterFunc") ? afterFuncCalls(pass, fn.body) : [];
  if (!hasGo && groupGos.length === 0 && afters.length === 0) return;
  const rec = protectingRecover(pass, fn);
  if (!rec) return;
  if (file.test && assertsPanic(pass, rec)) return;
  const fname0 = funcName(file, fn);
  for (const gg of groupGos) {
    if (!gg.fn?.body || protectingRecover(pass, gg.fn) || onlyPlumbing(pass, gg.fn, true) || delegatesToRecoverer(pass, gg.fn)) continue;
    const group = textOf(file, gg.group);
    pass.report({
      node: gg.call,
      file,
      message: `${fname0} protects itself with a deferred recover (line ${lineOf(file, rec)}), but the goroutine that ${group}.Go starts on line ${lineOf(file, gg.call)} has no recover of its own: recover only stops panics of its own goroutine, so a panic there still crashes the whole process; add \`defer func() { if r := recover(); r != nil { ... } }()\` at the top of the function given to ${group}.Go`,
      related: [{ node: rec, message: `the deferred recover of ${fname0} covers only its own goroutine` }]
    });
  }
  for (const af of afters) {
    if (!af.fn?.body || protectingRecover(pass, af.fn) || onlyPlumbing(pass, af.fn, true) || delegatesToRecoverer(pass, af.fn)) continue;
    pass.report({
      node: af.call,
      file,
      message: `${fname0} protects itself with a deferred recover (line ${lineOf(file, rec)}), but ${af.name} on line ${lineOf(file, af.call)} runs its function later in a goroutine of its own, which has no recover: recover only stops panics of its own goroutine, so a panic there crashes the whole process; add \`defer func() { if r := recover(); r != nil { ... } }()\` at the top of the function given to ${af.name}`,
      related: [{ node: rec, message: `the deferred recover of ${fname0} covers only its own goroutine` }]
    });
  }
  if (!hasGo) return;
  const gos = goStmtsIn(fn.body);
  const fname = funcName(file, fn);
  const moduleRunsUnprotected = (go) => {
    const c = pass.types.callee(go.call);
    if (!c || !otherModuleFunc(pass, c)) return false;
    const withRecover = moduleRecoverer(pass, c);
    const exists = withRecover || pass.moduleFunc(c.pkg, c.short, c.recv?.name);
    if (exists && !withRecover) {
      pass.report({
        node: go,
        file,
        confidence: "medium",
        message: `${fname} protects itself with a deferred recover (line ${lineOf(file, rec)}), but the goroutine started on line ${lineOf(file, go)} runs ${textOf(file, go.call.fun)} of package ${c.pkg}, which has no recover of its own: recover only stops panics of its own goroutine, so a panic there still crashes the whole process; start it from a literal that defers a recover: go func() { defer func() { if r := recover(); r != nil { ... } }(); ${textOf(file, go.call)} }()`,
        related: [{ node: rec, message: `the deferred recover of ${fname} covers only its own goroutine` }]
      });
    }
    return true;
  };
  for (const go of gos) {
    if (go.spawner && protectingRecover(pass, go.spawner)) continue;
    const t = goTarget(pass, go);
    if (!t) {
      const c = pass.types.callee(go.call);
      const fun = unparen(go.call.fun);
      const valueOfType = !c && fun.kind !== "FuncLit" && pass.types.typeOf(fun)?.kind === "signature";
      const ownInterface = c?.kind === "interface" && c.pkg !== "" && (c.pkg === pass.pkg.importPath || inModule(pass, c.pkg));
      if (moduleRunsUnprotected(go)) continue;
      if (c?.kind === "funcvalue" || valueOfType || ownInterface) {
        pass.report({
          node: go,
          file,
          confidence: "medium",
          message: `${fname} protects itself with a deferred recover (line ${lineOf(file, rec)}), but the goroutine started on line ${lineOf(file, go)} runs ${ownInterface ? "the interface method" : "the function value"} ${textOf(file, go.call.fun)}, and recover only stops panics of its own goroutine: unless that function recovers by itself, a panic in it crashes the whole process; start it from a literal that defers a recover: go func() { defer func() { if r := recover(); r != nil { ... } }(); ${textOf(file, go.call)} }()`,
          related: [{ node: rec, message: `the deferred recover of ${fname} covers only its own goroutine` }]
        });
      }
      continue;
    }
    if (!t.fn.body || !pass.fileOf(t.fn)) {
      moduleRunsUnprotected(go);
      continue;
    }
    if (protectingRecover(pass, t.fn) || onlyPlumbing(pass, t.fn, true) || delegatesToRecoverer(pass, t.fn) || onlyForeignCalls(pass, t.fn) || protectedInPlace(pass, t.fn)) continue;
    const lit = t.fn.kind === "FuncLit";
    const runs = lit ? "has no recover of its own" : `runs ${funcName(pass.fileOf(t.fn) ?? file, t.fn)}, which has no recover of its own`;
    const fix = lit ? "add `defer func() { if r := recover(); r != nil { ... } }()` at the top of the goroutine" : `add a deferred recover to ${funcName(pass.fileOf(t.fn) ?? file, t.fn)} or start it from a literal that recovers`;
    pass.report({
      node: go,
      file,
      // Its work is code of another package of the module, read by text: medium.
      ...lit && callsOtherModulePackage(pass, t.fn) ? { confidence: "medium" } : {},
      message: `${fname} protects itself with a deferred recover (line ${lineOf(file, rec)}), but the goroutine started on line ${lineOf(file, go)} ${runs}: recover only stops panics of its own goroutine, so a panic there still crashes the whole process; ${fix}`,
      related: [
        { node: rec, message: `the deferred recover of ${fname} covers only its own goroutine` },
        ...lit ? [] : [{ node: t.fn, file: pass.fileOf(t.fn) ?? file, message: "the goroutine runs this function, which does not recover" }]
      ]
    });
  }
}
function run22(pass) {
  for (const file of pass.files) {
    file.inspector.preorder(["FuncDecl", "FuncLit"], (fn) => check5(pass, file, fn));
  }
}
var analyzer22 = {
  meta: {
    id: ID22,
    severity: "medium",
    summary: "A function protected by a deferred recover starts goroutines without one: their panics still crash the process.",
    enabledByDefault: true,
    fixable: false,
    category: "panic",
    docUrl: docUrl(ID22)
  },
  needs: (o) => bodyNeeds(o, { kinds: ["DeferStmt", "GoStmt"] }),
  run: run22
};

// src/rules/defer-blocking-call.ts
var ID23 = "defer-blocking-call";
var MAX_DEPTH2 = 3;
var CLEANUP_METHODS = /* @__PURE__ */ new Set(["Close", "Stop", "Unlock", "RUnlock", "Rollback", "Commit", "Unsubscribe", "Unregister"]);
var notCleanup = (fn) => !(fn.decl?.recv && CLEANUP_METHODS.has(fn.decl.name.name));
function isCtxType(pass, e) {
  const t = pass.types.typeOf(e);
  return t?.kind === "named" && t.pkg === "context" && t.name === "Context";
}
function siteContext(pass, call) {
  const a = call.args?.[0];
  if (a && isCtxType(pass, a)) return a;
  for (const arg of call.args ?? []) {
    const x = unparen(arg);
    const ctx = x.kind === "Ident" ? requestContext(pass, x, false) : void 0;
    if (ctx) return ctx;
  }
  const f = unparen(call.fun);
  if (f.kind === "SelectorExpr") {
    let recv = unparen(f.x);
    if (recv.kind === "Ident") {
      const v = definingValue(pass, recv);
      if (v) recv = unparen(v);
    }
    if (recv.kind === "CallExpr" && pass.types.callee(recv)?.name === "os/exec.CommandContext") return recv.args?.[0];
  }
  return void 0;
}
var clientTimeouts = /* @__PURE__ */ new WeakMap();
function clientLiteralWithTimeout(pass, e) {
  let x = unparen(e);
  if (x.kind === "UnaryExpr" && x.op === "&") x = unparen(x.x);
  if (x.kind !== "CompositeLit") return false;
  const t = pass.types.typeOf(x);
  if (t?.kind !== "named" || t.pkg !== "net/http" || t.name !== "Client") return false;
  return (x.elts ?? []).some((el) => el.kind === "KeyValueExpr" && el.key.kind === "Ident" && el.key.name === "Timeout" && !(unparen(el.value).kind === "BasicLit" && unparen(el.value).value === "0"));
}
function clientHasTimeout(pass, call) {
  const f = unparen(call.fun);
  if (f.kind !== "SelectorExpr") return false;
  const c = pass.types.callee(call);
  if (!c?.name.startsWith("(*net/http.Client).")) return false;
  const recv = unparen(f.x);
  if (recv.kind === "Ident") {
    const v = definingValue(pass, recv);
    return !!v && clientLiteralWithTimeout(pass, v);
  }
  if (recv.kind !== "SelectorExpr") return false;
  const key = chanKey(pass, recv);
  if (!key) return false;
  let m = clientTimeouts.get(pass.files);
  if (!m) {
    m = /* @__PURE__ */ new Map();
    for (const [k, list] of fieldStores(pass).stores) {
      const known = list.filter((st) => st.value !== null);
      if (known.length > 0) m.set(k, known.every((st) => clientLiteralWithTimeout(pass, st.value)));
    }
    clientTimeouts.set(pass.files, m);
  }
  return m.get(key) === true;
}
function requestContext(pass, x, helpers) {
  const v = definingValue(pass, x);
  const c = v && unparen(v).kind === "CallExpr" ? unparen(v) : void 0;
  if (!c) return void 0;
  const n = pass.types.callee(c)?.name;
  if (n === "net/http.NewRequestWithContext" || n === "(*net/http.Request).WithContext") return c.args?.[0];
  return helpers ? (c.args ?? []).find((a) => isCtxType(pass, a)) : void 0;
}
function boundedByCaller(pass, trail, node) {
  if (node.kind !== "CallExpr" || trail.funcs.length === 0) return false;
  let e = siteContext(pass, node) ?? (node.args ?? []).find((a) => unparen(a).kind === "Ident");
  let k = trail.funcs.length - 1;
  for (let step = 0; e && step < 8; step++) {
    if (ctxBounded(pass, e)) return true;
    const x = unparen(e);
    if (x.kind !== "Ident") return false;
    const o = pass.types.objectOf(x);
    if (!o || o.kind !== "var") return false;
    if (o.varKind === "param") {
      if (k < 0) return false;
      const f = trail.funcs[k];
      e = argumentFor(f.decl ?? f.lit, trail.calls[k], x.name);
      k--;
      continue;
    }
    e = requestContext(pass, x, true);
  }
  return false;
}
function ctxConfidence(pass, call) {
  const a = siteContext(pass, call);
  if (!a) return "high";
  if (ctxBounded(pass, a)) return void 0;
  const x = unparen(a);
  if (x.kind === "CallExpr") {
    const c = pass.types.callee(x);
    if (c && (c.name === "context.Background" || c.name === "context.TODO")) return "high";
  }
  if (x.kind === "Ident") {
    const v = definingValue(pass, x);
    const c = v && unparen(v).kind === "CallExpr" ? pass.types.callee(unparen(v)) : void 0;
    if (c && (c.name === "context.Background" || c.name === "context.TODO")) return "high";
  }
  return "medium";
}
function isTimeoutChan(pass, e) {
  const x = unparen(e);
  if (x.kind === "CallExpr") {
    const c = pass.types.callee(x);
    if (c && TIMEOUT_CHANNELS.has(c.name)) return true;
    const f = unparen(x.fun);
    return !c && f.kind === "SelectorExpr" && (f.sel.name === "Done" || f.sel.name === "After");
  }
  if (x.kind === "SelectorExpr" && x.sel.name === "C") {
    const t = pass.types.typeOf(x.x);
    const named = t?.kind === "pointer" ? t.elem : t;
    return !named || named.kind === "named" && named.pkg === "time";
  }
  return false;
}
function isDoneChan(e) {
  const x = unparen(e);
  const name = x.kind === "Ident" ? x.name : x.kind === "SelectorExpr" ? x.sel.name : void 0;
  if (!name) return false;
  return /^(done|quit|stop|close|closed|closing|shutdown|cancel|exit|die|abort|term)/i.test(name) || /[a-z0-9](Done|Quit|Stop|Stopped|Stopping|Closed|Closing|Shutdown|Cancel|Cancell?ed|Exit|Exited|Die|Dying|Abort|Aborted|Term)(Ch|C|Chan)?$/.test(name);
}
function commOperand(comm) {
  if (!comm) return void 0;
  if (comm.kind === "SendStmt") return void 0;
  const e = comm.kind === "ExprStmt" ? comm.x : comm.kind === "AssignStmt" ? comm.rhs[0] : void 0;
  const x = e ? unparen(e) : void 0;
  return x?.kind === "UnaryExpr" && x.op === "<-" ? x.x : void 0;
}
function unbuffered(pass, ch) {
  const x = unparen(ch);
  if (x.kind !== "Ident") return false;
  const v = definingValue(pass, x);
  const m = v ? unparen(v) : void 0;
  if (m?.kind !== "CallExpr") return false;
  const f = unparen(m.fun);
  return f.kind === "Ident" && f.name === "make" && (m.args?.length ?? 0) === 1 && unparen(m.args[0]).kind === "ChanType";
}
var fieldMakes = /* @__PURE__ */ new WeakMap();
function makesByField(pass) {
  let m = fieldMakes.get(pass.files);
  if (m) return m;
  m = /* @__PURE__ */ new Map();
  for (const [key, list] of fieldStores(pass).stores) {
    const makes = [];
    for (const { value } of list) {
      const c = value ? unparen(value) : void 0;
      if (c?.kind !== "CallExpr") continue;
      const f = unparen(c.fun);
      if (f.kind === "Ident" && f.name === "make" && c.args?.[0] && unparen(c.args[0]).kind === "ChanType") makes.push(c);
    }
    if (makes.length > 0) m.set(key, makes);
  }
  fieldMakes.set(pass.files, m);
  return m;
}
function chanBuffer(pass, ch) {
  if (unbuffered(pass, ch)) return "unbuffered";
  const x = unparen(ch);
  let makes = [];
  if (x.kind === "Ident") {
    const v = definingValue(pass, x);
    const m = v ? unparen(v) : void 0;
    if (m?.kind === "CallExpr") makes = [m];
  } else if (x.kind === "SelectorExpr") {
    const k = chanKey(pass, x);
    makes = k && makesByField(pass).get(k) || [];
  }
  const isMake = (m) => {
    const f = unparen(m.fun);
    return f.kind === "Ident" && f.name === "make" && !!m.args?.[0] && unparen(m.args[0]).kind === "ChanType";
  };
  if (makes.length === 0 || !makes.every(isMake)) return "unknown";
  if (makes.some((m) => (m.args?.length ?? 0) === 1 || m.args[1].kind === "BasicLit" && m.args[1].value === "0")) return "unbuffered";
  return "buffered";
}
function chanKey(pass, e) {
  const x = unparen(e);
  if (x.kind === "SelectorExpr") {
    let t = pass.types.typeOf(x.x);
    if (t?.kind === "pointer") t = t.elem;
    return t?.kind === "named" ? `${t.pkg}.${t.name}.${x.sel.name}` : void 0;
  }
  if (x.kind === "Ident") {
    const o = pass.types.objectOf(x);
    if (o?.varKind === "package") return `${o.pkg}.${o.name}`;
    if (o?.kind === "var" && o.decl) return `${pass.fileOf(o.decl)?.path ?? ""}#${o.decl.namePos}`;
  }
  return void 0;
}
function chanTypeKey(pass, e) {
  const t = pass.types.typeOf(unparen(e));
  return t?.kind === "named" && t.underlying()?.kind === "chan" ? `type:${t.pkg}.${t.name}` : void 0;
}
function chanKeySet(cache, pass, fill) {
  let set = cache.get(pass.files);
  if (!set) {
    const keys = /* @__PURE__ */ new Set();
    fill((e) => {
      const k = chanKey(pass, e) ?? chanTypeKey(pass, e);
      if (k) keys.add(k);
    });
    cache.set(pass.files, set = keys);
  }
  return set;
}
function hasChan(pass, set, ch) {
  const k = chanKey(pass, ch);
  const t = chanTypeKey(pass, ch);
  return !!k && set.has(k) || !!t && set.has(t);
}
var servedKeys = /* @__PURE__ */ new WeakMap();
function servedByLoop(pass, ch) {
  const set = chanKeySet(servedKeys, pass, (add) => {
    for (const file of pass.files) {
      file.inspector.preorder(["RangeStmt", "ForStmt"], (x) => {
        if (x.kind === "RangeStmt") {
          const t = pass.types.typeOf(x.x);
          const u = t?.kind === "named" ? t.underlying() : t;
          if (u?.kind === "chan") add(x.x);
        } else if (!x.cond && !givesUpOnTimer(pass, x)) {
          walkSameFunc(x.body, (y) => {
            if (y.kind === "UnaryExpr" && y.op === "<-") add(y.x);
            return true;
          });
        }
      });
    }
  });
  return hasChan(pass, set, ch);
}
function givesUpOnTimer(pass, loop) {
  let found = false;
  walkSameFunc(loop.body, (y) => {
    if (found) return false;
    if (y.kind !== "CommClause") return true;
    const op = commOperand(y.comm);
    const x = op ? unparen(op) : void 0;
    let timer = false;
    if (x?.kind === "CallExpr") timer = pass.types.callee(x)?.name === "time.After";
    else if (x?.kind === "SelectorExpr" && x.sel.name === "C") {
      const t = pass.types.typeOf(x.x);
      const named = t?.kind === "pointer" ? t.elem : t;
      timer = named?.kind === "named" && named.pkg === "time" && named.name === "Timer";
    }
    if (timer && (y.body ?? []).some((st) => st.kind === "ReturnStmt")) found = true;
    return true;
  });
  return found;
}
var guardedSendKeys = /* @__PURE__ */ new WeakMap();
function sentWithWayOut(pass, ch) {
  let set = guardedSendKeys.get(pass.files);
  if (!set) {
    const keys = /* @__PURE__ */ new Set();
    for (const file of pass.files) {
      file.inspector.preorder(["SelectStmt"], (x) => {
        const clauses = x.body.list ?? [];
        const wayOut = clauses.some((c) => {
          if (c.comm === null) return true;
          const op = commOperand(c.comm);
          return !!op && (isTimeoutChan(pass, op) || isDoneChan(op));
        });
        if (!wayOut) return;
        for (const c of clauses) {
          if (c.comm?.kind !== "SendStmt") continue;
          const k2 = chanKey(pass, c.comm.chan);
          if (k2) keys.add(k2);
        }
      });
    }
    guardedSendKeys.set(pass.files, set = keys);
  }
  const k = chanKey(pass, ch);
  return !!k && set.has(k);
}
function takenBefore(pass, body, d, ch) {
  const k = chanKey(pass, ch);
  if (!k) return false;
  let found = false;
  walkSameFunc(body, (x) => {
    if (found || pos(x) >= pos(d)) return false;
    if (x.kind === "UnaryExpr" && x.op === "<-" && chanKey(pass, x.x) === k) found = true;
    return !found;
  });
  return found;
}
var receivedKeys = /* @__PURE__ */ new WeakMap();
function receivedInPackage(pass, ch) {
  const set = chanKeySet(receivedKeys, pass, (add) => {
    for (const file of pass.files) {
      file.inspector.withStack(["UnaryExpr"], (x, stack) => {
        if (x.op === "<-" && !stack.some((a) => a.kind === "GoStmt" || a.kind === "DeferStmt")) add(x.x);
      });
    }
  });
  return hasChan(pass, set, ch);
}
var awaitedKeys = /* @__PURE__ */ new WeakMap();
function awaitedAfterRequest(pass, ch) {
  const set = chanKeySet(awaitedKeys, pass, (add) => {
    for (const file of pass.files) {
      file.inspector.preorder(["BlockStmt", "CaseClause", "CommClause"], (b) => {
        const list = stmtListOf(b) ?? [];
        for (let i = 1; i < list.length; i++) {
          const prev = list[i - 1];
          const st = list[i];
          if (prev.kind !== "SendStmt") continue;
          const e = st.kind === "ExprStmt" ? st.x : st.kind === "AssignStmt" && st.rhs.length === 1 ? st.rhs[0] : void 0;
          const r = e && unparen(e);
          if (r?.kind === "UnaryExpr" && r.op === "<-" && !sameExpr(r.x, prev.chan)) add(r.x);
        }
      });
    }
  });
  return hasChan(pass, set, ch);
}
function isSemaphore(pass, e, viaCallers = true) {
  const set = semaphores(pass);
  const k = chanKey(pass, e);
  if (k && set.has(k)) return true;
  const t = chanTypeKey(pass, e);
  if (t && set.has(t)) return true;
  const x = unparen(e);
  if (x.kind !== "Ident") return false;
  const v = definingValue(pass, x);
  if (v && unparen(v).kind !== "CallExpr" && isSemaphore(pass, v, false)) return true;
  return viaCallers && paramFromSemaphore(pass, x);
}
function literalArgument(pass, id) {
  const o = pass.types.objectOf(id);
  const decl = o?.varKind === "param" ? o.decl : void 0;
  const file = decl ? pass.fileOf(decl) : void 0;
  if (!decl || !file) return void 0;
  const at = pos(decl);
  let call;
  let lit;
  for (let n = file.file; n; ) {
    if (n.kind === "CallExpr" && unparen(n.fun).kind === "FuncLit") {
      const f = unparen(n.fun);
      if (pos(f.type) <= at && at < end(f.type)) {
        call = n;
        lit = f;
      }
    }
    let next;
    forEachChild(n, (c) => {
      if (!next && pos(c) <= at && at < end(c)) next = c;
    });
    n = next;
  }
  if (!call || !lit || call.ellipsis !== -1) return void 0;
  const names = (lit.type.params.list ?? []).flatMap((f) => f.names ?? []);
  const i = names.indexOf(decl);
  return i >= 0 ? call.args?.[i] : void 0;
}
function paramFromSemaphore(pass, id) {
  const given = literalArgument(pass, id);
  if (given) return isSemaphore(pass, given, false);
  const file = pass.fileOf(id);
  const decl = file ? enclosingFuncDecl(file, id) : void 0;
  if (!decl?.body) return false;
  const names = (decl.type.params.list ?? []).flatMap((f) => f.names ?? []);
  const i = names.findIndex((n) => n.name === id.name && pass.types.objectOf(n) === pass.types.objectOf(id));
  if (i < 0) return false;
  const node = callGraphOf(pass).nodeOf(decl);
  for (const edge of node?.in ?? []) {
    if (edge.site.kind !== "CallExpr" || edge.site.ellipsis !== -1) continue;
    const arg = edge.site.args?.[i];
    if (arg && isSemaphore(pass, arg, false)) return true;
  }
  return false;
}
var semaphoreCache = /* @__PURE__ */ new WeakMap();
function fireAndForget(x, stack) {
  const i = stack.lastIndexOf(x);
  const clause = i >= 1 ? stack[i - 1] : void 0;
  if (clause?.kind !== "CommClause" || clause.comm !== x || (clause.body?.length ?? 0) > 0) return false;
  const sel = stack.slice(0, i - 1).reverse().find((a) => a.kind === "SelectStmt");
  const clauses = sel?.body.list ?? [];
  return clauses.length === 2 && clauses.some((c) => c.comm === null && (c.body?.length ?? 0) === 0);
}
function semaphores(pass) {
  let set = semaphoreCache.get(pass.files);
  if (set) return set;
  set = /* @__PURE__ */ new Set();
  const goTargets = /* @__PURE__ */ new Set();
  const g = callGraphOf(pass);
  for (const n of g.nodes) if (n.in.some((e) => e.kind === "go")) goTargets.add(n.decl ?? n.lit);
  for (const file of pass.files) {
    file.inspector.withStack(["SendStmt"], (x, stack) => {
      if (stack.some((a) => a.kind === "GoStmt" || goTargets.has(a))) return;
      if (fireAndForget(x, stack)) return;
      const k = chanKey(pass, x.chan);
      if (k) set.add(k);
      const t = chanTypeKey(pass, x.chan);
      if (t) set.add(t);
      const ch = unparen(x.chan);
      const decl = stack.find((a) => a.kind === "FuncDecl");
      if (ch.kind !== "Ident" || !decl || stack.some((a) => a.kind === "FuncLit")) return;
      const i = (decl.type.params.list ?? []).flatMap((f) => f.names ?? []).findIndex((n) => n.name === ch.name && pass.types.objectOf(n) === pass.types.objectOf(ch));
      if (i < 0) return;
      for (const edge of g.nodeOf(decl)?.in ?? []) {
        if (edge.kind === "go" || edge.site.kind !== "CallExpr" || edge.site.ellipsis !== -1) continue;
        const arg = edge.site.args?.[i];
        const ak = arg && chanKey(pass, arg);
        if (ak) set.add(ak);
      }
    });
  }
  semaphoreCache.set(pass.files, set);
  return set;
}
var STOP_METHODS = /* @__PURE__ */ new Set(["Close", "CloseSend", "Stop", "GracefulStop", "Shutdown", "ShutDown", "Cancel", "Kill", "Signal", "Interrupt", "Abort"]);
var STOP_VERB = /^([cC]lose|[sS]top|[sS]hut[dD]own|[cC]ancel|[kK]ill|[aA]bort|[iI]nterrupt|[tT]erminate|[qQ]uit)(?=[A-Z_]|$)/;
function isStopSignal(pass, x) {
  if (x.kind === "SendStmt") return true;
  if (x.kind !== "CallExpr") return false;
  const f = unparen(x.fun);
  const name = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : void 0;
  if (!name) return false;
  if (name === "close" && f.kind === "Ident") return pass.types.callee(x)?.kind === "builtin";
  if (name === "Do" && f.kind === "SelectorExpr" && pass.types.callee(x)?.name === "(*sync.Once).Do") {
    const lit = x.args?.[0] ? unparen(x.args[0]) : void 0;
    if (lit?.kind === "FuncLit") return firstStopSignal(pass, lit.body) !== void 0;
  }
  if (f.kind === "SelectorExpr" && STOP_METHODS.has(name)) return true;
  if (STOP_VERB.test(name)) return true;
  const t = pass.types.typeOf(f);
  if (t?.kind === "named" && t.pkg === "context" && (t.name === "CancelFunc" || t.name === "CancelCauseFunc")) return true;
  return /^cancel|Cancel$/.test(name) && pass.types.callee(x)?.kind === "funcvalue";
}
function firstStopSignal(pass, body) {
  let at;
  walkSameFunc(body, (x) => {
    if (at !== void 0 || x.kind === "GoStmt") return false;
    if (isStopSignal(pass, x)) at = x.kind === "SendStmt" ? x.arrow : x.lparen;
    return at === void 0;
  });
  return at;
}
function waitsForOthers(x, name) {
  if (x.kind === "UnaryExpr" || x.kind === "SelectStmt" || x.kind === "RangeStmt") return true;
  return name !== void 0 && /\)\.Wait$/.test(name);
}
var TEMP_DIR_MAKERS = /* @__PURE__ */ new Set(["os.MkdirTemp", "io/ioutil.TempDir", "(*testing.common).TempDir"]);
function removesTempDir(pass, name, call) {
  if (name !== "os.RemoveAll") return false;
  const a = call.args?.[0] ? unparen(call.args[0]) : void 0;
  if (a?.kind !== "Ident") return false;
  const v = definingValue(pass, a);
  const m = v ? unparen(v) : void 0;
  const c = m?.kind === "CallExpr" ? pass.types.callee(m) : void 0;
  if (c && TEMP_DIR_MAKERS.has(c.name)) return true;
  const o = pass.types.objectOf(a);
  const file = o?.decl ? pass.fileOf(o.decl) : void 0;
  if (!o || !file) return false;
  let made = false;
  walkNode(file.file, (x) => {
    if (made) return false;
    if (x.kind === "CallExpr") {
      const n = pass.types.callee(x)?.name;
      const arg = x.args?.[0] ? unparen(x.args[0]) : void 0;
      if ((n === "os.Mkdir" || n === "os.MkdirAll") && arg?.kind === "Ident" && pass.types.objectOf(arg) === o) made = true;
    }
    return !made;
  });
  return made;
}
var FILE_MAKERS = /* @__PURE__ */ new Set(["os.Create", "os.OpenFile", "os.WriteFile", "os.Rename", "os.Link", "os.Symlink"]);
function removesFile(pass, name, call) {
  if (name !== "os.RemoveAll") return false;
  const a = call.args?.[0] ? unparen(call.args[0]) : void 0;
  const last = a?.kind === "Ident" ? a.name : a?.kind === "SelectorExpr" ? a.sel.name : "";
  if (/^addr(ess)?$|sock/i.test(last)) return true;
  if (a?.kind !== "Ident") return false;
  const o = pass.types.objectOf(a);
  const file = o?.decl ? pass.fileOf(o.decl) : void 0;
  if (!o || !file) return false;
  const v = definingValue(pass, a);
  const m = v ? unparen(v) : void 0;
  if (m?.kind === "CallExpr" && pass.types.callee(m)?.name === "(*os.File).Name") return true;
  let made = false;
  walkNode(file.file, (x) => {
    if (made) return false;
    if (x.kind === "CallExpr") {
      const arg = x.args?.[0] ? unparen(x.args[0]) : void 0;
      if (arg?.kind === "Ident" && pass.types.objectOf(arg) === o && FILE_MAKERS.has(pass.types.callee(x)?.name ?? "")) made = true;
    }
    return !made;
  });
  return made;
}
function remedyFor(pass, site, waitsOthers) {
  const n = site.node;
  if (n.kind === "CallExpr") {
    const a = n.args?.[0];
    if (a && isCtxType(pass, a)) return "bound it with a timeout (a context from context.WithTimeout) or do it outside the deferred cleanup";
  }
  if (waitsOthers) return "wait with a select on the done signal and a timer (time.After), or do it outside the deferred cleanup";
  return "do it outside the deferred cleanup, or hand it to a background goroutine";
}
function guardsClose(pass, body, d, wait) {
  const isClose = (n) => n.kind === "CallExpr" && unparen(n.fun).kind === "Ident" && unparen(n.fun).name === "close" && pass.types.callee(n)?.kind === "builtin" && n.args?.length === 1 && !isDoneChan(n.args[0]);
  const fun = unparen(d.call.fun);
  if (fun.kind === "FuncLit") {
    let after = false;
    walkSameFunc(fun.body, (x) => {
      if (after) return false;
      if (isClose(x) && pos(x) > pos(wait)) after = true;
      return !after;
    });
    return after;
  }
  let before = false;
  walkSameFunc(body, (x) => {
    if (before) return false;
    if (x.kind === "DeferStmt") {
      if (pos(x) < pos(d) && isClose(x.call)) before = true;
      return false;
    }
    return true;
  });
  return before;
}
function stopDeferredAfter(pass, body, d) {
  let found = false;
  walkSameFunc(body, (x) => {
    if (found) return false;
    if (x.kind !== "DeferStmt") return true;
    if (pos(x) > pos(d)) {
      const fun = unparen(x.call.fun);
      if (isStopSignal(pass, x.call)) found = !closesUnsharedLocal(pass, body, x.call, d);
      else if (fun.kind === "FuncLit") found = firstStopSignal(pass, fun.body) !== void 0;
    }
    return false;
  });
  return found;
}
function closesUnsharedLocal(pass, body, call, wait) {
  const f = unparen(call.fun);
  if (f.kind !== "SelectorExpr") return false;
  const x = unparen(f.x);
  if (x.kind !== "Ident") return false;
  const o = pass.types.objectOf(x);
  if (o?.kind !== "var" || o.varKind !== "local" || !o.decl) return false;
  const declAt = pos(o.decl);
  if (declAt < pos(body) || declAt > end(body)) return false;
  const waited = /* @__PURE__ */ new Set();
  inspect(wait.call, (y) => {
    if (y.kind === "Ident") {
      const w = pass.types.objectOf(y);
      if (w) waited.add(w);
    }
    return true;
  });
  const def = definingValue(pass, x);
  let related = !def;
  if (def) inspect(def, (y) => {
    if (!related && y.kind === "Ident") {
      const w = pass.types.objectOf(y);
      if (w && waited.has(w)) related = true;
    }
    return !related;
  });
  if (related) return false;
  let shared = false;
  const visit = (n, parent, inLit) => {
    if (shared) return;
    if ((n.kind === "GoStmt" || n.kind === "CallExpr" && groupGoOf(pass, n)) && pos(n) > declAt) {
      shared = true;
      return;
    }
    if (n.kind === "Ident" && n !== o.decl && n.name === x.name && pass.types.objectOf(n) === o) {
      if (inLit) shared = true;
      else if (parent.kind === "SelectorExpr" && parent.x === n) return;
      else if (parent.kind === "CallExpr" && parent.fun !== n) {
        const c = pass.types.callee(parent);
        if (!c?.pkg || inModule(pass, c.pkg) || c.pkg === pass.pkg.importPath) shared = true;
      } else shared = true;
      return;
    }
    const lit = n.kind === "FuncLit" && !deferredLits.has(n);
    forEachChild(n, (c) => visit(c, n, inLit || lit));
  };
  const deferredLits = /* @__PURE__ */ new Set();
  walkNode(body, (n) => {
    if (n.kind === "DeferStmt" && unparen(n.call.fun).kind === "FuncLit") deferredLits.add(unparen(n.call.fun));
    return true;
  });
  forEachChild(body, (c) => visit(c, body, false));
  return !shared;
}
function stopsAfterDefer(pass, body, d) {
  const after = end(d);
  const onceGuard = (cond) => {
    let c = unparen(cond);
    if (c.kind === "UnaryExpr" && c.op === "!") c = unparen(c.x);
    if (c.kind !== "CallExpr") return false;
    const f = unparen(c.fun);
    return f.kind === "SelectorExpr" && (f.sel.name === "CompareAndSwap" || f.sel.name === "Swap");
  };
  const stmts = [];
  for (const st of body.list ?? []) {
    if (st.kind === "IfStmt" && !st.init && !st.else && onceGuard(st.cond)) stmts.push(...st.body.list ?? []);
    else stmts.push(st);
  }
  for (const st of stmts) {
    if (pos(st) < after) continue;
    if (st.kind !== "ExprStmt" && st.kind !== "ReturnStmt" && st.kind !== "AssignStmt") continue;
    let found = false;
    let sig;
    const signalAt = pos(st);
    walkSameFunc(st, (x) => {
      if (found || x.kind === "GoStmt") return false;
      if (x.kind === "CallExpr" && isStopSignal(pass, x)) {
        const f = unparen(x.fun);
        const root = f.kind === "SelectorExpr" ? rootIdent(f.x) : void 0;
        found = !root || pass.types.objectOf(root)?.varKind !== "local";
        if (found) sig = x;
      }
      return !found;
    });
    if (found) {
      const skip = returnSkipping(pass, body, after, signalAt);
      if (skip) {
        skippedSignal.set(d, { ret: skip, signal: sig });
        return false;
      }
      return true;
    }
  }
  return false;
}
function lockNeededByWaited(pass, body, d, wait) {
  if (pass.types.callee(wait)?.name !== "(*sync.WaitGroup).Wait") return void 0;
  const wf = unparen(wait.fun);
  const group = wf.kind === "SelectorExpr" && unparen(wf.x).kind === "SelectorExpr" ? selectorFieldKey(pass, unparen(wf.x)) : void 0;
  if (!group) return void 0;
  const unlocks = [];
  for (const st of body.list ?? []) {
    if (pos(st) >= pos(d)) break;
    if (st.kind !== "DeferStmt") continue;
    const u = lockCall(pass, st.call);
    const m = u ? unparen(u.mutex) : void 0;
    const key = m?.kind === "SelectorExpr" ? selectorFieldKey(pass, m) : void 0;
    if (u && key && (u.method === "Unlock" || u.method === "RUnlock")) unlocks.push({ u, key });
  }
  if (unlocks.length === 0) return void 0;
  const lockIn = (n, key, readHeld, depth, seen) => {
    for (const l of lockCallsIn(pass, n)) {
      if (l.method !== "Lock" && !(l.method === "RLock" && !readHeld)) continue;
      const m = unparen(l.mutex);
      if (m.kind === "SelectorExpr" && selectorFieldKey(pass, m) === key) {
        const f = pass.fileOf(l.call);
        if (f) return { lock: l.call, file: f };
      }
    }
    if (depth >= 3) return void 0;
    let found;
    walkSameFunc(n, (x) => {
      if (found) return false;
      if (x.kind !== "CallExpr") return true;
      const c = pass.types.callee(x);
      const decl = c?.pkg === pass.pkg.importPath ? c.decl : void 0;
      if (decl?.body && !seen.has(decl)) {
        seen.add(decl);
        found = lockIn(decl.body, key, readHeld, depth + 1, seen);
      }
      return !found;
    });
    return found;
  };
  for (const file of pass.files) {
    if (!sourceMentions(file, ".Done()")) continue;
    let out;
    file.inspector.preorder(["GoStmt"], (g) => {
      if (out) return;
      const lit = unparen(g.call.fun);
      if (lit.kind !== "FuncLit") return;
      let done;
      walkSameFunc(lit.body, (x) => {
        if (done) return false;
        if (x.kind === "CallExpr") {
          const f = unparen(x.fun);
          if (f.kind === "SelectorExpr" && f.sel.name === "Done" && unparen(f.x).kind === "SelectorExpr" && selectorFieldKey(pass, unparen(f.x)) === group) done = x;
        }
        return !done;
      });
      const doneCall2 = done;
      if (!doneCall2) return;
      const doneAt = pos(doneCall2);
      let deferredDone2 = false;
      walkSameFunc(lit.body, (x) => {
        if (x.kind === "DeferStmt" && pos(x) <= doneAt && doneAt < end(x)) deferredDone2 = true;
        return !deferredDone2;
      });
      if (!deferredDone2) return;
      for (const { u, key } of unlocks) {
        const hit = lockIn(lit.body, key, u.method === "RUnlock", 0, /* @__PURE__ */ new Set());
        if (hit) {
          out = { unlock: u, go: g, file, done: doneCall2, lock: hit.lock, lockFile: hit.file };
          return;
        }
      }
    });
    if (out) return out;
  }
  return void 0;
}
var skippedSignal = /* @__PURE__ */ new WeakMap();
function returnSkipping(pass, body, after, signalAt) {
  const gos = [];
  let ret;
  walkSameFunc(body, (x) => {
    if (ret) return false;
    if (x.kind === "GoStmt") gos.push(x);
    else if (x.kind === "ReturnStmt" && pos(x) > after && pos(x) < signalAt && gos.some((g) => pos(g) < pos(x))) ret = x;
    return true;
  });
  if (!ret) return void 0;
  for (const g of gos) {
    if (pos(g) > pos(ret)) continue;
    const f = unparen(g.call.fun);
    if (f.kind !== "FuncLit") return void 0;
    let wayOut = false;
    inspect(f.body, (y) => {
      if (wayOut) return false;
      if (y.kind === "CommClause") {
        const ch = commOperand(y.comm);
        if (ch && (isTimeoutChan(pass, ch) || isDoneChan(ch))) wayOut = true;
      } else if (y.kind === "SelectorExpr" && (y.sel.name === "Err" || y.sel.name === "Done") && isContext2(pass, y.x)) {
        wayOut = true;
      }
      return !wayOut;
    });
    if (wayOut) return void 0;
  }
  return ret;
}
function isContext2(pass, e) {
  if (pass.types.typeOf(e)) return isCtxType(pass, e);
  const x = unparen(e);
  const name = x.kind === "Ident" ? x.name : x.kind === "SelectorExpr" ? x.sel.name : "";
  return /^ctx|Ctx$|^context$/i.test(name);
}
var SIGNALS_OTHERS = /* @__PURE__ */ new Set(["Done", "Unlock", "RUnlock", "Fire", "Signal", "Broadcast", "Release"]);
function signalDeferredBefore(pass, fn, d) {
  if (!fn.body) return false;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found || pos(x) >= pos(d)) return false;
    if (x.kind !== "DeferStmt") return true;
    inspect(x.call, (y) => {
      if (found) return false;
      if (y.kind === "SendStmt") found = true;
      else if (y.kind === "CallExpr") {
        const f = unparen(y.fun);
        const name = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : "";
        if (SIGNALS_OTHERS.has(name) || isStopSignal(pass, y)) found = true;
      }
      return !found;
    });
    return false;
  });
  return found;
}
function stopsBeforeDefer(pass, body, d) {
  for (const st of listHolding(body, d)) {
    if (st === d) break;
    if ((st.kind === "ExprStmt" || st.kind === "SendStmt") && firstStopSignal(pass, st) !== void 0) return true;
  }
  return false;
}
function onlyStartedByGo(pass, fn) {
  const node = callGraphOf(pass).nodeOf(fn);
  const uses = (node?.in ?? []).filter((e) => !(e.kind === "value" && e.site === fn));
  return uses.length > 0 && uses.every((e) => e.kind === "go");
}
function startedByGo(stack, lit) {
  const i = stack.lastIndexOf(lit);
  const call = i >= 1 ? stack[i - 1] : void 0;
  const go = i >= 2 ? stack[i - 2] : void 0;
  if (call?.kind !== "CallExpr" || go?.kind !== "GoStmt" || go.call !== call) return false;
  return unparen(call.fun) === lit || (call.args ?? []).some((a) => unparen(a) === lit);
}
function startedByGroup(pass, stack, lit) {
  const i = stack.lastIndexOf(lit);
  const call = i >= 1 ? stack[i - 1] : void 0;
  return call?.kind === "CallExpr" && groupGoOf(pass, call)?.fn === lit;
}
function startsPanic(g) {
  const f = unparen(g.call.fun);
  if (f.kind === "Ident" && f.name === "panic") return true;
  if (f.kind !== "FuncLit") return false;
  const last = f.body.list?.[f.body.list.length - 1];
  if (last?.kind !== "ExprStmt") return false;
  const c = unparen(last.x);
  return c.kind === "CallExpr" && unparen(c.fun).kind === "Ident" && unparen(c.fun).name === "panic";
}
function parkedAfterCrash(body) {
  const out = /* @__PURE__ */ new Set();
  walkNode(body, (x) => {
    if (x.kind === "FuncLit" && x !== body) return false;
    const list = stmtListOf(x);
    if (!list) return true;
    let crashing = false;
    for (const s of list) {
      if (s.kind === "GoStmt" && startsPanic(s)) crashing = true;
      else if (crashing && s.kind === "SelectStmt" && (s.body.list ?? []).length === 0) out.add(s);
    }
    return true;
  });
  return out;
}
function failureBranches(body) {
  const out = [];
  walkSameFunc(body, (x) => {
    if (x.kind !== "IfStmt") return true;
    const failed = (e) => {
      const c = unparen(e);
      if (c.kind === "BinaryExpr" && c.op === "&&") return failed(c.x) || failed(c.y);
      if (c.kind !== "BinaryExpr" || c.op !== "!=") return false;
      const l = unparen(c.x);
      const r = unparen(c.y);
      const nil = (y) => y.kind === "Ident" && y.name === "nil";
      const v = nil(r) ? l : nil(l) ? r : void 0;
      return v?.kind === "Ident" && /err/i.test(v.name);
    };
    if (failed(x.cond)) out.push([pos(x.body), end(x.body)]);
    return true;
  });
  return out;
}
function deadlineBefore(pass, body, call, name) {
  const io = ioOnConn(pass, call, name);
  const m = io ? [name, io.dir] : /\.(Read|Write)$/.exec(name);
  const target = io ? { recv: io.conn } : methodCallOn(call);
  if (!m || !target || !io && !name.includes("net")) return false;
  const setters = ["SetDeadline", m[1] === "Read" ? "SetReadDeadline" : "SetWriteDeadline"];
  const at = pos(call);
  let found = false;
  walkSameFunc(body, (x) => {
    if (found || pos(x) >= at) return false;
    if (x.kind === "CallExpr") {
      const s = methodCallOn(x);
      const arg = x.args?.[0] ? unparen(x.args[0]) : void 0;
      if (s && setters.includes(s.method) && sameExpr(s.recv, target.recv) && arg && arg.kind !== "CompositeLit") found = true;
    }
    return !found;
  });
  return found;
}
function sitesIn(pass, file, body) {
  const out = [];
  const skip = /* @__PURE__ */ new Set();
  let stopped = false;
  const afterStop = [];
  const push = (site, name) => {
    const others = waitsForOthers(site.node, name);
    if (others && (stopped || afterStop.some(([a, b]) => a <= pos(site.node) && pos(site.node) < b))) return;
    out.push({ ...site, others });
  };
  const parked = parkedAfterCrash(body);
  let onFailure;
  walkNode(body, (x) => {
    if (x === body) return true;
    if (x.kind === "GoStmt" && !stopped && isStopSignal(pass, x.call)) stopped = true;
    if (x.kind === "FuncLit" || x.kind === "GoStmt" || skip.has(x) || parked.has(x)) return false;
    if (!stopped && isStopSignal(pass, x)) {
      if (x.kind !== "SendStmt") stopped = true;
    }
    switch (x.kind) {
      case "SelectStmt": {
        const clauses = x.body.list ?? [];
        if (clauses.length === 0) {
          out.push({ node: x, text: "select {}", waits: "blocks forever", confidence: "high" });
          return false;
        }
        const bounded = clauses.some((c) => {
          if (c.comm === null) return true;
          const op = commOperand(c.comm);
          return !!op && (isTimeoutChan(pass, op) || isDoneChan(op));
        });
        if (!bounded) push({ node: x, text: `the select on line ${lineOf(file, x)}`, waits: "waits on channels with no default case or timeout", confidence: "high" });
        for (const c of clauses) {
          if (c.comm) skip.add(c.comm);
          const op = commOperand(c.comm);
          const list = c.body ?? [];
          if (op && isDoneChan(op) && list.length > 0) afterStop.push([pos(list[0]), end(list[list.length - 1])]);
        }
        return true;
      }
      case "UnaryExpr":
        if (x.op === "<-") {
          const operand = unparen(x.x);
          if (operand.kind === "CallExpr" && pass.types.callee(operand)?.name === "time.After") {
            out.push({ node: x, text: textOf(file, x), waits: "sleeps until the timer fires", confidence: "high" });
          } else if (isTimeoutChan(pass, operand)) {
            out.push({ node: x, text: textOf(file, x), waits: "blocks until the context is cancelled or the timer fires", confidence: "medium" });
          } else if (!isSemaphore(pass, operand)) {
            push({ node: x, text: textOf(file, x), waits: "blocks until a value is sent or the channel is closed", confidence: "high" });
          }
          return false;
        }
        return true;
      case "SendStmt": {
        const buf = chanBuffer(pass, x.chan);
        if (buf === "unbuffered" && unbuffered(pass, x.chan)) out.push({ node: x, text: textOf(file, x), waits: "blocks until another goroutine receives from the unbuffered channel", confidence: "high" });
        else if ((buf !== "buffered" || unparen(x.chan).kind === "SelectorExpr") && sentWithWayOut(pass, x.chan)) out.push({ node: x, text: textOf(file, x), waits: "blocks until a receiver takes the value (elsewhere the package sends on it in a select with a way out)", confidence: "medium", wayOut: true });
        else if (buf === "unbuffered") {
          if (awaitedAfterRequest(pass, x.chan)) {
            stopped = true;
            return true;
          }
          if (!servedByLoop(pass, x.chan)) out.push({ node: x, text: textOf(file, x), waits: "blocks until another goroutine receives from the unbuffered channel", confidence: "medium" });
          else out.push({ node: x, text: textOf(file, x), waits: "blocks until the loop serving the unbuffered channel is free to receive it, and for good once that loop has returned", confidence: "medium", loopServed: true });
        } else if (buf === "unknown" && !receivedInPackage(pass, x.chan) && !servedByLoop(pass, x.chan)) out.push({ node: x, text: textOf(file, x), waits: "blocks until another goroutine receives, unless the channel has room in its buffer", confidence: "medium", unknownCap: true });
        stopped = true;
        return true;
      }
      case "RangeStmt": {
        const t = pass.types.typeOf(x.x);
        const u = t?.kind === "named" ? t.underlying() : t;
        if (u?.kind === "chan") push({ node: x, text: `range over ${textOf(file, x.x)}`, waits: "waits until the channel is closed", confidence: "high" });
        return true;
      }
      case "CallExpr": {
        const b = blockingCall(pass, x);
        const rollback = b?.name === "os.RemoveAll" && (onFailure ??= failureBranches(body)).some(([a, z]) => a <= pos(x) && pos(x) < z);
        if (b && !BLOCKING_LOCKS.has(b.name) && !rollback && !deadlineBefore(pass, body, x, b.name) && !removesFile(pass, b.name, x)) {
          const timed = clientHasTimeout(pass, x);
          const conf = removesTempDir(pass, b.name, x) || timed ? "medium" : ctxConfidence(pass, x);
          if (conf) push({ node: x, text: callText(file, x), waits: b.waits, confidence: conf, ...timed ? { clientTimeout: true } : {} }, b.name);
        }
        return true;
      }
      default:
        return true;
    }
  });
  return out.some((s) => s.unknownCap) ? [...out.filter((s) => !s.unknownCap), ...out.filter((s) => s.unknownCap)] : out;
}
function handlerOf(pass, file, stack) {
  for (let i = stack.length - 2; i >= 0; i--) {
    const n = stack[i];
    if (n.kind !== "FuncDecl" && n.kind !== "FuncLit") continue;
    const h = requestHandler(pass, file, n);
    if (h) return h;
    const parent = stack[i - 1];
    if (n.kind === "FuncLit" && parent?.kind === "CallExpr" && unparen(parent.fun) === n) continue;
    return void 0;
  }
  return void 0;
}
function touchedBefore(pass, fn, d, mutex) {
  if (!fn?.body) return false;
  return lockCallsIn(pass, fn.body).some((l) => l.call !== d.call && sameExpr(l.mutex, mutex) && (l.call.lparen < d.defer || l.method === "Unlock" || l.method === "RUnlock"));
}
var ANY_PATH = { name: "", decl: null, global: true, fields: [] };
function releasesOwnToken(pass, stack, d, recv) {
  const key = chanKey(pass, recv.x);
  if (!key || unbuffered(pass, recv.x)) return false;
  for (let i = stack.length - 2; i >= 0; i--) {
    const f = stack[i];
    if (f.kind !== "FuncDecl" && f.kind !== "FuncLit") continue;
    if (!f.body) continue;
    let found = false;
    walkSameFunc(f.body, (x) => {
      if (found) return false;
      if (x.kind === "SendStmt" && x.arrow < d.defer && chanKey(pass, x.chan) === key) found = true;
      return !found;
    });
    if (found) return true;
  }
  return false;
}
function stopsBeforeWait(pass, chain) {
  if (!chain.found.others) return false;
  for (let i = 0; i + 1 < chain.funcs.length; i++) {
    const body = chain.funcs[i].body;
    if (!body) continue;
    const stop = firstStopSignal(pass, body);
    if (stop !== void 0 && stop < chain.calls[i + 1].lparen) return true;
  }
  return false;
}
function run23(pass) {
  const g = callGraphOf(pass);
  const cache = /* @__PURE__ */ new Map();
  const firstSite = (fn) => {
    let s = cache.get(fn);
    if (s === void 0) {
      const f = fn.decl ?? fn.lit;
      s = fn.body ? sitesIn(pass, pass.fileOf(f), fn.body)[0] ?? null : null;
      cache.set(fn, s);
    }
    return s ?? void 0;
  };
  const includeTests = pass.options.rules[ID23]?.tests === true;
  for (const file of pass.files) {
    if (file.test && !includeTests) continue;
    file.inspector.withStack(["DeferStmt"], (d, stack) => {
      if (!includeTests && inTestCode(stack)) return;
      const fn = enclosingFunc(stack);
      const fname = fn ? funcName(file, fn) : "the function";
      const call = d.call;
      let direct = call;
      let inHandler;
      const usable = (s) => s?.loopServed && !(inHandler ??= !!handlerOf(pass, file, stack)) ? void 0 : s;
      const fun = unparen(call.fun);
      let site;
      let chain = [];
      let siteFile = file;
      if (fun.kind === "FuncLit") {
        site = usable(sitesIn(pass, file, fun.body)[0]);
        if (!site) {
          const lit = g.nodeOf(fun);
          let stop;
          for (const e of lit?.out ?? []) {
            if (e.kind !== "call" && e.kind !== "defer" || e.site.kind !== "CallExpr") continue;
            const found = searchCallees(pass, e.site, ANY_PATH, (x) => usable(firstSite(x)), MAX_DEPTH2, notCleanup);
            if (found && (stopsBeforeWait(pass, found) || boundedByCaller(pass, found, found.found.node))) continue;
            if (found && found.found.node.kind === "CallExpr" && pass.types.callee(found.found.node)?.name === "os.RemoveAll" && failureBranches(fun.body).some(([a, z]) => a <= pos(e.site) && pos(e.site) < z)) continue;
            if (found?.found.others) {
              if (stop === void 0) stop = firstStopSignal(pass, fun.body) ?? null;
              if (stop !== null && stop < e.site.lparen) continue;
            }
            if (found) {
              site = found.found;
              chain = found.funcs.map((x) => funcName(pass.fileOf(x.decl ?? x.lit), x.decl ?? x.lit));
              siteFile = pass.fileOf(site.node) ?? file;
              break;
            }
          }
        }
      } else {
        const bound = boundCall(pass, call);
        direct = bound;
        const b = blockingCall(pass, bound);
        if (b) {
          if (BLOCKING_LOCKS.has(b.name)) {
            const l = lockCall(pass, bound);
            if (l && touchedBefore(pass, fn, d, l.mutex)) return;
          }
          if (removesFile(pass, b.name, bound)) return;
          const timed = clientHasTimeout(pass, bound);
          const conf = removesTempDir(pass, b.name, bound) || timed ? "medium" : ctxConfidence(pass, bound);
          if (!conf) return;
          site = { node: call, text: callText(file, call), waits: b.waits, confidence: conf, ...timed ? { clientTimeout: true } : {} };
        } else if (fun.kind === "CallExpr" && g.calleeOf(fun)?.decl?.body) {
          const factory = g.calleeOf(fun);
          for (const lit of returnedLits(factory.decl.body)) {
            const litFile = pass.fileOf(lit);
            const s = litFile ? sitesIn(pass, litFile, lit.body)[0] : void 0;
            if (!s || !litFile) continue;
            site = s;
            chain = [funcName(litFile, factory.decl), `the function literal it returns (line ${lineOf(litFile, lit)})`];
            siteFile = litFile;
            break;
          }
        } else if (g.calleeOf(call)) {
          const found = searchCallees(pass, call, ANY_PATH, (x) => usable(firstSite(x)), MAX_DEPTH2, notCleanup);
          if (found && !stopsBeforeWait(pass, found) && !boundedByCaller(pass, found, found.found.node)) {
            site = found.found;
            chain = found.funcs.map((x) => funcName(pass.fileOf(x.decl ?? x.lit), x.decl ?? x.lit));
            siteFile = pass.fileOf(site.node) ?? file;
          }
        }
      }
      if (!site) return;
      if (chain.length === 0 && site.node.kind === "UnaryExpr" && releasesOwnToken(pass, stack, d, site.node)) return;
      if (site.wayOut && site.node.kind === "SendStmt" && fn?.body && takenBefore(pass, fn.body, d, site.node.chan)) return;
      const waitsOthers = site.others ?? waitsForOthers(site.node, pass.types.callee(site.node === call ? direct : site.node.kind === "CallExpr" ? site.node : call)?.name);
      const heldLock = waitsOthers && chain.length === 0 && site.node.kind === "CallExpr" && fn?.body ? lockNeededByWaited(pass, fn.body, d, site.node === call ? direct : site.node) : void 0;
      if (waitsOthers && fn?.body && !heldLock && stopDeferredAfter(pass, fn.body, d)) return;
      if (waitsOthers && fn?.body && !heldLock && stopsBeforeDefer(pass, fn.body, d)) return;
      if (waitsOthers && fn?.body && !heldLock && stopsAfterDefer(pass, fn.body, d)) return;
      if (waitsOthers && chain.length === 0 && site.node.kind === "CallExpr" && fn?.body && !heldLock && guardsClose(pass, fn.body, d, site.node)) return;
      if (site.node.kind === "SendStmt" && !site.wayOut && fn && (fn.kind === "FuncLit" && (startedByGo(stack, fn) || startedByGroup(pass, stack, fn)) || onlyStartedByGo(pass, fn))) return;
      const handler = handlerOf(pass, file, stack);
      if ((site.unknownCap || site.loopServed) && !handler) return;
      if (site.clientTimeout && !handler) return;
      const background = !handler && !!fn && (fn.kind === "FuncLit" && startedByGo(stack, fn) || onlyStartedByGo(pass, fn)) && !signalDeferredBefore(pass, fn, d);
      const deferred = callText(file, call);
      const skipped = skippedSignal.get(d);
      const signalText = skipped ? callText(file, skipped.signal) : "";
      const where2 = site.text.includes(" line ") ? "" : ` (line ${lineOf(siteFile, site.node)})`;
      const path = site.node === call ? `deferred ${deferred}` : [`deferred ${deferred}`, ...chain, `${site.text}${where2}`].join(" → ");
      const article = /^[aeiou]/i.test(handler?.framework ?? "") ? "an" : "a";
      const held = handler ? `, so ${fname} (${article} ${handler.framework}) cannot finish the request until then and holds the response` : background ? `, so the goroutine running ${fname} cannot end until then` : `, so ${fname} cannot return until then`;
      pass.report({
        node: d,
        file,
        severity: handler ? "critical" : "high",
        confidence: background && site.confidence === "high" ? "medium" : site.confidence,
        message: heldLock ? `${path} ${site.waits}, but ${textOf(file, heldLock.unlock.call)} is deferred before it and runs after it, so ${textOf(file, heldLock.unlock.mutex)} stays locked during the wait, and the goroutine started on line ${lineOf(heldLock.file, heldLock.go)} locks it (${textOf(heldLock.lockFile, heldLock.lock)} on line ${lineOf(heldLock.lockFile, heldLock.lock)}) before it can call ${textOf(heldLock.file, heldLock.done)}: ${fname} deadlocks; unlock before waiting (defer the wait before the unlock, or wait after an explicit unlock)` : skipped ? `${path} ${site.waits}${held}, and the return on line ${lineOf(file, skipped.ret)} leaves before ${signalText} (line ${lineOf(file, skipped.signal)}) tells them to stop, so the wait never ends; stop them on every path (register the signal as a defer after the wait, or let the goroutines select on ctx.Done())` : `${path} ${site.waits}${held}; ${remedyFor(pass, site, waitsOthers)}`,
        related: site.node === call ? [] : [{ node: site.node, file: siteFile, message: `${site.text} ${site.waits}` }]
      });
    });
  }
}
var analyzer23 = {
  meta: {
    id: ID23,
    severity: "high",
    summary: "A deferred call that can block or take long (sleep, network or database round trip, WaitGroup.Wait, process wait, channel operation without timeout); critical inside request handlers.",
    enabledByDefault: true,
    fixable: false,
    category: "blocking",
    docUrl: docUrl(ID23)
  },
  // A send outside goroutines marks a semaphore channel for the whole package; go statements
  // tell which functions only ever run as goroutines; a body naming Timeout may build the
  // http.Client a deferred request is sent with.
  needs: (o) => bodyNeeds(o, { kinds: ["DeferStmt", "SendStmt", "GoStmt"], names: ["Timeout"] }, { chanFields: true }),
  run: run23
};

// src/rules/exit-skips-defer.ts
var ID24 = "exit-skips-defer";
function exitSite(pass, file, g, call) {
  const direct = processExit(pass, file, call);
  if (direct) return { call, shown: direct.name, typed: direct.typed };
  const target = g.calleeOf(call);
  if (!target) return void 0;
  const fun = unparen(call.fun);
  if (target.lit && fun.kind !== "Ident") return void 0;
  const chain = g.exitChain(target);
  if (!chain) return target.decl ? conditionalExit(pass, file, call, target.decl) : void 0;
  const endFile = fileOfExitCall(pass, chain.call);
  const end2 = endFile ? processExit(pass, endFile, chain.call) : void 0;
  if (!end2) return void 0;
  const names = chain.nodes.map((n, i) => i === 0 && target.lit && fun.kind === "Ident" ? `${fun.name} (the function literal on line ${lineOf(file, target.lit)})` : n.name);
  const through = chain.nodes.map((n) => n.body).filter((b) => !!b);
  return { call, shown: `${names.join(" → ")} → ${end2.name}`, typed: end2.typed, through };
}
function conditionalExit(pass, file, call, decl) {
  const list = decl.body?.list ?? [];
  const declFile = pass.fileOf(decl);
  if (!declFile || list.length === 0 || list.length > 4 || (decl.type.results?.list ?? []).length > 0) return void 0;
  const paramNames = (decl.type.params.list ?? []).flatMap((f) => (f.names ?? []).map((n) => n.name));
  const params = new Set(paramNames);
  const testsParam = (cond) => {
    let hit;
    walkSameFunc(cond, (x) => {
      if (!hit && x.kind === "Ident" && params.has(x.name)) hit = x.name;
      return !hit;
    });
    return hit;
  };
  const exitIn = (stmts) => {
    for (const st of stmts) {
      const x = st.kind === "ExprStmt" ? unparen(st.x) : void 0;
      const e = x?.kind === "CallExpr" ? processExit(pass, declFile, x) : void 0;
      if (e) return e;
    }
    return void 0;
  };
  for (let i = 0; i < list.length; i++) {
    const st = list[i];
    if (st.kind !== "IfStmt") continue;
    const param = testsParam(st.cond);
    if (!param) continue;
    const idx = paramNames.indexOf(param);
    const arg = idx >= 0 ? call.args?.[idx] : void 0;
    const a = arg ? unparen(arg) : void 0;
    if (!a || a.kind === "BasicLit" || a.kind === "Ident" && ["nil", "true", "false"].includes(a.name)) return void 0;
    const body = st.body.list ?? [];
    const last = body[body.length - 1];
    const exit = exitIn(body) ?? (last?.kind === "ReturnStmt" ? exitIn(list.slice(i + 1)) : void 0);
    if (!exit) continue;
    const name = funcName(declFile, decl);
    return { call, shown: `${name} → ${exit.name}`, when: `${name} exits depending on its ${param} argument`, typed: exit.typed, through: [decl.body] };
  }
  return void 0;
}
var KERNEL_CLOSES = /* @__PURE__ */ new Set([
  "(*os.File).Close",
  "(net.Conn).Close",
  "(net.Listener).Close",
  "(net.PacketConn).Close",
  ...["TCPConn", "UDPConn", "UnixConn", "IPConn", "TCPListener", "UnixListener"].map((t) => `(*net.${t}).Close`)
]);
var SESSION_CLOSES = /* @__PURE__ */ new Set([
  "(*database/sql.DB).Close",
  "(*database/sql.Conn).Close",
  "(*database/sql.Rows).Close",
  "(*database/sql.Stmt).Close",
  "(*database/sql.Tx).Rollback"
]);
function closesSession(pass, d) {
  let any = false;
  deferredCallsAll(d, (call) => {
    if (SESSION_CLOSES.has(pass.types.callee(call)?.name ?? "")) any = true;
    return true;
  });
  return any;
}
function closesOsFile(pass, call) {
  const callee = pass.types.callee(call)?.name ?? "";
  if (KERNEL_CLOSES.has(callee) || SESSION_CLOSES.has(callee)) return true;
  const f = unparen(call.fun);
  if (f.kind !== "SelectorExpr" || f.sel.name !== "Close" || (call.args?.length ?? 0) > 0) return false;
  const body = unparen(f.x);
  if (body.kind !== "SelectorExpr" || body.sel.name !== "Body") return false;
  let t = pass.types.typeOf(body.x);
  if (t?.kind === "pointer") t = t.elem;
  return !t || t.kind === "typeparam" && t.name === "?" || t.kind === "named" && t.pkg === "net/http" && t.name === "Response";
}
function deferredCallsAll(d, ok) {
  const fun = unparen(d.call.fun);
  if (fun.kind !== "FuncLit") return ok(d.call);
  let all = true;
  let any = false;
  walkSameFunc(fun.body, (x) => {
    if (!all) return false;
    if (x.kind === "CallExpr") {
      any = true;
      if (!ok(x)) all = false;
    }
    return true;
  });
  return all && any;
}
function onlyClosesFiles(pass, d) {
  return deferredCallsAll(d, (call) => closesOsFile(pass, call));
}
var HARMLESS_FUNC_SOURCES = /* @__PURE__ */ new Set(["context.AfterFunc", "iter.Pull", "iter.Pull2"]);
function harmlessFuncValue(pass, call) {
  const f = unparen(call.fun);
  if (f.kind !== "Ident") return false;
  const v = definingValue(pass, f);
  const r = v ? unparen(v) : void 0;
  const name = r?.kind === "CallExpr" ? pass.types.callee(r)?.name : void 0;
  return name !== void 0 && HARMLESS_FUNC_SOURCES.has(name);
}
function panicHandler(pass, d) {
  const fun = unparen(d.call.fun);
  const body = fun.kind === "FuncLit" ? fun.body : pass.types.callee(d.call)?.decl?.body;
  if (!body) return false;
  const recovered = /* @__PURE__ */ new Set();
  let recovers = false;
  let other = false;
  const isRecover = (e) => {
    const x = e ? unparen(e) : void 0;
    return x?.kind === "CallExpr" && unparen(x.fun).kind === "Ident" && unparen(x.fun).name === "recover" && isRecoverCall(pass, x);
  };
  const testsRecovered = (c) => {
    const x = unparen(c);
    if (x.kind !== "BinaryExpr") return false;
    if (x.op === "&&") return testsRecovered(x.x) || testsRecovered(x.y);
    if (x.op !== "!=") return false;
    const side = (e) => isRecover(e) || unparen(e).kind === "Ident" && recovered.has(unparen(e).name);
    return side(x.x) || side(x.y);
  };
  const visit = (n) => {
    if (other) return;
    if (n.kind === "FuncLit") return;
    if (n.kind === "AssignStmt" && n.rhs.length === 1 && isRecover(n.rhs[0])) {
      recovers = true;
      for (const l of n.lhs) if (unparen(l).kind === "Ident") recovered.add(unparen(l).name);
      return;
    }
    if (n.kind === "ValueSpec" && n.values?.length === 1 && isRecover(n.values[0])) {
      recovers = true;
      for (const id of n.names) recovered.add(id.name);
      return;
    }
    if (n.kind === "IfStmt") {
      if (n.init) visit(n.init);
      if (testsRecovered(n.cond)) {
        recovers = true;
        if (n.else) visit(n.else);
        return;
      }
    }
    if (n.kind === "CallExpr") {
      if (isRecover(n)) {
        recovers = true;
        return;
      }
      const f = unparen(n.fun);
      if ((n.args ?? []).some((a) => unparen(a).kind === "Ident" && recovered.has(unparen(a).name))) return;
      if (f.kind === "SelectorExpr" && f.sel.name === "Helper" && (n.args ?? []).length === 0) return;
      other = true;
      return;
    }
    forEachChild(n, visit);
  };
  for (const st of body.list ?? []) visit(st);
  return recovers && !other;
}
function harmless(pass, file, d) {
  const harmlessCall = (call) => {
    const n = call;
    if (closesOsFile(pass, call)) return false;
    if (isRecoverCall(pass, n)) return true;
    const f = unparen(call.fun);
    if (f.kind === "Ident" && f.name === "close" && pass.types.callee(call)?.kind === "builtin") return true;
    const t = pass.types.typeOf(call.fun);
    if (t?.kind === "named" && HARMLESS_AT_EXIT.has(`${t.pkg}.${t.name}`)) return true;
    const c = callName(pass, file, call);
    if (c && HARMLESS_AT_EXIT.has(c.name)) return true;
    if (harmlessFuncValue(pass, call)) return true;
    if (!c?.typed && c && (c.name === "cancel" || ["Unlock", "RUnlock", "Done"].includes(c.short))) return true;
    return false;
  };
  if (processExit(pass, file, d.call)) return true;
  if (panicHandler(pass, d)) return true;
  return deferredCallsAll(d, harmlessCall);
}
function syncsZap(pass, file, d) {
  const c = callName(pass, file, d.call);
  return c?.name === "(*go.uber.org/zap.Logger).Sync" || c?.name === "(*go.uber.org/zap.SugaredLogger).Sync";
}
function sameCall(a, b) {
  const aa = a.args ?? [];
  const ba = b.args ?? [];
  return sameExpr(a.fun, b.fun) && aa.length === ba.length && aa.every((x, i) => sameExpr(x, ba[i]));
}
function runsSameCall(n, deferred) {
  if (unparen(deferred.fun).kind === "FuncLit" || n.kind === "DeferStmt" || n.kind === "GoStmt") return false;
  let found = false;
  walkSameFunc(n, (x) => {
    if (found) return false;
    if (x.kind === "CallExpr" && sameCall(x, deferred)) found = true;
    return !found;
  });
  if (!found && n.kind === "ExprStmt" && unparen(n.x).kind === "CallExpr") found = sameCall(unparen(n.x), deferred);
  return found;
}
function pendingDefers(cfg, fn, stack, defers, exit) {
  if (cfg) {
    const at = cfg.locate(exit);
    if (!at) return [];
    return defers.filter((d) => cfg.isEntry(d) && cfg.findPath(d, at.node, { avoid: (n) => n !== at.node && runsSameCall(n, d.call) }) !== null);
  }
  const out = [];
  for (let i = stack.length - 1; i > 0; i--) {
    const n = stack[i];
    const parent = stack[i - 1];
    if (parent === fn) break;
    const list = parent.kind === "BlockStmt" ? parent.list : parent.kind === "CaseClause" || parent.kind === "CommClause" ? parent.body : null;
    const idx = list ? list.indexOf(n) : -1;
    if (!list || idx < 0) continue;
    for (let j = 0; j < idx; j++) {
      let s = list[j];
      while (s.kind === "LabeledStmt") s = s.stmt;
      if (s.kind === "DeferStmt" && defers.includes(s)) out.push(s);
    }
  }
  return out;
}
var stubCache = /* @__PURE__ */ new WeakMap();
function exitStubbedBefore(pass, file, fn, exit) {
  if (!fn.body) return false;
  let first = stubCache.get(fn);
  if (first === void 0) {
    first = firstExitStub(pass, file, fn.body);
    stubCache.set(fn, first);
  }
  return first < pos(exit);
}
function firstExitStub(pass, file, body) {
  let found = Infinity;
  const isExitValue = (e) => {
    const x = unparen(e);
    if (x.kind !== "SelectorExpr" && x.kind !== "Ident") return false;
    const probe = { kind: "CallExpr", fun: x, lparen: NOPOS, args: null, ellipsis: NOPOS, rparen: NOPOS };
    return processExit(pass, file, probe) !== void 0;
  };
  walkSameFunc(body, (x) => {
    if (found !== Infinity) return false;
    if (x.kind === "DeferStmt" || x.kind === "GoStmt") return false;
    if (x.kind === "CallExpr") {
      const words = textOf(file, x.fun).split(".").flatMap(nameWords);
      if (words.includes("stub") && words.includes("exit") || (x.args ?? []).some(isExitValue)) found = pos(x);
    } else if (x.kind === "AssignStmt" && x.tok === "=" && x.rhs.length === x.lhs.length) {
      x.lhs.forEach((l, i) => {
        const t = unparen(l);
        const name = t.kind === "SelectorExpr" ? t.sel.name : t.kind === "Ident" ? t.name : "";
        const rhs = unparen(x.rhs[i]);
        const fnValue = rhs.kind === "FuncLit" || pass.types.typeOf(rhs)?.kind === "signature";
        if (found === Infinity && nameWords(name).includes("exit") && fnValue && !isExitValue(rhs)) found = pos(x);
      });
    }
    return found === Infinity;
  });
  return found;
}
function run24(pass) {
  const g = exitGraph(pass);
  for (const file of pass.files) {
    file.inspector.withStack(["FuncDecl", "FuncLit", "CallExpr"], (call, stack) => {
      if (call.kind !== "CallExpr") {
        if (file.inspector.contains(call, ["DeferStmt"])) return true;
        const parent = stack[stack.length - 2];
        return call.kind === "FuncLit" && parent?.kind === "CallExpr" && unparen(parent.fun) === call;
      }
      let fn;
      let via = call;
      for (let i = stack.length - 2; i >= 0; i--) {
        const s = stack[i];
        if (s.kind === "DeferStmt" || s.kind === "GoStmt") return;
        if (s.kind === "FuncDecl" || s.kind === "FuncLit") {
          const parent = stack[i - 1];
          if (s.kind === "FuncLit" && parent?.kind === "CallExpr" && unparen(parent.fun) === s && !file.inspector.contains(s, ["DeferStmt"])) {
            via = parent;
            continue;
          }
          fn = s;
          break;
        }
      }
      if (!fn || !fn.body) return;
      const site = exitSite(pass, file, g, call);
      if (!site) return;
      const node = g.nodeOf(fn);
      const cfg = node ? g.cfg(node) : void 0;
      const defers = [];
      walkSameFunc(fn.body, (x) => {
        if (x.kind === "DeferStmt") {
          if (!harmless(pass, file, x)) defers.push(x);
          return false;
        }
        return true;
      });
      if (defers.length === 0) return;
      let all = pendingDefers(cfg, fn, stack, defers, via);
      if (site.shown.includes("go.uber.org/zap.")) all = all.filter((d) => !syncsZap(pass, file, d));
      if (site.through) all = all.filter((d) => !site.through.some((b) => runsSameCall(b, d.call)));
      if (all.length === 0) return;
      if (exitStubbedBefore(pass, file, fn, call)) return;
      const weighty = all.filter((d) => !onlyClosesFiles(pass, d));
      const filesOnly = weighty.length === 0;
      const pending = filesOnly ? all : weighty;
      const shownDefers = pending.slice(0, 3).map((d) => `${shortCall(file, d.call)} (line ${lineOf(file, d)})`);
      const more = pending.length > 3 ? ` and ${pending.length - 3} more` : "";
      const cost = filesOnly ? `; here that loses nothing yet (the kernel closes ${pending.length === 1 ? "the descriptor" : "the descriptors"} when the process ends${pending.some((d) => closesSession(pass, d)) ? ", and the database server ends the session, rolling back what was not committed" : ""}), but any cleanup added to ${pending.length === 1 ? "it" : "them"} later is skipped too` : "";
      pass.report({
        node: call,
        file,
        confidence: filesOnly ? "low" : site.typed ? "high" : "medium",
        message: `${site.shown} ends the process here in ${funcName(file, fn)}${site.when ? ` (${site.when})` : ""} while the deferred ${shownDefers.join(", ")}${more} ${pending.length === 1 ? "is" : "are"} pending, so ${pending.length === 1 ? "it never runs" : "they never run"}${cost}; return an error and exit in the caller after the cleanup, or run the cleanup before exiting`,
        related: pending.map((d) => ({ node: d, message: `deferred here; skipped by the exit on line ${lineOf(file, call)}` }))
      });
    });
  }
}
function shortCall(file, call) {
  const text = textOf(file, call);
  if (text.length <= 60) return text;
  const fun = unparen(call.fun);
  const name = fun.kind === "FuncLit" ? "" : textOf(file, fun);
  return fun.kind === "FuncLit" || name.length > 60 ? "function literal" : `${name}(...)`;
}
var analyzer24 = {
  meta: {
    id: ID24,
    severity: "high",
    summary: "os.Exit, log.Fatal or a logger's Fatal reached after a defer was registered: the deferred cleanup never runs.",
    enabledByDefault: true,
    fixable: false,
    category: "panics",
    docUrl: docUrl(ID24)
  },
  needs: deferNeeds,
  run: run24
};

// src/rules/signal-skips-defer.ts
var ID25 = "signal-skips-defer";
var MAX_DEPTH3 = 3;
function handlesSignals(pass) {
  const other = onlyOtherSignals(pass);
  for (const f of pass.files) {
    if (f.file.imports.some((s) => s.path.value.slice(1, -1) === "os/signal") && !other) return true;
  }
  let found = false;
  for (const f of pass.files) {
    f.inspector.preorder(["CallExpr"], (call) => {
      if (found) return;
      const c = callName(pass, f, call);
      if (!c) return;
      if (SIGNAL_HANDLERS.has(c.name) && !(other && c.name.startsWith("os/signal.")) || !c.typed && /^Setup(Signal)(Handler|Context)$/.test(c.short)) found = true;
    });
    if (found) return true;
  }
  return pass.importedTextMatches(/\bsignal\.Notify(?:Context)?\s*\((?:\s*[\w.]+\s*\)|[^)]*(?:\bSIGTERM\b|\bSIGINT\b|\bInterrupt\b|\bKill\b|\.\.\.))/);
}
function onlyOtherSignals(pass) {
  let calls = 0;
  let terminates = false;
  for (const f of pass.files) {
    f.inspector.preorder(["CallExpr"], (call) => {
      if (terminates) return;
      const c = callName(pass, f, call);
      if (c?.name !== "os/signal.Notify" && c?.name !== "os/signal.NotifyContext") return;
      calls++;
      const sigs = (call.args ?? []).slice(1);
      if (sigs.length === 0 || call.ellipsis !== -1) {
        terminates = true;
        return;
      }
      for (const a of sigs) {
        const x = unparen(a);
        const name = x.kind === "SelectorExpr" ? x.sel.name : x.kind === "Ident" ? x.name : "";
        if (!/^(SIG[A-Z0-9]+|Interrupt|Kill)$/.test(name) || /^(SIGTERM|SIGINT|SIGQUIT|Interrupt|Kill)$/.test(name)) terminates = true;
      }
    });
  }
  return calls > 0 && !terminates;
}
function isCleanup(pass, file, d) {
  const fun = unparen(d.call.fun);
  if (fun.kind === "FuncLit") return !deferredRecoverOnly(pass, fun);
  const t = pass.types.typeOf(fun);
  if (t?.kind === "named" && HARMLESS_AT_EXIT.has(`${t.pkg}.${t.name}`)) return false;
  const c = callName(pass, file, d.call);
  if (!c) return true;
  if (c.typed && HARMLESS_AT_EXIT.has(c.name)) return false;
  if (!c.typed && fun.kind === "Ident" && /^(cancel|stop)$/i.test(fun.name)) return false;
  if (["Unlock", "RUnlock", "Done"].includes(c.short)) return false;
  if (c.short === "Close" && fun.kind === "SelectorExpr" && unparen(fun.x).kind === "Ident") {
    const v = definingValue(pass, unparen(fun.x));
    const src = v && unparen(v).kind === "CallExpr" ? callName(pass, file, unparen(v)) : void 0;
    if (src && RELEASED_BY_KERNEL.has(src.name) && !unixSocket(pass, unparen(v), src.name)) return false;
  }
  const decl = pass.types.callee(d.call)?.decl;
  return !(decl && callsRecoverDirectly(pass, decl));
}
function unixSocket(pass, call, name) {
  const i = name === "(*net.ListenConfig).Listen" ? 1 : 0;
  const a = call.args?.[i];
  if (!a || !name.includes("Listen")) return false;
  const x = unparen(a);
  let text;
  if (x.kind === "BasicLit" && x.tokKind === "STRING") text = x.value.slice(1, -1);
  else if (x.kind === "Ident") {
    const v = definingValue(pass, x);
    const y = v ? unparen(v) : void 0;
    if (y?.kind === "BasicLit" && y.tokKind === "STRING") text = y.value.slice(1, -1);
  }
  return text !== void 0 && text.startsWith("unix");
}
function deferredRecoverOnly(pass, lit) {
  const stmts = lit.body.list ?? [];
  let recovers = false;
  walkNode(lit.body, (x) => {
    if (x.kind === "CallExpr" && unparen(x.fun).kind === "Ident" && unparen(x.fun).name === "recover") recovers = true;
  });
  return recovers && stmts.length <= 2;
}
function servingCall(pass, file, call) {
  const c = callName(pass, file, call);
  if (!c) return void 0;
  if (SERVE_CALLS.has(c.name)) return { name: c.name, byName: false };
  if (!SERVE_METHODS.has(c.short) || unparen(call.fun).kind !== "SelectorExpr") return void 0;
  const callee = pass.types.callee(call);
  if (callee?.recv && c.short === "Serve" && (call.args ?? []).some((a) => isListener(pass, a))) return { name: c.name, byName: true };
  if (callee?.recv) return callee.recv.name === "Server" ? { name: c.name, byName: true } : void 0;
  return c.typed ? void 0 : { name: c.name, byName: true };
}
function isListener(pass, e) {
  const t = pass.types.typeOf(e);
  const n = t?.kind === "pointer" ? t.elem : t;
  return n?.kind === "named" && n.pkg === "net" && (n.name === "Listener" || n.name === "TCPListener" || n.name === "UnixListener");
}
function servesIn(pass, file, fn, depth, seen) {
  if (!fn.body || seen.has(fn)) return void 0;
  seen.add(fn);
  let found;
  walkNode(fn.body, (x) => {
    if (found) return false;
    if (x.kind === "GoStmt" || x.kind === "DeferStmt" || x.kind === "FuncLit") return false;
    if (x.kind !== "CallExpr") return true;
    const s = servingCall(pass, file, x);
    if (s) {
      found = { call: x, ...s, path: [] };
      return false;
    }
    const decl = pass.types.callee(x)?.decl;
    if (decl && depth < MAX_DEPTH3) {
      const inner = servesIn(pass, pass.fileOf(decl) ?? file, decl, depth + 1, seen);
      if (inner) found = { ...inner, call: x, path: [decl.name.name, ...inner.path] };
    }
    return !found;
  });
  if (found) return found;
  const g = cfgOf(pass, fn);
  if (g && !g.canReach(g.entry, g.exit)) {
    for (const info of g.loops.values()) if (endlessFor(pass, g, info)) return { name: "an endless for loop", byName: false, path: [] };
    if (g.blocks.some((b) => b.live && b.term === "forever")) return { name: "select {}", byName: false, path: [] };
  }
  return void 0;
}
function endlessFor(pass, g, info) {
  const st = info.stmt;
  return st.kind === "ForStmt" && (!st.cond || isTrueConst(pass, st.cond)) && info.header.live && !g.loopCanExit(st);
}
function neverClosedChan(pass, main, x) {
  const id = unparen(x);
  if (id.kind === "SelectorExpr" && id.sel.name === "C") {
    const t = pass.types.typeOf(id.x);
    const named = t?.kind === "pointer" ? t.elem : t;
    if (named?.kind === "named" && named.pkg === "time" && named.name === "Ticker") return true;
  }
  if (id.kind === "CallExpr" && pass.types.callee(id)?.name === "time.Tick") return true;
  if (id.kind !== "Ident" || !main.body) return false;
  const o = pass.types.objectOf(id);
  if (!o || o.kind !== "var" || o.varKind !== "local") return false;
  if (under(pass.types.typeOf(id))?.kind !== "chan") return false;
  let escapes2 = false;
  walkNode(main.body, (y) => {
    if (escapes2) return false;
    if (y.kind === "CallExpr") {
      const f = unparen(y.fun);
      const handedTo = (y.args ?? []).some((a) => {
        const u = unparen(a);
        return u.kind === "Ident" && pass.types.objectOf(u) === o;
      });
      if (handedTo && !(callName(pass, pass.fileOf(main), y)?.name === "os/signal.Notify")) escapes2 = true;
      if (f.kind === "Ident" && f.name === "close" && handedTo) escapes2 = true;
    }
    if (y.kind === "AssignStmt" && y.rhs.some((r) => unparen(r).kind === "Ident" && pass.types.objectOf(unparen(r)) === o)) escapes2 = true;
    return !escapes2;
  });
  return !escapes2;
}
function blockingIn(pass, file, main, g, from) {
  for (const { block, node } of g.entries({ liveOnly: true })) {
    if (node.kind === "GoStmt" || node.kind === "DeferStmt") continue;
    let hit;
    walkNode(node, (x) => {
      if (hit) return false;
      if (x.kind === "FuncLit") return false;
      if (x.kind !== "CallExpr") return true;
      const s = servingCall(pass, file, x);
      if (s) hit = { what: s.name, node: x, at: node, via: "", byName: s.byName };
      else {
        const decl = pass.types.callee(x)?.decl;
        const inner = decl ? servesIn(pass, pass.fileOf(decl) ?? file, decl, 1, /* @__PURE__ */ new Set([main])) : void 0;
        if (inner && decl) hit = { what: inner.name, node: x, at: node, via: ["main", decl.name.name, ...inner.path].join(" → "), byName: inner.byName };
      }
      return !hit;
    });
    if (hit && (g.canReach(from, node) || block === g.locate(from)?.block && g.locate(from).index < g.locate(node).index)) return hit;
  }
  for (const b of g.blocks) {
    if (b.live && b.term === "forever" && b.control && (g.locate(from)?.block === b || g.canReach(from, b))) return { what: "select {}", node: b.control, at: b, via: "", byName: false };
  }
  for (const info of g.loops.values()) {
    const st = info.stmt;
    if (st.kind === "RangeStmt" && neverClosedChan(pass, main, st.x) && info.header.live && g.loopExits(st).exits.length === 0 && g.canReach(from, info.header)) {
      return { what: `the endless range over ${textOf(file, st.x)}`, node: st, at: info.header, via: "", byName: false };
    }
    if (endlessFor(pass, g, info) && g.canReach(from, info.header)) {
      return { what: "the endless for loop", node: st, at: info.header, via: "", byName: false };
    }
  }
  return void 0;
}
function run25(pass) {
  if (pass.pkg.name !== "main") return;
  let handled;
  for (const file of pass.files) {
    if (file.test) continue;
    for (const d of file.file.decls ?? []) {
      if (d.kind !== "FuncDecl" || d.recv || d.name.name !== "main" || !d.body) continue;
      const g = cfgOf(pass, d);
      if (!g) continue;
      const cleanups = g.defers.filter((x) => isCleanup(pass, file, x) && g.locate(x));
      if (cleanups.length === 0) continue;
      handled ??= handlesSignals(pass);
      if (handled) return;
      for (const first of cleanups) {
        const s = blockingIn(pass, file, d, g, first);
        if (!s) continue;
        const registered = cleanups.filter((x) => x === first || g.canReach(x, s.at));
        const list = registered.slice(0, 2).map((x) => `${callText(file, x.call)} (line ${lineOf(file, x)})`).join(" and ");
        const more = registered.length > 2 ? ` and ${registered.length - 2} more` : "";
        const where2 = s.at === s.node || s.via === "" ? `${s.what} (line ${lineOf(file, s.node)})` : `${s.what} through ${s.via} (line ${lineOf(file, s.node)})`;
        const related = registered.slice(0, 3).map((x) => ({ node: x, message: `deferred ${callText(file, x.call)} never runs when the process is killed` }));
        pass.report({
          node: s.node,
          file,
          confidence: s.byName ? "medium" : "high",
          message: `main defers ${list}${more} and then blocks in ${where2}, but package main never handles SIGTERM or SIGINT: when the process is stopped (Kubernetes sends SIGTERM on pod termination) it dies at once and the deferred calls never run; catch the signal with signal.NotifyContext, shut down and return from main`,
          related
        });
        return;
      }
    }
  }
}
var analyzer25 = {
  meta: {
    id: ID25,
    severity: "medium",
    summary: "main defers cleanup and blocks serving, but never handles SIGTERM/SIGINT: on termination the defers never run.",
    enabledByDefault: true,
    fixable: false,
    category: "panic",
    docUrl: docUrl(ID25)
  },
  // A signal handler installed anywhere in package main counts.
  needs: (o) => bodyNeeds(o, { kinds: ["DeferStmt"], names: [...new Set([...SIGNAL_HANDLERS].map(bareName)), "SetupSignalHandler", "SetupSignalContext"] }),
  run: run25
};

// src/rules/banned-call.ts
var ID26 = "banned-call";
function pattern(name) {
  return new RegExp("^" + name.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
}
function where(pass, file, call, stack) {
  let deferred;
  let loop;
  let handler;
  let crossedDefer = false;
  for (let i = stack.length - 2; i >= 0; i--) {
    const n = stack[i];
    if (n.kind === "DeferStmt") {
      if (!deferred && (n.call === call || crossedDefer)) deferred = n;
      continue;
    }
    if (isLoop(n) && !loop) {
      const child = stack[i + 1];
      const once = n.kind === "RangeStmt" ? child === n.x : child === n.init;
      if (!once) loop = n;
      continue;
    }
    if (isFunc(n)) {
      const h = requestHandler(pass, file, n);
      if (h && !handler) handler = { fn: n, framework: h.framework };
      if (n.kind === "FuncDecl") break;
      let j = i - 1;
      while (j >= 0 && stack[j].kind === "ParenExpr") j--;
      const parent = stack[j];
      if (parent?.kind !== "CallExpr" || unparen(parent.fun) !== n) break;
      const gp = stack[j - 1];
      if (gp?.kind === "GoStmt") break;
      if (gp?.kind === "DeferStmt" && gp.call === parent) {
        if (!deferred) deferred = gp;
        crossedDefer = true;
      }
    }
  }
  return { deferred, loop, handler };
}
function matches(ctx, w) {
  switch (ctx) {
    case "anywhere":
      return true;
    case "defer":
      return !!w.deferred;
    case "defer-in-loop":
      return !!w.deferred && !!w.loop;
    case "loop":
      return !!w.loop;
    case "handler":
      return !!w.handler;
  }
}
function contextText(file, ctx, w) {
  switch (ctx) {
    case "anywhere":
      return "banned";
    case "defer":
      return `banned in deferred calls (deferred on line ${lineOf(file, w.deferred)})`;
    case "defer-in-loop":
      return `banned in deferred calls inside loops (deferred on line ${lineOf(file, w.deferred)} in the loop on line ${lineOf(file, w.loop)})`;
    case "loop":
      return `banned inside loops (loop on line ${lineOf(file, w.loop)})`;
    case "handler":
      return `banned in request handlers (${funcName(file, w.handler.fn)} is ${/^[aeiou]/i.test(w.handler.framework) ? "an" : "a"} ${w.handler.framework})`;
  }
}
function run26(pass) {
  const entries = pass.options.banned;
  if (entries.length === 0) return;
  const compiled = entries.map((b) => ({ b, re: pattern(b.name) }));
  for (const file of pass.files) {
    file.inspector.withStack(["CallExpr"], (call, stack) => {
      const c = callName(pass, file, call);
      if (!c) return;
      const name = c.typed ? c.name : declaredMethodName(pass, file, call) ?? c.name;
      const candidates = compiled.filter((x) => x.re.test(name));
      if (candidates.length === 0) return;
      const w = where(pass, file, call, stack);
      let best;
      for (const { b } of candidates) {
        if (!matches(b.context, w)) continue;
        if (!best || severityRank(b.severity) > severityRank(best.severity)) best = b;
      }
      if (!best) return;
      const reason = best.reason.trim() ? `: ${best.reason.trim().replace(/[.\s]+$/, "")}` : "";
      const related = [
        ...w.deferred && best.context.startsWith("defer") ? [{ node: w.deferred, message: "the defer statement" }] : [],
        ...w.loop && (best.context === "loop" || best.context === "defer-in-loop") ? [{ node: w.loop, message: "the loop" }] : []
      ];
      pass.report({
        node: call,
        file,
        severity: best.severity,
        confidence: c.typed ? "high" : "medium",
        message: `${displayName(pass, name)} is ${contextText(file, best.context, w)} by the team's ban list${reason}`,
        related
      });
    });
  }
}
function needs(o) {
  const names = /* @__PURE__ */ new Set();
  const patterns = [];
  for (const b of o.banned) {
    const bare = bareName(b.name);
    if (bare.includes("*")) patterns.push(pattern(bare));
    else names.add(bare);
  }
  return bodyNeeds(o, { names: [...names], patterns });
}
var analyzer26 = {
  meta: {
    id: ID26,
    severity: "medium",
    summary: "A call the team bans by qualified name in a context (defer, defer-in-loop, loop, handler, anywhere), with the reason from the configuration.",
    enabledByDefault: true,
    fixable: false,
    category: "policy",
    docUrl: docUrl(ID26)
  },
  needs,
  run: run26
};

// src/rules/index.ts
var analyzers = [analyzer, analyzer2, analyzer3, analyzer4, analyzer5, analyzer6, analyzer7, analyzer8, analyzer9, analyzer10, analyzer11, analyzer12, analyzer13, analyzer14, analyzer15, analyzer16, analyzer17, analyzer18, analyzer19, analyzer20, analyzer21, analyzer22, analyzer23, analyzer24, analyzer25, analyzer26];
function ruleMetas() {
  return analyzers.map((a) => a.meta);
}
function ruleById(id) {
  return analyzers.find((a) => a.meta.id === id);
}
function defaultEnabled() {
  return analyzers.filter((a) => a.meta.enabledByDefault).map((a) => a.meta.id);
}
var REGISTRY_URL = new URL("./registry.js", import.meta.url).href;

export {
  analyzers,
  ruleMetas,
  ruleById,
  defaultEnabled,
  REGISTRY_URL
};

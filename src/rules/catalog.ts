// Data the rules match against: what acquiring calls hand out and how it is released, the mutex
// methods, and the functions that end the process. Names are qualified the way
// TypeInfo.callee prints them (`os.Open`, `(*sync.Mutex).Lock`, `net/http.Get`).

/** What a call acquires, for messages: "file from os.Open on line 12 stays open until F returns". */
export interface Acquisition {
  /** A noun: "file", "connection", "rows". */
  what: string;
  /** What happens to it until the function returns: "stays open". */
  held: string;
}

const OPEN: Acquisition['held'] = 'stays open';

export const ACQUIRING_CALLS: Readonly<Record<string, Acquisition>> = {
  'os.Open': { what: 'file', held: OPEN },
  'os.Create': { what: 'file', held: OPEN },
  'os.OpenFile': { what: 'file', held: OPEN },
  'os.CreateTemp': { what: 'temporary file', held: OPEN },
  '(*os.Root).Open': { what: 'file', held: OPEN },
  '(*os.Root).Create': { what: 'file', held: OPEN },
  '(*os.Root).OpenFile': { what: 'file', held: OPEN },
  'os.MkdirTemp': { what: 'temporary directory', held: 'stays on disk' },
  'os.Pipe': { what: 'pipe', held: OPEN },
  'net.Dial': { what: 'connection', held: OPEN },
  'net.DialTimeout': { what: 'connection', held: OPEN },
  'net.DialTCP': { what: 'connection', held: OPEN },
  'net.DialUDP': { what: 'connection', held: OPEN },
  '(*net.Dialer).Dial': { what: 'connection', held: OPEN },
  '(*net.Dialer).DialContext': { what: 'connection', held: OPEN },
  'net.Listen': { what: 'listener', held: OPEN },
  '(net.Listener).Accept': { what: 'connection', held: OPEN },
  'crypto/tls.Dial': { what: 'connection', held: OPEN },
  'net/http.Get': { what: 'response body', held: 'stays open and keeps its connection' },
  'net/http.Post': { what: 'response body', held: 'stays open and keeps its connection' },
  'net/http.Head': { what: 'response body', held: 'stays open and keeps its connection' },
  'net/http.PostForm': { what: 'response body', held: 'stays open and keeps its connection' },
  '(*net/http.Client).Do': { what: 'response body', held: 'stays open and keeps its connection' },
  '(*net/http.Client).Get': { what: 'response body', held: 'stays open and keeps its connection' },
  '(*net/http.Client).Post': { what: 'response body', held: 'stays open and keeps its connection' },
  '(*database/sql.DB).Query': { what: 'rows', held: 'stay open and hold a database connection' },
  '(*database/sql.DB).QueryContext': { what: 'rows', held: 'stay open and hold a database connection' },
  '(*database/sql.Tx).Query': { what: 'rows', held: 'stay open' },
  '(*database/sql.Tx).QueryContext': { what: 'rows', held: 'stay open' },
  '(*database/sql.Stmt).Query': { what: 'rows', held: 'stay open and hold a database connection' },
  '(*database/sql.DB).Begin': { what: 'transaction', held: 'stays open and holds a database connection' },
  '(*database/sql.DB).BeginTx': { what: 'transaction', held: 'stays open and holds a database connection' },
  '(*database/sql.DB).Conn': { what: 'database connection', held: 'stays checked out' },
  '(*database/sql.DB).Prepare': { what: 'prepared statement', held: OPEN },
  '(*database/sql.DB).PrepareContext': { what: 'prepared statement', held: OPEN },
  'context.WithCancel': { what: 'context', held: 'is not cancelled' },
  'context.WithTimeout': { what: 'context', held: 'keeps its timer' },
  'context.WithDeadline': { what: 'context', held: 'keeps its timer' },
  'context.WithCancelCause': { what: 'context', held: 'is not cancelled' },
  'time.NewTicker': { what: 'ticker', held: 'keeps ticking' },
  'time.NewTimer': { what: 'timer', held: 'stays armed' },
  'compress/gzip.NewReader': { what: 'gzip reader', held: OPEN },
  'compress/gzip.NewWriter': { what: 'gzip writer', held: 'stays unflushed' },
  'archive/zip.OpenReader': { what: 'zip file', held: OPEN },
  'bufio.NewWriter': { what: 'buffered writer', held: 'stays unflushed' },
};

/**
 * Short method names that release what an acquisition holds (used when types are unknown): a
 * deferred call of one is the shape of a handle, which is a pointer or an interface.
 */
export const RELEASE_METHODS: ReadonlySet<string> = new Set([
  'Close', 'CloseSend', 'Unlock', 'RUnlock', 'Stop', 'Rollback', 'Release', 'Flush', 'Sync', 'Done', 'Cancel', 'Shutdown', 'Wait',
  'Finish', 'End', 'Terminate', 'Kill', 'Destroy', 'Free', 'Dispose', 'Disconnect', 'Cleanup', 'Discard', 'Unsubscribe', 'Quit',
  'Exit', 'Teardown', 'Remove',
]);

export type LockMethod = 'Lock' | 'RLock' | 'Unlock' | 'RUnlock' | 'TryLock' | 'TryRLock';

/** The mutex types of package sync and their methods, by qualified method name. */
export const MUTEX_METHODS: Readonly<Record<string, LockMethod>> = {
  '(*sync.Mutex).Lock': 'Lock',
  '(*sync.Mutex).Unlock': 'Unlock',
  '(*sync.Mutex).TryLock': 'TryLock',
  '(*sync.RWMutex).Lock': 'Lock',
  '(*sync.RWMutex).Unlock': 'Unlock',
  '(*sync.RWMutex).RLock': 'RLock',
  '(*sync.RWMutex).RUnlock': 'RUnlock',
  '(*sync.RWMutex).TryLock': 'TryLock',
  '(*sync.RWMutex).TryRLock': 'TryRLock',
  '(sync.Locker).Lock': 'Lock',
  '(sync.Locker).Unlock': 'Unlock',
};

/** The unlock that matches a lock. */
export const UNLOCK_FOR: Readonly<Record<string, LockMethod>> = { Lock: 'Unlock', RLock: 'RUnlock', TryLock: 'Unlock', TryRLock: 'RUnlock' };

/** Functions that end the process without running deferred calls. */
export const EXIT_FUNCTIONS: ReadonlySet<string> = new Set([
  'os.Exit',
  'syscall.Exit',
  'log.Fatal',
  'log.Fatalf',
  'log.Fatalln',
  '(*log.Logger).Fatal',
  '(*log.Logger).Fatalf',
  '(*log.Logger).Fatalln',
  // logrus: package functions, *Logger, *Entry, and the FieldLogger interfaces.
  ...['Fatal', 'Fatalf', 'Fatalln', 'Exit'].map((m) => `github.com/sirupsen/logrus.${m}`),
  ...['Logger', 'Entry'].flatMap((t) => ['Fatal', 'Fatalf', 'Fatalln', 'Exit'].map((m) => `(*github.com/sirupsen/logrus.${t}).${m}`)),
  ...['FieldLogger', 'Ext1FieldLogger', 'StdLogger'].flatMap((t) => ['Fatal', 'Fatalf', 'Fatalln'].map((m) => `(github.com/sirupsen/logrus.${t}).${m}`)),
  // zap
  '(*go.uber.org/zap.Logger).Fatal',
  ...['Fatal', 'Fatalf', 'Fatalw', 'Fatalln'].map((m) => `(*go.uber.org/zap.SugaredLogger).${m}`),
  // klog (v1 and v2) and glog: Fatal* and Exit* end the process.
  ...['k8s.io/klog', 'k8s.io/klog/v2', 'github.com/golang/glog'].flatMap((p) =>
    ['Fatal', 'Fatalf', 'Fatalln', 'FatalDepth', 'Exit', 'Exitf', 'Exitln', 'ExitDepth'].map((m) => `${p}.${m}`),
  ),
  ...['k8s.io/klog', 'k8s.io/klog/v2'].flatMap((p) => ['Fatal', 'Fatalf', 'Fatalln'].map((m) => `(${p}.Verbose).${m}`)),
]);

/**
 * zerolog ends the process when a Fatal-level event is sent: `log.Fatal().Msg("x")`. The event comes
 * from one of FATAL_EVENT_SOURCES and is sent by one of EVENT_SENDERS.
 */
export const FATAL_EVENT_SOURCES: ReadonlySet<string> = new Set([
  '(*github.com/rs/zerolog.Logger).Fatal',
  'github.com/rs/zerolog/log.Fatal',
]);
export const EVENT_SENDERS: ReadonlySet<string> = new Set(
  ['Msg', 'Msgf', 'MsgFunc', 'Send'].map((m) => `(*github.com/rs/zerolog.Event).${m}`),
);

/**
 * Deferred calls whose skipping at process exit loses nothing: the process is gone, and with it
 * the locks, goroutines, timers and contexts they release.
 */
export const HARMLESS_AT_EXIT: ReadonlySet<string> = new Set([
  '(*sync.Mutex).Unlock',
  '(*sync.RWMutex).Unlock',
  '(*sync.RWMutex).RUnlock',
  '(sync.Locker).Unlock',
  '(*sync.WaitGroup).Done',
  // Handing a value back to a pool, or waking waiters: in-memory state that ends with the process.
  '(*sync.Pool).Put',
  '(*sync.Cond).Broadcast',
  '(*sync.Cond).Signal',
  '(*time.Ticker).Stop',
  '(*time.Timer).Stop',
  'os/signal.Stop',
  // Settings of the process itself, restored on the way out: they end with it.
  'runtime.UnlockOSThread',
  'runtime.GOMAXPROCS',
  'runtime/debug.SetGCPercent',
  'runtime/debug.SetMemoryLimit',
  'context.CancelFunc',
  'context.CancelCauseFunc',
  // The kernel closes every descriptor when the process ends, and *os.File buffers nothing in user
  // space: what was written is already in the kernel (a bufio.Writer over it is another matter).
  '(*os.File).Close',
]);

/**
 * Constructors of things that are written and whose final write happens at Close or Flush: a
 * deferred Close/Flush that drops its error loses the data silently (defer-close-unchecked-write),
 * and closing what they wrap first loses it too (defer-order-inverted).
 */
export interface WriteResource {
  /** A noun for messages: "file", "gzip writer". */
  what: string;
  /** How the message says it came to be: "created by", "opened for writing by", "from". */
  verb: string;
  /** Methods that finish the writes and report their error (the ones a deferred call must not drop). */
  release: readonly string[];
  /** Methods whose checked result on the success path settles the question (Close, Sync, Flush; csv: Error). */
  checked: readonly string[];
  /** For wrappers: the argument index of the writer they write into, or 'recv' for the receiver of the call. */
  wraps?: number | 'recv';
  /** Only a write resource when this argument's open flags ask for writing (os.OpenFile). */
  flagsArg?: number;
  /**
   * For dependents: closing what they depend on waits for them to end (`(*sql.Conn).Close`
   * blocks until a transaction begun on the conn commits or rolls back, and until rows queried
   * on it are closed). The text says which returns that deadlocks, `{w}` standing for the value.
   */
  closeWaits?: string;
  /** Note for messages about Flush methods that return nothing (csv.Writer). */
  errorVia?: string;
}

const FILE_CHECKED = ['Close', 'Sync'] as const;
const STREAM = (what: string, release: readonly string[] = ['Close']): WriteResource => ({
  what,
  verb: 'from',
  release,
  checked: release,
  wraps: 0,
});

export const WRITE_RESOURCES: Readonly<Record<string, WriteResource>> = {
  'os.Create': { what: 'file', verb: 'created by', release: ['Close'], checked: FILE_CHECKED },
  'os.CreateTemp': { what: 'temporary file', verb: 'created by', release: ['Close'], checked: FILE_CHECKED },
  'os.OpenFile': { what: 'file', verb: 'opened for writing by', release: ['Close'], checked: FILE_CHECKED, flagsArg: 1 },
  // The same inside a directory root (Go 1.24's os.Root).
  '(*os.Root).Create': { what: 'file', verb: 'created by', release: ['Close'], checked: FILE_CHECKED },
  '(*os.Root).OpenFile': { what: 'file', verb: 'opened for writing by', release: ['Close'], checked: FILE_CHECKED, flagsArg: 1 },
  'bufio.NewWriter': STREAM('buffered writer', ['Flush']),
  'bufio.NewWriterSize': STREAM('buffered writer', ['Flush']),
  'compress/gzip.NewWriter': STREAM('gzip writer'),
  'compress/gzip.NewWriterLevel': STREAM('gzip writer'),
  'compress/zlib.NewWriter': STREAM('zlib writer'),
  'compress/zlib.NewWriterLevel': STREAM('zlib writer'),
  'compress/zlib.NewWriterLevelDict': STREAM('zlib writer'),
  'compress/flate.NewWriter': STREAM('flate writer'),
  'compress/flate.NewWriterDict': STREAM('flate writer'),
  'compress/lzw.NewWriter': STREAM('lzw writer'),
  'archive/zip.NewWriter': STREAM('zip writer'),
  'archive/tar.NewWriter': STREAM('tar writer'),
  // Encoders that keep a partial block until Close writes it (the writer is the second argument).
  'encoding/base64.NewEncoder': { ...STREAM('base64 encoder'), wraps: 1 },
  'encoding/base32.NewEncoder': { ...STREAM('base32 encoder'), wraps: 1 },
  'encoding/ascii85.NewEncoder': STREAM('ascii85 encoder'),
  // Close writes the closing boundary, the last soft line.
  'mime/multipart.NewWriter': STREAM('multipart writer'),
  'mime/quotedprintable.NewWriter': STREAM('quoted-printable writer'),
  'encoding/csv.NewWriter': {
    what: 'csv writer',
    verb: 'from',
    release: ['Flush'],
    checked: ['Error'],
    wraps: 0,
    errorVia: 'csv.Writer.Flush returns nothing and reports write errors only through Error()',
  },
};

/**
 * Wrappers that are not written through but still need what they wrap when they are released:
 * a transaction's Rollback/Commit needs its database open (defer-order-inverted).
 */
export const DEPENDENT_RESOURCES: Readonly<Record<string, WriteResource>> = {
  '(*database/sql.DB).Begin': { what: 'transaction', verb: 'from', release: ['Rollback', 'Commit'], checked: ['Commit'], wraps: 'recv' },
  '(*database/sql.DB).BeginTx': { what: 'transaction', verb: 'from', release: ['Rollback', 'Commit'], checked: ['Commit'], wraps: 'recv' },
  '(*database/sql.Conn).BeginTx': { what: 'transaction', verb: 'from', release: ['Rollback', 'Commit'], checked: ['Commit'], wraps: 'recv', closeWaits: 'a return before {w} is committed' },
  '(*database/sql.Conn).QueryContext': { what: 'rows', verb: 'from', release: ['Close'], checked: ['Close'], wraps: 'recv', closeWaits: 'a return before {w} is read to the end' },
  // A TLS connection's Close sends the close_notify alert over the connection it wraps: closed
  // first, the peer sees the stream cut instead of a clean end (and cannot tell it from a truncation).
  'crypto/tls.Client': { what: 'TLS connection', verb: 'from', release: ['Close'], checked: ['Close'], wraps: 0 },
  'crypto/tls.Server': { what: 'TLS connection', verb: 'from', release: ['Close'], checked: ['Close'], wraps: 0 },
};

/**
 * The os.OpenFile flags by name (linux/amd64 values; the read/write access mode is the low two bits).
 * A flag expression is a write open when its access mode is O_WRONLY/O_RDWR or it asks for
 * O_APPEND, O_CREATE or O_TRUNC.
 */
export const OPEN_FLAGS: Readonly<Record<string, number>> = {
  O_RDONLY: 0x0,
  O_WRONLY: 0x1,
  O_RDWR: 0x2,
  O_CREATE: 0x40,
  O_CREAT: 0x40,
  O_EXCL: 0x80,
  O_NOCTTY: 0x100,
  O_TRUNC: 0x200,
  O_APPEND: 0x400,
  O_NONBLOCK: 0x800,
  O_SYNC: 0x101000,
  O_DSYNC: 0x1000,
  O_CLOEXEC: 0x80000,
  O_DIRECTORY: 0x10000,
  O_NOFOLLOW: 0x20000,
};

/** The flag bits that make an open a write open (besides an access mode other than O_RDONLY). */
export const OPEN_WRITE_BITS = 0x40 | 0x200 | 0x400;

/** Waits for a group of goroutines: after one returns, every goroutine of the group has finished. */
export const WAIT_CALLS: ReadonlySet<string> = new Set([
  '(*sync.WaitGroup).Wait',
  '(*golang.org/x/sync/errgroup.Group).Wait',
  '(*github.com/sourcegraph/conc.WaitGroup).Wait',
  '(*github.com/sourcegraph/conc/pool.Pool).Wait',
  '(*github.com/sourcegraph/conc/pool.ErrorPool).Wait',
  '(*github.com/sourcegraph/conc/pool.ContextPool).Wait',
]);

/**
 * Calls a goroutine can make without a panic worth recovering from: a goroutine that only makes
 * these (waits, closes, timer stops) is not worth a recover of its own.
 */
export const PLUMBING_CALLS: ReadonlySet<string> = new Set([
  'builtin close',
  'builtin len',
  'builtin cap',
  '(*sync.WaitGroup).Wait',
  '(*sync.WaitGroup).Done',
  '(*sync.WaitGroup).Add',
  '(context.Context).Done',
  '(context.Context).Err',
  'time.Sleep',
  'time.After',
  '(*time.Timer).Stop',
  '(*time.Ticker).Stop',
]);

/**
 * Calls that can block or take long, by qualified name, with what they wait for (completing the
 * sentence "X ..."). Extended from the configuration (`blockingCalls`). Calls whose first parameter
 * is a context.Context are bounded when that context carries a deadline (see ctxBounded).
 */
export const BLOCKING_CALLS: Readonly<Record<string, string>> = {
  'time.Sleep': 'sleeps',
  '(*sync.WaitGroup).Wait': 'blocks until every goroutine of the group has called Done',
  '(*golang.org/x/sync/errgroup.Group).Wait': 'blocks until every goroutine of the group has returned',
  '(*sync.Cond).Wait': 'blocks until another goroutine signals the condition',
  '(*sync.Mutex).Lock': 'blocks until the mutex is free',
  '(*sync.RWMutex).Lock': 'blocks until the mutex is free',
  '(*sync.RWMutex).RLock': 'blocks until no writer holds or waits for the mutex',
  '(sync.Locker).Lock': 'blocks until the lock is free',
  ...Object.fromEntries(
    ['Get', 'Post', 'Head', 'PostForm'].flatMap((m) => [
      [`net/http.${m}`, 'waits for a network round trip'],
      [`(*net/http.Client).${m}`, 'waits for a network round trip'],
    ]),
  ),
  '(*net/http.Client).Do': 'waits for a network round trip',
  '(*net/http.Server).Shutdown': 'waits until every active connection is idle',
  ...Object.fromEntries(
    ['net.Dial', 'net.DialTCP', 'net.DialUDP', 'net.DialIP', 'net.DialUnix', '(*net.Dialer).Dial', '(*net.Dialer).DialContext', 'crypto/tls.Dial', '(*crypto/tls.Dialer).DialContext'].map((n) => [
      n,
      'waits for a network connection to be established',
    ]),
  ),
  ...Object.fromEntries(
    ['net.Conn', '*net.conn', '*net.TCPConn', '*net.UDPConn', '*net.UnixConn', '*net.IPConn', '*crypto/tls.Conn'].flatMap((t) =>
      ['Read', 'Write'].map((m) => [`(${t}).${m}`, m === 'Read' ? 'waits for the peer to send data' : 'waits for the peer to accept data']),
    ),
  ),
  '(*crypto/tls.Conn).Handshake': 'waits for the TLS handshake with the peer',
  '(*os/exec.Cmd).Run': 'runs an external program to completion',
  '(*os/exec.Cmd).Wait': 'waits for an external program to exit',
  '(*os/exec.Cmd).Output': 'runs an external program to completion',
  '(*os/exec.Cmd).CombinedOutput': 'runs an external program to completion',
  '(*os.Process).Wait': 'waits for a process to exit',
  'os.RemoveAll': 'deletes a whole directory tree',
  'path/filepath.Walk': 'walks a whole directory tree',
  'path/filepath.WalkDir': 'walks a whole directory tree',
  'io/fs.WalkDir': 'walks a whole directory tree',
  ...Object.fromEntries(
    ['DB', 'Tx', 'Conn', 'Stmt'].flatMap((t) =>
      ['Query', 'QueryContext', 'QueryRow', 'QueryRowContext', 'Exec', 'ExecContext'].map((m) => [`(*database/sql.${t}).${m}`, 'waits for a database round trip']),
    ),
  ),
  '(*database/sql.DB).Ping': 'waits for a database round trip',
  '(*database/sql.DB).PingContext': 'waits for a database round trip',
};

/** Mutex methods that wait: a deferred one is blocking only when deferred directly (a short critical section in a deferred closure is normal). */
export const BLOCKING_LOCKS: ReadonlySet<string> = new Set(['(*sync.Mutex).Lock', '(*sync.RWMutex).Lock', '(*sync.RWMutex).RLock', '(sync.Locker).Lock']);

/** Calls that give a context carrying a deadline: work bounded by such a context is not blocking. */
export const DEADLINE_CONTEXTS: ReadonlySet<string> = new Set(['context.WithTimeout', 'context.WithDeadline', 'context.WithTimeoutCause', 'context.WithDeadlineCause']);

/** Receives that end a wait (a select with one of them as a case is bounded). */
export const TIMEOUT_CHANNELS: ReadonlySet<string> = new Set(['time.After', 'time.Tick', '(context.Context).Done']);

/**
 * Request-handler parameter types. `pkg` is matched against the end of the import path after a
 * major-version suffix is dropped (`github.com/labstack/echo/v4` → `.../echo`), so a local
 * look-alike package `example.com/app/gin` counts as gin. `pointer` is the pointer-ness required.
 */
export interface HandlerParam {
  pkg: string;
  name: string;
  pointer: boolean;
  /** What a message calls it. */
  framework: string;
}

export const HANDLER_PARAMS: readonly HandlerParam[] = [
  { pkg: 'net/http', name: 'ResponseWriter', pointer: false, framework: 'net/http handler' },
  { pkg: 'gin', name: 'Context', pointer: true, framework: 'gin handler' },
  { pkg: 'echo', name: 'Context', pointer: false, framework: 'echo handler' },
  { pkg: 'fiber', name: 'Ctx', pointer: true, framework: 'fiber handler' },
];

/** Calls that serve until the process is stopped, by qualified name. */
export const SERVE_CALLS: ReadonlySet<string> = new Set([
  'net/http.ListenAndServe',
  'net/http.ListenAndServeTLS',
  'net/http.Serve',
  'net/http.ServeTLS',
  '(*net/http.Server).ListenAndServe',
  '(*net/http.Server).ListenAndServeTLS',
  '(*net/http.Server).Serve',
  '(*net/http.Server).ServeTLS',
  '(*google.golang.org/grpc.Server).Serve',
  '(*github.com/gin-gonic/gin.Engine).Run',
  '(*github.com/gin-gonic/gin.Engine).RunTLS',
  '(*github.com/labstack/echo/v4.Echo).Start',
  '(*github.com/labstack/echo/v4.Echo).StartTLS',
  '(*github.com/gofiber/fiber/v2.App).Listen',
]);

/** Method names that serve when their receiver type is named Server (gRPC and look-alikes, matched by name). */
export const SERVE_METHODS: ReadonlySet<string> = new Set(['Serve', 'ServeTLS', 'ListenAndServe', 'ListenAndServeTLS']);

/**
 * Calls that install handling of SIGTERM/SIGINT (directly or inside a framework). A package main that
 * makes one of them, or imports os/signal at all, handles termination.
 */
export const SIGNAL_HANDLERS: ReadonlySet<string> = new Set([
  'os/signal.Notify',
  'os/signal.NotifyContext',
  'sigs.k8s.io/controller-runtime/pkg/manager/signals.SetupSignalHandler',
  'sigs.k8s.io/controller-runtime.SetupSignalHandler',
  'k8s.io/apiserver/pkg/server.SetupSignalHandler',
  'k8s.io/apiserver/pkg/server.SetupSignalContext',
  '(*go.uber.org/fx.App).Run',
  'github.com/oklog/run.SignalHandler',
]);

/** Calls that send an HTTP request and return a response that is nil when the error is not. */
export const HTTP_REQUEST_CALLS: ReadonlySet<string> = new Set([
  'net/http.Get',
  'net/http.Head',
  'net/http.Post',
  'net/http.PostForm',
  '(*net/http.Client).Do',
  '(*net/http.Client).Get',
  '(*net/http.Client).Head',
  '(*net/http.Client).Post',
  '(*net/http.Client).PostForm',
  '(net/http.RoundTripper).RoundTrip',
  '(*net/http.Transport).RoundTrip',
]);

/**
 * Acquisitions whose Close loses nothing when the process is killed: the kernel releases them (a
 * file opened read-only, a listening socket). A deferred Close of one is not cleanup that a signal
 * skips. Not a Unix socket listener: its Close removes the socket file, and a stale one makes the
 * next start fail with "address already in use" (signal-skips-defer checks the network argument).
 */
export const RELEASED_BY_KERNEL: ReadonlySet<string> = new Set([
  'os.Open',
  'net.Listen',
  'net.ListenPacket',
  'net.ListenTCP',
  'net.ListenUDP',
  '(*net.ListenConfig).Listen',
  'crypto/tls.Listen',
]);

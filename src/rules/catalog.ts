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

/** Short method names that release what an acquisition holds (used when types are unknown). */
export const RELEASE_METHODS: ReadonlySet<string> = new Set([
  'Close', 'Unlock', 'RUnlock', 'Stop', 'Rollback', 'Release', 'Flush', 'Done', 'Cancel', 'Shutdown', 'Wait',
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
]);

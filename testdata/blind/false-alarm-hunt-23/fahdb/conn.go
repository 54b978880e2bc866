package fahdb

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah23/internal/trace"
	"example.com/fah23/internal/wire"
)

var (
	errNestedTx = errors.New("fahdb: transaction already in progress")
	errNoTx     = errors.New("fahdb: no transaction in progress")
)

func errProtocol(step string) error {
	return fmt.Errorf("fahdb: protocol error during %s", step)
}

// Conn is one connection to a fahdb server. database/sql serialises calls
// on a Conn; mu only guards the state shared with Close and the pool.
type Conn struct {
	nc  net.Conn
	r   *wire.Reader
	w   *wire.Writer
	cfg *Config

	bad    atomic.Bool
	closed atomic.Bool

	mu   sync.Mutex // guards inTx
	inTx bool

	stmts     *stmtCache
	closeOnce sync.Once
	closeErr  error
}

func newConn(nc net.Conn, cfg *Config) *Conn {
	return &Conn{
		nc:    nc,
		r:     wire.NewReader(nc),
		w:     wire.NewWriter(nc),
		cfg:   cfg,
		stmts: newStmtCache(cfg.StmtCacheSize),
	}
}

// lock acquires c.mu and returns its unlock: defer c.lock()().
func (c *Conn) lock() func() {
	c.mu.Lock()
	return c.mu.Unlock
}

// withLock runs fn with c.mu held, releasing it even if fn panics.
func (c *Conn) withLock(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn()
}

func (c *Conn) startup(ctx context.Context) error {
	resp, err := c.roundTrip(ctx, wire.Frame{Kind: wire.KindStartup, Fields: []string{c.cfg.User, c.cfg.Database}})
	if err != nil {
		return err
	}
	if len(resp) == 0 || resp[len(resp)-1].Kind != wire.KindDone {
		return errProtocol("startup")
	}
	return nil
}

func (c *Conn) checkUsable() error {
	if c.closed.Load() || c.bad.Load() {
		return driver.ErrBadConn
	}
	return nil
}

// markBad flags the connection as unusable unless err is a server error,
// after which the session is still in a known state.
func (c *Conn) markBad(err error) error {
	var se *wire.ServerError
	if !errors.As(err, &se) {
		c.bad.Store(true)
	}
	return err
}

// setInTx flips the transaction flag, unlocking on every path.
func (c *Conn) setInTx(v bool) error {
	c.mu.Lock()
	if c.inTx == v {
		c.mu.Unlock()
		if v {
			return errNestedTx
		}
		return errNoTx
	}
	c.inTx = v
	c.mu.Unlock()
	return nil
}

// leaveTx clears the transaction flag; leaving a transaction that was never
// entered is a driver bug.
func (c *Conn) leaveTx() {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if !c.inTx {
		panic("fahdb: leaveTx without an open transaction")
	}
	c.inTx = false
	c.mu.Unlock()
}

// InTx reports whether a transaction is open on c.
func (c *Conn) InTx() bool {
	defer c.lock()()
	return c.inTx
}

// ConnStats describes a connection for diagnostics.
type ConnStats struct {
	InTx        bool
	CachedStmts int
	Bad, Closed bool
}

// Stats reports the connection state.
func (c *Conn) Stats() ConnStats {
	defer c.lock() // HAZ defer-func-result-not-called defer-blocking-call
	return ConnStats{InTx: c.inTx, CachedStmts: c.stmts.size(), Bad: c.bad.Load(), Closed: c.closed.Load()}
}

// watchCancel interrupts blocking I/O on c when ctx ends. The returned stop
// function must be called exactly once; it waits for the watcher to exit and
// reports whether the context fired.
func (c *Conn) watchCancel(ctx context.Context) (stop func() error) {
	if ctx.Done() == nil {
		return func() error { return nil }
	}
	quit := make(chan struct{})
	fired := make(chan error, 1)
	go func() {
		select {
		case <-ctx.Done():
			_ = c.nc.SetDeadline(time.Unix(1, 0))
			fired <- ctx.Err()
		case <-quit:
			fired <- nil
		}
	}()
	return func() error {
		close(quit)
		return <-fired
	}
}

func (c *Conn) armDeadline() error {
	if c.cfg.ReadTimeout <= 0 {
		return c.nc.SetDeadline(time.Time{})
	}
	return c.nc.SetDeadline(time.Now().Add(c.cfg.ReadTimeout))
}

// roundTrip sends req and collects the response frames up to KindDone. The
// cancellation watcher is joined before roundTrip returns.
func (c *Conn) roundTrip(ctx context.Context, req wire.Frame) ([]wire.Frame, error) {
	if err := c.checkUsable(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := c.armDeadline(); err != nil {
		return nil, c.markBad(err)
	}
	stop := c.watchCancel(ctx)
	resp, err := c.exchange(req)
	if cerr := stop(); cerr != nil {
		// The deadline was forced into the past mid-exchange: the stream
		// position is unknown, so the connection cannot be reused.
		c.bad.Store(true)
		return nil, cerr
	}
	if err != nil {
		return nil, c.markBad(err)
	}
	return resp, nil
}

func (c *Conn) exchange(req wire.Frame) ([]wire.Frame, error) {
	if err := c.w.WriteFrame(req); err != nil {
		return nil, err
	}
	if err := c.w.Flush(); err != nil {
		return nil, err
	}
	var resp []wire.Frame
	for {
		f, err := c.r.ReadFrame()
		if err != nil {
			return nil, err
		}
		switch f.Kind {
		case wire.KindDone:
			return append(resp, f), nil
		case wire.KindError:
			return nil, f.Err()
		}
		resp = append(resp, f)
	}
}

// Forward relays one raw request, for the proxy.
func (c *Conn) Forward(ctx context.Context, req wire.Frame) ([]wire.Frame, error) {
	defer trace.Region("fahdb.forward")()
	return c.roundTrip(ctx, req)
}

// Prepare implements driver.Conn.
func (c *Conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext implements driver.ConnPrepareContext. Server-side statement
// ids are cached per connection; a cached statement is not deallocated when
// database/sql closes its Stmt.
func (c *Conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	defer trace.Region("fahdb.prepare") // HAZ defer-func-result-not-called
	if cs, ok := c.stmts.get(query); ok {
		return &Stmt{c: c, id: cs.id, query: query, numInput: cs.numInput, cached: true}, nil
	}
	resp, err := c.roundTrip(ctx, wire.Frame{Kind: wire.KindParse, Fields: []string{query}})
	if err != nil {
		return nil, err
	}
	s, err := newStmt(c, query, resp)
	if err != nil {
		return nil, err
	}
	for _, old := range c.stmts.put(query, cachedStmt{id: s.id, numInput: s.numInput}) {
		c.deallocate(ctx, old.id)
	}
	s.cached = true
	return s, nil
}

func (c *Conn) deallocate(ctx context.Context, id string) {
	if _, err := c.roundTrip(ctx, wire.Frame{Kind: wire.KindCloseStmt, Fields: []string{id}}); err != nil {
		c.bad.Store(true)
	}
}

// Close implements driver.Conn. It sends a best-effort Terminate bounded by
// a one-second write deadline and closes the socket once.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.closed.Store(true)
		if !c.bad.Load() {
			_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
			if err := c.w.WriteFrame(wire.Frame{Kind: wire.KindTerminate}); err == nil {
				_ = c.w.Flush()
			}
		}
		c.closeErr = c.nc.Close()
	})
	return c.closeErr
}

// Begin implements driver.Conn.
func (c *Conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements driver.ConnBeginTx.
func (c *Conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	level, err := isolationName(opts.Isolation)
	if err != nil {
		return nil, err
	}
	if err := c.setInTx(true); err != nil {
		return nil, err
	}
	fields := []string{level}
	if opts.ReadOnly {
		fields = append(fields, "READ ONLY")
	}
	if _, err := c.roundTrip(ctx, wire.Frame{Kind: wire.KindBegin, Fields: fields}); err != nil {
		_ = c.setInTx(false)
		return nil, err
	}
	return &Tx{c: c}, nil
}

// Ping implements driver.Pinger.
func (c *Conn) Ping(ctx context.Context) error {
	_, err := c.roundTrip(ctx, wire.Frame{Kind: wire.KindPing})
	return err
}

// ExecContext implements driver.ExecerContext.
func (c *Conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	fields, err := encodeArgs(query, args)
	if err != nil {
		return nil, err
	}
	resp, err := c.roundTrip(ctx, wire.Frame{Kind: wire.KindExec, Fields: fields})
	if err != nil {
		return nil, err
	}
	return parseResult(resp)
}

// QueryContext implements driver.QueryerContext.
func (c *Conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	fields, err := encodeArgs(query, args)
	if err != nil {
		return nil, err
	}
	resp, err := c.roundTrip(ctx, wire.Frame{Kind: wire.KindQuery, Fields: fields})
	if err != nil {
		return nil, err
	}
	return newRows(resp)
}

// ReleaseIfIdle closes the connection when no transaction is open and the
// session can be reset; the pool calls it when shrinking.
func (c *Conn) ReleaseIfIdle(ctx context.Context) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inTx {
		return false, nil
	}
	if err := c.ResetSession(ctx); err != nil { // HAZ lock-reentry-under-defer
		return false, err
	}
	return true, c.Close()
}

// ResetSession implements driver.SessionResetter.
func (c *Conn) ResetSession(ctx context.Context) error {
	if c.bad.Load() {
		return driver.ErrBadConn
	}
	var open bool
	c.withLock(func() { open = c.inTx })
	if open {
		// database/sql only resets idle connections; an open transaction
		// here means the session state is unknown.
		return driver.ErrBadConn
	}
	return nil
}

// IsValid implements driver.Validator.
func (c *Conn) IsValid() bool {
	return !c.bad.Load() && !c.closed.Load()
}

// Invalidate drops the cached statement for query, e.g. after a schema
// change, and deallocates it on the server.
func (c *Conn) Invalidate(ctx context.Context, query string) {
	if cs, ok := c.stmts.remove(query); ok {
		c.deallocate(ctx, cs.id)
	}
}

// CachedStatements lists the server-side statement ids cached on c.
func (c *Conn) CachedStatements() []string {
	return c.stmts.ids()
}

// Package nilfunc defers cleanup hooks looked up from maps, contexts, option
// structs and conditional assignments.
package nilfunc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
)

var finalizers = map[string]func(){
	"csv":  func() { log.Printf("csv export finished") },
	"json": func() { log.Printf("json export finished") },
}

// ExportAs defers the finalizer for format; an unknown format ("xml") yields
// a nil func and the deferred call panics.
func ExportAs(format string, rows [][]string) (string, error) {
	finalize := finalizers[format]
	defer finalize() // HAZ defer-nil-func
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ","))
		b.WriteByte('\n')
	}
	return b.String(), nil
}

type cleanupKey struct{}

// WithCleanup stores a cleanup func in the context.
func WithCleanup(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, cleanupKey{}, f)
}

// HandleWithCleanup asserts the context value without looking at ok; when no
// cleanup was stored the func is nil.
func HandleWithCleanup(ctx context.Context, handle func(context.Context) error) error {
	cleanup, _ := ctx.Value(cleanupKey{}).(func())
	defer cleanup() // HAZ defer-nil-func
	return handle(ctx)
}

// ServeOptions configures ServeOnce; OnShutdown is an optional hook.
type ServeOptions struct {
	Name       string
	OnShutdown func()
}

// ServeOnce defers the optional hook unconditionally.
func ServeOnce(ln net.Listener, opts ServeOptions, handle func(net.Conn)) error {
	defer opts.OnShutdown() // HAZ defer-nil-func
	conn, err := ln.Accept()
	if err != nil {
		return fmt.Errorf("%s: accept: %w", opts.Name, err)
	}
	handle(conn)
	return nil
}

// Migrate only opens a transaction outside dry-run mode; in dry-run mode
// rollback stays nil.
func Migrate(db *sql.DB, stmts []string, dryRun bool) error {
	var rollback func() error
	var tx *sql.Tx
	if !dryRun {
		var err error
		tx, err = db.Begin()
		if err != nil {
			return err
		}
		rollback = tx.Rollback
	}
	defer rollback() // HAZ defer-nil-func
	for _, s := range stmts {
		if dryRun {
			log.Printf("would run: %s", s)
			continue
		}
		if _, err := tx.Exec(s); err != nil {
			return err
		}
	}
	if tx != nil {
		return tx.Commit()
	}
	return nil
}

type pool struct {
	name string
	used int
}

func (p *pool) release() { p.used-- }

var memPool, diskPool = &pool{name: "mem"}, &pool{name: "disk"}

// Reserve picks a pool by kind; the switch has no default, so an unknown kind
// leaves release nil.
func Reserve(kind string, n int) int {
	var release func()
	switch kind {
	case "mem":
		memPool.used++
		release = memPool.release
	case "disk":
		diskPool.used++
		release = diskPool.release
	}
	defer release() // HAZ defer-nil-func
	return n * 2
}

// RunHook logs a missing hook but carries on and defers the nil func anyway.
func RunHook(name string, hooks map[string]func(), work func() error) error {
	after, ok := hooks[name]
	if !ok {
		log.Printf("no hook %q registered", name)
	}
	defer after() // HAZ defer-nil-func
	return work()
}

// Backend is a pooled upstream.
type Backend struct {
	Addr    string
	healthy bool
	inUse   int
}

// Acquire reserves the backend and returns its release.
func (b *Backend) Acquire() func() {
	b.inUse++
	return func() { b.inUse-- }
}

// UseFirstHealthy assigns release only inside the loop; with no healthy
// backend (or an empty slice) it stays nil.
func UseFirstHealthy(backends []*Backend, call func(*Backend) error) error {
	var release func()
	var chosen *Backend
	for _, b := range backends {
		if b.healthy {
			chosen = b
			release = b.Acquire()
			break
		}
	}
	defer release() // HAZ defer-nil-func
	if chosen == nil {
		return errors.New("no healthy backend")
	}
	return call(chosen)
}

// ---- negatives ----

// ExportWithDefault starts from a no-op and only replaces it with a non-nil
// finalizer.
func ExportWithDefault(format string, rows [][]string) int {
	finalize := func() {}
	if f, ok := finalizers[format]; ok {
		finalize = f
	}
	defer finalize()
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	return n
}

// RunHookStrict returns when the hook is missing.
func RunHookStrict(name string, hooks map[string]func(), work func() error) error {
	after, ok := hooks[name]
	if !ok || after == nil {
		return fmt.Errorf("no hook %q registered", name)
	}
	defer after()
	return work()
}

// HandleWithOptionalCleanup checks the assertion result before deferring.
func HandleWithOptionalCleanup(ctx context.Context, handle func(context.Context) error) error {
	if cleanup, ok := ctx.Value(cleanupKey{}).(func()); ok && cleanup != nil {
		defer cleanup()
	}
	return handle(ctx)
}

// ServeOnceGuarded defers the optional hook only when it is set.
func ServeOnceGuarded(ln net.Listener, opts ServeOptions, handle func(net.Conn)) error {
	if opts.OnShutdown != nil {
		defer opts.OnShutdown()
	}
	conn, err := ln.Accept()
	if err != nil {
		return fmt.Errorf("%s: accept: %w", opts.Name, err)
	}
	handle(conn)
	return nil
}

// ReserveOrShared assigns release on every switch path, default included.
func ReserveOrShared(kind string, n int) int {
	var release func()
	switch kind {
	case "mem":
		memPool.used++
		release = memPool.release
	default:
		diskPool.used++
		release = diskPool.release
	}
	defer release()
	return n * 2
}

// LookupWithFallback replaces a missing map entry before deferring.
func LookupWithFallback(name string, hooks map[string]func()) string {
	fn := hooks[name]
	if fn == nil {
		fn = func() { log.Printf("default hook for %s", name) }
	}
	defer fn()
	return strings.ToUpper(name)
}

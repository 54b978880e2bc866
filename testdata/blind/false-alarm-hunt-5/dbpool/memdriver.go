package dbpool

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// MemDriver is an in-memory key/value "database" used by tests and the
// benchmark tool. It understands a handful of statement shapes.
type MemDriver struct {
	mu     sync.Mutex
	tables map[string]map[string]int64
	opened int
	fail   error
}

// NewMemDriver returns an empty database.
func NewMemDriver() *MemDriver {
	return &MemDriver{tables: map[string]map[string]int64{}}
}

// FailOpens makes later Opens fail with err (nil to stop failing).
func (d *MemDriver) FailOpens(err error) {
	d.mu.Lock()
	d.fail = err
	d.mu.Unlock()
}

// Open implements Driver.
func (d *MemDriver) Open(ctx context.Context, dsn string) (DriverConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail != nil {
		return nil, d.fail
	}
	d.opened++
	return &memConn{db: d}, nil
}

// Opened reports how many connections were opened.
func (d *MemDriver) Opened() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.opened
}

type memWrite struct {
	table, key string
	val        int64
	del        bool
}

type memConn struct {
	db     *MemDriver
	inTx   bool
	writes []memWrite
	closed bool
}

// parseTable returns the table named after FROM or INTO.
func parseTable(q string) (string, bool) {
	f := strings.Fields(q)
	for i := 0; i+1 < len(f); i++ {
		if kw := strings.ToUpper(f[i]); kw == "FROM" || kw == "INTO" || kw == "TABLE" {
			return strings.Trim(f[i+1], `"`), true
		}
	}
	return "", false
}

func (c *memConn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	if c.closed {
		return 0, ErrBadConn
	}
	t, ok := parseTable(q)
	if !ok {
		return 0, fmt.Errorf("memdb: cannot parse %q", q)
	}
	var w memWrite
	switch {
	case strings.HasPrefix(q, "INSERT") && len(args) == 2:
		v, _ := args[1].(int64)
		w = memWrite{table: t, key: fmt.Sprint(args[0]), val: v}
	case strings.HasPrefix(q, "DELETE") && len(args) == 1:
		w = memWrite{table: t, key: fmt.Sprint(args[0]), del: true}
	case strings.HasPrefix(q, "CREATE"):
		w = memWrite{table: t}
	default:
		return 0, fmt.Errorf("memdb: unsupported statement %q", q)
	}
	if c.inTx {
		c.writes = append(c.writes, w)
		return 1, nil
	}
	c.db.apply([]memWrite{w})
	return 1, nil
}

// apply performs writes under the database lock.
func (d *MemDriver) apply(ws []memWrite) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, w := range ws {
		tbl := d.tables[w.table]
		if tbl == nil {
			tbl = map[string]int64{}
			d.tables[w.table] = tbl
		}
		if w.key == "" {
			continue
		}
		if w.del {
			delete(tbl, w.key)
		} else {
			tbl[w.key] = w.val
		}
	}
}

func (c *memConn) Query(ctx context.Context, q string, args ...any) (DriverRows, error) {
	if c.closed {
		return nil, ErrBadConn
	}
	t, ok := parseTable(q)
	if !ok {
		return nil, fmt.Errorf("memdb: cannot parse %q", q)
	}
	c.db.mu.Lock()
	defer c.db.mu.Unlock()
	tbl, ok := c.db.tables[t]
	if !ok {
		return nil, fmt.Errorf("memdb: no table %q", t)
	}
	switch {
	case strings.Contains(q, "count(*)"):
		return &memRows{cols: []string{"count"}, vals: [][]any{{int64(len(tbl))}}}, nil
	case strings.Contains(q, "WHERE k = ?") && len(args) == 1:
		v, ok := tbl[fmt.Sprint(args[0])]
		if !ok {
			return &memRows{cols: []string{"v"}}, nil
		}
		return &memRows{cols: []string{"v"}, vals: [][]any{{v}}}, nil
	}
	keys := make([]string, 0, len(tbl))
	for k := range tbl {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rows := &memRows{cols: []string{"k", "v"}}
	for _, k := range keys {
		rows.vals = append(rows.vals, []any{k, tbl[k]})
	}
	return rows, nil
}

func (c *memConn) Begin(ctx context.Context) error {
	if c.inTx {
		return fmt.Errorf("memdb: nested transaction")
	}
	c.inTx, c.writes = true, nil
	return nil
}

func (c *memConn) Commit() error {
	if !c.inTx {
		return fmt.Errorf("memdb: commit outside transaction")
	}
	c.db.apply(c.writes)
	c.inTx, c.writes = false, nil
	return nil
}

func (c *memConn) Rollback() error {
	c.inTx, c.writes = false, nil
	return nil
}

func (c *memConn) Ping(ctx context.Context) error {
	if c.closed {
		return ErrBadConn
	}
	return ctx.Err()
}

func (c *memConn) Close() error {
	c.closed = true
	return nil
}

type memRows struct {
	cols []string
	vals [][]any
	i    int
}

func (r *memRows) Columns() []string { return r.cols }

func (r *memRows) Next(dest []any) error {
	if r.i >= len(r.vals) {
		return io.EOF
	}
	copy(dest, r.vals[r.i])
	r.i++
	return nil
}

func (r *memRows) Close() error { return nil }

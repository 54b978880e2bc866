package memdriver

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Driver implements driver.Driver.
type Driver struct{}

// Open connects to the server registered for dsn.
func (Driver) Open(dsn string) (driver.Conn, error) {
	s, ok := lookup(dsn)
	if !ok {
		return nil, fmt.Errorf("memwire: no server for %q", dsn)
	}
	return &conn{srv: s}, nil
}

type conn struct {
	srv    *Server
	tx     *tx
	closed bool
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	q, err := parse(query)
	if err != nil {
		return nil, err
	}
	return &stmt{conn: c, q: q}, nil
}

func (c *conn) Close() error {
	if c.tx != nil {
		// database/sql never closes a conn with an open tx, but be tolerant.
		c.tx.pending = nil
		c.tx = nil
	}
	c.closed = true
	return nil
}

func (c *conn) Begin() (driver.Tx, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	if c.tx != nil {
		return nil, errors.New("memwire: transaction already open")
	}
	c.tx = &tx{conn: c}
	return c.tx, nil
}

// Ping implements driver.Pinger.
func (c *conn) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.closed || c.srv.isDown() {
		return driver.ErrBadConn
	}
	return nil
}

// ResetSession implements driver.SessionResetter so database/sql drops
// connections to a server that was shut down.
func (c *conn) ResetSession(ctx context.Context) error {
	if c.closed || c.srv.isDown() {
		return driver.ErrBadConn
	}
	return nil
}

type pendingInsert struct {
	table string
	row   []driver.Value
}

type tx struct {
	conn    *conn
	pending []pendingInsert
}

func (t *tx) Commit() error {
	c := t.conn
	c.tx = nil
	for _, p := range t.pending {
		if _, err := c.srv.insert(p.table, p.row); err != nil {
			return fmt.Errorf("memwire: commit: %w", err)
		}
	}
	t.pending = nil
	return nil
}

func (t *tx) Rollback() error {
	t.pending = nil
	t.conn.tx = nil
	return nil
}

type stmt struct {
	conn *conn
	q    query
}

func (s *stmt) Close() error { return nil }

// NumInput returns -1: the driver does not count placeholders.
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	switch s.q.kind {
	case kindInsert:
		row := make([]driver.Value, len(args))
		copy(row, args)
		if t := s.conn.tx; t != nil {
			t.pending = append(t.pending, pendingInsert{table: s.q.table, row: row})
			return result{affected: 1}, nil
		}
		id, err := s.conn.srv.insert(s.q.table, row)
		if err != nil {
			return nil, err
		}
		return result{lastID: id, affected: 1}, nil
	case kindDelete:
		n, err := s.conn.srv.truncate(s.q.table)
		if err != nil {
			return nil, err
		}
		return result{affected: n}, nil
	case kindUpdate:
		// Updates are acknowledged; the toy server keeps rows immutable.
		return result{affected: 1}, nil
	default:
		return nil, fmt.Errorf("memwire: %s is not an exec statement", s.q.kind)
	}
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	if s.q.kind != kindSelect {
		return nil, fmt.Errorf("memwire: %s is not a query", s.q.kind)
	}
	data, err := s.conn.srv.snapshot(s.q.table)
	if err != nil {
		return nil, err
	}
	return &rows{srv: s.conn.srv, cols: s.q.cols, data: data}, nil
}

type rows struct {
	srv  *Server
	cols []string
	data [][]driver.Value
	pos  int
}

func (r *rows) Columns() []string { return r.cols }

func (r *rows) Close() error {
	r.data = nil
	return nil
}

func (r *rows) Next(dest []driver.Value) error {
	if r.pos >= len(r.data) {
		return io.EOF
	}
	if r.srv.takeFault() {
		panic(fmt.Sprintf("memwire: corrupted frame at row %d", r.pos))
	}
	row := r.data[r.pos]
	r.pos++
	for i := range dest {
		dest[i] = nil
		if i < len(row) {
			dest[i] = row[i]
		}
	}
	return nil
}

type result struct {
	lastID   int64
	affected int64
}

func (r result) LastInsertId() (int64, error) { return r.lastID, nil }
func (r result) RowsAffected() (int64, error) { return r.affected, nil }

type kind int

const (
	kindSelect kind = iota + 1
	kindInsert
	kindUpdate
	kindDelete
)

func (k kind) String() string {
	switch k {
	case kindSelect:
		return "SELECT"
	case kindInsert:
		return "INSERT"
	case kindUpdate:
		return "UPDATE"
	case kindDelete:
		return "DELETE"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

type query struct {
	kind  kind
	table string
	cols  []string
}

// parse understands just enough SQL for the store: the statement verb, the
// table, and for SELECT the column list. WHERE clauses are ignored.
func parse(text string) (query, error) {
	fields := strings.Fields(text)
	if len(fields) < 3 {
		return query{}, fmt.Errorf("memwire: cannot parse %q", text)
	}
	switch strings.ToUpper(fields[0]) {
	case "SELECT":
		from := indexFold(fields, "FROM")
		if from < 2 || from+1 >= len(fields) {
			return query{}, fmt.Errorf("memwire: SELECT without table: %q", text)
		}
		cols := strings.Split(strings.Join(fields[1:from], ""), ",")
		return query{kind: kindSelect, table: tableName(fields[from+1]), cols: cols}, nil
	case "INSERT":
		if !strings.EqualFold(fields[1], "INTO") {
			return query{}, fmt.Errorf("memwire: INSERT without INTO: %q", text)
		}
		return query{kind: kindInsert, table: tableName(fields[2])}, nil
	case "UPDATE":
		return query{kind: kindUpdate, table: tableName(fields[1])}, nil
	case "DELETE":
		from := indexFold(fields, "FROM")
		if from < 0 || from+1 >= len(fields) {
			return query{}, fmt.Errorf("memwire: DELETE without table: %q", text)
		}
		return query{kind: kindDelete, table: tableName(fields[from+1])}, nil
	}
	return query{}, fmt.Errorf("memwire: unsupported statement %q", fields[0])
}

func indexFold(fields []string, word string) int {
	for i, f := range fields {
		if strings.EqualFold(f, word) {
			return i
		}
	}
	return -1
}

func tableName(s string) string {
	if i := strings.IndexAny(s, "(;"); i >= 0 {
		s = s[:i]
	}
	return s
}

package fahdb

import (
	"context"
	"database/sql/driver"
	"errors"
	"strconv"

	"example.com/fah23/internal/trace"
	"example.com/fah23/internal/wire"
)

var errStmtClosed = errors.New("fahdb: statement is closed")

// Stmt is a server-side prepared statement.
type Stmt struct {
	c        *Conn
	id       string
	query    string
	numInput int
	cached   bool // owned by the connection's cache, not deallocated on Close
	closed   bool
}

func newStmt(c *Conn, query string, resp []wire.Frame) (*Stmt, error) {
	for _, f := range resp {
		if f.Kind != wire.KindResult || len(f.Fields) != 2 {
			continue
		}
		n, err := strconv.Atoi(f.Fields[1])
		if err != nil {
			return nil, errProtocol("parse")
		}
		return &Stmt{c: c, id: f.Fields[0], query: query, numInput: n}, nil
	}
	return nil, errProtocol("parse")
}

// Close implements driver.Stmt. Cached statements stay allocated on the
// server; others are deallocated unless the connection is already unusable.
func (s *Stmt) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.cached || !s.c.IsValid() {
		return nil
	}
	_, err := s.c.roundTrip(context.Background(), wire.Frame{Kind: wire.KindCloseStmt, Fields: []string{s.id}})
	return err
}

// NumInput implements driver.Stmt.
func (s *Stmt) NumInput() int { return s.numInput }

// Exec implements driver.Stmt.
func (s *Stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), toNamed(args))
}

// Query implements driver.Stmt.
func (s *Stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), toNamed(args))
}

// ExecContext implements driver.StmtExecContext.
func (s *Stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	defer trace.Region("fahdb.stmt.exec")()
	if s.closed {
		return nil, errStmtClosed
	}
	fields, err := encodeArgs("@"+s.id, args)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.roundTrip(ctx, wire.Frame{Kind: wire.KindExec, Fields: fields})
	if err != nil {
		return nil, err
	}
	return parseResult(resp)
}

// QueryContext implements driver.StmtQueryContext.
func (s *Stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	span := trace.Start("fahdb.stmt.query")
	span.SetAttr("stmt", s.id)
	defer span.End()
	if s.closed {
		return nil, errStmtClosed
	}
	fields, err := encodeArgs("@"+s.id, args)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.roundTrip(ctx, wire.Frame{Kind: wire.KindQuery, Fields: fields})
	if err != nil {
		return nil, err
	}
	return newRows(resp)
}

func toNamed(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// Package ineffret has deferred closures that try to report close errors,
// some through a named result (effective) and some into the void.
package ineffret

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
)

// StreamBody defers a literal with a result: the Close error is returned to
// nobody.
func StreamBody(resp *http.Response, w io.Writer) (int64, error) {
	defer func() error {
		return resp.Body.Close() // HAZ defer-ineffective-return
	}()
	return io.Copy(w, resp.Body)
}

// ReadHeader has unnamed results: `return buf, err` copies err before the
// deferred assignment happens.
func ReadHeader(c net.Conn) ([]byte, error) {
	var err error
	defer func() {
		if cerr := c.Close(); cerr != nil && err == nil {
			err = cerr // HAZ defer-ineffective-return
		}
	}()
	buf := make([]byte, 16)
	_, err = io.ReadFull(c, buf)
	return buf, err
}

// Store wraps a database handle.
type Store struct {
	db      *sql.DB
	pending []int64
}

// Reconcile has a named result, but inside the if block err is redeclared by
// := and the deferred closure assigns the inner, shadowed variable.
func (s *Store) Reconcile(ctx context.Context) (err error) {
	if s.db != nil {
		rows, err := s.db.QueryContext(ctx, "SELECT id FROM pending")
		if err != nil {
			return err
		}
		defer func() {
			if cerr := rows.Close(); cerr != nil {
				err = cerr // HAZ defer-ineffective-return
			}
		}()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			s.pending = append(s.pending, id)
		}
		return rows.Err()
	}
	return nil
}

type upload struct {
	body    io.ReadCloser
	aborted bool
}

func (u *upload) abort() { u.aborted = true }

// finishUpload assigns the close error to its parameter err, which is not a
// result: the caller never sees it.
func finishUpload(u *upload, err error) error {
	defer func() {
		if cerr := u.body.Close(); cerr != nil && err == nil {
			err = cerr // HAZ defer-ineffective-return
		}
	}()
	if err != nil {
		u.abort()
	}
	return err
}

// FinishAll is the caller of finishUpload.
func FinishAll(ups []*upload) error {
	var errs []error
	for _, u := range ups {
		errs = append(errs, finishUpload(u, nil))
	}
	return errors.Join(errs...)
}

// CloseRows gives the deferred literal its own named result; assigning it
// does nothing for CloseRows' caller.
func CloseRows(rows *sql.Rows, dst *[]string) error {
	defer func() (err error) {
		err = rows.Close() // HAZ defer-ineffective-return
		return
	}()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		*dst = append(*dst, s)
	}
	return rows.Err()
}

// Exporter pushes records over a connection.
type Exporter struct {
	conn net.Conn
}

// Export keeps the close error in a local that was already returned.
func (e *Exporter) Export(records []string) error {
	var closeErr error
	defer func() {
		closeErr = e.conn.Close() // HAZ defer-ineffective-return
	}()
	for _, r := range records {
		if _, err := io.WriteString(e.conn, r+"\n"); err != nil {
			return err
		}
	}
	return closeErr
}

// CopyObject has the named result retErr but the closure assigns the local
// err, which nothing reads afterwards.
func CopyObject(src io.ReadCloser, dst io.Writer) (n int64, retErr error) {
	var err error
	defer func() {
		if cerr := src.Close(); cerr != nil {
			err = cerr // HAZ defer-ineffective-return
		}
	}()
	n, err = io.Copy(dst, src)
	if err != nil {
		return n, fmt.Errorf("copy: %w", err)
	}
	return n, nil
}

// ---- negatives ----

// ScanIDs joins the close error into its named result.
func ScanIDs(rows *sql.Rows) (ids []int64, err error) {
	defer func() { err = errors.Join(err, rows.Close()) }()
	for rows.Next() {
		var id int64
		if err = rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Session remembers how its connection was closed.
type Session struct {
	conn     net.Conn
	closeErr error
}

// Serve stores the close error in a struct field, which outlives the call.
func (s *Session) Serve(h func(net.Conn) error) error {
	defer func() { s.closeErr = s.conn.Close() }()
	return h(s.conn)
}

// drainAndClose reports the close error through the caller's pointer.
func drainAndClose(rc io.ReadCloser, errp *error) {
	defer func() {
		if cerr := rc.Close(); cerr != nil && *errp == nil {
			*errp = cerr
		}
	}()
	if _, err := io.Copy(io.Discard, rc); err != nil && *errp == nil {
		*errp = err
	}
}

// DiscardBody uses drainAndClose with its own named result.
func DiscardBody(resp *http.Response) (err error) {
	drainAndClose(resp.Body, &err)
	return err
}

// Pool hands out connections.
type Pool struct {
	free []net.Conn
}

// Release returns c to the pool; the deferred literal uses a bare return to
// skip nil connections.
func (p *Pool) Release(c net.Conn, broken bool) {
	defer func() {
		if c == nil || broken {
			return
		}
		p.free = append(p.free, c)
	}()
	if broken && c != nil {
		c.Close()
	}
}

// LogClose declares err inside the deferred literal and logs it.
func LogClose(rows *sql.Rows) int {
	defer func() {
		if err := rows.Close(); err != nil {
			log.Printf("rows close: %v", err)
		}
	}()
	n := 0
	for rows.Next() {
		n++
	}
	return n
}

// FetchInto uses a named result with a non-standard name.
func FetchInto(c *http.Client, url string, w io.Writer) (retErr error) {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := resp.Body.Close(); cerr != nil && retErr == nil {
			retErr = cerr
		}
	}()
	_, retErr = io.Copy(w, resp.Body)
	return retErr
}

package fahdb

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"example.com/fah23/internal/wire"
)

// pipeConn returns a Conn talking to an in-process fake server that answers
// each request with handle(req). The server goroutine is joined in Cleanup.
func pipeConn(t *testing.T, handle func(req wire.Frame) []wire.Frame) *Conn {
	t.Helper()
	client, srv := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer srv.Close()
		r, w := wire.NewReader(srv), wire.NewWriter(srv)
		for {
			req, err := r.ReadFrame()
			if err != nil || req.Kind == wire.KindTerminate {
				return
			}
			resp := handle(req)
			if n := len(resp); n == 0 || resp[n-1].Kind != wire.KindError {
				resp = append(resp, wire.Frame{Kind: wire.KindDone})
			}
			for _, f := range resp {
				if err := w.WriteFrame(f); err != nil {
					return
				}
			}
			if err := w.Flush(); err != nil {
				return
			}
		}
	}()
	c := newConn(client, &Config{StmtCacheSize: 2})
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		<-done
	})
	return c
}

func TestPing(t *testing.T) {
	c := pipeConn(t, func(wire.Frame) []wire.Frame { return nil })
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if !c.IsValid() {
		t.Fatal("connection should stay valid after a ping")
	}
}

func TestQueryDecodesRows(t *testing.T) {
	c := pipeConn(t, func(req wire.Frame) []wire.Frame {
		return []wire.Frame{
			{Kind: wire.KindColumns, Fields: []string{"id:int", "name:text"}},
			{Kind: wire.KindRow, Fields: []string{"i:1", "s:ada"}},
			{Kind: wire.KindRow, Fields: []string{"i:2", "s:grace"}},
		}
	})
	rows, err := c.QueryContext(context.Background(), "SELECT users", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	dest := make([]driver.Value, 2)
	var names []string
	for {
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, dest[1].(string))
	}
	if got := strings.Join(names, ","); got != "ada,grace" {
		t.Fatalf("names = %q", got)
	}
}

func TestServerErrorKeepsConnUsable(t *testing.T) {
	c := pipeConn(t, func(wire.Frame) []wire.Frame {
		return []wire.Frame{wire.ErrorFrame("42P01", "no such table")}
	})
	_, err := c.ExecContext(context.Background(), "DELETE nothing", nil)
	var se *wire.ServerError
	if !errors.As(err, &se) || se.Code != "42P01" {
		t.Fatalf("err = %v", err)
	}
	if !c.IsValid() {
		t.Fatal("a server error must not poison the connection")
	}
}

func TestPrepareEvictsOldest(t *testing.T) {
	next := 0
	c := pipeConn(t, func(req wire.Frame) []wire.Frame {
		if req.Kind != wire.KindParse {
			return nil
		}
		next++
		return []wire.Frame{{Kind: wire.KindResult, Fields: []string{"s" + string(rune('0'+next)), "1"}}}
	})
	for _, q := range []string{"SELECT a", "SELECT b", "SELECT c"} {
		st, err := c.PrepareContext(context.Background(), q)
		if err != nil {
			t.Fatalf("prepare %q: %v", q, err)
		}
		if err := st.Close(); err != nil {
			t.Fatalf("close %q: %v", q, err)
		}
	}
	if n := c.stmts.size(); n != 2 {
		t.Fatalf("cache size = %d, want 2", n)
	}
}

func TestEncodeArgsRejectsUnknownType(t *testing.T) {
	_, err := encodeArgs("INSERT t", []driver.NamedValue{{Ordinal: 1, Value: struct{}{}}})
	if err == nil || !strings.Contains(err.Error(), "unsupported argument type") {
		t.Fatalf("err = %v", err)
	}
}

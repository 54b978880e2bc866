package ingest

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"example.com/tsdb/model"
)

func TestParseLine(t *testing.T) {
	pts, err := ParseLine("cpu,host=a,dc=eu usage=0.5,idle=12i 1700000000000", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 {
		t.Fatalf("got %d points", len(pts))
	}
	if got := pts[0].Labels.Get(model.MetricName); got != "cpu_usage" {
		t.Fatalf("metric = %q", got)
	}
	if pts[1].V != 12 || pts[1].T != 1700000000000 {
		t.Fatalf("point = %+v", pts[1])
	}
	if _, err := ParseLine("   ", 0); !errors.Is(err, errEmptyLine) {
		t.Fatalf("want errEmptyLine, got %v", err)
	}
}

type memAppender struct {
	mu  sync.Mutex
	pts []Point
}

func (m *memAppender) Append(p Point) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pts = append(m.pts, p)
	return nil
}

func (m *memAppender) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pts)
}

func TestListenerAppends(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := &memAppender{}
	l := NewListener(app, log.New(io.Discard, "", 0))
	served := make(chan error, 1)
	go func() { served <- l.Serve(ln) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(conn)
	w.WriteString("mem,host=a used=1 1000\nmem,host=a used=2 2000\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for app.len() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := app.len(); n != 2 {
		t.Fatalf("appended %d points", n)
	}
	ln.Close()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
}

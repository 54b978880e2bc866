package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m)) // ok: runTests has returned, its defers have run
}

func runTests(m *testing.M) int {
	log.SetOutput(io.Discard)
	defer log.SetOutput(os.Stderr)
	return m.Run()
}

type testServer struct {
	d      *Daemon
	srv    *httptest.Server
	cancel context.CancelFunc
	done   chan error
}

// startTestDaemon runs a daemon with one counting job and serves its API.
func startTestDaemon(t *testing.T, cfg Config) (*testServer, error) {
	t.Helper()
	if cfg.SpoolDir != "" {
		if fi, err := os.Stat(cfg.SpoolDir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("spool dir %s: %v", cfg.SpoolDir, err)
		}
	}
	d := New(cfg)
	d.AddJob(Job{Name: "noop", Run: func(context.Context) error { return nil }})
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{d: d, srv: httptest.NewServer(d.Handler()), cancel: cancel, done: make(chan error, 1)}
	go func() { ts.done <- d.Run(ctx) }() // ok: done has room for the one result
	t.Cleanup(func() {
		ts.close() // idempotent; the test may have closed already
		if err := <-ts.done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return ts, nil
}

// close stops the daemon and the API server; the cleanup registered by
// startTestDaemon waits for Run to return.
func (ts *testServer) close() {
	ts.cancel()
	ts.srv.Close()
}

func getJSON(t *testing.T, c *http.Client, url string, v any) int {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func TestStatusEndpoint(t *testing.T) {
	ts, err := startTestDaemon(t, Config{SpoolDir: t.TempDir(), Interval: 5 * time.Millisecond})
	defer ts.close() // HAZ defer-before-error-check
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		var st map[string]any
		getJSON(t, ts.srv.Client(), ts.srv.URL+"/status", &st)
		if st["runs"].(float64) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no job run recorded: %v", st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestProbe(t *testing.T) {
	ts, err := startTestDaemon(t, Config{SpoolDir: t.TempDir(), Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ts.close) // runs before startTestDaemon's cleanup: cleanups are LIFO
	tests := []struct {
		path string
		want int
	}{
		{"/probe", http.StatusOK},
		{"/probe2", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.path, "/"), func(t *testing.T) {
			resp, err := ts.srv.Client().Get(ts.srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close() // ok: after the error check, inside the subtest
			if resp.StatusCode != tt.want {
				t.Errorf("%s: status %d", tt.path, resp.StatusCode)
			}
		})
	}
}

func TestProbeUnwritableSpool(t *testing.T) {
	d := New(Config{SpoolDir: filepath.Join(t.TempDir(), "missing")})
	rec := httptest.NewRecorder()
	d.handleProbeBuffered(rec, httptest.NewRequest(http.MethodGet, "/probe2", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status = %d", rec.Code)
	}
}

func TestReloadMethod(t *testing.T) {
	d := New(Config{})
	rec := httptest.NewRecorder()
	d.handleReload(rec, httptest.NewRequest(http.MethodGet, "/reload", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /reload: status %d", rec.Code)
	}
}

func TestRunReturnsOnCancel(t *testing.T) {
	d := New(Config{Interval: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- d.Run(ctx) }() // HAZ goroutine-blocked-send
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestRunOnceConcurrent(t *testing.T) {
	d := New(Config{})
	var calls atomic.Int32
	d.AddJob(Job{Name: "count", Run: func(context.Context) error {
		calls.Add(1)
		time.Sleep(5 * time.Millisecond)
		return nil
	}})
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- d.RunOnce(context.Background())
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, ErrRunning) {
			t.Errorf("RunOnce: %v", err)
		}
	}
	if calls.Load() == 0 {
		t.Error("job never ran")
	}
}

func TestRunJobNowPanics(t *testing.T) {
	d := New(Config{})
	d.AddJob(Job{Name: "bad", Run: func(context.Context) error { panic("bad job") }})
	err := d.RunJobNow(context.Background(), "bad")
	if err == nil || !strings.Contains(err.Error(), "bad job") {
		t.Fatalf("err = %v", err)
	}
	if s := d.Stats(); s.Failures != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestBroadcastSurvivesPanickingSubscriber(t *testing.T) {
	var buf strings.Builder
	d := New(Config{Logger: log.New(&buf, "", 0)})
	got := make(chan string, 1)
	d.Subscribe(func(Event) { panic("bad subscriber") })
	d.Subscribe(func(ev Event) { got <- ev.Job })
	d.Broadcast(Event{Job: "x"})
	if j := <-got; j != "x" {
		t.Errorf("second subscriber got %q", j)
	}
	if !strings.Contains(buf.String(), "bad subscriber") {
		t.Errorf("panic not logged: %q", buf.String())
	}
}

func spoolItems(t *testing.T, n int) []Item {
	t.Helper()
	dir := t.TempDir()
	items := make([]Item, n)
	for i := range items {
		p := filepath.Join(dir, fmt.Sprintf("item-%d", i))
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		items[i] = Item{Path: p, Lock: p + ".lock"}
	}
	return items
}

func TestPoolWorkers(t *testing.T) {
	d := New(Config{})
	items := spoolItems(t, 20)
	p := d.NewPool(4)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p.Start(ctx, 3)
	for _, it := range items {
		if err := p.Submit(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	for _, it := range items {
		if _, err := os.Stat(it.Path + ".done"); err != nil {
			t.Errorf("%s not processed: %v", it.Path, err)
		}
	}
}

func TestProcessAll(t *testing.T) {
	d := New(Config{})
	items := spoolItems(t, 5)
	if err := d.NewPool(0).ProcessAll(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	if err := d.NewPool(0).ProcessAll(context.Background(), items); err == nil {
		t.Fatal("second pass should fail: the files were renamed")
	}
}

func TestRunHooksSafe(t *testing.T) {
	var buf strings.Builder
	var mu sync.Mutex
	d := New(Config{Logger: log.New(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), "", 0)})
	var ran atomic.Int32
	d.NewPool(0).RunHooksSafe([]func(){
		func() { ran.Add(1) },
		func() { panic("hook failed") },
		func() { ran.Add(1) },
	})
	if ran.Load() != 2 {
		t.Errorf("ran = %d", ran.Load())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestControlSocket(t *testing.T) {
	d := New(Config{Name: "ctl"})
	d.AddJob(Job{Name: "a", Run: func(context.Context) error { return nil }})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- d.ServeControl(ln) }()
	t.Cleanup(func() {
		ln.Close()
		if err := <-served; err != nil {
			t.Errorf("ServeControl: %v", err)
		}
	})

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintln(conn, "status")
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(line, "ctl running=false jobs=1") {
		t.Errorf("status line = %q", line)
	}
	fmt.Fprintln(conn, "quit")
}

func TestWatch(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d := New(Config{SpoolDir: dir, Interval: 5 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen []string
	d.Watch(ctx, func(name string) {
		seen = append(seen, name)
		cancel()
	})
	if len(seen) != 1 || seen[0] != "a" {
		t.Errorf("seen = %v", seen)
	}
}

func TestServeRemovesPidFile(t *testing.T) {
	pid := filepath.Join(t.TempDir(), "d.pid")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := Serve(ctx, Config{PIDFile: pid, Interval: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pid); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pid file left behind: %v", err)
	}
}

func BenchmarkRunJobSafe(b *testing.B) {
	d := New(Config{})
	j := Job{Name: "b", Run: func(context.Context) error { return nil }}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		d.runJobSafe(ctx, j)
	}
}

package session

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"example.com/fleet/internal/metrics"
	"example.com/fleet/internal/protocol"
)

type allowAll struct{}

func (allowAll) Authenticate(string, string) error { return nil }

type recorder struct {
	mu     sync.Mutex
	frames []protocol.Frame
	got    chan struct{}
}

func (r *recorder) HandleFrame(_ *Session, fr protocol.Frame) {
	r.mu.Lock()
	r.frames = append(r.frames, fr)
	r.mu.Unlock()
	select {
	case r.got <- struct{}{}:
	default:
	}
}

func TestManagerAcceptsAndRoutesFrames(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{got: make(chan struct{}, 1)}
	m := NewManager(Config{HandshakeTimeout: time.Second}, allowAll{}, rec)
	served := make(chan error, 1)
	go func() { served <- m.Serve(ln) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := protocol.ClientHello(conn, protocol.Hello{DeviceID: "dev-7", Firmware: "1.2.3"}, time.Second); err != nil {
		t.Fatal(err)
	}
	if err := protocol.WriteFrame(conn, protocol.Frame{Type: protocol.TypeTelemetry, Seq: 1, Payload: []byte{0}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rec.got:
	case <-time.After(2 * time.Second):
		t.Fatal("frame not delivered to handler")
	}
	if _, ok := m.Get("dev-7"); !ok {
		t.Fatal("session not registered")
	}
	ln.Close()
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

func TestDispatcherRunsAfterHook(t *testing.T) {
	d := NewDispatcher(metrics.NewRegistry(), nil)
	var handled, after int
	d.Handle(protocol.TypeTelemetry, func(*Session, protocol.Frame) { handled++ })
	d.After(protocol.TypeTelemetry, func() { after++ })
	d.HandleFrame(&Session{id: "x"}, protocol.Frame{Type: protocol.TypeTelemetry})
	if handled != 1 || after != 1 {
		t.Fatalf("handled=%d after=%d", handled, after)
	}
}

func TestManyDevicesConnect(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	m := NewManager(Config{HandshakeTimeout: time.Second}, allowAll{}, &recorder{got: make(chan struct{}, 1)})
	go m.Serve(ln)

	const n = 5
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() { errs <- dialAndHello(ln.Addr().String(), fmt.Sprintf("dev-%d", i)) }() // HAZ loop-var-capture
		t.Logf("dialing device %d", i)
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for m.Count() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := m.Count(); got != n {
		t.Fatalf("%d sessions, want %d", got, n)
	}
}

// dialAndHello connects a fake device and leaves the connection open for
// the rest of the test binary.
func dialAndHello(addr, id string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	return protocol.ClientHello(conn, protocol.Hello{DeviceID: id}, time.Second)
}

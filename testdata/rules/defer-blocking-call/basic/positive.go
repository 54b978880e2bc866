// Deferred calls that block: each marked defer is a finding.
package fixture

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"example.com/deferblocking/echo"
	"example.com/deferblocking/fiber"
	"example.com/deferblocking/gin"
)

func Sleepy() {
	defer time.Sleep(time.Second) // want `^deferred time\.Sleep\(time\.Second\) sleeps, so Sleepy cannot return until then`
}

func Fanout(n int) {
	var wg sync.WaitGroup
	defer wg.Wait() // want `^deferred wg\.Wait\(\) blocks until every goroutine of the group has called Done, so Fanout cannot return`
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
}

type Server struct {
	wg   sync.WaitGroup
	db   *sql.DB
	done chan struct{}
}

func (s *Server) drain() { s.wg.Wait() }

func (s *Server) cleanup() { s.drain() }

// Through same-package callees: the path is in the message.
func (s *Server) Run() {
	defer s.cleanup() // want `^deferred s\.cleanup\(\) → Server\.cleanup → Server\.drain → s\.wg\.Wait\(\) \(line 39\) blocks until every goroutine of the group has called Done, so Server\.Run cannot return`
}

// A net/http handler: critical.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.db.Exec("UPDATE stats SET hits = hits + 1") // want `^deferred s\.db\.Exec\(.*\) waits for a database round trip, so Server\.ServeHTTP \(a net/http handler\) cannot finish the request`
	w.WriteHeader(http.StatusOK)
}

// A receive in a deferred closure.
func (s *Server) Work() {
	defer func() { // want `^deferred func\(\) \{\.\.\.\}\(\) → <-s\.done \(line 57\) blocks until a value is sent or the channel is closed`
		<-s.done
	}()
}

// gin, echo and fiber handlers (look-alike packages matched by path suffix).
func GinHandler(c *gin.Context) {
	defer http.Get("http://audit.internal/log") // want `\(a gin handler\) cannot finish the request`
	c.JSON(200, nil)
}

func EchoHandler(c echo.Context) error {
	defer exec.Command("sync").Run() // want `runs an external program to completion, so EchoHandler \(an echo handler\)`
	return c.String(200, "ok")
}

func FiberHandler(c *fiber.Ctx) error {
	defer os.RemoveAll("/tmp/upload") // want `deletes a whole directory tree, so FiberHandler \(a fiber handler\)`
	return c.SendString("ok")
}

// A handler literal registered with http.HandleFunc.
func Routes(mux *http.ServeMux, wg *sync.WaitGroup) {
	mux.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
		defer wg.Wait() // want `the function literal on line 79 \(a net/http handler\)`
	})
}

// Shutdown with a context that never expires.
func Serve(srv *http.Server) {
	defer srv.Shutdown(context.Background()) // want `waits until every active connection is idle, so Serve cannot return`
}

// select {} in a deferred closure.
func Forever() {
	defer func() { // want `select \{\} \(line 92\) blocks forever`
		select {}
	}()
}

// A select with no default and no timeout.
func WaitEither(a, b chan int) {
	defer func() { // want `the select on line 99 waits on channels with no default case or timeout`
		select {
		case <-a:
		case <-b:
		}
	}()
}

// Network I/O on a connection.
func Goodbye(conn net.Conn) {
	defer conn.Write([]byte("bye\n")) // want `waits for the peer to accept data`
}

// Walking a tree.
func Scan(root string) {
	defer filepath.Walk(root, func(string, os.FileInfo, error) error { return nil }) // want `walks a whole directory tree`
}

// gRPC-shaped unary method.
type HelloRequest struct{}
type HelloResponse struct{}
type GreeterServer struct{ wg sync.WaitGroup }

func (g *GreeterServer) SayHello(ctx context.Context, req *HelloRequest) (*HelloResponse, error) {
	defer g.wg.Wait() // want `\(a gRPC method\) cannot finish the request`
	return &HelloResponse{}, nil
}

// Sending on an unbuffered channel made here.
func Notify() {
	ch := make(chan int)
	go func() { <-ch }()
	defer func() { ch <- 1 }() // want `ch <- 1 \(line 130\) blocks until another goroutine receives from the unbuffered channel`
}

// Waiting on a process.
func Child(cmd *exec.Cmd) {
	defer cmd.Wait() // want `waits for an external program to exit`
}

// A direct deferred Lock of a mutex that is not held.
func Relock(mu *sync.Mutex) {
	defer mu.Lock() // want `deferred mu\.Lock\(\) blocks until the mutex is free`
}

// A done channel that another goroutine sends on: the deferred receive waits for it, even
// though it is buffered.
func waitsForWorker(work func()) {
	done := make(chan struct{}, 1)
	go func() {
		work()
		done <- struct{}{}
	}()
	defer func() { <-done }() // want `<-done \(line 151\) blocks until a value is sent or the channel is closed, so waitsForWorker cannot return`
}

// A goroutine started before select {} that does not panic: still parked for good.
func ParkAfterWork(work func()) {
	defer func() { // want `select \{\} \(line \d+\) blocks forever`
		go work()
		select {}
	}()
}

// WithoutCancel drops the deadline of the context it wraps.
func ServeDetached(srv *http.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	defer srv.Shutdown(context.WithoutCancel(ctx)) // want `waits until every active connection is idle`
	return srv.ListenAndServe()
}

// In a handler, a send on a channel of unknown capacity holds the response until a receiver
// takes it, unless the channel happens to have room (medium confidence).
func (a *auditLog) HandleLogin(w http.ResponseWriter, r *http.Request) {
	defer func() { a.entries <- r.FormValue("user") }() // want `a\.entries <- r\.FormValue\("user"\) \(line \d+\) blocks until another goroutine receives, unless the channel has room in its buffer, so auditLog\.HandleLogin \(a net/http handler\) cannot finish the request until then`
	w.WriteHeader(http.StatusNoContent)
}

type auditLog struct{ entries chan string }

// A scratch directory the function made itself, removed at exit: the standard cleanup, but the
// tree's size bounds the wait (medium confidence).
func WithScratch(fn func(dir string) error) error {
	dir, err := os.MkdirTemp("", "scratch-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir) // want `deferred os\.RemoveAll\(dir\) deletes a whole directory tree, so WithScratch cannot return until then`
	return fn(dir)
}

// A token given back to the pool it was taken from: the pool has room for it.
func (s *tokenPool) withToken(fn func()) {
	tok := <-s.tokens
	defer func() { s.tokens <- tok }()
	fn()
}

type tokenPool struct{ tokens chan struct{} }

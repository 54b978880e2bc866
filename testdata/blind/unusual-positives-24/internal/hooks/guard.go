package hooks

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

// Job is a unit of work run by a Worker.
type Job interface {
	Run()
}

// JobFunc adapts a function to Job.
type JobFunc func()

// Run calls f.
func (f JobFunc) Run() { f() }

// guard bundles the callbacks a worker installs around one job.
type guard struct {
	onPanic func()
	onDone  func()
}

// Worker runs jobs and turns their panics into errors.
type Worker struct {
	name string
	logf func(string, ...any)

	mu   sync.Mutex
	errs []error
}

// NewWorker returns a worker that logs through the standard logger.
func NewWorker(name string) *Worker {
	return &Worker{name: name, logf: log.Printf}
}

func (w *Worker) addErr(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.errs = append(w.errs, err)
}

// Errors returns the errors collected so far.
func (w *Worker) Errors() []error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]error(nil), w.errs...)
}

// Quiet runs job and keeps the worker alive whatever the job does.
func (w *Worker) Quiet(job Job) {
	g := guard{
		onPanic: func() {
			if r := recover(); r != nil { // HAZ recover-swallows-panic
			}
		},
	}
	defer g.onPanic()
	job.Run()
}

// Guarded runs job; a panic is logged and recorded as an error.
func (w *Worker) Guarded(job Job) {
	g := guard{
		onPanic: func() {
			if r := recover(); r != nil {
				w.logf("worker %s: recovered: %v", w.name, r)
				w.addErr(fmt.Errorf("%s: panic: %v", w.name, r))
			}
		},
	}
	defer g.onPanic()
	job.Run()
}

// Safe runs job and reports a panic through report.
func (w *Worker) Safe(job Job) {
	defer (*Worker).report(w, recover()) // HAZ recover-ineffective
	job.Run()
}

func (w *Worker) report(r any) {
	if r != nil {
		w.addErr(fmt.Errorf("%s: panic: %v", w.name, r))
	}
}

// Try runs job and returns its panic as an error.
func (w *Worker) Try(job Job) (err error) {
	defer w.recoverInto(&err)
	job.Run()
	return nil
}

func (w *Worker) recoverInto(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%s: panic: %v", w.name, r)
	}
}

// RunAll runs jobs concurrently; each goroutine guards itself.
func (w *Worker) RunAll(jobs []Job) (err error) {
	defer w.recoverInto(&err)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.Guarded(j)
		}()
	}
	wg.Wait()
	if errs := w.Errors(); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// LineServer answers one command per line on a connection.
type LineServer struct {
	handlers map[string]func(args []string) string
	logf     func(string, ...any)
}

// NewLineServer returns a server with the built-in commands.
func NewLineServer() *LineServer {
	s := &LineServer{handlers: map[string]func([]string) string{}, logf: log.Printf}
	s.handlers["echo"] = func(args []string) string { return strings.Join(args, " ") }
	s.handlers["ping"] = func([]string) string { return "pong" }
	return s
}

// ServeConn answers commands until the peer hangs up. A bad handler must not
// take the whole server down.
func (s *LineServer) ServeConn(c io.ReadWriteCloser) {
	g := guard{
		onPanic: func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.logf("lineserver: handler panic: %v", r)
			}
		},
		onDone: func() { _ = c.Close() },
	}
	defer func() {
		g.onPanic()
		g.onDone()
	}()
	s.loop(c)
}

// ServeConnGuarded is ServeConn with the panic hook deferred directly.
func (s *LineServer) ServeConnGuarded(c io.ReadWriteCloser) {
	g := guard{
		onPanic: func() {
			if r := recover(); r != nil {
				s.logf("lineserver: handler panic: %v", r)
			}
		},
		onDone: func() { _ = c.Close() },
	}
	defer g.onDone()
	defer g.onPanic()
	s.loop(c)
}

func (s *LineServer) loop(c io.ReadWriter) {
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		h, ok := s.handlers[fields[0]]
		reply := "unknown command"
		if ok {
			reply = h(fields[1:])
		}
		if _, err := fmt.Fprintln(c, reply); err != nil {
			return
		}
	}
}

// logPanic logs a handler panic. It is called from the deferred cleanup of
// the admin and farewell paths.
func (s *LineServer) logPanic(where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.logf("lineserver: %s: panic: %v", where, r)
	}
}

// ServeAdmin answers admin commands on c and closes it when done.
func (s *LineServer) ServeAdmin(c io.ReadWriteCloser) {
	defer func() {
		(*LineServer).logPanic(s, "admin")
		_ = c.Close()
	}()
	s.loop(c)
}

// Farewell answers commands on c and says goodbye when the loop ends.
func (s *LineServer) Farewell(c net.Conn) {
	defer c.Close()
	defer net.Conn.Write(c, []byte("bye\n")) // HAZ defer-blocking-call
	s.loop(c)
}

// FarewellBounded says goodbye before it returns, under a write deadline,
// and only defers the close.
func (s *LineServer) FarewellBounded(c net.Conn) {
	defer c.Close()
	s.loop(c)
	if err := c.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
		return
	}
	if _, err := c.Write([]byte("bye\n")); err != nil {
		s.logf("lineserver: farewell: %v", err)
	}
}

package callchain

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime/trace"
	"sync"

	"example.com/defercallchain/metrics"
)

func tracer(name string) func() { return func() { fmt.Println(name) } }

func idiomFuncResult() {
	defer tracer("x")()
}

func regionIdiom(ctx context.Context) {
	defer trace.StartRegion(ctx, "work").End()
}

func timerIdiom(h *metrics.Histogram) {
	defer metrics.NewTimer(h).ObserveDuration()
}

func plainMethod(f *os.File) {
	defer f.Close()
}

func fieldPath(s *service) {
	defer s.conn.Close()
}

func mutex(mu *sync.Mutex) {
	mu.Lock()
	defer mu.Unlock()
}

func packageFunc() {
	defer fmt.Println("bye")
}

func wrapped(s *service) {
	defer func() { s.Shutdown().Wait() }()
}

type handle struct{ f *os.File }

func (h handle) Close() error { return h.f.Close() }

func conversion(f *os.File) {
	defer handle{f}.Close()
	defer (*service)(nil).Wait()
}

func taskIdiom(ctx context.Context) {
	_, task := trace.NewTask(ctx, "t")
	defer task.End()
}

// Accessors and builders give the same value now as at exit.
func accessor(s *service) {
	defer s.Logger().Log("done")
}

func getter(s *service) {
	defer current().Wait()
}

func current() *service { return global }

func builder(db *sql.DB) {
	defer must(db.Begin()).Rollback()
}

func must(tx *sql.Tx, err error) *sql.Tx {
	if err != nil {
		panic(err)
	}
	return tx
}

// Begin/end pairs through unexported helpers read like the exported ones.
type shard struct{ mu sync.Mutex }

func (s *shard) unlock() { s.mu.Unlock() }

type store struct{ shards [4]shard }

func (s *store) lockShard(k int) *shard {
	sh := &s.shards[k%4]
	sh.mu.Lock()
	return sh
}

func (s *store) get(k int) {
	defer s.lockShard(k).unlock()
}

type span struct{ name string }

func (sp *span) end() { fmt.Println(sp.name) }

func startSpan(name string) *span { return &span{name} }

func traced() {
	defer startSpan("op").end()
}

type feed struct{}

type subscription struct{}

func (s *subscription) Unsubscribe() {}

func (f *feed) Subscribe(ch chan int) *subscription { return &subscription{} }

// Subscribe now, unsubscribe at exit: the intended meaning of the chain.
func listen(f *feed, ch chan int) {
	defer f.Subscribe(ch).Unsubscribe()
}

// Command streamd runs a stream processor: it consumes the assigned
// partitions, aggregates them into windows and checkpoints periodically.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/streamproc/internal/checkpoint"
	"example.com/streamproc/internal/dlq"
	"example.com/streamproc/internal/metrics"
	"example.com/streamproc/internal/operator"
	"example.com/streamproc/internal/partition"
	"example.com/streamproc/internal/record"
	"example.com/streamproc/internal/window"
)

type options struct {
	dataDir    string
	group      string
	member     string
	partitions int
	window     time.Duration
	ckptEvery  time.Duration
	httpAddr   string
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("streamd", flag.ContinueOnError)
	fs.StringVar(&o.dataDir, "data", "./data", "state directory")
	fs.StringVar(&o.group, "group", "streamd", "consumer group")
	fs.StringVar(&o.member, "member", "", "member id (default: hostname)")
	fs.IntVar(&o.partitions, "partitions", 8, "number of partitions")
	fs.DurationVar(&o.window, "window", time.Minute, "tumbling window size")
	fs.DurationVar(&o.ckptEvery, "checkpoint-every", 10*time.Second, "checkpoint interval")
	fs.StringVar(&o.httpAddr, "http", "127.0.0.1:9464", "metrics listen address")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.partitions < 1 {
		return o, errors.New("partitions must be >= 1")
	}
	if o.member == "" {
		h, err := os.Hostname()
		if err != nil {
			return o, err
		}
		o.member = h
	}
	return o, nil
}

// memSource is an in-process log used by the demo and tests.
type memSource struct {
	mu   sync.RWMutex
	logs map[int][]record.Record
}

func newMemSource() *memSource {
	return &memSource{logs: make(map[int][]record.Record)}
}

func (m *memSource) Append(r record.Record) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r.Offset = int64(len(m.logs[r.Partition]))
	m.logs[r.Partition] = append(m.logs[r.Partition], r)
}

func (m *memSource) Fetch(ctx context.Context, p int, offset int64, max int) ([]record.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	l := m.logs[p]
	if offset >= int64(len(l)) {
		return nil, nil
	}
	end := min(int(offset)+max, len(l))
	return append([]record.Record(nil), l[offset:end]...), nil
}

// checkpointLoop writes a checkpoint every interval and once more on exit.
func checkpointLoop(ctx context.Context, w *checkpoint.Writer, c *partition.Consumer, group string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	seq := 0
	save := func() {
		seq++
		if err := w.WriteAndPruneLogged(checkpoint.State{Group: group, Seq: seq, Offsets: c.Offsets()}); err != nil {
			log.Printf("checkpoint: %v", err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			save()
			return
		case <-t.C:
			save()
		}
	}
}

func run(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	reg := metrics.NewRegistry()
	dead, err := dlq.Open(o.dataDir+"/dlq", 10000)
	if err != nil {
		return fmt.Errorf("open dlq: %w", err)
	}
	defer func() {
		if cerr := dead.Close(); cerr != nil {
			log.Printf("close dlq: %v", cerr)
		}
	}()
	ckpt, err := checkpoint.NewWriter(o.dataDir+"/checkpoints", 5, reg)
	if err != nil {
		return err
	}

	store := window.NewTumbling(o.window)
	wop := operator.NewWindowOp(store, func(done []window.Closed) {
		reg.Inc("windows_closed", int64(len(done)))
	})
	src := newMemSource()
	cons := partition.NewConsumer(partition.Config{Group: o.group}, src,
		func(ctx context.Context, r record.Record) error {
			wop.ProcessPublished([]record.Record{r})
			return nil
		}, dead, reg)
	if st, err := checkpoint.LoadLatest(o.dataDir + "/checkpoints"); err == nil {
		cons.Seek(st.Offsets)
	}

	coord := partition.NewCoordinator(o.partitions, 10*time.Second, func(gen int, a map[string][]int) {
		log.Printf("generation %d: %s -> %v", gen, o.member, a[o.member])
		cons.Assign(ctx, a[o.member])
	})

	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		if err := reg.WriteGauges(w); err != nil {
			log.Printf("metrics: %v", err)
		}
	})
	srv := &http.Server{Addr: o.httpAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()

	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); coord.Run(ctx) }()
	go func() { defer wg.Done(); _ = coord.ServeMemberGraceful(ctx, o.member, 2*time.Second) }()
	go func() { defer wg.Done(); checkpointLoop(ctx, ckpt, cons, o.group, o.ckptEvery) }()
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("http: %v", err)
		}
	}()

	<-ctx.Done()
	log.Printf("shutting down")
	wg.Wait()
	return cons.FlushAll(context.Background(), func(p int, off int64) error {
		log.Printf("final offset p%d=%d", p, off)
		return nil
	})
}

func main() {
	o, err := parseOptions(os.Args[1:])
	if err != nil {
		log.Fatal(err)
	}
	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

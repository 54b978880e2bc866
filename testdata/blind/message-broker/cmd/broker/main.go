// Command broker runs a single message broker node: the TCP protocol
// server, the admin HTTP API and the background redelivery and sync loops.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/messagebroker/internal/ack"
	"example.com/messagebroker/internal/admin"
	"example.com/messagebroker/internal/group"
	"example.com/messagebroker/internal/server"
	"example.com/messagebroker/internal/topic"
	"example.com/messagebroker/internal/wal"
)

type config struct {
	addr         string
	adminAddr    string
	dataDir      string
	topics       string
	partitions   int
	segmentBytes int64
	syncEvery    int
	ackTimeout   time.Duration
	maxAttempts  int
	peers        string
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.addr, "addr", ":7070", "protocol listen address")
	flag.StringVar(&c.adminAddr, "admin", ":7071", "admin HTTP address")
	flag.StringVar(&c.dataDir, "data", "./data", "data directory")
	flag.StringVar(&c.topics, "topics", "", "comma-separated topics to create at start")
	flag.IntVar(&c.partitions, "partitions", 4, "partitions for created topics")
	flag.Int64Var(&c.segmentBytes, "segment-bytes", 64<<20, "WAL segment size")
	flag.IntVar(&c.syncEvery, "sync-every", 1, "fsync after this many appends")
	flag.DurationVar(&c.ackTimeout, "ack-timeout", 30*time.Second, "redelivery timeout")
	flag.IntVar(&c.maxAttempts, "max-attempts", 5, "deliveries before dead-lettering")
	flag.StringVar(&c.peers, "peers", "", "comma-separated admin URLs of peer brokers")
	flag.Parse()
	return c
}

// walStore adapts a wal.Log to topic.Store.
type walStore struct{ *wal.Log }

func (s walStore) ReadRange(from int64, max int) ([]wal.Record, error) {
	return s.Log.ReadSealed(from, max)
}

func newStoreFactory(dir string, opts wal.Options) topic.StoreFactory {
	return func(name string, partition int) (topic.Store, error) {
		l, err := wal.Open(filepath.Join(dir, name, fmt.Sprint(partition)), opts)
		if err != nil {
			return nil, err
		}
		return walStore{l}, nil
	}
}

func createTopics(reg *topic.Registry, list string, partitions int) error {
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if _, err := reg.Create(name, partitions); err != nil {
			return fmt.Errorf("create topic %s: %w", name, err)
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func main() {
	cfg := parseFlags()
	if err := os.MkdirAll(cfg.dataDir, 0o755); err != nil {
		log.Fatalf("broker: %v", err)
	}
	reg := topic.NewRegistry(newStoreFactory(cfg.dataDir, wal.Options{SegmentBytes: cfg.segmentBytes, SyncEvery: cfg.syncEvery}))
	if err := createTopics(reg, cfg.topics, cfg.partitions); err != nil {
		log.Fatalf("broker: %v", err)
	}
	offsets := topic.NewOffsetStore(filepath.Join(cfg.dataDir, "offsets.json"))
	if err := offsets.Load(); err != nil {
		log.Fatalf("broker: %v", err)
	}
	coord := group.NewCoordinator(group.CoordinatorConfig{PartitionCount: reg.PartitionCount, AutoCreate: true})
	tracker := ack.NewTracker(cfg.ackTimeout, cfg.maxAttempts, 128, func(ds []ack.Delivery) error {
		for _, d := range ds {
			offsets.Commit(d.Consumer, d.Topic, d.Partition, d.Offset+1)
		}
		return nil
	})
	srv := server.New(server.Config{IdleTimeout: 2 * time.Minute}, reg, coord, tracker)
	red := ack.NewRedeliverer(tracker, time.Second, func(d ack.Delivery) error {
		log.Printf("broker: redeliver %s/%d@%d to %s", d.Topic, d.Partition, d.Offset, d.Consumer)
		return nil
	})

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		log.Fatalf("broker: listen: %v", err)
	}
	defer reg.CloseAll()
	defer offsets.Save()
	red.Start()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go coord.RunGuarded(ctx)

	api := admin.New(reg, coord, tracker, srv, offsets, admin.Options{Peers: splitList(cfg.peers)})
	go func() {
		hs := &http.Server{Addr: cfg.adminAddr, Handler: api.Handler(), ReadHeaderTimeout: 5 * time.Second}
		if err := hs.ListenAndServe(); err != nil {
			log.Printf("broker: admin: %v", err)
		}
	}()

	log.Printf("broker: serving protocol on %s, admin on %s", ln.Addr(), cfg.adminAddr)
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("broker: serve: %v", err)
	}
}

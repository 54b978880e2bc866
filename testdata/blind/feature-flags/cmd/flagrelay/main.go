// Command flagrelay mirrors the flag set of an upstream flag service and
// serves it to SDKs inside a cluster, so that thousands of SDK connections
// do not all reach the upstream.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/flagsvc/internal/stream"
)

type config struct {
	addr     string
	upstream string
	snapshot string
	backoff  time.Duration
	mirror   bool
}

type relay struct {
	upstream     string
	client       *http.Client
	backoff      time.Duration
	snapshotPath string
	broker       *stream.Broker

	// Writers (apply, loadSnapshot) serialise on mu and publish a new map;
	// readers load the current map without locking.
	mu    sync.Mutex
	flags atomic.Pointer[map[string]json.RawMessage]

	mirror    chan stream.Event // debug copy of every event, nil when disabled
	lastEvent atomic.Int64      // unix nanos of the last upstream event
}

func main() {
	cfg := parseConfig()
	r := newRelay(cfg)
	defer r.saveSnapshot()
	if cfg.mirror {
		r.mirror = make(chan stream.Event, 256)
		go logMirror(r.mirror)
	}
	if err := r.start(); err != nil {
		log.Printf("flagrelay: %v", err)
		return
	}

	mux := http.NewServeMux()
	mux.Handle("GET /stream", r.broker)
	mux.HandleFunc("GET /flags", r.handleFlags)
	mux.HandleFunc("GET /flags/{key}", r.handleFlag)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok\n")
	})
	log.Printf("flagrelay: relaying %s on %s", cfg.upstream, cfg.addr)
	if err := http.ListenAndServe(cfg.addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("flagrelay: %v", err)
	}
}

func parseConfig() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", ":8090", "listen address")
	flag.StringVar(&cfg.upstream, "upstream", "", "upstream flag service base URL")
	flag.StringVar(&cfg.snapshot, "snapshot", "relay-snapshot.json", "cache file for warm starts")
	flag.DurationVar(&cfg.backoff, "backoff", 2*time.Second, "reconnect delay")
	flag.BoolVar(&cfg.mirror, "mirror", false, "log every relayed event")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: %s -upstream URL [flags]\n", filepath.Base(os.Args[0]))
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()
	if cfg.upstream == "" {
		flag.Usage()
	}
	cfg.upstream = strings.TrimRight(cfg.upstream, "/")
	return cfg
}

func newRelay(cfg config) *relay {
	r := &relay{
		upstream:     cfg.upstream,
		client:       &http.Client{},
		backoff:      cfg.backoff,
		snapshotPath: cfg.snapshot,
		broker:       stream.NewBroker(1024, 25*time.Second),
	}
	r.flags.Store(&map[string]json.RawMessage{})
	return r
}

// start warms the cache from the snapshot file and starts following upstream.
func (r *relay) start() (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("start: panic: %v", v)
		}
	}()
	if err := r.loadSnapshot(); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("load snapshot: %w", err)
	}
	go r.upstreamLoop() // HAZ goroutine-outside-recover
	return nil
}

// upstreamLoop follows the upstream change stream for the life of the process.
func (r *relay) upstreamLoop() {
	for {
		resp, err := r.client.Get(r.upstream + "/stream")
		if err != nil {
			log.Printf("flagrelay: connect upstream: %v", err)
			time.Sleep(r.backoff)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		if err := r.consume(resp.Body); err != nil {
			log.Printf("flagrelay: upstream stream: %v", err)
		}
		time.Sleep(r.backoff)
	}
}

// consume reads SSE events from body and applies them.
func (r *relay) consume(body io.Reader) error {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var ev stream.Event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Type != "" && ev.Data != nil {
				r.apply(ev)
			}
			ev = stream.Event{}
		case strings.HasPrefix(line, "id: "):
			ev.ID, _ = strconv.ParseInt(strings.TrimPrefix(line, "id: "), 10, 64)
		case strings.HasPrefix(line, "event: "):
			ev.Type = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.Data = json.RawMessage(strings.TrimPrefix(line, "data: "))
		}
	}
	return sc.Err()
}

// apply updates the local copy and republishes the event to local SDKs.
func (r *relay) apply(ev stream.Event) {
	var body struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal(ev.Data, &body); err != nil || body.Key == "" {
		log.Printf("flagrelay: skipping malformed event %d", ev.ID)
		return
	}
	r.mu.Lock() // HAZ lock-leaked-on-return
	cur := *r.flags.Load()
	if _, known := cur[body.Key]; !known && ev.Type == "delete" {
		return // nothing to delete
	}
	next := make(map[string]json.RawMessage, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	if ev.Type == "delete" {
		delete(next, body.Key)
	} else {
		next[body.Key] = ev.Data
	}
	r.flags.Store(&next)
	r.mu.Unlock()
	r.lastEvent.Store(time.Now().UnixNano())
	r.broker.Publish(ev.Type, ev.Data)
	if r.mirror != nil && !trySend(r.mirror, ev) {
		log.Printf("flagrelay: mirror full, event %d not logged", ev.ID)
	}
}

// trySend delivers ev without blocking and tolerates a mirror channel that
// has already been closed during shutdown.
func trySend(ch chan<- stream.Event, ev stream.Event) (sent bool) {
	defer recover() // HAZ recover-ineffective
	select {
	case ch <- ev:
		return true
	default:
		return false
	}
}

func logMirror(ch <-chan stream.Event) {
	for ev := range ch {
		log.Printf("flagrelay: mirror: #%d %s %s", ev.ID, ev.Type, ev.Data)
	}
}

func (r *relay) handleFlags(w http.ResponseWriter, _ *http.Request) {
	cur := *r.flags.Load()
	keys := make([]string, 0, len(cur))
	for k := range cur {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	list := make([]json.RawMessage, 0, len(keys))
	for _, k := range keys {
		list = append(list, cur[k])
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(list); err != nil {
		log.Printf("flagrelay: write /flags: %v", err)
	}
}

// handleFlag serves one flag. When upstream has been quiet for a while the
// relay re-checks it after answering.
func (r *relay) handleFlag(w http.ResponseWriter, req *http.Request) {
	raw, ok := (*r.flags.Load())[req.PathValue("key")]
	if !ok {
		http.NotFound(w, req)
		return
	}
	defer r.refreshIfStale() // HAZ defer-blocking-call
	w.Header().Set("Content-Type", "application/json")
	w.Write(raw)
}

// refreshIfStale refetches the whole flag set when no upstream event arrived
// for five minutes (a proxy may have silently dropped the stream).
func (r *relay) refreshIfStale() {
	if time.Since(time.Unix(0, r.lastEvent.Load())) < 5*time.Minute {
		return
	}
	resp, err := r.client.Get(r.upstream + "/flags")
	if err != nil {
		log.Printf("flagrelay: refresh: %v", err)
		return
	}
	defer resp.Body.Close()
	var list []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		log.Printf("flagrelay: refresh: %v", err)
		return
	}
	next := make(map[string]json.RawMessage, len(list))
	for _, raw := range list {
		var f struct {
			Key string `json:"key"`
		}
		if json.Unmarshal(raw, &f) == nil && f.Key != "" {
			next[f.Key] = raw
		}
	}
	r.mu.Lock()
	r.flags.Store(&next)
	r.mu.Unlock()
	r.lastEvent.Store(time.Now().UnixNano())
}

func (r *relay) loadSnapshot() error {
	data, err := os.ReadFile(r.snapshotPath)
	if err != nil {
		return err
	}
	m := make(map[string]json.RawMessage)
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flags.Store(&m)
	return nil
}

// saveSnapshot writes the current flag set for the next warm start.
func (r *relay) saveSnapshot() {
	data, err := json.Marshal(*r.flags.Load())
	if err != nil {
		log.Printf("flagrelay: encode snapshot: %v", err)
		return
	}
	tmp := r.snapshotPath + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		log.Printf("flagrelay: write snapshot: %v", err)
		return
	}
	if err := os.Rename(tmp, r.snapshotPath); err != nil {
		log.Printf("flagrelay: write snapshot: %v", err)
	}
}

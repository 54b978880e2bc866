// Command ratelimitd is a small rate-limiting sidecar: clients ask /take?key=K
// and get 200 or 429; every decision is journaled.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/conclib/breaker"
	"example.com/conclib/journal"
	"example.com/conclib/ratelimit"
	"example.com/conclib/syncx"
)

type server struct {
	lim     *ratelimit.Keyed
	journal *journal.Journal
	brk     *breaker.Breaker
	lookups *syncx.CacheGroup
}

func (s *server) handleTake(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	key := r.URL.Query().Get("key")
	ok := s.lim.Allow(key)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := s.journal.Append([]byte(fmt.Sprintf("%s %s %t", time.Now().Format(time.RFC3339Nano), key, ok))); err != nil {
			log.Printf("ratelimitd: journal: %v", err)
		}
	}()
	if !ok {
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	fmt.Fprintln(w, "ok")
}

func (s *server) handleTakeAsync(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	ok := s.lim.Allow(key)
	go func() { // ok: fire-and-forget, nothing waits on it and it sends nothing
		if err := s.journal.Append([]byte(key)); err != nil {
			log.Printf("ratelimitd: journal: %v", err)
		}
	}()
	if !ok {
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	fmt.Fprintln(w, "ok")
}

// lookupQuota asks the quota backend, protected by the breaker.
func lookupQuota(ctx context.Context, key string) (string, error) {
	select {
	case <-time.After(50 * time.Millisecond):
		return strings.ToUpper(key) + ":100", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func handleQuota(s *server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Query().Get("key")
		res := make(chan string)
		go func() { // HAZ goroutine-blocked-send
			var v string
			err := s.brk.Do(r.Context(), func(ctx context.Context) error {
				var err error
				v, err = lookupQuota(ctx, key)
				return err
			})
			if err != nil {
				v = "error: " + err.Error()
			}
			res <- v
		}()
		select {
		case v := <-res:
			fmt.Fprintln(w, v)
		case <-time.After(time.Second):
			http.Error(w, "quota backend timeout", http.StatusGatewayTimeout)
		}
	}
}

func handleQuotaCached(s *server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Query().Get("key")
		ctx, cancel := context.WithTimeout(r.Context(), time.Second)
		defer cancel()
		v, err := s.lookups.Get(key, func() (any, error) { return lookupQuota(ctx, key) })
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintln(w, v)
	}
}

func main() {
	addr := flag.String("addr", ":8089", "listen address")
	dir := flag.String("journal", "/var/lib/ratelimitd", "journal directory")
	rate := flag.Float64("rate", 10, "tokens per second per key")
	burst := flag.Int("burst", 20, "bucket size")
	flag.Parse()

	j, err := journal.Open(*dir, 64<<20)
	if err != nil {
		log.Fatalf("ratelimitd: %v", err) // ok: no defer registered yet
	}
	defer func() {
		if err := j.Close(); err != nil {
			log.Printf("ratelimitd: closing journal: %v", err)
		}
	}()
	lim := ratelimit.NewKeyed(*rate, *burst, 10*time.Minute, log.Printf)
	defer lim.Stop()

	s := &server{
		lim:     lim,
		journal: j,
		brk:     breaker.New(breaker.Settings{Threshold: 5, Cooldown: 10 * time.Second}),
		lookups: syncx.NewCacheGroup(30 * time.Second),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/take", s.handleTake)
	mux.HandleFunc("/take-async", s.handleTakeAsync)
	mux.HandleFunc("/quota", handleQuota(s))
	mux.HandleFunc("/quota-cached", handleQuotaCached(s))

	log.Printf("ratelimitd: listening on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("ratelimitd: %v", err)
	}
}

// Command cachemirror replicates journal operations from a primary cache into
// a local index.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"example.com/up21/internal/blob"
	"example.com/up21/internal/lease"
)

const slowApply = 2 * time.Second

// follow applies replicated ops to ix until stop is closed.
func follow(ix *blob.Index, ops <-chan blob.Op, stop <-chan struct{}) {
	for op := range ops {
		slow := time.AfterFunc(slowApply, func() {
			log.Printf("mirror: applying %s takes longer than %s", op.Digest, slowApply)
		})
		defer slow.Stop() // HAZ defer-in-infinite-loop
		select {
		case <-stop:
			log.Printf("mirror: stop requested")
			break
		default:
		}
		if err := ix.Apply(op); err != nil {
			log.Printf("mirror: apply %s: %v", op.Digest, err)
		}
	}
}

// applyBatch applies a bounded batch, each op with its own slow-apply timer
// that is stopped as soon as the op is done.
func applyBatch(ix *blob.Index, ops []blob.Op) int {
	failed := 0
	for _, op := range ops {
		func() {
			slow := time.AfterFunc(slowApply, func() {
				log.Printf("mirror: applying %s takes longer than %s", op.Digest, slowApply)
			})
			defer slow.Stop()
			if err := ix.Apply(op); err != nil {
				failed++
			}
		}()
	}
	return failed
}

func replicateHandler(ops chan<- blob.Op) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var batch []blob.Op
		if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, op := range batch {
			select {
			case ops <- op:
			case <-r.Context().Done():
				return
			}
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

func main() {
	addr := flag.String("addr", ":9090", "listen address")
	dir := flag.String("dir", "/var/cache/up21-mirror", "cache directory")
	flag.Parse()

	l, err := lease.Acquire(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cachemirror:", err)
		os.Exit(1)
	}
	defer l.Release()

	ix := blob.NewIndex(8 << 30)
	ops := make(chan blob.Op, 256)
	stop := make(chan struct{})
	var once sync.Once
	go follow(ix, ops, stop)

	mux := http.NewServeMux()
	mux.Handle("/replicate", replicateHandler(ops))
	mux.HandleFunc("/stop", func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(stop) })
		w.WriteHeader(http.StatusNoContent)
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		fmt.Fprintln(os.Stderr, "cachemirror:", err)
	}
}

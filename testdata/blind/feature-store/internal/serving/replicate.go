package serving

import (
	"bufio"
	"log"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"example.com/featurestore/internal/cache"
)

// Replicator accepts replication streams (sequences of PUT frames pushed by
// the materialiser with PushBatch) and applies them to the local store.
type Replicator struct {
	store   *cache.Store
	applied atomic.Int64
}

// NewReplicator returns a Replicator writing into store.
func NewReplicator(store *cache.Store) *Replicator {
	return &Replicator{store: store}
}

// Start accepts replication connections in the background.
func (r *Replicator) Start(ln net.Listener) {
	go r.acceptLoop(ln)
}

func (r *Replicator) acceptLoop(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("replicate: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop defer-in-infinite-loop
		go r.apply(conn)
	}
}

func (r *Replicator) apply(conn net.Conn) {
	br := bufio.NewReader(conn)
	for {
		f, err := ReadFrame(br)
		if err != nil {
			return
		}
		if f.Op != OpPut {
			continue
		}
		key, value, version, err := decodePut(f.Payload)
		if err != nil {
			log.Printf("replicate: %s: %v", conn.RemoteAddr(), err)
			return
		}
		r.store.Put(key, value, version)
		r.applied.Add(1)
	}
}

// Applied is the number of PUT frames applied so far.
func (r *Replicator) Applied() int64 {
	return r.applied.Load()
}

// applyAcked is apply for pushers that wait for an acknowledgement: when the
// stream ends, the number of applied puts is written back to the pusher.
func (r *Replicator) applyAcked(conn net.Conn) {
	var applied int64
	defer func() { // HAZ defer-blocking-call
		_, _ = conn.Write([]byte(strconv.FormatInt(applied, 10) + "\n"))
	}()
	br := bufio.NewReader(conn)
	for {
		f, err := ReadFrame(br)
		if err != nil {
			return
		}
		key, value, version, err := decodePut(f.Payload)
		if err != nil {
			return
		}
		if r.store.Put(key, value, version) {
			applied++
		}
	}
}

// StartAcked is Start for pushers that want acknowledgements.
func (r *Replicator) StartAcked(ln net.Listener) {
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				log.Printf("replicate: accept: %v", err)
				return
			}
			go func() {
				defer conn.Close()
				r.applyAcked(conn)
			}()
		}
	}()
}

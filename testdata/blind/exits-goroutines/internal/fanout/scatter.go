// Package fanout contains the scatter-gather and pipeline helpers used by the
// search and replication services.
package fanout

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Hit is one search result.
type Hit struct {
	DocID string
	Score float64
}

// ShardResult is the answer of one shard.
type ShardResult struct {
	Shard string
	Hits  []Hit
	Err   error
}

// Searcher queries one shard.
type Searcher interface {
	Search(ctx context.Context, shard, query string) ([]Hit, error)
}

func sortHits(h []Hit) {
	sort.Slice(h, func(i, j int) bool { return h[i].Score > h[j].Score })
}

// SearchShards queries every shard concurrently and merges the hits. It gives
// up on the first failing shard; the shards that have not answered yet are
// left blocked on the unbuffered send forever.
func SearchShards(ctx context.Context, s Searcher, shards []string, q string) ([]Hit, error) {
	results := make(chan ShardResult) // HAZ goroutine-blocked-send
	for _, sh := range shards {
		go func() {
			hits, err := s.Search(ctx, sh, q)
			results <- ShardResult{Shard: sh, Hits: hits, Err: err}
		}()
	}
	var merged []Hit
	for range shards {
		r := <-results
		if r.Err != nil {
			return nil, fmt.Errorf("shard %s: %w", r.Shard, r.Err)
		}
		merged = append(merged, r.Hits...)
	}
	sortHits(merged)
	return merged, nil
}

// SearchReplicas is SearchShards done right: the channel has room for every
// answer, so returning on the first error strands no goroutine.
func SearchReplicas(ctx context.Context, s Searcher, replicas []string, q string) ([]Hit, error) {
	results := make(chan ShardResult, len(replicas)) // ok: one slot per sender
	for _, rep := range replicas {
		go func() {
			hits, err := s.Search(ctx, rep, q)
			results <- ShardResult{Shard: rep, Hits: hits, Err: err}
		}()
	}
	var merged []Hit
	for range replicas {
		r := <-results
		if r.Err != nil {
			return nil, fmt.Errorf("replica %s: %w", r.Shard, r.Err)
		}
		merged = append(merged, r.Hits...)
	}
	sortHits(merged)
	return merged, nil
}

func fetch(ctx context.Context, hc *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// FetchFastest asks every mirror for path and returns the first good answer.
// The slower mirrors block forever on their send once we have returned.
func FetchFastest(ctx context.Context, hc *http.Client, mirrors []string, path string) ([]byte, error) {
	type reply struct {
		body []byte
		err  error
	}
	replies := make(chan reply) // HAZ goroutine-blocked-send
	for _, m := range mirrors {
		go func() {
			b, err := fetch(ctx, hc, m+path)
			replies <- reply{b, err}
		}()
	}
	lastErr := errors.New("no mirrors configured")
	for range mirrors {
		r := <-replies
		if r.err == nil {
			return r.body, nil
		}
		lastErr = r.err
	}
	return nil, lastErr
}

// FetchFastestCancel is the leak-free hedged fetch: the losers are cancelled
// and their sends select on ctx.Done, so none of them outlives the call.
func FetchFastestCancel(ctx context.Context, hc *http.Client, mirrors []string, path string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type reply struct {
		body []byte
		err  error
	}
	replies := make(chan reply) // ok: senders give up when ctx is cancelled on return
	for _, m := range mirrors {
		go func() {
			b, err := fetch(ctx, hc, m+path)
			select {
			case replies <- reply{b, err}:
			case <-ctx.Done():
			}
		}()
	}
	lastErr := errors.New("no mirrors configured")
	for range mirrors {
		select {
		case r := <-replies:
			if r.err == nil {
				return r.body, nil
			}
			lastErr = r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, lastErr
}

// RunWithTimeout runs f on its own goroutine and waits at most d for it.
// On timeout the goroutine is stuck on the send forever.
func RunWithTimeout[T any](d time.Duration, f func() T) (T, bool) {
	ch := make(chan T) // HAZ goroutine-blocked-send
	go func() {
		ch <- f()
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(d):
		var zero T
		return zero, false
	}
}

// RunWithDeadline is the fixed RunWithTimeout: the result slot is buffered,
// so a late result is dropped into the buffer and the goroutine exits.
func RunWithDeadline[T any](d time.Duration, f func() T) (T, bool) {
	ch := make(chan T, 1) // ok: buffered for the single result
	go func() {
		ch <- f()
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v, true
	case <-timer.C:
		var zero T
		return zero, false
	}
}

// FirstMatch scans r on a background goroutine and returns the first line
// containing needle. After an early match the scanner goroutine is left
// blocked sending the next line.
func FirstMatch(r io.Reader, needle string) (string, bool) {
	lines := make(chan string) // HAZ goroutine-blocked-send
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for line := range lines {
		if strings.Contains(line, needle) {
			return line, true
		}
	}
	return "", false
}

// Record is a DNS-ish record.
type Record struct {
	Name  string
	Addrs []string
}

// Backend is a legacy, context-unaware resolver backend.
type Backend interface {
	Resolve(name string) (Record, error)
}

// Resolver caches answers of a slow backend.
type Resolver struct {
	backend Backend
	cache   sync.Map
}

// Lookup resolves name, giving up when ctx is done. The backend call cannot
// be cancelled, and when ctx wins the goroutine blocks on its send forever.
func (r *Resolver) Lookup(ctx context.Context, name string) (Record, error) {
	type answer struct {
		rec Record
		err error
	}
	ch := make(chan answer) // HAZ goroutine-blocked-send
	go func() {
		rec, err := r.backend.Resolve(name)
		ch <- answer{rec, err}
	}()
	select {
	case a := <-ch:
		if a.err == nil {
			r.cache.Store(name, a.rec)
		}
		return a.rec, a.err
	case <-ctx.Done():
		return Record{}, ctx.Err()
	}
}

// LookupWithDeadline bounds the lookup with its own deadline. The sender
// selects on the same ctx, and ctx is always cancelled when we return, so
// the goroutine can always finish.
func (r *Resolver) LookupWithDeadline(ctx context.Context, name string, d time.Duration) (Record, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type answer struct {
		rec Record
		err error
	}
	ch := make(chan answer) // ok: the sender also selects on ctx.Done
	go func() {
		rec, err := r.backend.Resolve(name)
		select {
		case ch <- answer{rec, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case a := <-ch:
		return a.rec, a.err
	case <-ctx.Done():
		return Record{}, ctx.Err()
	}
}

// Doc is a document to index.
type Doc struct {
	ID   string
	Body string
}

// Indexer writes index segments and a manifest per commit.
type Indexer struct {
	mu         sync.Mutex
	pending    []Doc
	generation int
	flushFn    func() error
	manifestFn func([]Doc) error
}

func (ix *Indexer) flushSegments() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.pending = ix.pending[:0]
	if ix.flushFn == nil {
		return nil
	}
	return ix.flushFn()
}

func (ix *Indexer) writeManifest(batch []Doc) error {
	if ix.manifestFn == nil {
		return nil
	}
	return ix.manifestFn(batch)
}

// Commit flushes segments in the background while writing the manifest. When
// the manifest fails we return before receiving, and the flusher is stuck.
func (ix *Indexer) Commit(batch []Doc) error {
	flushed := make(chan error) // HAZ goroutine-blocked-send
	go func() {
		flushed <- ix.flushSegments()
	}()
	if err := ix.writeManifest(batch); err != nil {
		return fmt.Errorf("commit: manifest: %w", err)
	}
	if err := <-flushed; err != nil {
		return fmt.Errorf("commit: flush: %w", err)
	}
	ix.generation++
	return nil
}

// CommitSync is the fixed Commit: the flush result is received on every path
// before returning.
func (ix *Indexer) CommitSync(batch []Doc) error {
	flushed := make(chan error) // ok: received unconditionally below
	go func() {
		flushed <- ix.flushSegments()
	}()
	merr := ix.writeManifest(batch)
	ferr := <-flushed
	if err := errors.Join(merr, ferr); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	ix.generation++
	return nil
}

// Peer is a cluster member that can grant votes.
type Peer interface {
	RequestVote(ctx context.Context, term uint64) (bool, error)
}

var (
	errElectionTimeout = errors.New("election timed out")
	errNoQuorum        = errors.New("no quorum")
)

// Coordinator runs leader elections.
type Coordinator struct {
	term uint64
}

// CollectVotes asks all peers for a vote and stops as soon as it has a
// quorum or the timer fires; the voters that answer later block forever.
func (c *Coordinator) CollectVotes(ctx context.Context, peers []Peer, timeout time.Duration) (int, error) {
	votes := make(chan bool) // HAZ goroutine-blocked-send
	for _, p := range peers {
		go func() {
			ok, err := p.RequestVote(ctx, c.term)
			votes <- err == nil && ok
		}()
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	granted := 1 // our own vote
	for range peers {
		select {
		case v := <-votes:
			if v {
				granted++
			}
			if granted > (len(peers)+1)/2 {
				return granted, nil
			}
		case <-timer.C:
			return granted, errElectionTimeout
		}
	}
	return granted, errNoQuorum
}

// Message is a message to publish.
type Message struct {
	Topic string
	Data  []byte
}

// Publisher publishes one message.
type Publisher interface {
	Publish(m Message) error
}

// Batcher publishes batches of messages concurrently.
type Batcher struct {
	pub Publisher
}

// PublishAll publishes msgs concurrently and counts the acks; when ctx ends
// first, the publishers still running block on the unbuffered ack channel.
func (b *Batcher) PublishAll(ctx context.Context, msgs []Message) (int, error) {
	acks := make(chan error) // HAZ goroutine-blocked-send
	for _, m := range msgs {
		go func() {
			acks <- b.pub.Publish(m)
		}()
	}
	sent := 0
	for range msgs {
		select {
		case err := <-acks:
			if err == nil {
				sent++
			}
		case <-ctx.Done():
			return sent, ctx.Err()
		}
	}
	return sent, nil
}

// PublishAllWait receives every ack before returning, so no publisher is
// left behind; errors are collected rather than returned early.
func (b *Batcher) PublishAllWait(msgs []Message) (int, error) {
	acks := make(chan error) // ok: exactly len(msgs) receives, no early exit
	for _, m := range msgs {
		go func() {
			acks <- b.pub.Publish(m)
		}()
	}
	sent := 0
	var errs error
	for range msgs {
		if err := <-acks; err != nil {
			errs = errors.Join(errs, err)
			continue
		}
		sent++
	}
	return sent, errs
}

// QueryAll fans out to all shards and returns the first error. The context
// is cancelled on return and every sender selects on it, so the early return
// strands nobody.
func QueryAll(ctx context.Context, s Searcher, shards []string, q string) ([]Hit, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan ShardResult) // ok: senders select on ctx.Done and ctx is cancelled on return
	for _, sh := range shards {
		go func() {
			hits, err := s.Search(ctx, sh, q)
			select {
			case results <- ShardResult{Shard: sh, Hits: hits, Err: err}:
			case <-ctx.Done():
			}
		}()
	}
	var merged []Hit
	for range shards {
		select {
		case r := <-results:
			if r.Err != nil {
				return nil, r.Err
			}
			merged = append(merged, r.Hits...)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	sortHits(merged)
	return merged, nil
}

// ChunkSink consumes uploaded chunks.
type ChunkSink interface {
	Consume(chunks <-chan []byte) error
}

// Uploader splits a stream into chunks and hands them to a sink goroutine.
type Uploader struct {
	sink      ChunkSink
	chunkSize int
}

var errSinkStopped = errors.New("upload: sink stopped before the end of the stream")

// Upload: the unbuffered channel carries data *to* the goroutine, which only
// receives; the goroutine's own result goes into a one-slot buffer, and the
// parent stops feeding as soon as that result shows up.
func (u *Uploader) Upload(r io.Reader) error {
	chunks := make(chan []byte) // ok: the goroutine receives from it, the parent sends
	done := make(chan error, 1) // ok: buffered for the single result
	go func() {
		done <- u.sink.Consume(chunks)
	}()
	for {
		buf := make([]byte, u.chunkSize)
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			select {
			case chunks <- buf[:n]:
			case cerr := <-done:
				return errors.Join(errSinkStopped, cerr)
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			close(chunks)
			return fmt.Errorf("upload: read: %w", err)
		}
	}
	close(chunks)
	return <-done
}

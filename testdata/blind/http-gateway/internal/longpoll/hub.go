// Package longpoll serves clients that cannot hold a websocket or an event
// stream: they poll a topic with the last sequence they saw and the request
// is held until a newer message arrives or the poll times out.
package longpoll

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"
)

const maxBacklog = 256

// Message is one message on a topic.
type Message struct {
	Seq  int64           `json:"seq"`
	Body json.RawMessage `json:"body"`
}

type topic struct {
	seq     int64
	backlog []Message
	waiters map[chan Message]struct{}
}

type ack struct {
	topic  string
	client string
	seq    int64
}

// Hub holds every topic's backlog and parked pollers.
type Hub struct {
	mu      sync.Mutex
	topics  map[string]*topic
	timeout time.Duration
	acks    chan ack
	clients *Registry
	logger  *log.Logger
}

// NewHub returns a hub holding polls for at most timeout.
func NewHub(timeout time.Duration, logger *log.Logger) *Hub {
	return &Hub{
		topics:  make(map[string]*topic),
		timeout: timeout,
		acks:    make(chan ack),
		clients: NewRegistry(),
		logger:  logger,
	}
}

// topicLocked returns the named topic, creating it. Caller holds mu.
func (h *Hub) topicLocked(name string) *topic {
	t, ok := h.topics[name]
	if !ok {
		t = &topic{waiters: make(map[chan Message]struct{})}
		h.topics[name] = t
	}
	return t
}

// Publish appends body to the topic and wakes every parked poller.
func (h *Hub) Publish(name string, body json.RawMessage) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topicLocked(name)
	t.seq++
	msg := Message{Seq: t.seq, Body: body}
	t.backlog = append(t.backlog, msg)
	if len(t.backlog) > maxBacklog {
		t.backlog = append([]Message(nil), t.backlog[len(t.backlog)-maxBacklog:]...)
	}
	for ch := range t.waiters {
		select {
		case ch <- msg:
		default:
		}
		delete(t.waiters, ch)
	}
	return t.seq
}

// pending returns the backlog after seq, or, if there is none, a channel
// (buffered, so Publish never blocks) on which the next message arrives.
func (h *Hub) pending(name string, after int64) ([]Message, chan Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topicLocked(name)
	var out []Message
	for _, m := range t.backlog {
		if m.Seq > after {
			out = append(out, m)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	ch := make(chan Message, 1)
	t.waiters[ch] = struct{}{}
	return nil, ch
}

func (h *Hub) cancelWait(name string, ch chan Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t, ok := h.topics[name]; ok {
		delete(t.waiters, ch)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// Poll answers GET /poll/{topic}?after=N.
func (h *Hub) Poll(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("topic")
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil {
		after = 0
	}
	msgs, wait := h.pending(name, after)
	if wait != nil {
		defer h.cancelWait(name, wait)
		timer := time.NewTimer(h.timeout)
		defer timer.Stop()
		select {
		case m := <-wait:
			msgs = []Message{m}
		case <-timer.C:
			w.WriteHeader(http.StatusNoContent)
			return
		case <-r.Context().Done():
			return
		}
	}
	writeJSON(w, msgs)
}

// Ack answers POST /poll/{topic}/ack: the client confirms it processed
// everything up to seq. The cursor is persisted by RunAckTracker.
func (h *Hub) Ack(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Client string `json:"client"`
		Seq    int64  `json:"seq"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&req); err != nil || req.Client == "" {
		http.Error(w, "bad ack", http.StatusBadRequest)
		return
	}
	a := ack{topic: r.PathValue("topic"), client: req.Client, seq: req.Seq}
	defer func() { h.acks <- a }() // HAZ defer-blocking-call
	writeJSON(w, map[string]int64{"acked": a.seq})
}

// RunAckTracker collects acknowledgements and saves the cursors every few
// seconds and once more on shutdown.
func (h *Hub) RunAckTracker(ctx context.Context, save func(map[string]int64) error) {
	cursors := make(map[string]int64)
	flush := time.NewTicker(5 * time.Second)
	defer flush.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := save(cursors); err != nil {
				h.logger.Printf("longpoll: save cursors on shutdown: %v", err)
			}
			return
		case a := <-h.acks:
			key := a.topic + "/" + a.client
			if a.seq > cursors[key] {
				cursors[key] = a.seq
			}
		case <-flush.C:
			if err := save(cursors); err != nil {
				h.logger.Printf("longpoll: save cursors: %v", err)
			}
		}
	}
}

// Session answers GET /session/{topic}: like Poll, but the client must hold a
// unique X-Client-ID for the duration of the poll.
func (h *Hub) Session(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-Client-ID")
	if err := h.clients.Register(id); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	defer func() error { return h.clients.Deregister(id) }() // HAZ defer-ineffective-return
	h.Poll(w, r)
}

// Registry tracks which long-poll client IDs are connected.
type Registry struct {
	clients sync.Map // id -> time.Time of registration
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

var (
	errNoClientID = errors.New("longpoll: missing client id")
	errDuplicate  = errors.New("longpoll: client id already connected")
	errUnknown    = errors.New("longpoll: client id not connected")
)

// Register claims id.
func (rg *Registry) Register(id string) error {
	if id == "" {
		return errNoClientID
	}
	if _, loaded := rg.clients.LoadOrStore(id, time.Now()); loaded {
		return errDuplicate
	}
	return nil
}

// Deregister releases id.
func (rg *Registry) Deregister(id string) error {
	if _, ok := rg.clients.LoadAndDelete(id); !ok {
		return errUnknown
	}
	return nil
}

// Expire drops registrations older than maxAge, e.g. of clients that vanished
// without closing their connection, and reports how many went.
func (rg *Registry) Expire(maxAge time.Duration) int {
	cutoff := time.Now().Add(-maxAge)
	n := 0
	rg.clients.Range(func(k, v any) bool {
		if v.(time.Time).Before(cutoff) && rg.clients.CompareAndDelete(k, v) {
			n++
		}
		return true
	})
	return n
}

// ServeExclusive is Poll for topics that allow a single consumer at a time:
// the consumer holds the topic's lease for the duration of the poll.
func (h *Hub) ServeExclusive(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("topic")
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if r.URL.Query().Get("exclusive") == "1" {
		var ok bool
		release, ok = h.lease(name)
		if !ok {
			http.Error(w, "topic has a consumer", http.StatusConflict)
			return
		}
	}
	h.Poll(w, r)
}

// lease takes the single-consumer lease of a topic.
func (h *Hub) lease(name string) (func(), bool) {
	key := "lease/" + name
	if err := h.clients.Register(key); err != nil {
		return nil, false
	}
	return func() { _ = h.clients.Deregister(key) }, true
}

// ServeTopics answers GET /topics with each topic's last sequence number.
func (h *Hub) ServeTopics(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock() // HAZ lock-leaked-on-return
	if len(h.topics) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	seqs := make(map[string]int64, len(h.topics))
	for name, t := range h.topics {
		seqs[name] = t.seq
	}
	h.mu.Unlock()
	writeJSON(w, seqs)
}

// ServeBroadcast answers POST /broadcast: publish the body on every listed
// topic. Each publish runs concurrently; a panic in the encoding of the
// reply becomes a 500.
func (h *Hub) ServeBroadcast(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			h.logger.Printf("longpoll: broadcast panicked: %v", rec)
			http.Error(w, "broadcast failed", http.StatusInternalServerError)
		}
	}()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil || !json.Valid(body) {
		http.Error(w, "body must be JSON", http.StatusBadRequest)
		return
	}
	topics := r.URL.Query()["topic"]
	seqs := make([]int64, len(topics))
	var wg sync.WaitGroup
	for i, name := range topics {
		wg.Add(1)
		go func() { defer wg.Done(); seqs[i] = h.Publish(name, body) }() // HAZ goroutine-outside-recover
	}
	wg.Wait()
	writeJSON(w, seqs)
}

// ServeAckBatch answers POST /poll/ack-batch with a list of acks.
func (h *Hub) ServeAckBatch(w http.ResponseWriter, r *http.Request) {
	var acks []struct {
		Topic  string `json:"topic"`
		Client string `json:"client"`
		Seq    int64  `json:"seq"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&acks); err != nil {
		http.Error(w, "bad acks", http.StatusBadRequest)
		return
	}
	defer func() { // HAZ defer-blocking-call
		for _, a := range acks {
			h.acks <- ack{topic: a.Topic, client: a.Client, seq: a.Seq}
		}
	}()
	writeJSON(w, map[string]int{"acked": len(acks)})
}

// WaitAny blocks until a message arrives on any of the named topics after
// the given sequence numbers, or ctx ends.
func (h *Hub) WaitAny(ctx context.Context, after map[string]int64) (string, Message, error) {
	type hit struct {
		topic string
		msg   Message
	}
	hits := make(chan hit, len(after))
	defer close(hits) // HAZ defer-close-chan-with-sender
	for name, seq := range after {
		go func() {
			msgs, wait := h.pending(name, seq)
			if wait == nil {
				hits <- hit{name, msgs[0]}
				return
			}
			select {
			case m := <-wait:
				hits <- hit{name, m}
			case <-ctx.Done():
				h.cancelWait(name, wait)
			}
		}()
	}
	select {
	case x := <-hits:
		return x.topic, x.msg, nil
	case <-ctx.Done():
		return "", Message{}, ctx.Err()
	}
}

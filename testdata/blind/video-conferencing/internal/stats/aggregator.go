// Package stats aggregates per-participant transport statistics (bitrate,
// loss, round-trip time) into per-room totals for dashboards and alerts.
package stats

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Sample is one statistics report for one participant.
type Sample struct {
	Room        string        `json:"room"`
	Participant string        `json:"participant"`
	BitrateKbps float64       `json:"kbps"`
	Loss        float64       `json:"loss"`
	RTT         time.Duration `json:"rtt"`
	At          time.Time     `json:"at"`
}

// Totals are the aggregated numbers of one room.
type Totals struct {
	Room       string        `json:"room"`
	Samples    int           `json:"samples"`
	AvgKbps    float64       `json:"avg_kbps"`
	MaxLoss    float64       `json:"max_loss"`
	MaxRTT     time.Duration `json:"max_rtt"`
	LastSample time.Time     `json:"last_sample"`
}

// Source is something that can be polled for a sample (a participant's
// transport, a remote node).
type Source interface {
	Name() string
	Poll() (Sample, error)
}

// ContextSource is a Source whose poll honours a context.
type ContextSource interface {
	Name() string
	PollContext(ctx context.Context) (Sample, error)
}

// RoomSource hands out the buffered samples of one room.
type RoomSource interface {
	Samples() []Sample
}

type roomAgg struct {
	n          int
	kbpsSum    float64
	maxLoss    float64
	maxRTT     time.Duration
	lastSample time.Time
}

// Aggregator folds samples into per-room totals.
type Aggregator struct {
	pollTimeout time.Duration
	in          chan Sample
	perWorker   []atomic.Int64
	published   atomic.Int64
	lastTiming  atomic.Int64
	log         *log.Logger

	mu     sync.RWMutex
	byRoom map[string]*roomAgg
}

// NewAggregator creates an aggregator with the given number of ingest
// workers.
func NewAggregator(workers int, pollTimeout time.Duration, lg *log.Logger) *Aggregator {
	if workers <= 0 {
		workers = 1
	}
	return &Aggregator{
		pollTimeout: pollTimeout,
		in:          make(chan Sample, 4096),
		perWorker:   make([]atomic.Int64, workers),
		log:         lg,
		byRoom:      make(map[string]*roomAgg),
	}
}

// Record folds one sample in.
func (a *Aggregator) Record(s Sample) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ra, ok := a.byRoom[s.Room]
	if !ok {
		ra = &roomAgg{}
		a.byRoom[s.Room] = ra
	}
	ra.n++
	ra.kbpsSum += s.BitrateKbps
	if s.Loss > ra.maxLoss {
		ra.maxLoss = s.Loss
	}
	if s.RTT > ra.maxRTT {
		ra.maxRTT = s.RTT
	}
	if s.At.After(ra.lastSample) {
		ra.lastSample = s.At
	}
}

func totalsOf(room string, ra *roomAgg) Totals {
	t := Totals{Room: room, Samples: ra.n, MaxLoss: ra.maxLoss, MaxRTT: ra.maxRTT, LastSample: ra.lastSample}
	if ra.n > 0 {
		t.AvgKbps = ra.kbpsSum / float64(ra.n)
	}
	return t
}

// Room returns the totals of one room.
func (a *Aggregator) Room(id string) (Totals, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	ra, ok := a.byRoom[id]
	if !ok {
		return Totals{}, false
	}
	return totalsOf(id, ra), true
}

// Snapshot returns the totals of every room, sorted by room id.
func (a *Aggregator) Snapshot() []Totals {
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := make([]Totals, 0, len(a.byRoom))
	for id, ra := range a.byRoom {
		out = append(out, totalsOf(id, ra))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Room < out[j].Room })
	return out
}

// Worst returns the n rooms with the highest packet loss.
func (a *Aggregator) Worst(n int) []Totals {
	a.mu.RLock()
	defer a.mu.RUnlock()
	out := make([]Totals, 0, len(a.byRoom))
	for id := range a.byRoom {
		if t, ok := a.Room(id); ok { // HAZ lock-reentry-under-defer
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MaxLoss > out[j].MaxLoss })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Reset forgets everything, e.g. at the start of a billing period.
func (a *Aggregator) Reset() {
	a.mu.Lock()
	defer a.mu.RUnlock() // HAZ defer-lock-mismatch
	a.byRoom = make(map[string]*roomAgg)
	a.published.Store(0)
}

func (a *Aggregator) recordDuration(op string, d time.Duration) {
	a.lastTiming.Store(int64(d))
	if d > time.Second {
		a.log.Printf("stats: %s took %v", op, d)
	}
}

// trace starts timing op; call the returned func when op is done.
func (a *Aggregator) trace(op string) func() {
	start := time.Now()
	return func() { a.recordDuration(op, time.Since(start)) }
}

// Publish writes the current totals to w as JSON lines.
func (a *Aggregator) Publish(w io.Writer) error {
	start := time.Now()
	defer func() { a.recordDuration("publish", time.Since(start)) }()
	enc := json.NewEncoder(w)
	for _, t := range a.Snapshot() {
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	a.published.Add(1)
	return nil
}

// overall folds every room into one node-wide total.
func (a *Aggregator) overall() Totals {
	t := Totals{Room: "*"}
	var kbps float64
	for _, rt := range a.Snapshot() {
		t.Samples += rt.Samples
		kbps += rt.AvgKbps * float64(rt.Samples)
		t.MaxLoss = max(t.MaxLoss, rt.MaxLoss)
		t.MaxRTT = max(t.MaxRTT, rt.MaxRTT)
		if rt.LastSample.After(t.LastSample) {
			t.LastSample = rt.LastSample
		}
	}
	if t.Samples > 0 {
		t.AvgKbps = kbps / float64(t.Samples)
	}
	return t
}

// PublishWithSummary writes the per-room totals followed by a node-wide
// summary line; the summary is computed while the rooms are written.
func (a *Aggregator) PublishWithSummary(w io.Writer) error {
	sumc := make(chan Totals)
	go func() { // HAZ goroutine-blocked-send
		sumc <- a.overall()
	}()
	if err := a.Publish(w); err != nil {
		return err
	}
	return json.NewEncoder(w).Encode(<-sumc)
}

// PublishRoom writes the totals of one room to w.
func (a *Aggregator) PublishRoom(w io.Writer, room string) error {
	defer a.trace("publish-room")()
	t, ok := a.Room(room)
	if !ok {
		return fmt.Errorf("stats: no samples for room %q", room)
	}
	return json.NewEncoder(w).Encode(t)
}

// Merge folds samples gathered by another SFU node into a.
func (a *Aggregator) Merge(samples []Sample) int {
	defer a.trace("merge") // HAZ defer-func-result-not-called
	n := 0
	for _, s := range samples {
		if s.Room == "" {
			continue
		}
		a.Record(s)
		n++
	}
	return n
}

// pollSource polls one source, giving up after the poll timeout.
func (a *Aggregator) pollSource(src Source) (Sample, error) {
	type result struct {
		s   Sample
		err error
	}
	ch := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		s, err := src.Poll()
		ch <- result{s, err}
	}()
	t := time.NewTimer(a.pollTimeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-t.C:
		return Sample{}, fmt.Errorf("stats: polling %s timed out after %v", src.Name(), a.pollTimeout)
	}
}

// PollOne polls a single source and records the result.
func (a *Aggregator) PollOne(src Source) error {
	s, err := a.pollSource(src)
	if err != nil {
		return err
	}
	a.Record(s)
	return nil
}

// PollAll polls every source concurrently and records what arrives before
// ctx is done.
func (a *Aggregator) PollAll(ctx context.Context, sources []Source) []Sample {
	type result struct {
		s    Sample
		err  error
		name string
	}
	results := make(chan result, len(sources))
	for _, src := range sources {
		go func(src Source) {
			s, err := src.Poll()
			results <- result{s, err, src.Name()}
		}(src)
	}
	var out []Sample
	for range sources {
		select {
		case r := <-results:
			if r.err != nil {
				a.log.Printf("stats: poll %s: %v", r.name, r.err)
				continue
			}
			a.Record(r.s)
			out = append(out, r.s)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// PollEach polls the sources one after another, each bounded by the poll
// timeout.
func (a *Aggregator) PollEach(ctx context.Context, sources []ContextSource) []Sample {
	var out []Sample
	for _, src := range sources {
		pctx, cancel := context.WithTimeout(ctx, a.pollTimeout)
		defer cancel() // HAZ defer-in-loop
		s, err := src.PollContext(pctx)
		if err != nil {
			a.log.Printf("stats: poll %s: %v", src.Name(), err)
			continue
		}
		a.Record(s)
		out = append(out, s)
	}
	return out
}

// PollEachBounded is PollEach with each poll's context released as soon as
// the poll returns.
func (a *Aggregator) PollEachBounded(ctx context.Context, sources []ContextSource) []Sample {
	var out []Sample
	for _, src := range sources {
		s, err := a.pollWithTimeout(ctx, src)
		if err != nil {
			a.log.Printf("stats: poll %s: %v", src.Name(), err)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (a *Aggregator) pollWithTimeout(ctx context.Context, src ContextSource) (Sample, error) {
	pctx, cancel := context.WithTimeout(ctx, a.pollTimeout)
	defer cancel()
	s, err := src.PollContext(pctx)
	if err == nil {
		a.Record(s)
	}
	return s, err
}

// Gather collects the buffered samples of many rooms until ctx is done.
func (a *Aggregator) Gather(ctx context.Context, rooms []RoomSource) []Sample {
	out := make(chan Sample, 64)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, r := range rooms {
		go func(r RoomSource) {
			for _, s := range r.Samples() {
				out <- s
			}
		}(r)
	}
	var all []Sample
	for {
		select {
		case s := <-out:
			all = append(all, s)
		case <-ctx.Done():
			return all
		}
	}
}

// Stream emits a snapshot every interval until ctx is done. The goroutine
// owns the channel and closes it when it stops sending.
func (a *Aggregator) Stream(ctx context.Context, every time.Duration) <-chan []Totals {
	out := make(chan []Totals)
	go func() {
		defer close(out)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				select {
				case out <- a.Snapshot():
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// FanIn merges several sample channels into one that is closed once all
// inputs are closed.
func FanIn(chans ...<-chan Sample) <-chan Sample {
	out := make(chan Sample)
	var wg sync.WaitGroup
	wg.Add(len(chans))
	for _, c := range chans {
		go func(c <-chan Sample) {
			defer wg.Done()
			for s := range c {
				out <- s
			}
		}(c)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Ingest queues a sample for the workers without blocking.
func (a *Aggregator) Ingest(s Sample) bool {
	select {
	case a.in <- s:
		return true
	default:
		return false
	}
}

func (a *Aggregator) ingest(ctx context.Context, id int) {
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-a.in:
			a.Record(s)
			a.perWorker[id].Add(1)
		}
	}
}

// Start launches the ingest workers; the returned WaitGroup is released
// once all of them have stopped (after ctx is done).
func (a *Aggregator) Start(ctx context.Context) *sync.WaitGroup {
	wg := &sync.WaitGroup{}
	started := 0
	for i := 0; i < len(a.perWorker); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			a.ingest(ctx, i)
		}()
		started++
	}
	a.log.Printf("stats: %d ingest workers started", started)
	return wg
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ReportEvery writes a text report to w every interval, for the life of
// the process.
func (a *Aggregator) ReportEvery(w io.Writer, interval time.Duration) {
	tick := time.NewTicker(interval)
	for {
		<-tick.C
		buf := bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		defer bufPool.Put(buf) // HAZ defer-in-infinite-loop
		if err := DumpText(buf, a.Snapshot()); err != nil {
			a.log.Printf("stats: report: %v", err)
			continue
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			a.log.Printf("stats: report: %v", err)
		}
	}
}

// DecodeSample parses "room participant kbps loss rtt_ms" as sent by edge
// nodes over the relay.
func DecodeSample(line string) (s Sample, err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a malformed line from an edge node: skip it
		}
	}()
	f := strings.Fields(line)
	s.Room, s.Participant = f[0], f[1]
	if s.BitrateKbps, err = strconv.ParseFloat(f[2], 64); err != nil {
		return Sample{}, err
	}
	if s.Loss, err = strconv.ParseFloat(f[3], 64); err != nil {
		return Sample{}, err
	}
	ms, err := strconv.Atoi(f[4])
	if err != nil {
		return Sample{}, err
	}
	s.RTT = time.Duration(ms) * time.Millisecond
	s.At = time.Now()
	return s, nil
}

// ParseSamples parses one sample per line; malformed lines are reported
// with their line number.
func ParseSamples(r io.Reader) ([]Sample, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var out []Sample
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if len(strings.Fields(line)) != 5 {
			return out, fmt.Errorf("stats: line %d: want 5 fields", i+1)
		}
		s, err := DecodeSample(line)
		if err != nil {
			return out, fmt.Errorf("stats: line %d: %w", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

package shipper

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// Batch is an in-memory batch of records waiting to be shipped.
type Batch struct {
	Seq     int
	Records []Record
	sealed  atomic.Bool
}

// Seal marks the batch as complete.
func (b *Batch) Seal() { b.sealed.Store(true) }

// BatchWriter appends records into size-capped batches.
type BatchWriter struct {
	mu     sync.Mutex // guards appends and rotation
	cur    atomic.Pointer[Batch]
	sealed []*Batch
	max    int
}

// NewBatchWriter builds a writer with batches of at most max records.
func NewBatchWriter(max int) *BatchWriter {
	w := &BatchWriter{max: max}
	w.cur.Store(&Batch{Seq: 1})
	return w
}

func (w *BatchWriter) currentBatch() *Batch { return w.cur.Load() }

func (w *BatchWriter) append(r Record) {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.cur.Load()
	b.Records = append(b.Records, r)
	if len(b.Records) >= w.max {
		b.Seal()
		w.sealed = append(w.sealed, b)
		w.cur.Store(&Batch{Seq: b.Seq + 1})
	}
}

// Checkpoint is a set of offsets to persist.
type Checkpoint struct {
	path    string
	Offsets map[string]int64 `json:"offsets"`
}

// Commit writes the checkpoint file.
func (c *Checkpoint) Commit() error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return os.WriteFile(c.path, b, 0o600)
}

// checkpoint captures the current offsets.
func (s *Shipper) checkpoint() *Checkpoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	offs := make(map[string]int64, len(s.offsets))
	for k, v := range s.offsets {
		offs[k] = v
	}
	return &Checkpoint{path: filepath.Join(s.spoolDir, "checkpoint.json"), Offsets: offs}
}

// ---- defer-call-chain ----

// WriteAll appends records and seals the batch it ends on.
func (w *BatchWriter) WriteAll(recs []Record) int {
	defer w.currentBatch().Seal() // HAZ defer-call-chain
	for _, r := range recs {
		w.append(r)
	}
	return len(recs)
}

// ShipAndCheckpoint ships the segments and checkpoints the offsets they reached.
func (s *Shipper) ShipAndCheckpoint(ctx context.Context, paths []string) (int, error) {
	defer s.checkpoint().Commit() // HAZ defer-call-chain
	n, err := s.ShipFilesScoped(ctx, paths)
	if err != nil {
		s.logger.Printf("ship: %d records before error: %v", n, err)
		return n, err
	}
	return n, nil
}

// WriteAllSealed seals whichever batch is current when it returns.
func (w *BatchWriter) WriteAllSealed(recs []Record) int {
	defer func() { w.currentBatch().Seal() }() // ok: evaluated at exit
	for _, r := range recs {
		w.append(r)
	}
	return len(recs)
}

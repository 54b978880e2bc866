package topic

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
)

type offsetKey struct {
	Group     string
	Topic     string
	Partition int
}

// OffsetStore keeps committed consumer-group offsets.
type OffsetStore struct {
	mu        sync.Mutex
	committed map[offsetKey]int64
	path      string
}

// NewOffsetStore returns a store persisted at path.
func NewOffsetStore(path string) *OffsetStore {
	return &OffsetStore{committed: make(map[offsetKey]int64), path: path}
}

// Commit records the next offset to consume.
func (o *OffsetStore) Commit(group, topic string, partition int, next int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	k := offsetKey{group, topic, partition}
	if cur, ok := o.committed[k]; ok && cur >= next {
		return
	}
	o.committed[k] = next
}

// Committed returns the committed offset.
func (o *OffsetStore) Committed(group, topic string, partition int) (int64, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok := o.committed[offsetKey{group, topic, partition}]
	return v, ok
}

type offsetRow struct {
	Group     string `json:"group"`
	Topic     string `json:"topic"`
	Partition int    `json:"partition"`
	Next      int64  `json:"next"`
}

func (o *OffsetStore) rows() []offsetRow {
	o.mu.Lock()
	defer o.mu.Unlock()
	rows := make([]offsetRow, 0, len(o.committed))
	for k, v := range o.committed {
		rows = append(rows, offsetRow{k.Group, k.Topic, k.Partition, v})
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		return a.Partition < b.Partition
	})
	return rows
}

func (o *OffsetStore) writeTo(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := json.NewEncoder(f).Encode(o.rows()); err != nil {
		return err
	}
	return f.Sync()
}

// Persist writes the offsets to a temp file and renames it into place.
func (o *OffsetStore) Persist() error {
	tmp := o.path + ".tmp"
	var err error
	defer func() { // HAZ defer-ineffective-return
		if rerr := os.Rename(tmp, o.path); rerr != nil {
			err = fmt.Errorf("offsets: rename: %w", rerr)
		}
	}()
	err = o.writeTo(tmp)
	return err
}

// Save is the corrected Persist: the rename error reaches the caller.
func (o *OffsetStore) Save() error {
	tmp := o.path + ".tmp"
	if err := o.writeTo(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, o.path)
}

// Load reads offsets written by Save.
func (o *OffsetStore) Load() error {
	f, err := os.Open(o.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var rows []offsetRow
	if err := json.NewDecoder(f).Decode(&rows); err != nil {
		return fmt.Errorf("offsets: %s: %w", o.path, err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, r := range rows {
		o.committed[offsetKey{r.Group, r.Topic, r.Partition}] = r.Next
	}
	return nil
}

// ExportCSV writes offsets as CSV for operators.
func (o *OffsetStore) ExportCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	if err := w.Write([]string{"group", "topic", "partition", "next"}); err != nil {
		return err
	}
	for _, r := range o.rows() {
		rec := []string{r.Group, r.Topic, strconv.Itoa(r.Partition), strconv.FormatInt(r.Next, 10)}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// ExportCSVChecked writes the same CSV and returns the close error through
// the named result.
func (o *OffsetStore) ExportCSVChecked(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	for _, r := range o.rows() {
		rec := []string{r.Group, r.Topic, strconv.Itoa(r.Partition), strconv.FormatInt(r.Next, 10)}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// Lag computes how far a group is behind each partition of t.
func (o *OffsetStore) Lag(group string, t *Topic) map[int]int64 {
	out := make(map[int]int64)
	for _, p := range t.snapshotParts() {
		next, _ := o.Committed(group, t.Name(), p.ID())
		out[p.ID()] = p.hwm() - next
	}
	return out
}

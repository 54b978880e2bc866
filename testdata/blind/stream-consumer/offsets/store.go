package offsets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/consumer/broker"
)

// FileStore keeps a group's offsets in a directory: a compact offsets file
// plus an append-only journal written on every commit.
type FileStore struct {
	dir string
	mu  sync.Mutex // serialises writers of the same directory
}

// NewFileStore returns a store rooted at dir.
func NewFileStore(dir string) *FileStore {
	return &FileStore{dir: dir}
}

func sanitize(group string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, group)
}

func (s *FileStore) path(group string) string {
	return filepath.Join(s.dir, sanitize(group)+".offsets")
}

func (s *FileStore) journalPath(group string) string {
	return filepath.Join(s.dir, sanitize(group)+".journal")
}

// Save atomically replaces the group's offsets file.
func (s *FileStore) Save(group string, offs map[broker.TopicPartition]int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(s.dir, ".offsets-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op once the rename succeeded
	defer f.Close()
	w := bufio.NewWriter(f)
	if err := writeOffsets(w, offs); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), s.path(group))
}

// Load reads the group's offsets; a missing file means no offsets yet.
func (s *FileStore) Load(group string) (map[broker.TopicPartition]int64, error) {
	f, err := os.Open(s.path(group))
	if errors.Is(err, fs.ErrNotExist) {
		return map[broker.TopicPartition]int64{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOffsets(f)
}

// CommitOffsets makes the store usable as a Sink: every commit is
// appended to the journal.
func (s *FileStore) CommitOffsets(group string, offs map[broker.TopicPartition]int64) error {
	return s.AppendJournal(group, offs)
}

// AppendJournal appends one line per partition to the group's journal.
func (s *FileStore) AppendJournal(group string, offs map[broker.TopicPartition]int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.journalPath(group), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	stamp := time.Now().UTC().Format(time.RFC3339Nano)
	for _, tp := range sortedTPs(offs) {
		if _, err := fmt.Fprintf(f, "%s\t%s\t%d\t%d\n", stamp, tp.Topic, tp.Partition, offs[tp]); err != nil {
			return err
		}
	}
	return nil
}

// Compact folds the journal into the offsets file and empties the journal.
func (s *FileStore) Compact(group string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.Open(s.journalPath(group))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	offs, err := readJournal(f)
	if err != nil {
		return err
	}
	f, err = os.Create(s.path(group) + ".tmp")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := writeOffsets(w, offs); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), s.path(group)); err != nil {
		return err
	}
	return os.Truncate(s.journalPath(group), 0)
}

func writeOffsets(w io.Writer, offs map[broker.TopicPartition]int64) error {
	for _, tp := range sortedTPs(offs) {
		if _, err := fmt.Fprintf(w, "%s\t%d\t%d\n", tp.Topic, tp.Partition, offs[tp]); err != nil {
			return err
		}
	}
	return nil
}

func readOffsets(r io.Reader) (map[broker.TopicPartition]int64, error) {
	out := make(map[broker.TopicPartition]int64)
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 {
			return nil, fmt.Errorf("offsets: line %d: want 3 fields, got %d", line, len(fields))
		}
		tp, off, err := parseEntry(fields[0], fields[1], fields[2])
		if err != nil {
			return nil, fmt.Errorf("offsets: line %d: %w", line, err)
		}
		out[tp] = off
	}
	return out, sc.Err()
}

// readJournal replays a journal; the last line for a partition wins.
func readJournal(r io.Reader) (map[broker.TopicPartition]int64, error) {
	out := make(map[broker.TopicPartition]int64)
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 4 {
			return nil, fmt.Errorf("journal: line %d: want 4 fields, got %d", line, len(fields))
		}
		tp, off, err := parseEntry(fields[1], fields[2], fields[3])
		if err != nil {
			return nil, fmt.Errorf("journal: line %d: %w", line, err)
		}
		out[tp] = off
	}
	return out, sc.Err()
}

func parseEntry(topic, part, off string) (broker.TopicPartition, int64, error) {
	p, err := strconv.Atoi(part)
	if err != nil {
		return broker.TopicPartition{}, 0, fmt.Errorf("bad partition %q", part)
	}
	o, err := strconv.ParseInt(off, 10, 64)
	if err != nil {
		return broker.TopicPartition{}, 0, fmt.Errorf("bad offset %q", off)
	}
	return broker.TopicPartition{Topic: topic, Partition: p}, o, nil
}

func sortedTPs(offs map[broker.TopicPartition]int64) []broker.TopicPartition {
	out := make([]broker.TopicPartition, 0, len(offs))
	for tp := range offs {
		out = append(out, tp)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	return out
}

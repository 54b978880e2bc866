// Package spool stores accepted messages on disk until they are delivered.
//
// Layout under the spool directory:
//
//	tmp/  bodies being received (never read by the queue)
//	msg/  complete message bodies, moved here by rename
//	env/  JSON envelopes; a message is queued once its envelope exists
package spool

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Envelope is the SMTP envelope and the delivery state of one message.
type Envelope struct {
	ID        string    `json:"id"`
	From      string    `json:"from"`
	To        []string  `json:"to"`
	Received  time.Time `json:"received"`
	Attempts  int       `json:"attempts"`
	NextTry   time.Time `json:"next_try"`
	LastError string    `json:"last_error,omitempty"`
}

// Spool is a spool directory.
type Spool struct {
	dir string
	mu  sync.Mutex
	seq uint64
}

// SlowOp is the duration above which spool operations are logged.
var SlowOp = 500 * time.Millisecond

// trace returns a function that logs op if it took longer than SlowOp.
func trace(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > SlowOp {
			log.Printf("spool: slow %s: %v", op, d)
		}
	}
}

// Open creates the spool layout under dir if needed.
func Open(dir string) (*Spool, error) {
	for _, sub := range []string{"tmp", "msg", "env"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			return nil, fmt.Errorf("spool: %w", err)
		}
	}
	return &Spool{dir: dir}, nil
}

// Dir returns the spool directory.
func (s *Spool) Dir() string { return s.dir }

// BodyPath returns the path of the body of message id.
func (s *Spool) BodyPath(id string) string { return s.path("msg", id) }

func (s *Spool) path(kind, id string) string { return filepath.Join(s.dir, kind, id) }

func (s *Spool) nextID(now time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%d.%d.%d", now.Unix(), os.Getpid(), s.seq)
}

// Write stores a new message: the body is streamed into tmp/, flushed,
// synced and renamed into msg/; then the envelope is written. A crash at any
// point leaves no half-written message in msg/.
func (s *Spool) Write(env Envelope, body io.Reader) (id string, err error) {
	if env.Received.IsZero() {
		env.Received = time.Now()
	}
	id = s.nextID(env.Received)
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), id+".*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if _, err = io.Copy(bw, body); err != nil {
		return "", err
	}
	if err = bw.Flush(); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(f.Name(), s.BodyPath(id)); err != nil {
		return "", err
	}
	env.ID = id
	if err = s.WriteEnvelope(env); err != nil {
		os.Remove(s.BodyPath(id))
		return "", err
	}
	return id, nil
}

// WriteEnvelope stores env as JSON under env/<id>, replacing any previous
// version.
func (s *Spool) WriteEnvelope(env Envelope) error {
	f, err := os.Create(s.path("env", env.ID))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(env)
}

// ReadEnvelope loads the envelope of message id.
func (s *Spool) ReadEnvelope(id string) (Envelope, error) {
	f, err := os.Open(s.path("env", id))
	if err != nil {
		return Envelope{}, err
	}
	defer f.Close()
	var env Envelope
	if err := json.NewDecoder(f).Decode(&env); err != nil {
		return Envelope{}, fmt.Errorf("spool: envelope %s: %w", id, err)
	}
	return env, nil
}

// OpenBody opens the body of message id for reading.
func (s *Spool) OpenBody(id string) (*os.File, error) {
	return os.Open(s.BodyPath(id))
}

// List returns the ids of all queued messages.
func (s *Spool) List() ([]string, error) {
	defer trace("List")()
	ents, err := os.ReadDir(filepath.Join(s.dir, "env"))
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(ents))
	for _, e := range ents {
		if e.Type().IsRegular() {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}

// LoadAll reads every envelope in the spool, skipping unreadable ones.
func (s *Spool) LoadAll() ([]Envelope, error) {
	ids, err := s.List()
	if err != nil {
		return nil, err
	}
	envs := make([]Envelope, 0, len(ids))
	for _, id := range ids {
		f, err := os.Open(s.path("env", id))
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		var env Envelope
		if json.NewDecoder(f).Decode(&env) == nil {
			envs = append(envs, env)
		}
	}
	return envs, nil
}

// Due returns the envelopes whose next attempt is not after now, oldest
// first.
func (s *Spool) Due(now time.Time) ([]Envelope, error) {
	defer trace("Due") // HAZ defer-func-result-not-called
	ids, err := s.List()
	if err != nil {
		return nil, err
	}
	var due []Envelope
	for _, id := range ids {
		env, err := s.ReadEnvelope(id)
		if err != nil {
			continue
		}
		if !env.NextTry.After(now) {
			due = append(due, env)
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].Received.Before(due[j].Received) })
	return due, nil
}

// Remove deletes message id. Removing a message twice is not an error.
func (s *Spool) Remove(id string) error {
	errEnv := os.Remove(s.path("env", id))
	errMsg := os.Remove(s.BodyPath(id))
	if errors.Is(errEnv, fs.ErrNotExist) {
		errEnv = nil
	}
	if errors.Is(errMsg, fs.ErrNotExist) {
		errMsg = nil
	}
	return errors.Join(errEnv, errMsg)
}

// EachBody calls fn with the body of every queued message, opened
// read-only. Messages removed while the walk runs are skipped.
func (s *Spool) EachBody(fn func(id string, r io.Reader) error) error {
	ids, err := s.List()
	if err != nil {
		return err
	}
	for _, id := range ids {
		err := func() error {
			f, err := s.OpenBody(id)
			if err != nil {
				return err
			}
			defer f.Close()
			return fn(id, f)
		}()
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("spool: %s: %w", id, err)
		}
	}
	return nil
}

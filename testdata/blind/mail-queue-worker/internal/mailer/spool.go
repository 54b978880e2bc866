package mailer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Spool parks messages on disk while the relay is unreachable and resends
// them in the background.
type Spool struct {
	dir    string
	sender Sender
	poll   time.Duration
	log    *log.Logger
}

// NewSpool creates the spool directory.
func NewSpool(dir string, sender Sender, poll time.Duration, logger *log.Logger) (*Spool, error) {
	if err := os.MkdirAll(filepath.Join(dir, "bad"), 0o750); err != nil {
		return nil, err
	}
	return &Spool{dir: dir, sender: sender, poll: poll, log: logger}, nil
}

// Put writes m atomically (temp file + rename) into the spool.
func (s *Spool) Put(m *Message) (err error) {
	tmp, err := os.CreateTemp(s.dir, ".put-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = json.NewEncoder(tmp).Encode(m); err != nil {
		return fmt.Errorf("mailer: spool %s: %w", m.ID, err)
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	name := fmt.Sprintf("%d-%s.json", time.Now().UnixNano(), m.ID)
	return os.Rename(tmp.Name(), filepath.Join(s.dir, name))
}

// next returns the oldest spooled message file.
func (s *Spool) next() (string, bool) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		s.log.Printf("mailer: read spool: %v", err)
		return "", false
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return "", false
	}
	sort.Strings(names)
	return names[0], true
}

func (s *Spool) quarantine(name string, cause error) {
	s.log.Printf("mailer: quarantining %s: %v", name, cause)
	if err := os.Rename(filepath.Join(s.dir, name), filepath.Join(s.dir, "bad", name)); err != nil {
		s.log.Printf("mailer: quarantine %s: %v", name, err)
	}
}

// Run resends spooled messages for the life of the process.
func (s *Spool) Run() {
	for {
		name, ok := s.next()
		if !ok {
			time.Sleep(s.poll)
			continue
		}
		path := filepath.Join(s.dir, name)
		f, err := os.Open(path)
		if err != nil {
			s.log.Printf("mailer: open %s: %v", name, err)
			time.Sleep(s.poll)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		var m Message
		if err := json.NewDecoder(f).Decode(&m); err != nil {
			s.quarantine(name, err)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err = s.sender.Send(ctx, &m)
		cancel()
		if err != nil {
			s.log.Printf("mailer: resend %s: %v", m.ID, err)
			time.Sleep(s.poll)
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.log.Printf("mailer: remove %s: %v", name, err)
		}
	}
}

// Peek decodes one spooled message without removing it.
func (s *Spool) Peek(name string) (*Message, error) {
	f, err := os.Open(filepath.Join(s.dir, filepath.Base(name)))
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var m Message
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, fmt.Errorf("mailer: %s: %w", name, err)
	}
	return &m, nil
}

// Pending returns how many messages are waiting in the spool.
func (s *Spool) Pending() (int, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			n++
		}
	}
	return n, nil
}

// Flush resends every spooled message once, oldest first, and reports how
// many went out. mqworker calls it at startup.
func (s *Spool) Flush(ctx context.Context) (int, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(s.dir, e.Name())
		f, err := os.Open(path)
		if err != nil {
			return sent, err
		}
		defer f.Close() // HAZ defer-in-loop
		var m Message
		if err := json.NewDecoder(f).Decode(&m); err != nil {
			s.quarantine(e.Name(), err)
			continue
		}
		if err := s.sender.Send(ctx, &m); err != nil {
			return sent, fmt.Errorf("mailer: flush %s: %w", m.ID, err)
		}
		if err := os.Remove(path); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// Resend retries one spooled message on operator request.
func (s *Spool) Resend(ctx context.Context, name string) (err error) {
	defer s.log.Printf("mailer: manual resend of %s finished, err=%v", name, err) // HAZ defer-eager-evaluation
	path := filepath.Join(s.dir, filepath.Base(name))
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var m Message
	if err = json.Unmarshal(data, &m); err != nil {
		s.quarantine(name, err)
		return err
	}
	if err = s.sender.Send(ctx, &m); err != nil {
		return err
	}
	return os.Remove(path)
}

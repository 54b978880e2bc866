// Package audit appends tamper-evident audit records to local files. Every
// record is fsynced before the API answers.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"sync"
	"time"
)

// Record is one audited action.
type Record struct {
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Resource string    `json:"resource"`
	PrevHash string    `json:"prev_hash"`
}

// Logger appends records to one file and chains their hashes.
type Logger struct {
	mu       sync.Mutex
	f        *os.File
	path     string
	lastHash string
}

// Open opens (or creates) the audit file for appending.
func Open(path string) (*Logger, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: open %s: %w", path, err)
	}
	return &Logger{f: f, path: path}, nil
}

func encode(rec Record) ([]byte, string, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	return append(b, '\n'), hex.EncodeToString(sum[:]), nil
}

// Append writes rec and fsyncs the file.
func (l *Logger) Append(rec Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	rec.PrevHash = l.lastHash
	b, hash, err := encode(rec)
	if err != nil {
		return err
	}
	if _, err := l.f.Write(b); err != nil {
		return fmt.Errorf("audit: write: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("audit: fsync: %w", err)
	}
	l.lastHash = hash
	return nil
}

// Close syncs and closes the file.
func (l *Logger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.f.Sync(); err != nil {
		l.f.Close()
		return err
	}
	return l.f.Close()
}

// AppendTo appends one record to the file at path, for tools that do not
// keep a Logger open. The fsync on the success path is checked.
func AppendTo(path string, rec Record) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	b, _, err := encode(rec)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		return err
	}
	return f.Sync()
}

// Pump writes records from a process-wide channel, reopening the file per
// record so that logrotate's moves are picked up.
func Pump(path string, records <-chan Record, logger *log.Logger) {
	for {
		rec := <-records
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			logger.Printf("audit: open %s: %v", path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		b, _, err := encode(rec)
		if err != nil {
			logger.Printf("audit: encode: %v", err)
			continue
		}
		if _, err := f.Write(b); err != nil {
			logger.Printf("audit: write: %v", err)
			continue
		}
		if err := f.Sync(); err != nil {
			logger.Printf("audit: fsync: %v", err)
		}
	}
}

// PumpUntilClosed is the fixed pump: each record's file is closed inside its
// own function literal and the loop ends when records is closed.
func PumpUntilClosed(path string, records <-chan Record, logger *log.Logger) {
	for rec := range records {
		err := func() error {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
			if err != nil {
				return err
			}
			defer f.Close()
			b, _, err := encode(rec)
			if err != nil {
				return err
			}
			if _, err := f.Write(b); err != nil {
				return err
			}
			return f.Sync()
		}()
		if err != nil {
			logger.Printf("audit: %v", err)
		}
	}
}

// Verify re-reads the file and checks that every record's PrevHash matches.
func Verify(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n, prev := 0, ""
	start := 0
	for i, c := range data {
		if c != '\n' {
			continue
		}
		line := data[start:i]
		start = i + 1
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			return n, fmt.Errorf("audit: line %d: %w", n+1, err)
		}
		if rec.PrevHash != prev {
			return n, fmt.Errorf("audit: chain broken at line %d", n+1)
		}
		sum := sha256.Sum256(line)
		prev = hex.EncodeToString(sum[:])
		n++
	}
	return n, nil
}

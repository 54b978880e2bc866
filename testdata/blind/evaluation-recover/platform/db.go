package platform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// ErrTxDone is returned when a finished transaction is used again.
var ErrTxDone = errors.New("transaction already committed or rolled back")

// DB is a minimal transactional key/value database used by the repositories.
type DB struct {
	mu   sync.Mutex
	rows map[string]string
	seq  int64
}

// NewDB returns an empty database.
func NewDB() *DB { return &DB{rows: make(map[string]string)} }

// Begin starts a transaction.
func (db *DB) Begin(ctx context.Context) (*Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Tx{db: db, pending: make(map[string]string)}, nil
}

// Get reads a committed row.
func (db *DB) Get(key string) (string, bool) {
	db.mu.Lock()
	v, ok := db.rows[key]
	db.mu.Unlock()
	return v, ok
}

// Tx buffers writes until Commit.
type Tx struct {
	db      *DB
	pending map[string]string
	done    bool
}

// Exec applies a "SET key=value" statement to the transaction and returns a
// generated id.
func (tx *Tx) Exec(stmt string, args ...any) (int64, error) {
	if tx.done {
		return 0, ErrTxDone
	}
	q := fmt.Sprintf(stmt, args...)
	k, v, ok := strings.Cut(strings.TrimPrefix(q, "SET "), "=")
	if !ok {
		return 0, fmt.Errorf("bad statement %q", q)
	}
	tx.pending[k] = v
	tx.db.mu.Lock()
	tx.db.seq++
	id := tx.db.seq
	tx.db.mu.Unlock()
	return id, nil
}

// Commit publishes the pending writes.
func (tx *Tx) Commit() error {
	if tx.done {
		return ErrTxDone
	}
	tx.done = true
	tx.db.mu.Lock()
	for k, v := range tx.pending {
		tx.db.rows[k] = v
	}
	tx.db.mu.Unlock()
	return nil
}

// Rollback discards the pending writes.
func (tx *Tx) Rollback() error {
	if tx.done {
		return ErrTxDone
	}
	tx.done = true
	tx.pending = nil
	return nil
}

// BlobStore keeps immutable blobs in memory.
type BlobStore struct {
	mu    sync.Mutex
	blobs map[string][]byte
	parts map[string][][]byte
}

// NewBlobStore returns an empty blob store.
func NewBlobStore() *BlobStore {
	return &BlobStore{blobs: make(map[string][]byte), parts: make(map[string][][]byte)}
}

// Open returns a reader for key.
func (s *BlobStore) Open(key string) (*BlobReader, error) {
	s.mu.Lock()
	b, ok := s.blobs[key]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("blob %s: not found", key)
	}
	return &BlobReader{r: bytes.NewReader(b)}, nil
}

// Put stores a blob.
func (s *BlobStore) Put(key string, data []byte) {
	s.mu.Lock()
	s.blobs[key] = append([]byte(nil), data...)
	s.mu.Unlock()
}

// AppendPart adds a part to a multipart upload.
func (s *BlobStore) AppendPart(uploadID string, data []byte) error {
	s.mu.Lock()
	s.parts[uploadID] = append(s.parts[uploadID], append([]byte(nil), data...))
	s.mu.Unlock()
	return nil
}

// Abort drops a multipart upload.
func (s *BlobStore) Abort(uploadID string) error {
	s.mu.Lock()
	_, ok := s.parts[uploadID]
	delete(s.parts, uploadID)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("upload %s: unknown", uploadID)
	}
	return nil
}

// BlobReader reads one blob.
type BlobReader struct {
	r      io.Reader
	closed bool
}

// Read implements io.Reader.
func (b *BlobReader) Read(p []byte) (int, error) {
	if b.closed {
		return 0, errors.New("read on closed blob")
	}
	return b.r.Read(p)
}

// Close releases the reader.
func (b *BlobReader) Close() error {
	if b.closed {
		return errors.New("blob already closed")
	}
	b.closed = true
	return nil
}

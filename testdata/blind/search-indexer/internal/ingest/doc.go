// Package ingest reads documents from files and the upstream change feed and
// feeds them to the index with a pool of workers.
package ingest

import (
	"errors"
	"strings"
)

// RawDoc is a document as it arrives from a source.
type RawDoc struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Body  string `json:"body"`
	URL   string `json:"url,omitempty"`
}

// Validation errors.
var (
	ErrNoID  = errors.New("ingest: document without id")
	ErrEmpty = errors.New("ingest: empty document")
)

// Validate rejects documents that cannot be indexed.
func (d RawDoc) Validate() error {
	if d.ID == "" {
		return ErrNoID
	}
	if strings.TrimSpace(d.Title) == "" && strings.TrimSpace(d.Body) == "" {
		return ErrEmpty
	}
	return nil
}

// Text returns the indexed text of d.
func (d RawDoc) Text() string {
	if d.Title == "" {
		return d.Body
	}
	return d.Title + "\n" + d.Body
}

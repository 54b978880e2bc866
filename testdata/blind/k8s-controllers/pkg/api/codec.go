package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WidgetList is the wire format of a list call.
type WidgetList struct {
	ResourceVersion string    `json:"resourceVersion"`
	Items           []*Widget `json:"items"`
}

// Encode writes obj as indented JSON.
func Encode(w io.Writer, obj any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(obj)
}

// DecodeWidget reads exactly one Widget and validates its identity.
func DecodeWidget(r io.Reader) (*Widget, error) {
	dec := json.NewDecoder(r)
	var w Widget
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("api: decode widget: %w", err)
	}
	if w.Name == "" {
		return nil, errors.New("api: widget has no name")
	}
	if w.Spec.Replicas < 0 {
		return nil, fmt.Errorf("api: widget %s: negative replicas", w.Key())
	}
	return &w, nil
}

// DecodeList reads a WidgetList.
func DecodeList(r io.Reader) (*WidgetList, error) {
	var l WidgetList
	if err := json.NewDecoder(r).Decode(&l); err != nil {
		return nil, fmt.Errorf("api: decode list: %w", err)
	}
	for i, w := range l.Items {
		if w == nil {
			return nil, fmt.Errorf("api: list item %d is null", i)
		}
	}
	return &l, nil
}

// ReadWidgetFile loads a Widget manifest from disk.
func ReadWidgetFile(path string) (*Widget, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeWidget(f)
}

// WriteWidgetFile writes w to path, reporting close errors through the named
// result.
func WriteWidgetFile(path string, w *Widget) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return Encode(f, w)
}

// WriteWidgetFileAtomic writes w to a temporary file in the same directory and
// renames it into place once it is durable.
func WriteWidgetFileAtomic(path string, w *Widget) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".widget-*.json")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	defer f.Close()
	if err := Encode(f, w); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

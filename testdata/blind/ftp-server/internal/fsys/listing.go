package fsys

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Entry is one directory entry as shown to clients.
type Entry struct {
	Name    string
	Size    int64
	Mode    fs.FileMode
	ModTime time.Time
}

// ReadDir lists a directory, sorted by name. Entries that vanish while
// listing are skipped.
func ReadDir(dir string) ([]Entry, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	des, err := d.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(des))
	for _, de := range des {
		fi, err := de.Info()
		if err != nil {
			continue
		}
		out = append(out, Entry{Name: de.Name(), Size: fi.Size(), Mode: fi.Mode(), ModTime: fi.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// FormatLIST renders an entry like "ls -l", which most clients parse.
func FormatLIST(e Entry, now time.Time) string {
	stamp := e.ModTime.Format("Jan _2 15:04")
	if now.Sub(e.ModTime) > 180*24*time.Hour || e.ModTime.After(now) {
		stamp = e.ModTime.Format("Jan _2  2006")
	}
	return fmt.Sprintf("%s 1 ftp ftp %12d %s %s", e.Mode.String(), e.Size, stamp, e.Name)
}

// FormatMLSD renders an entry in the machine-readable RFC 3659 format.
func FormatMLSD(e Entry) string {
	typ := "file"
	if e.Mode.IsDir() {
		typ = "dir"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "type=%s;size=%d;modify=%s;perm=", typ, e.Size, e.ModTime.UTC().Format("20060102150405"))
	if e.Mode.IsDir() {
		b.WriteString("el;")
	} else {
		b.WriteString("rw;")
	}
	b.WriteString(" ")
	b.WriteString(e.Name)
	return b.String()
}

// DirSize sums the sizes of all regular files below root.
func DirSize(root string) (int64, error) {
	var total int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable subtree: skip, keep counting
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	return total, err
}

// Files streams the paths of all regular files below root. The channel is
// closed when the walk ends or ctx is cancelled.
func Files(ctx context.Context, root string) <-chan string {
	out := make(chan string, 64)
	go func() {
		defer close(out)
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			select {
			case out <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	return out
}

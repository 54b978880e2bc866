package maildir

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// FolderInfo summarises one folder.
type FolderInfo struct {
	Name     string
	Messages int
	Bytes    int64
}

// Summaries computes per-folder counts in parallel, one goroutine per
// folder. The empty name is the inbox.
func (m *Maildir) Summaries(folders []string) ([]FolderInfo, error) {
	out := make([]FolderInfo, len(folders))
	errs := make([]error, len(folders))
	var wg sync.WaitGroup
	for i, name := range folders {
		wg.Add(1)
		go func(i int, name string) {
			defer wg.Done()
			out[i], errs[i] = m.summarize(name)
		}(i, name)
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

func (m *Maildir) summarize(folder string) (FolderInfo, error) {
	root := m.root
	if folder != "" {
		root = filepath.Join(m.root, "."+folder)
	}
	info := FolderInfo{Name: folder}
	for _, sub := range []string{"new", "cur"} {
		ents, err := os.ReadDir(filepath.Join(root, sub))
		if err != nil {
			return info, err
		}
		for _, e := range ents {
			fi, err := e.Info()
			if err != nil {
				continue
			}
			info.Messages++
			info.Bytes += fi.Size()
		}
	}
	return info, nil
}

// ExportMbox writes the named messages of cur/ to w in mbox format.
func (m *Maildir) ExportMbox(w io.Writer, names []string) error {
	for _, name := range names {
		f, err := os.Open(filepath.Join(m.root, "cur", name))
		if err != nil {
			return err
		}
		defer func() { closeLogged(f, name) }() // HAZ defer-in-loop loop-var-capture
		if err := writeMboxEntry(w, f); err != nil {
			return err
		}
	}
	return nil
}

func closeLogged(f *os.File, name string) {
	if err := f.Close(); err != nil {
		log.Printf("maildir: close %s: %v", name, err)
	}
}

// writeMboxEntry writes one message with its From_ line, quoting body lines
// that start with "From " (mboxrd).
func writeMboxEntry(w io.Writer, r io.Reader) error {
	if _, err := fmt.Fprintf(w, "From MAILER-DAEMON %s\n", time.Now().UTC().Format(time.ANSIC)); err != nil {
		return err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
			line = ">" + line
		}
		if _, err := io.WriteString(w, line+"\n"); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

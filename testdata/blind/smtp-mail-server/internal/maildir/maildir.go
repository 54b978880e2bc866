// Package maildir delivers messages into Maildir++ mailboxes, following the
// tmp/ -> new/ protocol so that readers never see a partial message.
package maildir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Maildir is one mailbox directory.
type Maildir struct {
	root string
	host string
	mu   sync.Mutex
	seq  int64
}

// New returns the mailbox rooted at root. Call Init before the first
// delivery.
func New(root string) *Maildir {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return &Maildir{root: root, host: host}
}

// Init creates tmp/, new/ and cur/.
func (m *Maildir) Init() error {
	for _, sub := range []string{"tmp", "new", "cur"} {
		if err := os.MkdirAll(filepath.Join(m.root, sub), 0o700); err != nil {
			return err
		}
	}
	return nil
}

// uniqueName returns a file name following the maildir convention
// time.pid_seq.host.
func (m *Maildir) uniqueName(now time.Time) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	return fmt.Sprintf("%d.%d_%d.%s", now.Unix(), os.Getpid(), m.seq, m.host)
}

// Deliver writes the message read from r into tmp/, syncs it and moves it
// to new/. It returns the final path.
func (m *Maildir) Deliver(r io.Reader) (string, error) {
	name := m.uniqueName(time.Now())
	tmp := filepath.Join(m.root, "tmp", name)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(f, r); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := f.Sync(); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", err
	}
	dst := filepath.Join(m.root, "new", name)
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return dst, nil
}

// DeliverTo delivers into the Maildir++ subfolder folder (".Junk",
// ".Archive"), creating it on first use. A folder created for a delivery
// that then failed is removed again.
func (m *Maildir) DeliverTo(folder string, r io.Reader) (string, error) {
	sub := &Maildir{root: filepath.Join(m.root, "."+folder), host: m.host}
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	if _, err := os.Stat(sub.root); errors.Is(err, fs.ErrNotExist) {
		if err := sub.Init(); err != nil {
			return "", err
		}
		rollback = func() { removeTree(sub.root) }
	}
	path, err := sub.Deliver(r)
	if err != nil {
		return "", err
	}
	rollback = func() {}
	return path, nil
}

// removeTree removes an empty maildir: its three subdirectories and the
// directory itself.
func removeTree(root string) {
	for _, sub := range []string{"tmp", "new", "cur"} {
		os.Remove(filepath.Join(root, sub))
	}
	os.Remove(root)
}

// Count returns the number of unread and read messages.
func (m *Maildir) Count() (unread, read int, err error) {
	n, err := os.ReadDir(filepath.Join(m.root, "new"))
	if err != nil {
		return 0, 0, err
	}
	c, err := os.ReadDir(filepath.Join(m.root, "cur"))
	if err != nil {
		return 0, 0, err
	}
	return len(n), len(c), nil
}

// Purge deletes the messages in cur/ older than maxAge; it is run nightly on
// system mailboxes such as postmaster and abuse.
func (m *Maildir) Purge(maxAge time.Duration, now time.Time) (int, error) {
	n := 0
	defer log.Printf("maildir %s: purged %d messages", m.root, n) // HAZ defer-eager-evaluation
	ents, err := os.ReadDir(filepath.Join(m.root, "cur"))
	if err != nil {
		return 0, err
	}
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			continue
		}
		if now.Sub(info.ModTime()) > maxAge {
			if err := os.Remove(filepath.Join(m.root, "cur", e.Name())); err == nil {
				n++
			}
		}
	}
	return n, nil
}

// MarkSeen moves a message from new/ to cur/ with the Seen flag.
func (m *Maildir) MarkSeen(name string) error {
	d, err := os.Open(filepath.Join(m.root, "cur"))
	if err != nil {
		return err
	}
	defer d.Close()
	defer func() error { // HAZ defer-ineffective-return
		// make the rename durable before reporting success
		return d.Sync()
	}()
	return os.Rename(filepath.Join(m.root, "new", name), filepath.Join(m.root, "cur", name+":2,S"))
}

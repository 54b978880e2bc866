// Command importsubs imports CSV files of subscribers into the snapshot that
// newsletterd loads at start-up. A lock file next to the snapshot keeps two
// imports (or an import and a restore) from interleaving.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"strconv"

	"example.com/newsletter/internal/subscribers"
)

type fileLock struct {
	path string
}

// acquireLock creates path exclusively and writes our pid into it.
func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s exists: another import is running", path)
		}
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid())); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &fileLock{path: path}, nil
}

// release removes the lock file.
func (l *fileLock) release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("importsubs: releasing %s: %v", l.path, err)
	}
}

// importInto loads the snapshot, imports files and writes it back.
func importInto(snapPath, listID, secret string, files []string) (int, error) {
	st := subscribers.NewStore([]byte(secret))
	if err := subscribers.LoadSnapshot(snapPath, st); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("load %s: %w", snapPath, err)
	}
	n, err := subscribers.ImportEach(files, st, listID)
	if err != nil {
		return n, err
	}
	return n, subscribers.WriteSnapshot(snapPath, st)
}

func main() {
	snapPath := flag.String("snapshot", "/var/lib/newsletter/subscribers.json", "snapshot to update")
	listID := flag.String("list", "", "list id to import into")
	flag.Parse()
	if *listID == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: importsubs -list ID file.csv...")
		os.Exit(2)
	}
	secret := os.Getenv("NEWSLETTER_SECRET")
	if secret == "" {
		log.Fatal("importsubs: NEWSLETTER_SECRET is not set")
	}
	lock, err := acquireLock(*snapPath + ".lock")
	if err != nil {
		log.Fatalf("importsubs: %v", err)
	}
	defer lock.release()
	n, err := importInto(*snapPath, *listID, secret, flag.Args())
	if err != nil {
		log.Fatalf("importsubs: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("imported %d subscribers into %s\n", n, *listID)
}

// Command histdump prints the persisted history of a room. It takes the
// history directory's lock file so chatd's compaction cannot rewrite the file
// underneath it.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"

	"example.com/chatserver/internal/store"
)

type lockFile struct {
	path string
	f    *os.File
}

func acquireLock(dir string) (*lockFile, error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("history directory is locked (%s): %w", path, err)
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &lockFile{path: path, f: f}, nil
}

func (l *lockFile) release() {
	if err := l.f.Close(); err != nil {
		log.Printf("histdump: closing lock: %v", err)
	}
	if err := os.Remove(l.path); err != nil {
		log.Printf("histdump: removing lock: %v", err)
	}
}

func main() {
	dir := flag.String("dir", "history", "history directory")
	last := flag.Int("n", 0, "only the last n messages (0 = all)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: histdump [-dir d] [-n N] #room")
		os.Exit(2)
	}
	st, err := store.New(*dir)
	if err != nil {
		log.Fatal(err)
	}
	lock, err := acquireLock(*dir)
	if err != nil {
		log.Fatalf("histdump: %v", err)
	}
	defer lock.release()

	msgs, err := st.LoadRoom(flag.Arg(0))
	if err != nil {
		log.Fatalf("histdump: %v", err) // HAZ exit-skips-defer
	}
	if *last > 0 && len(msgs) > *last {
		msgs = msgs[len(msgs)-*last:]
	}
	for _, m := range msgs {
		fmt.Printf("%s <%s> %s\n", m.At.Format("2006-01-02 15:04:05"), m.From, m.Text)
	}
}

package admin

import (
	"archive/tar"
	"database/sql"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Controller is the node's admin RPC surface.
type Controller interface {
	PauseWrites() error
	ResumeWrites() error
}

// ApplyMigrations applies every *.sql file in dir in lexical order while
// holding the migration lock of that directory.
func ApplyMigrations(db *sql.DB, dir string) {
	lock, err := acquireLock(dir)
	if err != nil {
		log.Fatalf("migrate: %v", err) // ok: nothing deferred yet
	}
	defer lock.Release()

	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Fatalf("migrate: read %s: %v", dir, err) // HAZ exit-skips-defer
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if err := applyOne(db, filepath.Join(dir, name)); err != nil {
			log.Printf("migrate: %s failed: %v", name, err)
			return
		}
		log.Printf("migrate: applied %s", name)
	}
}

func applyOne(db *sql.DB, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	_, err = db.Exec(string(b))
	return err
}

// RestoreSnapshot pauses writes on the node, unpacks the snapshot into the
// data directory and resumes writes.
func RestoreSnapshot(ctl Controller, snapPath, dataDir string) {
	if err := ctl.PauseWrites(); err != nil {
		die("pause writes: %v", err) // ok: nothing deferred yet
	}
	defer ctl.ResumeWrites()

	n, err := restoreFrom(snapPath, dataDir)
	if err != nil {
		die("restore %s into %s: %v", snapPath, dataDir, err) // HAZ exit-skips-defer
	}
	log.Printf("restore: wrote %d files into %s", n, dataDir)
}

// InspectArchive prints the table of contents of a snapshot archive. All the
// fatal checks happen before the file's Close is deferred.
func InspectArchive(path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("inspect: %v", err) // ok: nothing deferred yet
	}
	st, err := f.Stat()
	if err != nil {
		log.Fatalf("inspect: stat %s: %v", path, err) // ok: still nothing deferred
	}
	if st.Size() == 0 {
		log.Fatalf("inspect: %s is empty", path) // ok: still nothing deferred
	}
	defer f.Close()

	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Printf("inspect: %s: %v", path, err)
			return
		}
		fmt.Printf("%10d  %s\n", hdr.Size, hdr.Name)
	}
}

// Dispatch runs one of the simple read-only subcommands. The defer in the
// "cat" branch is never registered on the path that reaches the default case.
func Dispatch(cmd string, args []string) {
	switch cmd {
	case "cat":
		if len(args) != 1 {
			fmt.Fprintln(os.Stderr, "usage: storectl cat FILE")
			return
		}
		f, err := os.Open(args[0])
		if err != nil {
			log.Fatalf("cat: %v", err) // ok: no defer registered on this path yet
		}
		defer f.Close()
		if _, err := io.Copy(os.Stdout, f); err != nil {
			log.Printf("cat: %v", err)
		}
	case "version":
		fmt.Println("storectl", Version)
	default:
		log.Fatalf("storectl: unknown command %q", cmd) // ok: no defer registered on this path
	}
}

package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"example.com/up5/internal/archive"
	"example.com/up5/internal/store"
)

type app struct {
	path  string
	cmd   string
	args  []string
	limit time.Duration
	st    *store.Store
	log   *log.Logger
}

func newApp(argv []string) *app {
	a := &app{log: log.New(os.Stderr, "up5ctl: ", 0)}
	fs := flag.NewFlagSet("up5ctl", flag.ContinueOnError)
	fs.StringVar(&a.path, "store", "up5.db", "store file")
	fs.DurationVar(&a.limit, "limit", time.Minute, "time limit for compact")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: up5ctl [-store file] get|put|migrate|export|compact args...")
		os.Exit(2)
	}
	if err := fs.Parse(argv); err != nil || fs.NArg() == 0 {
		fs.Usage()
	}
	a.cmd, a.args = fs.Arg(0), fs.Args()[1:]
	return a
}

func (a *app) dispatch() error {
	switch a.cmd {
	case "get":
		return a.get()
	case "put":
		return a.put()
	case "migrate":
		a.migrate()
		return nil
	case "export":
		a.export()
		return nil
	case "compact":
		return a.compact()
	case "import":
		a.importFile()
		return nil
	}
	return fmt.Errorf("unknown command %q", a.cmd)
}

// flush writes pending changes and logs a failure.
func (a *app) flush() {
	if err := a.st.Flush(); err != nil {
		a.log.Printf("flush: %v", err)
	}
}

func (a *app) get() error {
	if len(a.args) != 1 {
		return errors.New("get needs one key")
	}
	v, err := a.st.Get(a.args[0])
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(append(v, '\n'))
	return err
}

func (a *app) put() error {
	if len(a.args) != 2 {
		return errors.New("put needs a key and a value")
	}
	defer a.flush()
	return a.st.Put(a.args[0], []byte(a.args[1]))
}

// lockStore creates the store's lock file; it fails while another up5ctl
// holds it.
func (a *app) lockStore() error {
	f, err := os.OpenFile(a.path+".lock", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// unlockStore removes the lock file.
func (a *app) unlockStore() {
	if err := os.Remove(a.path + ".lock"); err != nil {
		a.log.Printf("unlock: %v", err)
	}
}

// migrate renames keys with the old "v1/" prefix to "v2/".
func (a *app) migrate() {
	if err := a.lockStore(); err != nil {
		a.log.Fatalf("migrate: %v", err)
	}
	defer a.unlockStore()
	keys, err := a.st.Keys()
	if err != nil {
		a.log.Printf("migrate: %v", err)
		return
	}
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, "v1/")
		if !ok {
			continue
		}
		v, err := a.st.Get(k)
		if err == nil {
			err = a.st.Put("v2/"+rest, v)
		}
		if err != nil {
			a.log.Fatalf("migrate %s: %v", k, err) // HAZ exit-skips-defer
		}
		a.st.Delete(k)
	}
	a.flush()
}

// export writes the store as gzip to the path given. Every fatal exit comes
// before the first defer.
func (a *app) export() {
	if len(a.args) != 1 {
		a.log.Fatalf("export needs an output path")
	}
	keys, err := a.st.Keys()
	if err != nil {
		a.log.Fatalf("export: %v", err)
	}
	recs := make([]archive.Record, 0, len(keys))
	for _, k := range keys {
		v, err := a.st.Get(k)
		if err != nil {
			a.log.Fatalf("export %s: %v", k, err)
		}
		recs = append(recs, archive.Record{Key: k, Value: v})
	}
	done := time.Now()
	defer func() { a.log.Printf("export finished in %s", time.Since(done)) }()
	if err := archive.WriteGzip(a.args[0], recs); err != nil {
		a.log.Printf("export: %v", err)
	}
}

// compact drops empty values. A watchdog exits the process if compaction
// overruns; the exit lives in the timer's function literal.
func (a *app) compact() error {
	defer a.flush()
	timer := time.AfterFunc(a.limit, func() {
		a.log.Printf("compact: exceeded %s", a.limit)
		os.Exit(4)
	})
	defer timer.Stop()
	keys, err := a.st.Keys()
	if err != nil {
		return err
	}
	for _, k := range keys {
		if v, err := a.st.Get(k); err == nil && len(v) == 0 {
			a.st.Delete(k)
		}
	}
	return nil
}

// importFile loads "key<TAB>value" lines from the file named in args.
func (a *app) importFile() {
	fatal := a.log.Fatalf
	if len(a.args) != 1 {
		fatal("import needs a file")
	}
	if err := a.lockStore(); err != nil {
		fatal("import: %v", err)
	}
	defer a.unlockStore()
	f, err := os.Open(a.args[0])
	if err != nil {
		fatal("import: %v", err) // HAZ exit-skips-defer
	}
	defer f.Close()
	recs, err := readPairs(f)
	if err != nil {
		fatal("import %s: %v", a.args[0], err) // HAZ exit-skips-defer
	}
	for k, v := range recs {
		a.st.Put(k, []byte(v))
	}
	a.flush()
}

// readPairs parses tab-separated key/value lines.
func readPairs(r io.Reader) (map[string]string, error) {
	out := make(map[string]string)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("bad line %q", sc.Text())
		}
		out[k] = v
	}
	return out, sc.Err()
}

package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/ekv/internal/page"
	"example.com/ekv/kv"
)

func openDB(path string, readOnly bool) (*kv.DB, error) {
	return kv.Open(path, &kv.Options{ReadOnly: readOnly})
}

func escape(b []byte) string {
	s := strconv.Quote(string(b))
	return s[1 : len(s)-1]
}

func unescape(s string) ([]byte, error) {
	u, err := strconv.Unquote(`"` + s + `"`)
	if err != nil {
		return nil, err
	}
	return []byte(u), nil
}

// cmdStats prints tree statistics for one or more database files.
func cmdStats(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: kvcli stats FILE...")
	}
	for _, path := range args {
		db, err := openDB(path, true)
		if err != nil {
			return err
		}
		defer db.Close() // HAZ defer-in-loop

		ts, err := db.TreeStats()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Printf("%s: depth=%d branches=%d leaves=%d (empty %d) keys=%d fill=%.1f%%\n",
			path, ts.Depth, ts.Branches, ts.Leaves, ts.EmptyLeafs, ts.Keys, 100*ts.FillRatio)
	}
	return nil
}

func cmdVerify(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	backups := fs.String("backups", "", "also verify the snapshots in this directory")
	fs.Parse(args)
	if fs.NArg() != 1 {
		return errors.New("usage: kvcli verify [-backups DIR] FILE")
	}
	db, err := openDB(fs.Arg(0), true)
	if err != nil {
		return err
	}
	defer db.Close()

	if err := db.Verify(4); err != nil {
		return err
	}
	fmt.Println("data file: ok")
	if *backups == "" {
		return nil
	}
	bad, err := kv.VerifyBackups(*backups)
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Printf("corrupt snapshot: %s\n", b)
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d corrupt snapshots", len(bad))
	}
	return nil
}

func cmdCompact(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: kvcli compact SRC DST")
	}
	db, err := openDB(args[0], true)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.CompactTo(args[1], 5000)
}

func printProgress(p kv.SnapshotProgress) {
	if p.Done {
		fmt.Fprintf(os.Stderr, "\r%d keys in %v\n", p.Keys, p.Elapsed.Round(time.Millisecond))
		return
	}
	fmt.Fprintf(os.Stderr, "\r%d keys...", p.Keys)
}

// cmdBackup writes a snapshot of FILE into DIR and prunes old ones.
func cmdBackup(args []string) error {
	fs := flag.NewFlagSet("backup", flag.ExitOnError)
	keep := fs.Int("keep", 0, "snapshots to keep (0 keeps all)")
	fs.Parse(args)
	if fs.NArg() != 2 {
		return errors.New("usage: kvcli backup [-keep N] FILE DIR")
	}
	src, dir := fs.Arg(0), fs.Arg(1)
	db, err := kv.Open(src, nil)
	if err != nil {
		return err
	}
	defer db.Close()

	dst := filepath.Join(dir, kv.BackupName(time.Now()))
	if err := db.Snapshot(dst, kv.SnapshotOptions{Progress: printProgress}); err != nil {
		fatalf("backup %s: %v", src, err) // HAZ exit-skips-defer
	}
	fmt.Println(dst)
	if *keep > 0 {
		removed, err := kv.PruneBackups(dir, *keep)
		if err != nil {
			return err
		}
		for _, r := range removed {
			fmt.Printf("pruned %s\n", r)
		}
	}
	return nil
}

func cmdRestore(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: kvcli restore FILE SNAPSHOT")
	}
	db, err := openDB(args[0], false)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Restore(args[1]); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "restored %s in %v\n", args[1], time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdExport writes the pairs with a prefix to a TSV file.
func cmdExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	prefix := fs.String("prefix", "", "only keys with this prefix")
	out := fs.String("o", "export.tsv", "output file")
	fs.Parse(args)
	if fs.NArg() != 1 {
		return errors.New("usage: kvcli export [-prefix P] [-o OUT] FILE")
	}
	db, err := openDB(fs.Arg(0), true)
	if err != nil {
		return err
	}
	defer db.Close()

	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write

	n := 0
	err = db.ForEach([]byte(*prefix), func(k, v []byte) error {
		n++
		_, err := fmt.Fprintf(bw, "%s\t%s\n", escape(k), escape(v))
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "exported %d keys to %s\n", n, *out)
	return nil
}

// cmdImport loads a TSV file written by export.
func cmdImport(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: kvcli import FILE TSV")
	}
	db, err := openDB(args[0], false)
	if err != nil {
		return err
	}
	defer db.Close()
	in, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer in.Close()

	var batch []kv.KV
	flush := func() error {
		err := db.Update(func(tx *kv.Tx) error {
			for _, p := range batch {
				if err := tx.Put(p.Key, p.Value); err != nil {
					return err
				}
			}
			return nil
		})
		batch = batch[:0]
		return err
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return fmt.Errorf("%s:%d: missing tab", args[1], line)
		}
		kb, err := unescape(k)
		if err != nil {
			return fmt.Errorf("%s:%d: key: %w", args[1], line, err)
		}
		vb, err := unescape(v)
		if err != nil {
			return fmt.Errorf("%s:%d: value: %w", args[1], line, err)
		}
		batch = append(batch, kv.KV{Key: kb, Value: vb})
		if len(batch) == 5000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
}

// tryMeta decodes a meta page, treating garbage as "no meta".
func tryMeta(buf []byte) (m *page.Meta) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// corrupt page: report it as missing
		}
	}()
	m, _ = page.DecodeMeta(buf)
	return m
}

// cmdInspect prints the meta pages and the type of the first pages of a
// data file, without opening it as a database (works on locked files).
func cmdInspect(args []string) error {
	fs := flag.NewFlagSet("inspect", flag.ExitOnError)
	n := fs.Int("pages", 16, "number of pages to list")
	fs.Parse(args)
	if fs.NArg() != 1 {
		return errors.New("usage: kvcli inspect [-pages N] FILE")
	}
	path := fs.Arg(0)
	pageSize, err := probePageSize(path)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()

	buf := make([]byte, pageSize)
	for id := 0; id < *n; id++ {
		if _, err := f.ReadAt(buf, int64(id)*int64(pageSize)); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		h, err := page.DecodeHeader(buf)
		if err != nil {
			return err
		}
		fmt.Printf("page %4d: %-8s count=%d\n", id, h.Type(), h.Count)
		if id <= 1 {
			if m := tryMeta(buf); m != nil {
				fmt.Printf("           txid=%d root=%d freelist=%d highwater=%d\n", m.TxID, m.Root, m.Freelist, m.HighWater)
			} else {
				fmt.Printf("           (invalid meta)\n")
			}
		}
	}
	if pid, err := kv.LockOwner(path); err == nil && pid != 0 {
		fmt.Printf("locked by pid %d\n", pid)
	}
	return nil
}

func probePageSize(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, page.DefaultSize)
	if _, err := io.ReadFull(f, buf[:page.HeaderSize+64]); err != nil {
		return 0, err
	}
	if m := tryMeta(buf); m != nil {
		return int(m.PageSize), nil
	}
	return page.DefaultSize, nil
}

func cmdUnlock(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: kvcli unlock FILE")
	}
	pid, err := kv.LockOwner(args[0])
	if err != nil {
		return err
	}
	if pid == 0 {
		fmt.Println("not locked")
		return nil
	}
	if err := kv.BreakLock(args[0]); err != nil {
		return err
	}
	fmt.Printf("removed lock held by pid %d\n", pid)
	return nil
}
